import { IConstruct } from 'constructs';
import { isCiliumIdentityLabel } from '../../wire/cilium/identity-labels';
import { parseCidrWithExcept } from '../cidr';
import { invalid } from '../errors';
import { validateDns1123Label, validateDns1123Subdomain } from '../names';
import { LabelSelector, LabelSelectorOptions } from '../selector';
import { resolveWorkloadPods, WorkloadRef } from '../workload';
import { validateDnsName, validateDnsPattern } from './dns-names';
import {
  CILIUM_POD_NAMESPACE_LABEL, CiliumSelectorConfig, CiliumSelectorRequirement, ciliumSelector, namespaceLabels,
  namespaceRequirement, selectorText,
} from './selector';

/** The kind of a Cilium peer: each kind renders to its own field of a rule. */
export enum CiliumPeerKind {
  /** `fromEndpoints` / `toEndpoints` */
  ENDPOINTS = 'Endpoints',
  /** `fromEntities` / `toEntities` */
  ENTITY = 'Entities',
  /** `fromCIDR`/`fromCIDRSet` / `toCIDR`/`toCIDRSet` */
  CIDR = 'CIDR',
  /** `fromNodes` / `toNodes` */
  NODES = 'Nodes',
  /** `toFQDNs` (egress only) */
  FQDN = 'FQDNs',
  /** `toServices` (egress only) */
  SERVICE = 'Services',
}

/** What a Cilium peer stands for, in wire terms. Exactly one group of fields is set, per `kind`. */
export interface CiliumPeerConfig {
  /** The kind of peer. */
  readonly kind: CiliumPeerKind;
  /** ENDPOINTS, NODES: the selector. @default - not a selector peer */
  readonly selector?: CiliumSelectorConfig;
  /** ENTITY: the entity name. @default - not an entity */
  readonly entity?: string;
  /** CIDR: the block. @default - not a plain CIDR */
  readonly cidr?: string;
  /** CIDR: excluded blocks. @default - none */
  readonly except?: string[];
  /** CIDR: the CiliumCIDRGroup name. @default - not a CIDR group reference */
  readonly cidrGroupRef?: string;
  /** CIDR: the CiliumCIDRGroup label selector. @default - not a CIDR group selector */
  readonly cidrGroupSelector?: CiliumSelectorConfig;
  /** FQDN: exact name. @default - not a name */
  readonly matchName?: string;
  /** FQDN: wildcard pattern. @default - not a pattern */
  readonly matchPattern?: string;
  /** SERVICE: service name. @default - a selector */
  readonly serviceName?: string;
  /** SERVICE: service label selector. @default - a name */
  readonly serviceSelector?: CiliumSelectorConfig;
  /** SERVICE: namespace of the service. @default - the policy's namespace (every namespace in a clusterwide policy) */
  readonly serviceNamespace?: string;
}

/** A peer of a Cilium rule: implemented by Endpoints, Entity, Cidr, CidrGroup, Fqdn, Service and Nodes. */
export interface ICiliumPeer {
  /** The wire-level peer. */
  toCiliumPeer(): CiliumPeerConfig;
  /** Short stable description for messages. */
  toString(): string;
}

/**
 * Cilium endpoints (pods and other workloads) selected by labels.
 *
 * In a CiliumNetworkPolicy an endpoint selector only selects endpoints of the policy's own
 * namespace, unless it names the namespace label `k8s:io.kubernetes.pod.namespace`
 * (Cilium docs, "Endpoints Based"/"Namespaces"). Scoping is therefore made explicit:
 * `inNamespace('x')`, `inNamespaces(...)`, `inNamespacesWithLabels({...})` (through Cilium's
 * `k8s:io.cilium.k8s.namespace.labels.<key>` labels) or `inAnyNamespace()`. In a
 * CiliumClusterwideNetworkPolicy selectors are cluster-wide.
 */
export class Endpoints implements ICiliumPeer {
  /**
   * Endpoints with these labels.
   * @param labels label keys and values, all of which must match (validated like the API server does)
   */
  public static withLabels(labels: { [key: string]: string }): Endpoints {
    return new Endpoints(LabelSelector.withLabels(labels), {}, [], 'own');
  }

  /**
   * Endpoints matching a shared label selector.
   * @param selector a label selector built with `LabelSelector`
   */
  public static matching(selector: LabelSelector): Endpoints {
    return new Endpoints(selector, {}, [], 'own');
  }

  /**
   * Endpoints matching these selector options.
   * @param options `matchLabels` and `matchExpressions`, validated like the API server does
   */
  public static matchingOptions(options: LabelSelectorOptions): Endpoints {
    return new Endpoints(LabelSelector.of(options), {}, [], 'own');
  }

  /** Every endpoint (of the policy's namespace in a CiliumNetworkPolicy, unless scoped otherwise). */
  public static all(): Endpoints {
    return new Endpoints(LabelSelector.all(), {}, [], 'own');
  }

  /**
   * The endpoints of a workload's pods: a cdk8s-plus workload (`Deployment`, `StatefulSet`,
   * `DaemonSet`, `Job`, `CronJob`, `Pod`), an L1 object (`KubeDeployment`, `KubePod`, ...) or any
   * construct whose ApiObject (`ApiObject.of`) has a pod template; read at synth, with the selector
   * chosen as for `Pods.of` (the workload's `spec.selector`, else its pod template's labels).
   *
   * Namespace scoping is the workload's: in a CiliumNetworkPolicy the namespace
   * (`k8s:io.kubernetes.pod.namespace`) is named when it is not the policy's, in a
   * CiliumClusterwideNetworkPolicy always; as an `endpointSelector` of a CiliumNetworkPolicy the
   * workload must be in the policy's namespace.
   * @param workload the workload whose pods are meant
   */
  public static of(workload: IConstruct): Endpoints {
    return new Endpoints(undefined, {}, [], 'workload', WorkloadRef.of('Endpoints.of', workload));
  }

  private readonly fixedSelector?: LabelSelector;
  private readonly nsLabels: { [key: string]: string };
  private readonly nsExpressions: CiliumSelectorRequirement[];
  private readonly scope: string;
  private readonly workload?: WorkloadRef;

  private constructor(selector: LabelSelector | undefined, nsLabels: { [key: string]: string }, nsExpressions: CiliumSelectorRequirement[],
    scope: string, workload?: WorkloadRef) {
    this.fixedSelector = selector;
    this.nsLabels = nsLabels;
    this.nsExpressions = nsExpressions;
    this.scope = scope;
    this.workload = workload;
  }

  /** The label selector, without namespace scoping (for `Endpoints.of`, read from the workload's manifest now). */
  public get selector(): LabelSelector {
    return this.fixedSelector ?? this.workload!.resolve().selector;
  }

  /** True for `Endpoints.of(workload)`: the selector and namespace are read from the workload at synth. */
  public get isWorkload(): boolean {
    return this.workload !== undefined;
  }

  /** True when namespace scoping was added (inNamespace, inNamespaces, inNamespacesWithLabels, inAnyNamespace), false for `Endpoints.of` (scoped at synth). */
  public get isNamespaceScoped(): boolean {
    return this.scope !== 'own' && this.scope !== 'workload';
  }

  /**
   * The same endpoints, in the namespace named `name`.
   * @param name the namespace name (a DNS-1123 label)
   */
  public inNamespace(name: string): Endpoints {
    return this.inNamespaces(name);
  }

  /**
   * The same endpoints, in any of these namespaces.
   * @param names namespace names (DNS-1123 labels), at least one
   */
  public inNamespaces(...names: string[]): Endpoints {
    this.checkUnscoped('Endpoints.inNamespaces', names);
    const r = namespaceRequirement('Endpoints.inNamespaces', names);
    return new Endpoints(this.fixedSelector, r.labels, r.expressions, `namespaces(${Array.from(new Set(names)).sort().join(',')})`);
  }

  /**
   * The same endpoints, in namespaces carrying these labels (`k8s:io.cilium.k8s.namespace.labels.<key>`,
   * plus `k8s:io.kubernetes.pod.namespace` Exists so that a CiliumNetworkPolicy does not narrow it to its own namespace).
   * @param labels namespace labels, all of which must match
   */
  public inNamespacesWithLabels(labels: { [key: string]: string }): Endpoints {
    this.checkUnscoped('Endpoints.inNamespacesWithLabels', labels);
    const l = namespaceLabels('Endpoints.inNamespacesWithLabels', labels);
    // The namespace key is named too: a CiliumNetworkPolicy scopes every selector without
    // `k8s:io.kubernetes.pod.namespace` to its own namespace, which would defeat the point.
    return new Endpoints(this.fixedSelector, l, [{ key: CILIUM_POD_NAMESPACE_LABEL, operator: 'Exists' }], `namespaces(${Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(',')})`);
  }

  /** The same endpoints in every namespace (`k8s:io.kubernetes.pod.namespace` Exists). */
  public inAnyNamespace(): Endpoints {
    this.checkUnscoped('Endpoints.inAnyNamespace', 'any');
    return new Endpoints(this.fixedSelector, {}, [{ key: CILIUM_POD_NAMESPACE_LABEL, operator: 'Exists' }], 'namespaces(*)');
  }

  /**
   * The wire-form selector, namespace scoping included. For `Endpoints.of`, read from the workload
   * now, with its namespace named when it has one (right in either policy kind; a
   * CiliumNetworkPolicy leaves it out when it is the policy's own).
   */
  public toSelector(): CiliumSelectorConfig {
    if (this.workload) {
      const w = this.workload.resolve();
      checkIdentityLabels('Endpoints.of', this.workload.toString(), w.selector);
      return w.namespace === undefined ? ciliumSelector(w.selector) : ciliumSelector(w.selector, { [CILIUM_POD_NAMESPACE_LABEL]: w.namespace });
    }
    return ciliumSelector(this.fixedSelector!, this.nsLabels, this.nsExpressions);
  }

  /**
   * The selector in a policy of `policyNamespace` (`clusterwide`: a CiliumClusterwideNetworkPolicy),
   * as its subject or a peer: for `Endpoints.of`, scoped by resolveWorkloadPods.
   * @internal
   */
  public _selectorIn(field: string, policyNamespace: string | undefined, clusterwide: boolean, role: 'subject' | 'peer'): CiliumSelectorConfig {
    if (!this.workload) return this.toSelector();
    const pods = resolveWorkloadPods(this.workload, field, policyNamespace, role, clusterwide);
    checkIdentityLabels(field, this.workload.toString(), pods.selector);
    return pods.namespace === undefined
      ? ciliumSelector(pods.selector)
      : ciliumSelector(pods.selector, { [CILIUM_POD_NAMESPACE_LABEL]: pods.namespace });
  }

  public toCiliumPeer(): CiliumPeerConfig {
    return { kind: CiliumPeerKind.ENDPOINTS, selector: this.toSelector() };
  }

  public toString(): string {
    if (this.workload) return `endpoints(of ${this.workload.toString()})`;
    const base = `endpoints(${this.fixedSelector!.toString() || '*'})`;
    return this.scope === 'own' ? base : `${base} in ${this.scope}`;
  }

  private checkUnscoped(field: string, value: unknown): void {
    if (this.workload) {
      throw invalid(field, value, `is given for ${this.toString()}, whose namespace is the workload's own`,
        'drop it: Endpoints.of() names the workload\'s namespace where the policy needs it');
    }
    if (this.scope !== 'own') {
      throw invalid(field, value, `is set twice (already ${this.scope})`, 'scope the endpoints to namespaces once');
    }
  }
}

/**
 * Cilium nodes selected by their labels: the subject of a host policy (a
 * CiliumClusterwideNetworkPolicy `nodeSelector`) and a peer (`fromNodes`/`toNodes`, which
 * needs the agent option `--enable-node-selector-labels`).
 */
export class Nodes implements ICiliumPeer {
  /**
   * Nodes with these labels.
   * @param labels node labels, all of which must match
   */
  public static withLabels(labels: { [key: string]: string }): Nodes {
    return new Nodes(LabelSelector.withLabels(labels));
  }

  /**
   * Nodes matching a shared label selector.
   * @param selector a label selector on the nodes
   */
  public static matching(selector: LabelSelector): Nodes {
    return new Nodes(selector);
  }

  /** Every node. */
  public static all(): Nodes {
    return new Nodes(LabelSelector.all());
  }

  /** The node label selector. */
  public readonly selector: LabelSelector;

  private constructor(selector: LabelSelector) {
    this.selector = selector;
  }

  /** The wire-form selector. */
  public toSelector(): CiliumSelectorConfig {
    return ciliumSelector(this.selector);
  }

  public toCiliumPeer(): CiliumPeerConfig {
    return { kind: CiliumPeerKind.NODES, selector: this.toSelector() };
  }

  public toString(): string {
    return `nodes(${this.selector.toString() || '*'})`;
  }
}

/** Addresses by CIDR, rendered as `toCIDR` (or `toCIDRSet` when there are exceptions or CIDR groups in the same rule). */
export class Cidr implements ICiliumPeer {
  /**
   * The block `cidr` minus the blocks in `except` (same rules as the Kubernetes ipBlock:
   * no host bits, exceptions strictly inside and of the same family).
   * @param cidr an IPv4 or IPv6 block in canonical form (no host bits set)
   * @param except blocks strictly inside `cidr` to exclude. Default: none
   */
  public static of(cidr: string, except?: string[]): Cidr {
    const parsed = parseCidrWithExcept('Cidr', cidr, except ?? []);
    return new Cidr(parsed.cidr.text, parsed.except.map(e => e.text));
  }

  /** Every IPv4 address. */
  public static anyIpv4(): Cidr {
    return new Cidr('0.0.0.0/0', []);
  }

  /** Every IPv6 address. */
  public static anyIpv6(): Cidr {
    return new Cidr('::/0', []);
  }

  /** The block, canonical text. */
  public readonly block: string;
  /** Excluded blocks, canonical text. */
  public readonly except: string[];

  private constructor(block: string, except: string[]) {
    this.block = block;
    this.except = except;
  }

  public toCiliumPeer(): CiliumPeerConfig {
    return this.except.length
      ? { kind: CiliumPeerKind.CIDR, cidr: this.block, except: [...this.except] }
      : { kind: CiliumPeerKind.CIDR, cidr: this.block };
  }

  public toString(): string {
    return this.except.length ? `cidr(${this.block} except ${this.except.join(',')})` : `cidr(${this.block})`;
  }
}

/** The addresses of CiliumCIDRGroup objects, by name (`cidrGroupRef`) or by labels (`cidrGroupSelector`, Cilium 1.17+). */
export class CidrGroup implements ICiliumPeer {
  /**
   * The CiliumCIDRGroup named `name`.
   * @param name the CiliumCIDRGroup name (a DNS-1123 subdomain)
   */
  public static named(name: string): CidrGroup {
    validateDns1123Subdomain('CidrGroup.named', name);
    return new CidrGroup(name, undefined);
  }

  /**
   * CiliumCIDRGroups with these labels (Cilium 1.17+).
   * @param labels labels of the CiliumCIDRGroups, all of which must match
   */
  public static withLabels(labels: { [key: string]: string }): CidrGroup {
    return new CidrGroup(undefined, LabelSelector.withLabels(labels));
  }

  /**
   * CiliumCIDRGroups matching a selector (Cilium 1.17+).
   * @param selector a label selector on the CiliumCIDRGroups
   */
  public static matching(selector: LabelSelector): CidrGroup {
    if (selector.isAll) {
      throw invalid('CidrGroup.matching', '{}', 'selects every CiliumCIDRGroup', 'give labels, or use Cidr.anyIpv4()/anyIpv6() or Entity.WORLD for every address');
    }
    return new CidrGroup(undefined, selector);
  }

  /** The group name. @default - selected by labels */
  public readonly groupName?: string;
  /** The group selector. @default - selected by name */
  public readonly selector?: LabelSelector;

  private constructor(name: string | undefined, selector: LabelSelector | undefined) {
    this.groupName = name;
    this.selector = selector;
  }

  public toCiliumPeer(): CiliumPeerConfig {
    return this.groupName !== undefined
      ? { kind: CiliumPeerKind.CIDR, cidrGroupRef: this.groupName }
      : { kind: CiliumPeerKind.CIDR, cidrGroupSelector: ciliumSelector(this.selector!) };
  }

  public toString(): string {
    return this.groupName !== undefined ? `cidrGroup(${this.groupName})` : `cidrGroup(${this.selector!.toString()})`;
  }
}

/**
 * Destinations by DNS name (`toFQDNs`, egress only). Cilium learns the addresses from DNS
 * answers seen by its DNS proxy, so the policy's pods must resolve names through a DNS L7
 * rule; the policy constructs add or demand that rule (see `CiliumPolicyProps.fqdnDnsRule`).
 *
 * `Fqdn.named` is the issue's `Fqdn.name`: TypeScript forbids a static member called `name`
 * (TS2699, it clashes with Function.name).
 */
export class Fqdn implements ICiliumPeer {
  /**
   * Exactly this name (`matchName`).
   * @param name a fully qualified DNS name, e.g. `"api.example.com"`
   */
  public static named(name: string): Fqdn {
    return new Fqdn(validateDnsName('Fqdn.named', name), undefined);
  }

  /**
   * Names matching a pattern where `*` matches any run of DNS characters (`matchPattern`).
   * @param pattern a DNS name pattern, e.g. `"*.example.com"`
   */
  public static pattern(pattern: string): Fqdn {
    return new Fqdn(undefined, validateDnsPattern('Fqdn.pattern', pattern));
  }

  /** The exact name. @default - a pattern */
  public readonly matchName?: string;
  /** The pattern. @default - an exact name */
  public readonly matchPattern?: string;

  private constructor(name: string | undefined, pattern: string | undefined) {
    this.matchName = name;
    this.matchPattern = pattern;
  }

  public toCiliumPeer(): CiliumPeerConfig {
    return this.matchName !== undefined
      ? { kind: CiliumPeerKind.FQDN, matchName: this.matchName }
      : { kind: CiliumPeerKind.FQDN, matchPattern: this.matchPattern };
  }

  public toString(): string {
    return `fqdn(${this.matchName ?? this.matchPattern})`;
  }
}

/** The backends of Kubernetes services (`toServices`, egress only). */
export class Service implements ICiliumPeer {
  /**
   * The service named `name`.
   * @param name the service name (a DNS-1123 label)
   * @param namespace the service's namespace. Default: the policy's namespace (every namespace in a CiliumClusterwideNetworkPolicy)
   */
  public static named(name: string, namespace?: string): Service {
    validateDns1123Label('Service.named', name);
    if (namespace !== undefined) validateDns1123Label('Service.named namespace', namespace);
    return new Service(name, undefined, namespace);
  }

  /**
   * Services with these labels.
   * @param labels service labels, all of which must match
   * @param namespace the service's namespace. Default: the policy's namespace (every namespace in a CiliumClusterwideNetworkPolicy)
   */
  public static withLabels(labels: { [key: string]: string }, namespace?: string): Service {
    return Service.matching(LabelSelector.withLabels(labels), namespace);
  }

  /**
   * Services matching a selector.
   * @param selector a label selector on the services
   * @param namespace the service's namespace. Default: the policy's namespace (every namespace in a CiliumClusterwideNetworkPolicy)
   */
  public static matching(selector: LabelSelector, namespace?: string): Service {
    if (namespace !== undefined) validateDns1123Label('Service.matching namespace', namespace);
    return new Service(undefined, selector, namespace);
  }

  /** The service name. @default - selected by labels */
  public readonly serviceName?: string;
  /** The service selector. @default - selected by name */
  public readonly selector?: LabelSelector;
  /** The namespace. @default - the policy's namespace (every namespace in a CiliumClusterwideNetworkPolicy) */
  public readonly namespace?: string;

  private constructor(name: string | undefined, selector: LabelSelector | undefined, namespace: string | undefined) {
    this.serviceName = name;
    this.selector = selector;
    this.namespace = namespace;
  }

  public toCiliumPeer(): CiliumPeerConfig {
    return {
      kind: CiliumPeerKind.SERVICE,
      ...(this.serviceName !== undefined ? { serviceName: this.serviceName } : { serviceSelector: ciliumSelector(this.selector!) }),
      ...(this.namespace !== undefined ? { serviceNamespace: this.namespace } : {}),
    };
  }

  public toString(): string {
    const what = this.serviceName ?? (this.selector!.toString() || '*');
    return `service(${what}${this.namespace ? ` in ${this.namespace}` : ''})`;
  }
}

/**
 * A workload's selector only selects endpoints when Cilium keeps its labels in the identity
 * (wire/cilium/identity-labels); otherwise it would match no endpoint, silently.
 */
function checkIdentityLabels(field: string, workload: string, selector: LabelSelector): void {
  const keys = [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map(e => e.key)];
  const dropped = keys.filter(k => !isCiliumIdentityLabel(k));
  if (dropped.length) {
    throw invalid(field, dropped[0], `is a label of ${workload}'s selector that Cilium's default label filter leaves out of the endpoint identity (pkg/labelsfilter), so the selector would match no endpoint`,
      'select the pods on labels Cilium keeps, e.g. Endpoints.withLabels({ app: "..." }) with a label of the pod template');
  }
}

/** Stable text of a peer config, used for duplicate detection. @internal */
export function ciliumPeerKey(p: CiliumPeerConfig): string {
  return JSON.stringify({ ...p, selector: p.selector ? selectorText(p.selector) : undefined });
}

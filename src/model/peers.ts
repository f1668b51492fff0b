import { IConstruct } from 'constructs';
import { parseCidrWithExcept } from './cidr';
import { invalid } from './errors';
import { validateDns1123Label } from './names';
import { LabelExpression, LabelSelector, LabelSelectorOptions } from './selector';
import { resolveWorkloadPods, WorkloadRef } from './workload';
import { NAMESPACE_NAME_LABEL as WIRE_NAMESPACE_NAME_LABEL } from '../wire/labels';

/** The label every namespace carries with its own name (Kubernetes 1.22+). */
/** Set by the API server on every Namespace (the one copy of the key is the wire layer's). */
export const NAMESPACE_NAME_LABEL = WIRE_NAMESPACE_NAME_LABEL;

/** An IP block with exceptions, validated. */
export interface IpBlockConfig {
  /** The block, canonical text. */
  readonly cidr: string;
  /** Blocks inside `cidr` that are excluded. @default - none */
  readonly except?: string[];
}

/**
 * What a Kubernetes NetworkPolicy peer selects. Exactly the fields of the API's
 * NetworkPolicyPeer, so renderers and analysers need no further interpretation.
 */
export interface PeerConfig {
  /** Pods selected by labels. @default - not constrained by pod labels */
  readonly podSelector?: LabelSelector;
  /**
   * Namespaces whose pods are selected.
   * @default - with `podSelector`: the policy's own namespace; otherwise not used
   */
  readonly namespaceSelector?: LabelSelector;
  /** Addresses. @default - not an IP block */
  readonly ipBlock?: IpBlockConfig;
}

/** A peer of a Kubernetes NetworkPolicy rule (the `from` of ingress, the `to` of egress). */
export interface INetworkPolicyPeer {
  /** The API-level peer this stands for. */
  toPeerConfig(): PeerConfig;
  /** Short description for messages and analysis output. */
  toString(): string;
}

/** Namespaces, selected by labels or names. Usable as a peer: all pods in those namespaces. */
export class Namespaces implements INetworkPolicyPeer {
  /**
   * Namespaces with these labels.
   * @param labels label keys and values, all of which must match (validated like the API server does)
   */
  public static withLabels(labels: { [key: string]: string }): Namespaces {
    const selector = LabelSelector.withLabels(labels);
    return new Namespaces(selector, `namespaces(${selector.toString()})`);
  }

  /**
   * Namespaces matching a selector.
   * @param selector a label selector built with `LabelSelector`
   */
  public static matching(selector: LabelSelector): Namespaces {
    return new Namespaces(selector, `namespaces(${selector.toString() || '*'})`);
  }

  /**
   * Namespaces matching these selector options.
   * @param options `matchLabels` and `matchExpressions`, validated like the API server does
   */
  public static matchingOptions(options: LabelSelectorOptions): Namespaces {
    return Namespaces.matching(LabelSelector.of(options));
  }

  /**
   * Namespaces by name, through the `kubernetes.io/metadata.name` label every namespace has.
   * @param names namespace names (DNS-1123 labels), at least one
   */
  public static named(...names: string[]): Namespaces {
    if (names.length === 0) {
      throw invalid('Namespaces.named', names, 'needs at least one namespace name', 'pass names, or use Namespaces.all()');
    }
    names.forEach((n, i) => validateDns1123Label(`Namespaces.named[${i}]`, n));
    const unique = Array.from(new Set(names)).sort();
    const selector = unique.length === 1
      ? LabelSelector.withLabels({ [NAMESPACE_NAME_LABEL]: unique[0] })
      : LabelSelector.of({ matchExpressions: [LabelExpression.in(NAMESPACE_NAME_LABEL, unique)] });
    return new Namespaces(selector, `namespaces(${unique.join(',')})`);
  }

  /** Every namespace. */
  public static all(): Namespaces {
    return new Namespaces(LabelSelector.all(), 'namespaces(*)');
  }

  /** The namespace selector. */
  public readonly selector: LabelSelector;
  private readonly description: string;

  private constructor(selector: LabelSelector, description: string) {
    this.selector = selector;
    this.description = description;
  }

  public toPeerConfig(): PeerConfig {
    return { namespaceSelector: this.selector };
  }

  public toString(): string {
    return this.description;
  }
}

/**
 * Pods selected by labels, in the policy's namespace unless `inNamespaces` says otherwise.
 * Also the subject of a NetworkPolicy (its `podSelector`).
 */
export class Pods implements INetworkPolicyPeer {
  /**
   * Pods with these labels.
   * @param labels label keys and values, all of which must match (validated like the API server does)
   */
  public static withLabels(labels: { [key: string]: string }): Pods {
    return new Pods(LabelSelector.withLabels(labels), undefined, undefined);
  }

  /**
   * Pods matching a selector.
   * @param selector a label selector built with `LabelSelector`
   */
  public static matching(selector: LabelSelector): Pods {
    return new Pods(selector, undefined, undefined);
  }

  /**
   * Pods matching these selector options.
   * @param options `matchLabels` and `matchExpressions`, validated like the API server does
   */
  public static matchingOptions(options: LabelSelectorOptions): Pods {
    return new Pods(LabelSelector.of(options), undefined, undefined);
  }

  /** Every pod (of the policy's namespace unless `inNamespaces` is used). */
  public static all(): Pods {
    return new Pods(LabelSelector.all(), undefined, undefined);
  }

  /**
   * The pods of a workload: a cdk8s-plus workload (`Deployment`, `StatefulSet`, `DaemonSet`, `Job`,
   * `CronJob`, `Pod`), an L1 object (`KubeDeployment`, `KubePod`, ...) or any construct whose
   * ApiObject (`ApiObject.of`) has a pod template.
   *
   * Read from the workload's manifest when the policy is synthesised, so labels, containers and
   * patches added after this call count. The selector is the workload's own `spec.selector` when it
   * has one (what its controller counts as its pods; immutable in apps/v1, so a label that changes
   * across a rollout does not leave old pods out), else its pod template's labels (a Pod's own
   * labels). As a peer, the workload's namespace is named when it is not the policy's; as a
   * `podSelector`, the workload must be in the policy's namespace.
   * @param workload the workload whose pods are meant
   */
  public static of(workload: IConstruct): Pods {
    return new Pods(undefined, undefined, WorkloadRef.of('Pods.of', workload));
  }

  /** The namespaces the pods are in. @default - the policy's namespace (for `Pods.of`: the workload's, named when it is not the policy's) */
  public readonly namespaces?: Namespaces;
  private readonly fixedSelector?: LabelSelector;
  private readonly workload?: WorkloadRef;

  private constructor(selector: LabelSelector | undefined, namespaces: Namespaces | undefined, workload: WorkloadRef | undefined) {
    this.fixedSelector = selector;
    this.namespaces = namespaces;
    this.workload = workload;
  }

  /** The pod selector (for `Pods.of`, read from the workload's manifest now). */
  public get selector(): LabelSelector {
    return this.fixedSelector ?? this.workload!.resolve().selector;
  }

  /** True for `Pods.of(workload)`: the selector and namespace are read from the workload at synth. */
  public get isWorkload(): boolean {
    return this.workload !== undefined;
  }

  /**
   * The same pods, but in the selected namespaces instead of the policy's own.
   * @param namespaces the namespaces the pods are selected in
   */
  public inNamespaces(namespaces: Namespaces): Pods {
    if (this.workload) throw this.scopedWorkload('Pods.inNamespaces', namespaces?.toString());
    if (this.namespaces) {
      throw invalid('Pods.inNamespaces', namespaces.toString(), `is set twice (already ${this.namespaces.toString()})`,
        'call inNamespaces once, with a Namespaces that selects all the namespaces you mean');
    }
    return new Pods(this.fixedSelector, namespaces, undefined);
  }

  /**
   * The same pods, in the namespace named `name`.
   * @param name the namespace name (a DNS-1123 label)
   */
  public inNamespace(name: string): Pods {
    if (this.workload) throw this.scopedWorkload('Pods.inNamespace', name);
    return this.inNamespaces(Namespaces.named(name));
  }

  private scopedWorkload(field: string, value: unknown): Error {
    return invalid(field, value, `is given for ${this.toString()}, whose namespace is the workload's own`,
      'drop it: Pods.of() names the workload\'s namespace when it is not the policy\'s');
  }

  /**
   * The API-level peer. For `Pods.of`, read from the workload now, with its namespace named when it
   * has one (right in any policy; a NetworkPolicy leaves it out when it is the policy's own).
   */
  public toPeerConfig(): PeerConfig {
    if (this.workload) {
      const w = this.workload.resolve();
      return w.namespace === undefined
        ? { podSelector: w.selector }
        : { podSelector: w.selector, namespaceSelector: Namespaces.named(w.namespace).selector };
    }
    return this.namespaces
      ? { podSelector: this.fixedSelector!, namespaceSelector: this.namespaces.selector }
      : { podSelector: this.fixedSelector! };
  }

  /**
   * The peer in a policy of `policyNamespace`: for `Pods.of`, the workload's namespace is named
   * only when it is not the policy's (resolveWorkloadPods).
   * @internal
   */
  public _peerConfigIn(field: string, policyNamespace: string | undefined): PeerConfig {
    if (!this.workload) return this.toPeerConfig();
    const pods = resolveWorkloadPods(this.workload, field, policyNamespace, 'peer', false);
    return pods.namespace === undefined
      ? { podSelector: pods.selector }
      : { podSelector: pods.selector, namespaceSelector: Namespaces.named(pods.namespace).selector };
  }

  /**
   * The subject selector of a policy in `policyNamespace`: for `Pods.of`, the workload must be in it.
   * @internal
   */
  public _subjectIn(field: string, policyNamespace: string | undefined): LabelSelector {
    if (!this.workload) return this.fixedSelector!;
    return resolveWorkloadPods(this.workload, field, policyNamespace, 'subject', false).selector;
  }

  public toString(): string {
    if (this.workload) return `pods(of ${this.workload.toString()})`;
    const pods = `pods(${this.fixedSelector!.toString() || '*'})`;
    return this.namespaces ? `${pods} in ${this.namespaces.toString()}` : pods;
  }
}

/** A block of IP addresses, optionally with excluded sub-blocks. */
export class IpBlock implements INetworkPolicyPeer {
  /**
   * Addresses in `cidr` except those in `except`.
   * @param cidr an IPv4 or IPv6 block in canonical form (no host bits set), e.g. `"10.0.0.0/8"`
   * @param except blocks strictly inside `cidr` to exclude. Default: none
   */
  public static cidr(cidr: string, except?: string[]): IpBlock {
    const parsed = parseCidrWithExcept('IpBlock', cidr, except ?? []);
    return new IpBlock(parsed.cidr.text, parsed.except.map(e => e.text));
  }

  /** Every IPv4 address (0.0.0.0/0). */
  public static anyIpv4(): IpBlock {
    return new IpBlock('0.0.0.0/0', []);
  }

  /** Every IPv6 address (::/0). */
  public static anyIpv6(): IpBlock {
    return new IpBlock('::/0', []);
  }

  /** The block, canonical text. */
  public readonly block: string;
  /** The excluded blocks, canonical text, in the order given. */
  public readonly except: string[];

  private constructor(cidr: string, except: string[]) {
    this.block = cidr;
    this.except = except;
  }

  public toPeerConfig(): PeerConfig {
    return { ipBlock: this.except.length ? { cidr: this.block, except: [...this.except] } : { cidr: this.block } };
  }

  public toString(): string {
    return this.except.length ? `ipBlock(${this.block} except ${this.except.join(',')})` : `ipBlock(${this.block})`;
  }
}

/**
 * Checks a peer the way the API server does (ValidateNetworkPolicyPeer in
 * k8s.io/kubernetes pkg/apis/networking/validation): a peer must name at least one of
 * podSelector, namespaceSelector and ipBlock ("must specify a peer"), and ipBlock cannot be
 * combined with a selector ("may not specify both ipBlock and another peer").
 * Matters for user implementations of INetworkPolicyPeer; the built-in peers always pass.
 * @internal
 */
export function validatePeerConfig(field: string, config: PeerConfig): void {
  if (!config || typeof config !== 'object') {
    throw invalid(field, config, 'is not a peer', 'return { podSelector }, { namespaceSelector }, both, or { ipBlock } from toPeerConfig()');
  }
  const { podSelector, namespaceSelector, ipBlock } = config;
  if (!podSelector && !namespaceSelector && !ipBlock) {
    throw invalid(field, config, 'is an empty peer (the API server requires one of podSelector, namespaceSelector, ipBlock)',
      'use Pods, Namespaces or IpBlock; for every source or destination use allowFromAnywhere()/allowToAnywhere()');
  }
  if (ipBlock && (podSelector || namespaceSelector)) {
    throw invalid(field, config, 'combines ipBlock with a selector, which the API server rejects',
      'put the ipBlock and the selector in separate peers of the same rule');
  }
  for (const [key, value] of [['podSelector', podSelector], ['namespaceSelector', namespaceSelector]] as const) {
    if (value !== undefined && !(value instanceof LabelSelector)) {
      throw invalid(`${field}.${key}`, value, 'is not a LabelSelector', 'build it with LabelSelector.of/withLabels/all');
    }
  }
  if (ipBlock) parseCidrWithExcept(`${field}.ipBlock`, ipBlock.cidr, ipBlock.except ?? []);
}

/** A stable identity of a peer, for duplicate detection. @internal */
export function peerKey(config: PeerConfig): string {
  const parts: string[] = [];
  if (config.podSelector) parts.push(`pods(${config.podSelector.toString()})`);
  if (config.namespaceSelector) parts.push(`namespaces(${config.namespaceSelector.toString()})`);
  if (config.ipBlock) parts.push(`ipBlock(${config.ipBlock.cidr}${config.ipBlock.except?.length ? ` except ${config.ipBlock.except.join(',')}` : ''})`);
  return parts.join(' ');
}

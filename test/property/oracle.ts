/**
 * The oracle: a slow, plain evaluator of ONE probe (source, destination, protocol, port) against
 * a set of manifests, written to be read top to bottom next to the Kubernetes NetworkPolicy
 * documentation and Cilium's pkg/policy, independently of src/analysis (no compiled selectors,
 * no engine, no identity module). The analyser is checked against it (test/analysis/oracle.test.ts),
 * and it is checked against Cilium 1.18.3's own verdicts (conformance/oracle-cilium-engine.test.ts).
 *
 * Validity is the reader's job (src/wire/reader.ts); the oracle reads only what it accepted.
 *
 * Scope: NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy with pod, namespace,
 * entity and CIDR peers and L4 ports (TCP, UDP, SCTP) over IPv4. Not here (callers must not probe
 * them): L7, FQDN, services, nodes and host policies, ICMP, cloud groups, CIDR groups, init
 * endpoints, clustermesh, agent settings other than the defaults. `fromRequires`/`toRequires`
 * (Cilium 1.18) are read, so that the oracle can be checked on the whole golden corpus.
 *
 * Peers are named as the analyser and the golden corpus name them: a workload
 * `namespace/name[Kind]`, an address `a.b.c.d[External]`, an entity `{host}`.
 */
import { CILIUM_AGENT_DEFAULTS } from '../../src/wire/cilium/agent';
import { CLUSTER_ENTITY_MEMBERS, WORLD_ENTITIES } from '../../src/wire/cilium/entity';
import { isCiliumIdentityLabel } from '../../src/wire/cilium/identity-labels';
import { fromObjects } from '../../src/wire/files';
import { LabelSelector } from '../../src/wire/kubernetes/meta';
import { readPodTemplate } from '../../src/wire/kubernetes/pod-template';
import {
  CILIUM_CLUSTER_KEY, CILIUM_NAMESPACE_LABELS_PREFIX, CILIUM_POD_NAMESPACE_KEY, CILIUM_RESERVED_SOURCE, CILIUM_SERVICE_ACCOUNT_KEY,
  NAMESPACE_NAME_LABEL,
} from '../../src/wire/labels';
import { readDocuments, ReadResult } from '../../src/wire/reader';
import { SourceDoc } from '../../src/wire/source';

/** pkg/k8s/apis/cilium.io const.go LabelPrefix: the labels Cilium owns. */
const CILIUM_LABEL_PREFIX = 'io.cilium.k8s';

/** Who enforces the policies: the Kubernetes specification, or Cilium 1.18 for everything. */
export type OracleMode = 'kubernetes' | 'cilium@1.18';
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = typeof PROTOCOLS[number];
type Direction = 'ingress' | 'egress';

/** Entities the oracle knows as peers (the ones a probe may name). */
export const ENTITY_PEERS = ['host', 'remote-node', 'kube-apiserver'] as const;

// ---------------------------------------------------------------------------------------------
// The cluster: namespaces, pods (grouped by owner, as peers are named), and their labels.
// ---------------------------------------------------------------------------------------------

interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

interface Workload {
  readonly type: 'workload';
  /** `namespace/name[Kind]` */
  readonly id: string;
  readonly namespace: string;
  /** The pod labels (of the first pod, for pods of one owner). */
  readonly labels: { readonly [key: string]: string };
  readonly serviceAccount: string;
  readonly ports: readonly ContainerPort[];
}

interface Address {
  readonly type: 'address';
  readonly id: string;
  /** IPv4 address as an unsigned 32-bit number. */
  readonly ip: number;
}

interface Entity {
  readonly type: 'entity';
  readonly id: string;
  readonly name: string;
}

type Peer = Workload | Address | Entity;

/** A label of a Cilium identity: `source:key=value` (pkg/labels Label). */
interface IdentityLabel {
  readonly source: string;
  readonly key: string;
  readonly value: string;
}

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
}

/** An IPv4 prefix as [first, last] (host bits ignored); undefined for IPv6. A bare address is a /32 (Cilium fromCIDR). */
function prefixRange(text: string): [number, number] | undefined {
  const [addr, len] = text.split('/');
  const ip = ipv4(addr);
  if (ip === undefined) return undefined;
  const bits = len === undefined ? 32 : Number(len);
  const size = 2 ** (32 - bits);
  const first = Math.floor(ip / size) * size;
  return [first, first + size - 1];
}

function inPrefix(ip: number, prefix: string): boolean {
  const r = prefixRange(prefix);
  return !!r && r[0] <= ip && ip <= r[1];
}

/** `cidr` minus its `except` prefixes. */
function inCidrExcept(ip: number, cidr: string, except: readonly string[] | undefined): boolean {
  return inPrefix(ip, cidr) && !(except ?? []).some((e) => inPrefix(ip, e));
}

// ---------------------------------------------------------------------------------------------
// Label selectors.
// ---------------------------------------------------------------------------------------------

/** A Kubernetes label selector on plain labels (apimachinery labels.Selector): every requirement holds. */
function k8sSelectorMatches(sel: LabelSelector, labels: { readonly [key: string]: string }): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (!has(k) || labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has(e.key) || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has(e.key) && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has(e.key)) return false; break;
      case 'DoesNotExist': if (has(e.key)) return false; break;
      default: throw new Error(`oracle: operator ${e.operator}`);
    }
  }
  return true;
}

/** A requirement of a Cilium endpoint selector, on a key with a source (`k8s`, `reserved`, `any`). */
interface CiliumRequirement {
  readonly source: string;
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** `source:key` split as Cilium parses a selector key; no source is `defaultSource` (NewESFromK8sLabelSelector's prefix, else `any`). */
function splitKey(key: string, defaultSource: string): { source: string; key: string } {
  const i = key.indexOf(':');
  return i < 0 ? { source: defaultSource, key } : { source: key.slice(0, i), key: key.slice(i + 1) };
}

/** A Kubernetes LabelSelector as a Cilium endpoint selector (api.NewESFromK8sLabelSelector). */
function ciliumSelector(sel: LabelSelector, defaultSource = 'any'): CiliumRequirement[] {
  const out: CiliumRequirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) out.push({ ...splitKey(k, defaultSource), operator: 'In', values: [v] });
  for (const e of sel.matchExpressions ?? []) out.push({ ...splitKey(e.key, defaultSource), operator: e.operator, values: e.values ?? [] });
  return out;
}

/**
 * Does an identity's label set satisfy every requirement? A key of source `any` matches a label
 * of any source, another source only its own (pkg/labels LabelArray Has/Get); NotIn and
 * DoesNotExist hold when the label is absent (apimachinery selector semantics).
 */
function ciliumSelectorMatches(reqs: readonly CiliumRequirement[], labels: readonly IdentityLabel[]): boolean {
  return reqs.every((r) => {
    const found = labels.find((l) => l.key === r.key && (r.source === 'any' || l.source === r.source));
    switch (r.operator) {
      case 'In': return !!found && r.values.includes(found.value);
      case 'NotIn': return !found || !r.values.includes(found.value);
      case 'Exists': return !!found;
      case 'DoesNotExist': return !found;
    }
  });
}

const req = (source: string, key: string, operator: CiliumRequirement['operator'], values: string[] = []): CiliumRequirement => ({ source, key, operator, values });
const hasKey = (reqs: readonly CiliumRequirement[], source: string, key: string) => reqs.some((r) => r.source === source && r.key === key);

// ---------------------------------------------------------------------------------------------
// Rules, as one shape for every kind: a policy selects subjects, may isolate each direction, and
// has allow and deny rules, each with a peer test and the ports it covers.
// ---------------------------------------------------------------------------------------------

/** Ports of one rule entry. A named port is resolved on the destination pod, or once for the whole cluster. */
type PortMatch =
  | { readonly protocols: readonly string[]; readonly first: number; readonly last: number }
  | { readonly protocols: readonly string[]; readonly name: string; readonly resolve: 'destination' | 'cluster' };

interface Rule {
  readonly direction: Direction;
  readonly deny: boolean;
  /** Does the rule's peer list cover the remote peer (but for `endpoints`)? */
  readonly peer: (remote: Peer) => boolean;
  /**
   * Cilium: the rule's `fromEndpoints`/`toEndpoints` selectors, which the `*Requires` of the
   * policies selecting the subject narrow (pkg/policy rules.go resolveL4IngressPolicy,
   * IngressCommonRule.GetSourceEndpointSelectorsWithRequirements).
   */
  readonly endpoints?: readonly (readonly CiliumRequirement[])[];
  /** undefined: every port of every protocol. */
  readonly ports?: readonly PortMatch[];
}

interface Policy {
  readonly id: string;
  readonly selects: (pod: Workload) => boolean;
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly rules: readonly Rule[];
  /** Cilium `fromRequires`/`toRequires`, of allow rules or of deny rules. */
  readonly requirements: readonly Requirements[];
}

interface Requirements {
  readonly direction: Direction;
  readonly deny: boolean;
  readonly requirements: readonly CiliumRequirement[];
}

/** What the policies selecting a subject say of one remote peer, before ports. */
interface Side {
  readonly denies: readonly Rule[];
  readonly allows: readonly Rule[];
  readonly isolated: boolean;
  /** The remote is the local host, which reaches the pods on it whatever their ingress rules. */
  readonly localHost: boolean;
  /** The destination of the traffic (where named ports resolve). */
  readonly destination: Peer;
}

const EVERY_PEER = (): boolean => true;
const NO_PEER = (): boolean => false;

/** A probe, with peers named as the analyser names them. */
export interface OracleProbe {
  readonly src: string;
  readonly dst: string;
  readonly protocol: string;
  readonly port: number;
}

export class OracleError extends Error {}

/** One cluster, read once; `verdict` decides probes. */
export class Oracle {
  /** Reads manifests given as plain objects. */
  public static fromManifests(manifests: readonly any[], mode: OracleMode): Oracle {
    return new Oracle(fromObjects([...manifests]).documents, mode);
  }

  readonly read: ReadResult;
  readonly workloads: Workload[] = [];
  private readonly namespaceLabels = new Map<string, { [key: string]: string }>();
  /** Every named container port of every pod: what Cilium's ipcache knows (egress named ports). */
  private readonly allPorts: ContainerPort[] = [];
  private readonly policies: Policy[] = [];
  private readonly policiesOf = new Map<string, Policy[]>();
  private readonly identities = new Map<string, IdentityLabel[]>();
  private readonly peers = new Map<string, Peer>();
  private readonly sides = new Map<string, Side>();
  private readonly clusterPorts = new Map<string, number | undefined>();

  constructor(docs: readonly SourceDoc[], readonly mode: OracleMode) {
    this.read = readDocuments(docs);
    const policyObjects: any[] = [];
    const byId = new Map<string, Workload>();
    for (const o of this.read.objects) {
      const v = o.value;
      if (o.kind === 'Namespace') {
        // the API server sets kubernetes.io/metadata.name on every namespace
        this.namespaceLabels.set(o.name, { ...(v.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: o.name });
      } else if (o.kind === 'NetworkPolicy' || o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy') {
        policyObjects.push(o);
      } else if (o.info.role === 'workload') {
        const pods = readPodTemplate(v);
        if (!pods) continue;
        // a Pod with a controller owner is named by its owner (netpol-analyzer's workload names)
        const owner = o.kind === 'Pod' ? (v.metadata?.ownerReferences ?? []).find((r: any) => r.controller === true && r.kind !== 'Node') : undefined;
        const id = owner ? `${o.namespace}/${owner.name}[${owner.kind}]` : `${o.namespace}/${o.name}[${o.kind}]`;
        const spec = o.kind === 'Pod' ? v.spec : (o.kind === 'CronJob' ? v.spec.jobTemplate.spec.template.spec : v.spec.template.spec);
        const ports: ContainerPort[] = pods.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
        this.allPorts.push(...ports);
        if (byId.has(id)) continue; // pods of one owner: the first pod's labels
        const w: Workload = {
          type: 'workload',
          id,
          namespace: o.namespace!,
          labels: pods.labels,
          ports,
          serviceAccount: spec?.serviceAccountName || spec?.serviceAccount || 'default',
        };
        byId.set(id, w);
        this.workloads.push(w);
      }
    }
    // a namespace used but not declared has only its name label
    for (const w of this.workloads) {
      if (!this.namespaceLabels.has(w.namespace)) this.namespaceLabels.set(w.namespace, { [NAMESPACE_NAME_LABEL]: w.namespace });
    }
    for (const o of policyObjects) {
      if (o.kind === 'NetworkPolicy') this.policies.push(mode === 'kubernetes' ? this.networkPolicyBySpec(o) : this.networkPolicyAsCilium(o));
      else this.policies.push(...this.ciliumPolicy(o));
    }
  }

  private nsLabels(namespace: string): { [key: string]: string } {
    return this.namespaceLabels.get(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace };
  }

  // -------------------------------------------------------------------------------------------
  // Peers and their Cilium identities.
  // -------------------------------------------------------------------------------------------

  private peer(id: string): Peer {
    let p = this.peers.get(id);
    if (!p) this.peers.set(id, (p = this.peerNamed(id)));
    return p;
  }

  private peerNamed(id: string): Peer {
    const w = this.workloads.find((x) => x.id === id);
    if (w) return w;
    const a = /^([\d.]+)\[External\]$/.exec(id);
    if (a && ipv4(a[1]) !== undefined) return { type: 'address', id, ip: ipv4(a[1])! };
    const e = /^\{(.+)\}$/.exec(id);
    if (e && (ENTITY_PEERS as readonly string[]).includes(e[1])) return { type: 'entity', id, name: e[1] };
    throw new OracleError(`oracle: no peer "${id}" (workloads: ${this.workloads.map((x) => x.id).join(', ')})`);
  }

  /**
   * The labels of a peer's Cilium identity.
   * - a pod (pkg/k8s GetPodMetadata, pkg/labelsfilter): its labels (but those under `io.cilium.k8s`), `io.kubernetes.pod.namespace`,
   *   `io.cilium.k8s.namespace.labels.<key>` per namespace label, its service account and the cluster
   *   name, all of source `k8s`, less what the default identity label filter drops;
   * - an address outside the cluster: `reserved:world` (an IPv4-only cluster; CIDR identities carry
   *   it too, and CIDR rules are decided by address containment below);
   * - an entity: `reserved:<name>`; the kube-apiserver identity (reserved identity 7) also carries
   *   `reserved:remote-node` when the API server runs on other nodes (the default placement).
   */
  private identity(p: Peer): IdentityLabel[] {
    let labels = this.identities.get(p.id);
    if (labels) return labels;
    const reserved = (name: string): IdentityLabel => ({ source: CILIUM_RESERVED_SOURCE, key: name, value: '' });
    if (p.type === 'workload') {
      // pkg/k8s/utils SanitizePodLabels: a pod's own labels under io.cilium.k8s are dropped (filterPodLabels)
      const all: { [key: string]: string } = Object.fromEntries(Object.entries(p.labels).filter(([k]) => !k.startsWith(CILIUM_LABEL_PREFIX)));
      all[CILIUM_POD_NAMESPACE_KEY] = p.namespace;
      for (const [k, v] of Object.entries(this.nsLabels(p.namespace))) all[CILIUM_NAMESPACE_LABELS_PREFIX + k] = v;
      all[CILIUM_SERVICE_ACCOUNT_KEY] = p.serviceAccount;
      all[CILIUM_CLUSTER_KEY] = CILIUM_AGENT_DEFAULTS.clusterName;
      labels = Object.entries(all).filter(([k]) => isCiliumIdentityLabel(k)).map(([key, value]) => ({ source: 'k8s', key, value }));
    } else if (p.type === 'address') {
      labels = [reserved('world')];
    } else if (p.name === 'kube-apiserver') {
      labels = [reserved('kube-apiserver'), reserved(CILIUM_AGENT_DEFAULTS.kubeApiserverPlacement)];
    } else {
      labels = [reserved(p.name)];
    }
    this.identities.set(p.id, labels);
    return labels;
  }

  /** Does a Cilium selector select the peer's identity? */
  private selectsIdentity(reqs: readonly CiliumRequirement[], p: Peer): boolean {
    return ciliumSelectorMatches(reqs, this.identity(p));
  }

  // -------------------------------------------------------------------------------------------
  // NetworkPolicy as the Kubernetes specification defines it (mode `kubernetes`).
  // -------------------------------------------------------------------------------------------

  private networkPolicyBySpec(o: any): Policy {
    const ns: string = o.namespace;
    const spec = o.value.spec;
    const types: string[] = spec.policyTypes; // defaulted by the reader, as by the API server
    const rules: Rule[] = [];
    // the rules of a direction policyTypes does not list have no effect
    for (const direction of ['ingress', 'egress'] as Direction[]) {
      if (!types.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      for (const r of spec[direction] ?? []) {
        const peers: any[] | undefined = direction === 'ingress' ? r.from : r.to;
        rules.push({
          direction,
          deny: false,
          // an empty or absent peer list matches every peer
          peer: peers?.length ? (remote) => peers.some((x) => this.specPeerMatches(x, ns, remote)) : EVERY_PEER,
          // named ports: the destination pod's container port of that name and protocol
          ports: networkPolicyPorts(r.ports, 'destination'),
        });
      }
    }
    return {
      id: `NetworkPolicy ${ns}/${o.name}`,
      selects: (pod) => pod.namespace === ns && k8sSelectorMatches(spec.podSelector, pod.labels),
      isolatesIngress: types.includes('Ingress'),
      isolatesEgress: types.includes('Egress'),
      rules,
      requirements: [],
    };
  }

  /**
   * A NetworkPolicyPeer by the specification: podSelector alone selects pods of the policy's
   * namespace; namespaceSelector alone all pods of the namespaces it selects; both, the pods
   * matching podSelector in those namespaces; ipBlock addresses outside the cluster (never pods).
   */
  private specPeerMatches(x: any, policyNs: string, remote: Peer): boolean {
    if (x.ipBlock) return remote.type === 'address' && inCidrExcept(remote.ip, x.ipBlock.cidr, x.ipBlock.except);
    if (remote.type !== 'workload') return false;
    if (x.namespaceSelector) {
      if (!k8sSelectorMatches(x.namespaceSelector, this.nsLabels(remote.namespace))) return false;
    } else if (remote.namespace !== policyNs) {
      return false;
    }
    return !x.podSelector || k8sSelectorMatches(x.podSelector, remote.labels);
  }

  // -------------------------------------------------------------------------------------------
  // NetworkPolicy as Cilium 1.18 enforces it (mode `cilium@1.18`): pkg/k8s/network_policy.go
  // ParseNetworkPolicy turns it into a Cilium rule, which then works as every Cilium rule does.
  // -------------------------------------------------------------------------------------------

  private networkPolicyAsCilium(o: any): Policy {
    const ns: string = o.namespace;
    const spec = o.value.spec;
    const rules: Rule[] = [];
    // ParseNetworkPolicy converts spec.ingress and spec.egress whatever policyTypes says
    for (const direction of ['ingress', 'egress'] as Direction[]) {
      for (const r of spec[direction] ?? []) {
        const peers: any[] | undefined = direction === 'ingress' ? r.from : r.to;
        // named ports: ingress on the pod itself, egress once for the whole cluster (pkg/policy/l4.go toMapState)
        const ports = networkPolicyPorts(r.ports, direction === 'ingress' ? 'destination' : 'cluster');
        if (!peers?.length) {
          // no peers: fromEndpoints [api.WildcardEndpointSelector], every identity
          rules.push({ direction, deny: false, peer: NO_PEER, endpoints: [[]], ports });
          continue;
        }
        // one Cilium rule per peer (parseNetworkPolicyPeer, ipBlockToCIDRRule)
        for (const x of peers) {
          if (x.ipBlock) {
            rules.push({ direction, deny: false, peer: (remote) => remote.type === 'address' && inCidrExcept(remote.ip, x.ipBlock.cidr, x.ipBlock.except), ports });
          } else {
            rules.push({ direction, deny: false, peer: NO_PEER, endpoints: [ciliumPeerOfNetworkPolicy(x, ns)], ports });
          }
        }
      }
    }
    const types: string[] = spec.policyTypes;
    const hasIngressRules = rules.some((r) => r.direction === 'ingress');
    const hasEgressRules = rules.some((r) => r.direction === 'egress');
    // the subject: podSelector with io.kubernetes.pod.namespace set (parsePodSelector), all keys of source k8s
    const subject = ciliumSelector({ ...spec.podSelector, matchLabels: { ...(spec.podSelector.matchLabels ?? {}), [CILIUM_POD_NAMESPACE_KEY]: ns } }, 'k8s');
    return {
      id: `NetworkPolicy ${ns}/${o.name}`,
      selects: (pod) => this.selectsIdentity(subject, pod),
      // ParseNetworkPolicy adds an empty ingress rule (default deny) when there is none and policyTypes
      // lists Ingress or does not list Egress, and an empty egress rule when there is none and it lists Egress
      isolatesIngress: hasIngressRules || types.includes('Ingress') || !types.includes('Egress'),
      isolatesEgress: hasEgressRules || types.includes('Egress'),
      rules,
      requirements: [],
    };
  }

  // -------------------------------------------------------------------------------------------
  // CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (both modes): the rule after
  // pkg/k8s/apis/cilium.io/utils ParseToCiliumRule, then pkg/policy.
  // -------------------------------------------------------------------------------------------

  /** A policy's rules: its `spec` and each of its `specs` are separate rules to Cilium. */
  private ciliumPolicy(o: any): Policy[] {
    const specs: any[] = [...(o.value.spec ? [o.value.spec] : []), ...(o.value.specs ?? [])];
    return specs.map((spec, i) => this.ciliumSpec(o, spec, specs.length > 1 ? `${o.id} #${i + 1}` : o.id));
  }

  private ciliumSpec(o: any, spec: any, id: string): Policy {
    const clusterwide = o.kind === 'CiliumClusterwideNetworkPolicy';
    const ns: string | undefined = clusterwide ? undefined : o.namespace;
    if (!spec.endpointSelector) throw new OracleError(`oracle: ${o.id} is a host policy (nodeSelector), outside the oracle's scope`);
    // ParseToCiliumRule: a CNP's endpointSelector applies in the policy's namespace, whatever it says of it
    const subjectSel: LabelSelector = ns === undefined ? spec.endpointSelector
      : { ...spec.endpointSelector, matchLabels: { ...stripNamespaceMatch(spec.endpointSelector.matchLabels), [`k8s:${CILIUM_POD_NAMESPACE_KEY}`]: ns } };
    const subject = ciliumSelector(subjectSel);
    if (subject.some((r) => r.source === CILIUM_RESERVED_SOURCE)) throw new OracleError(`oracle: ${id} selects reserved identities (init), outside the oracle's scope`);
    const rules: Rule[] = [];
    const requirements: Requirements[] = [];
    for (const [field, direction, deny] of [['ingress', 'ingress', false], ['ingressDeny', 'ingress', true], ['egress', 'egress', false], ['egressDeny', 'egress', true]] as const) {
      for (const r of spec[field] ?? []) {
        rules.push(this.ciliumRule(r, direction, deny, ns));
        // fromRequires/toRequires: scoped as endpoint selectors, without the reserved-key exception
        for (const s of r[direction === 'ingress' ? 'fromRequires' : 'toRequires'] ?? []) requirements.push({ direction, deny, requirements: peerEndpointSelector(s, ns, false) });
      }
    }
    // pkg/policy repository.go computePolicyEnforcementAndRules: a rule with ingress or ingressDeny
    // rules puts its subjects in ingress default deny unless enableDefaultDeny.ingress is false
    const dd = spec.enableDefaultDeny ?? {};
    return {
      id,
      selects: (pod) => this.selectsIdentity(subject, pod),
      isolatesIngress: (spec.ingress?.length > 0 || spec.ingressDeny?.length > 0) && dd.ingress !== false,
      isolatesEgress: (spec.egress?.length > 0 || spec.egressDeny?.length > 0) && dd.egress !== false,
      rules,
      requirements,
    };
  }

  private ciliumRule(r: any, direction: Direction, deny: boolean, ns: string | undefined): Rule {
    const from = direction === 'ingress' ? 'from' : 'to';
    for (const unsupported of ['Nodes', 'Groups', 'Services', 'FQDNs']) {
      if (r[`${from}${unsupported}`] !== undefined) throw new OracleError(`oracle: ${from}${unsupported} is outside the oracle's scope`);
    }
    if (r.icmps !== undefined) throw new OracleError('oracle: icmps is outside the oracle\'s scope');
    const endpoints: any[] | undefined = r[`${from}Endpoints`];
    const entities: string[] | undefined = r[`${from}Entities`];
    const cidrs: string[] | undefined = r[`${from}CIDR`];
    const cidrSets: any[] | undefined = r[`${from}CIDRSet`];
    const tests: ((p: Peer) => boolean)[] = [];
    for (const e of entities ?? []) tests.push((p) => entitySelects(e, this.identity(p)));
    for (const c of cidrs ?? []) tests.push((p) => p.type === 'address' && inPrefix(p.ip, c));
    for (const c of cidrSets ?? []) {
      if (c.cidr === undefined) throw new OracleError('oracle: CIDR groups are outside the oracle\'s scope');
      tests.push((p) => p.type === 'address' && inCidrExcept(p.ip, c.cidr, c.except));
    }
    const hasL3 = endpoints !== undefined || entities !== undefined || cidrs !== undefined || cidrSets !== undefined;
    const toPorts: any[] | undefined = r.toPorts;
    let peer: (p: Peer) => boolean;
    if (hasL3) peer = (p) => tests.some((t) => t(p)); // an empty list (`fromEndpoints: []`) selects nothing
    else if (toPorts !== undefined) peer = EVERY_PEER; // only toPorts: pkg/policy rule.go mergeIngress adds the wildcard selector (not narrowed)
    else peer = NO_PEER; // an empty rule: default deny, allows nothing
    return {
      direction,
      deny,
      peer,
      endpoints: endpoints?.map((s) => peerEndpointSelector(s, ns, true)),
      // named ports: ingress on the endpoint itself, egress once for the whole cluster
      ports: toPorts === undefined ? undefined : ciliumPorts(toPorts, direction === 'ingress' ? 'destination' : 'cluster'),
    };
  }

  // -------------------------------------------------------------------------------------------
  // The verdict.
  // -------------------------------------------------------------------------------------------

  /** The number of a named port: on the destination pod, or once for the cluster (none if two numbers). */
  private namedPort(name: string, protocol: string, resolve: 'destination' | 'cluster', destination: Peer): number | undefined {
    if (resolve === 'destination') {
      if (destination.type !== 'workload') return undefined;
      return destination.ports.find((p) => p.name === name && p.protocol === protocol)?.port;
    }
    // pkg/types/portmap.go namedPortMultiMap.GetNamedPort: the one number of that name and protocol
    const key = `${name}/${protocol}`;
    if (!this.clusterPorts.has(key)) {
      const numbers = new Set(this.allPorts.filter((p) => p.name === name && p.protocol === protocol).map((p) => p.port));
      this.clusterPorts.set(key, numbers.size === 1 ? [...numbers][0] : undefined);
    }
    return this.clusterPorts.get(key);
  }

  private portCovered(ports: readonly PortMatch[] | undefined, protocol: string, port: number, destination: Peer): boolean {
    if (ports === undefined) return true;
    return ports.some((m) => {
      if (!m.protocols.includes(protocol)) return false;
      if ('name' in m) return this.namedPort(m.name, protocol, m.resolve, destination) === port;
      return m.first <= port && port <= m.last;
    });
  }

  private policiesSelecting(pod: Workload): Policy[] {
    let list = this.policiesOf.get(pod.id);
    if (!list) this.policiesOf.set(pod.id, (list = this.policies.filter((p) => p.selects(pod))));
    return list;
  }

  /**
   * One side, before ports: what the policies selecting `subject` say of traffic with `remote` in
   * `direction`. Memoised per pair, since it does not depend on the port.
   */
  private side(direction: Direction, subject: Workload, remote: Peer): Side {
    const key = `${direction}\u0000${subject.id}\u0000${remote.id}`;
    const known = this.sides.get(key);
    if (known) return known;
    const policies = this.policiesSelecting(subject);
    // every fromRequires (toRequires) of the policies selecting the subject narrows every fromEndpoints
    // (toEndpoints) selector of their rules, the allow requirements the allow rules, the deny ones the deny rules
    const narrowing = (deny: boolean) => policies.flatMap((p) => p.requirements)
      .filter((q) => q.direction === direction && q.deny === deny)
      .flatMap((q) => q.requirements);
    const requirements = { allow: narrowing(false), deny: narrowing(true) };
    if ((requirements.allow.length || requirements.deny.length) && this.mode === 'kubernetes' && policies.some((p) => p.id.startsWith('NetworkPolicy '))) {
      throw new OracleError(`oracle: ${subject.id} has Cilium *Requires and NetworkPolicy rules, which the specification does not combine`);
    }
    const peerCovered = (r: Rule) => r.peer(remote)
      || (r.endpoints ?? []).some((sel) => this.selectsIdentity([...sel, ...(r.deny ? requirements.deny : requirements.allow)], remote));
    const rules = policies.flatMap((p) => p.rules).filter((r) => r.direction === direction && peerCovered(r));
    const side: Side = {
      denies: rules.filter((r) => r.deny),
      allows: rules.filter((r) => !r.deny),
      isolated: policies.some((p) => (direction === 'ingress' ? p.isolatesIngress : p.isolatesEgress)),
      // allow-localhost (pkg/policy determineAllowLocalhostIngress): Cilium's default in Kubernetes mode, the specification's too
      localHost: direction === 'ingress' && CILIUM_AGENT_DEFAULTS.allowLocalhost !== 'policy'
        && this.identity(remote).some((l) => l.source === CILIUM_RESERVED_SOURCE && l.key === 'host'),
      destination: direction === 'ingress' ? subject : remote,
    };
    this.sides.set(key, side);
    return side;
  }

  /**
   * One side, with the port. A deny rule covering the traffic denies (Cilium: deny beats every
   * allow, of any kind). Otherwise, when no selecting policy isolates the direction, it is allowed;
   * when one does, an allow rule of any selecting policy must cover it (rules are additive), except
   * that the local host reaches the pods on it whatever their ingress rules.
   */
  private sideAllows(direction: Direction, subject: Workload, remote: Peer, protocol: string, port: number): boolean {
    const side = this.side(direction, subject, remote);
    const covers = (r: Rule) => this.portCovered(r.ports, protocol, port, side.destination);
    if (side.denies.some(covers)) return false;
    if (!side.isolated || side.localHost) return true;
    return side.allows.some(covers);
  }

  /** Is the first packet of a new connection allowed: the source's egress and the destination's ingress both allow it. */
  verdict(probe: OracleProbe): boolean {
    const src = this.peer(probe.src);
    const dst = this.peer(probe.dst);
    if (src.type !== 'workload' && dst.type !== 'workload') throw new OracleError(`oracle: ${probe.src} => ${probe.dst} has no workload`);
    const egress = src.type !== 'workload' || this.sideAllows('egress', src, dst, probe.protocol, probe.port);
    return egress && (dst.type !== 'workload' || this.sideAllows('ingress', dst, src, probe.protocol, probe.port));
  }
}

/** A NetworkPolicy rule's ports (the reader defaulted every protocol to TCP). */
function networkPolicyPorts(ports: any[] | undefined, resolve: 'destination' | 'cluster'): PortMatch[] | undefined {
  if (!ports?.length) return undefined; // every port
  return ports.map((p) => {
    const protocols = [p.protocol];
    if (p.port === undefined) return { protocols, first: 1, last: 65535 }; // every port of the protocol
    if (typeof p.port === 'string') return { protocols, name: p.port, resolve };
    return { protocols, first: p.port, last: p.endPort ?? p.port };
  });
}

/**
 * Cilium `toPorts` (pkg/policy/api l4.go PortProtocol, pkg/policy rule.go): a port `0` is every port,
 * an endPort above the port makes a range, a name is a named port; protocol ANY or none is TCP, UDP
 * and SCTP, each resolving a named port of its own protocol.
 */
function ciliumPorts(toPorts: any[], resolve: 'destination' | 'cluster'): PortMatch[] {
  const out: PortMatch[] = [];
  for (const pr of toPorts) {
    if (pr.rules !== undefined || pr.listener !== undefined || pr.terminatingTLS !== undefined || pr.originatingTLS !== undefined) {
      throw new OracleError('oracle: L7 and TLS port rules are outside the oracle\'s scope');
    }
    for (const p of pr.ports ?? []) {
      const proto = p.protocol ? String(p.protocol).toUpperCase() : 'ANY';
      const protocols = proto === 'ANY' ? [...PROTOCOLS] : [proto];
      if (/^[0-9]+$/.test(p.port)) {
        const n = Number(p.port);
        if (n === 0) out.push({ protocols, first: 1, last: 65535 });
        else out.push({ protocols, first: n, last: p.endPort > n ? p.endPort : n });
      } else {
        out.push({ protocols, name: String(p.port).toLowerCase(), resolve });
      }
    }
  }
  return out;
}

/**
 * A NetworkPolicyPeer with pod/namespace selectors as Cilium's selector (parseNetworkPolicyPeer):
 * with a namespaceSelector, its requirements on `io.cilium.k8s.namespace.labels.<key>` (or, when
 * it is empty, `io.kubernetes.pod.namespace` Exists) and the podSelector's; with a podSelector
 * alone, it and `io.kubernetes.pod.namespace` = the policy's namespace. Every key of source k8s.
 * Nothing else is added, so a selector made only of negative requirements selects non-pod
 * identities too.
 */
function ciliumPeerOfNetworkPolicy(x: any, policyNs: string): CiliumRequirement[] {
  if (x.namespaceSelector) {
    const nsReqs = ciliumSelector(x.namespaceSelector, 'k8s').map((r) => ({ ...r, key: CILIUM_NAMESPACE_LABELS_PREFIX + r.key }));
    const reqs = nsReqs.length ? nsReqs : [req('k8s', CILIUM_POD_NAMESPACE_KEY, 'Exists')];
    return [...reqs, ...(x.podSelector ? ciliumSelector(x.podSelector, 'k8s') : [])];
  }
  return ciliumSelector({ ...x.podSelector, matchLabels: { ...(x.podSelector.matchLabels ?? {}), [CILIUM_POD_NAMESPACE_KEY]: policyNs } }, 'k8s');
}

/**
 * A `fromEndpoints`/`toEndpoints` selector as Cilium applies it (pkg/k8s/apis/cilium.io/utils
 * getEndpointSelector): a selector with a `reserved:` key is left as it is (not so for
 * `*Requires`, `reservedAsIs` false); one that names
 * `io.kubernetes.pod.namespace` (source k8s or any) too; otherwise a CCNP adds
 * `io.kubernetes.pod.namespace` Exists (pods of every namespace), and a CNP adds its own namespace
 * unless the selector names a namespace label (`io.cilium.k8s.namespace.labels.*`).
 */
function peerEndpointSelector(s: LabelSelector, ns: string | undefined, reservedAsIs: boolean): CiliumRequirement[] {
  const reqs = ciliumSelector(s);
  if (reservedAsIs && reqs.some((r) => r.source === CILIUM_RESERVED_SOURCE)) return reqs;
  if (hasKey(reqs, 'k8s', CILIUM_POD_NAMESPACE_KEY) || hasKey(reqs, 'any', CILIUM_POD_NAMESPACE_KEY)) return reqs;
  if (ns === undefined) return [...reqs, req('k8s', CILIUM_POD_NAMESPACE_KEY, 'Exists')];
  if (reqs.some((r) => (r.source === 'k8s' || r.source === 'any') && r.key.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX))) return reqs;
  return [...reqs, req('k8s', CILIUM_POD_NAMESPACE_KEY, 'In', [ns])];
}

/** A CNP endpointSelector's matchLabels without the `k8s:io.kubernetes.pod.namespace` key, which ParseToCiliumRule overwrites. */
function stripNamespaceMatch(m: { [key: string]: string } | undefined): { [key: string]: string } {
  const out = { ...(m ?? {}) };
  delete out[`k8s:${CILIUM_POD_NAMESPACE_KEY}`];
  return out;
}

/**
 * What an entity selects (pkg/policy/api entity.go EntitySelectorMapping, InitEntities): `all`
 * every identity, `world` the world identities, `cluster` the cluster's reserved identities and
 * its pods (by the cluster label), any other `reserved:<name>`.
 */
function entitySelects(entity: string, labels: readonly IdentityLabel[]): boolean {
  const reserved = (name: string) => labels.some((l) => l.source === CILIUM_RESERVED_SOURCE && l.key === name);
  switch (entity) {
    case 'all': return true;
    case 'world': return WORLD_ENTITIES.some(reserved);
    case 'cluster': return CLUSTER_ENTITY_MEMBERS.some(reserved) || labels.some((l) => l.source === 'k8s' && l.key === CILIUM_CLUSTER_KEY && l.value === CILIUM_AGENT_DEFAULTS.clusterName);
    default: return reserved(entity);
  }
}

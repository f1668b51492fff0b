/**
 * The internal policy model shared by the Kubernetes and Cilium compilers and the engine.
 */
import { NodeInfo, SourceRef, Workload } from './cluster';
import { IpRange, IpSet } from './ipranges';
import { ConnSet } from './ports';
import { Labels, Requirement } from './selectors';
import { Semantics } from './semantics';
import { LabelSelector } from '../wire/kubernetes/meta';

/**
 * - workload: pods of one owner; node: a Node object (Cilium host endpoint, seen from pods as a remote node);
 * - external: an address range outside the cluster; fqdn, group: named destinations outside the cluster
 *   (Cilium `toFQDNs`, `toGroups`/`fromGroups`); service: a Service without selector (`toServices`);
 * - entity: a Cilium entity such as `{host}`; ingress-controller: the source of Route/Ingress traffic.
 */
export type PeerType = 'workload' | 'node' | 'external' | 'entity' | 'fqdn' | 'group' | 'service' | 'ingress-controller';

/** Anything traffic can come from or go to. */
export interface Peer {
  readonly index: number;
  readonly type: PeerType;
  /** Display name in connlist grammar: `ns/name[Kind]`, `a-b[External]`, `{host}`, `api.example.com[FQDN]`. */
  readonly id: string;
  readonly namespace?: string;
  /** Pod labels (workloads, ingress controller). */
  readonly labels?: Labels;
  /** Labels of the peer's namespace. */
  readonly nsLabels?: Labels;
  /** The labels of the peer's Cilium identity (identity.ts): every peer has one. */
  readonly ciliumLabels: Labels;
  readonly workload?: Workload;
  readonly node?: NodeInfo;
  readonly range?: IpRange;
  readonly entity?: string;
  readonly fqdn?: string;
}

/** FQDN and cloud-group peers: outside the cluster, addresses unknown (of either family). */
export function isNamedOutside(p: Peer): boolean {
  return p.type === 'fqdn' || p.type === 'group';
}

export type Direction = 'ingress' | 'egress';

/** The tiers of the network-policy API around NetworkPolicy (policy-api.ts). */
export type PolicyTier = 'admin' | 'baseline';
/** What a tiered rule does with the connections it matches first: Allow/Accept, Deny, Pass. */
export type TierAction = 'allow' | 'deny' | 'pass';

export interface RuleModel {
  readonly direction: Direction;
  readonly deny: boolean;
  /** Human description: `NetworkPolicy ns/name ingress rule #1`. */
  readonly description: string;
  /** True when the rule's peer list matches this peer (the remote side of the traffic). */
  readonly matchPeer: (peer: Peer) => boolean;
  /** Connections the rule allows (or denies) towards `dst`, the destination of the traffic. */
  readonly conn: (dst: Peer) => ConnSet;
  /** Set when conn() does not depend on the destination (no named ports). */
  readonly staticConn?: ConnSet;
  /**
   * A superset of the peers matchPeer can match, so that the engine tries only those instead of
   * every peer (matchPeer still decides). Unset: any peer may match.
   */
  readonly peerScope?: PeerScope;
  /**
   * matchPeer split in two for Cilium `*Requires`, which narrow only endpoint selectors
   * (`fromEndpoints`/`toEndpoints`; Kubernetes pod and namespace selectors): matchPeer is
   * `matchEndpoint || matchOther`. Unset: pods are matched through endpoint selectors, the rest not.
   */
  readonly matchEndpoint?: (peer: Peer) => boolean;
  readonly matchOther?: (peer: Peer) => boolean;
  /** Set for rules of the network-policy API: the tier, and the action of a first match (`deny` is then false). */
  readonly tier?: PolicyTier;
  readonly action?: TierAction;
  /** The rule as written, for exposure analysis (exposure.ts); unset for rules it does not read (Cilium). */
  readonly written?: WrittenRule;
  /** A Cilium rule's L3 peers that may reach beyond the input, for exposure analysis (exposure.ts). */
  readonly ciliumWritten?: CiliumWrittenRule;
}

/** The peers a rule can match: the union of the peers each field names. */
export interface PeerScope {
  /** Pods (workloads, the ingress controller) whose `namespace` is one of these. */
  readonly namespaces: readonly string[];
  /** Pods whose namespace labels (`nsLabels`, `{}` when unset) one of these accepts. */
  readonly namespaceLabels: readonly ((labels: Labels) => boolean)[];
  /** Every peer of these types. */
  readonly types: readonly PeerType[];
  /** Peers whose Cilium identity has one of these labels: the key with one of the values. */
  readonly ciliumLabels: readonly { readonly key: string; readonly values: readonly string[] }[];
}

/** The L3 peers of a Cilium rule that exposure analysis reports (exposure.ts). */
export interface CiliumWrittenRule {
  /** `fromEndpoints`/`toEndpoints` as Cilium applies them (the policy's namespace or Exists, and the cluster, added). */
  readonly endpointSelectors: readonly (readonly Requirement[])[];
  /** `fromEntities`/`toEntities`. */
  readonly entities: readonly string[];
  /** No L3 peer, but ports or ICMP: the rule applies to every peer. */
  readonly anyPeer: boolean;
}

/** A pod/namespace selector pair of a rule peer as written (undefined: the field is absent). */
export interface WrittenSelectorPeer {
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
}

/** One port item of a rule as written: a range of a protocol, or a named port (protocol undefined: the container port's). */
export interface WrittenPort {
  readonly protocol?: string;
  readonly start?: number;
  readonly end?: number;
  readonly named?: string;
}

/**
 * A NetworkPolicy or network-policy API rule as written, for exposure analysis: its selector peers
 * (peers of other kinds, ipBlock, networks, nodes, domain names, left out), whether it names no peer
 * at all (it then matches every peer), its ports, and the namespace of a NetworkPolicy.
 */
export interface WrittenRule {
  /** The rule has no peer list: it matches every peer. */
  readonly anyPeer: boolean;
  readonly selectorPeers: WrittenSelectorPeer[];
  /** undefined: every port */
  readonly ports?: WrittenPort[];
  /** The NetworkPolicy's namespace (undefined for cluster-scoped policies). */
  readonly policyNamespace?: string;
}

/** A Cilium `fromRequires`/`toRequires` selector: a condition on the remote endpoint. */
export interface RequirementModel {
  readonly direction: Direction;
  /** From an `ingressDeny`/`egressDeny` rule: narrows deny rules only (allow rules otherwise). */
  readonly deny: boolean;
  readonly description: string;
  readonly matches: (peer: Peer) => boolean;
}

export interface PolicyModel {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `NetworkPolicy ns/name` */
  readonly id: string;
  readonly source: SourceRef;
  /** The subjects (workloads; nodes for Cilium host policies) the policy applies to. */
  readonly selects: (peer: Peer) => boolean;
  /**
   * Set when `selects` selects workloads of this namespace only (namespaced policies), so that the
   * engine tries it on that namespace's workloads only.
   */
  readonly subjectNamespace?: string;
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly rules: RuleModel[];
  /** Address sets referenced by ingress (source) and egress (destination) rules. */
  readonly ingressIpSets: IpSet[];
  readonly egressIpSets: IpSet[];
  /** Cilium entities and FQDN names referenced (to create the matching peers). */
  readonly entities: string[];
  readonly fqdns: string[];
  readonly services: string[];
  /** Named outside peers of Cilium `toGroups`/`fromGroups` (e.g. `aws:sg-1`), by direction. */
  readonly ingressGroups?: string[];
  readonly egressGroups?: string[];
  /** Cilium `fromRequires`/`toRequires`: they narrow every rule of every policy selecting the same subject. */
  readonly requirements?: RequirementModel[];
  /** Network-policy API policies (policy-api.ts): their tier (rules are then evaluated in order, by tier). */
  readonly tier?: PolicyTier;
  /** `spec.priority` of a tiered policy (none for the BaselineAdminNetworkPolicy). */
  readonly priority?: number;
  /** The subject of a network-policy API policy as written, for exposure analysis (exposure.ts). */
  readonly writtenSubject?: WrittenSelectorPeer;
  /** A rule names Node objects (`nodes` peers): node peers are needed in every mode. */
  readonly namesNodes?: boolean;
}

export interface CompileContext {
  readonly universe: string[];
  readonly all: ConnSet;
  readonly semantics: Semantics;
  /** A named port resolved for the whole cluster, as Cilium resolves egress named ports; undefined when it resolves to nothing. */
  readonly clusterNamedPort: (name: string, protocol: string) => number | undefined;
}

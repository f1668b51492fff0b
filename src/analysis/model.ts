/**
 * The internal policy model shared by the Kubernetes and Cilium compilers and the engine.
 */
import { Workload, SourceRef } from './cluster';
import { IpRange, IpSet } from './ipranges';
import { ConnSet } from './ports';
import { Labels } from './selectors';

export type PeerType = 'workload' | 'external' | 'entity' | 'fqdn' | 'service' | 'ingress-controller';

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
  /** Labels as Cilium sees the endpoint (pod labels + io.kubernetes.pod.namespace + namespace labels + reserved:*). */
  readonly ciliumLabels?: Labels;
  readonly workload?: Workload;
  readonly range?: IpRange;
  readonly entity?: string;
  readonly fqdn?: string;
}

export type Direction = 'ingress' | 'egress';

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
}

export interface PolicyModel {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `NetworkPolicy ns/name` */
  readonly id: string;
  readonly source: SourceRef;
  readonly selects: (peer: Peer) => boolean;
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
}

export interface CompileContext {
  readonly universe: string[];
  readonly all: ConnSet;
}

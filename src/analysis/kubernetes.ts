/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics.
 *
 * - A pod is isolated for a direction when a policy selecting it lists that direction in
 *   `policyTypes` (default: Ingress, plus Egress when `spec.egress` has rules).
 * - Rules are additive; an empty/absent `from`/`to` matches every peer; an empty/absent `ports`
 *   matches every port and protocol.
 * - A peer with only `podSelector` selects pods in the policy namespace; with only
 *   `namespaceSelector` all pods of the selected namespaces; with both, the pods matching the pod
 *   selector inside the selected namespaces; `ipBlock` (cidr minus except) selects addresses
 *   outside the cluster (netpol-analyzer never matches pods by ipBlock).
 * - Named ports are resolved against the destination pod's container ports with the same protocol.
 * - `endPort` makes a port range; protocols are TCP (default), UDP and SCTP.
 */
import { PolicyDoc } from './cluster';
import { fullRange, IpSet } from './ipranges';
import { Diagnostic } from './load';
import { CompileContext, Direction, isNamedOutside, Peer, PolicyModel, RuleModel } from './model';
import { ConnSet, PORT_MAX, PORT_MIN } from './ports';
import { CompiledSelector, compileSelector } from './selectors';
import { IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from '../wire/kubernetes/network-policy';
import { parsePrefix } from '../wire/net';

interface PortSpec {
  readonly protocol: string;
  readonly start?: number;
  readonly end?: number;
  readonly named?: string;
}

export class PolicyError extends Error {}

/** The ports of a rule (validated and defaulted by the reader: protocol set, port a number or an IANA name). */
function parsePorts(ports: readonly NetworkPolicyPort[] | undefined): PortSpec[] | undefined {
  if (!ports || ports.length === 0) return undefined;
  return ports.map((p) => {
    if (p.port === undefined) return { protocol: p.protocol, start: PORT_MIN, end: PORT_MAX };
    if (typeof p.port === 'string') return { protocol: p.protocol, named: p.port };
    return { protocol: p.protocol, start: p.port, end: p.endPort ?? p.port };
  });
}

/** Build the connection set of a port list for a destination (named ports resolved on `dst`). */
export function portsConn(ports: PortSpec[] | undefined, dst: Peer, ctx: CompileContext): ConnSet {
  if (!ports) return ctx.all;
  let res = ConnSet.EMPTY;
  for (const p of ports) {
    if (p.named !== undefined) {
      const cp = dst.workload?.ports.find((c) => c.name === p.named);
      if (!cp || cp.port < 1 || cp.protocol !== p.protocol) continue; // unresolved named port allows nothing
      res = res.union(ConnSet.of(p.protocol, [[cp.port, cp.port]]));
    } else {
      res = res.union(ConnSet.of(p.protocol, [[p.start!, p.end!]]));
    }
  }
  return res;
}

type PeerMatcher = (peer: Peer) => boolean;

/** An ipBlock as the API server reads it (ParseCIDRSloppy: leading zeros decimal, host bits masked). */
function ipBlockSet(b: IPBlock): IpSet {
  const range = (text: string) => {
    const p = parsePrefix(text, 'kubernetes');
    if (typeof p === 'string') throw new PolicyError(`ipBlock ${text}: ${p}`); // the reader rejects these
    return { family: p.family, start: p.first, end: p.last };
  };
  return new IpSet([range(b.cidr)]).subtract(new IpSet((b.except ?? []).map(range)));
}

function compilePeers(list: readonly NetworkPolicyPeer[] | undefined, policyNs: string, ipSets: IpSet[]): PeerMatcher | undefined {
  if (!list || list.length === 0) return undefined;
  const matchers: PeerMatcher[] = list.map((p) => {
    if (p.ipBlock) {
      const set = ipBlockSet(p.ipBlock);
      ipSets.push(set);
      // FQDN peers (named by Cilium toFQDNs) have unknown addresses: only a block covering a whole
      // address family is sure to contain them
      const coversAll = set.containsRange(fullRange(4)) || set.containsRange(fullRange(6));
      return (peer: Peer) => (peer.type === 'external' && !!peer.range && set.containsRange(peer.range)) || (coversAll && isNamedOutside(peer));
    }
    const podSel: CompiledSelector | undefined = p.podSelector ? compileSelector(p.podSelector, 'podSelector') : undefined;
    const nsSel: CompiledSelector | undefined = p.namespaceSelector ? compileSelector(p.namespaceSelector, 'namespaceSelector') : undefined;
    return (peer: Peer) => {
      if (peer.type !== 'workload' && peer.type !== 'ingress-controller') return false;
      if (nsSel) {
        if (!nsSel.matches(peer.nsLabels ?? {})) return false;
      } else if (peer.namespace !== policyNs) {
        return false;
      }
      return podSel ? podSel.matches(peer.labels ?? {}) : true;
    };
  });
  if (matchers.length === 1) return matchers[0];
  return (peer: Peer) => matchers.some((m) => m(peer));
}

/** Compile a NetworkPolicy the reader accepted (validated and defaulted). */
export function compileNetworkPolicy(doc: PolicyDoc, ctx: CompileContext): PolicyModel {
  const np = doc.object as NetworkPolicy;
  const spec = np.spec;
  const id = `NetworkPolicy ${doc.namespace}/${doc.name}`;
  const podSel = compileSelector(spec.podSelector, 'spec.podSelector');
  const types = spec.policyTypes;
  const ingressIpSets: IpSet[] = [];
  const egressIpSets: IpSet[] = [];
  const rules: RuleModel[] = [];
  const build = (dir: Direction) => {
    const list: readonly (NetworkPolicyIngressRule & NetworkPolicyEgressRule)[] = spec[dir] ?? [];
    list.forEach((rule, i) => {
      const match = compilePeers(dir === 'ingress' ? rule.from : rule.to, doc.namespace, dir === 'ingress' ? ingressIpSets : egressIpSets);
      const ports = parsePorts(rule.ports);
      const hasNamed = !!ports && ports.some((p) => p.named !== undefined);
      const staticConn = hasNamed ? undefined : portsConn(ports, {} as Peer, ctx);
      rules.push({
        direction: dir,
        deny: false,
        description: `${id} ${dir} rule #${i + 1}`,
        matchPeer: match ?? (() => true),
        conn: staticConn ? () => staticConn : (dst: Peer) => portsConn(ports, dst, ctx),
        staticConn,
      });
    });
  };
  // Rules of a direction not in policyTypes have no effect.
  if (types.includes('Ingress')) build('ingress');
  if (types.includes('Egress')) build('egress');
  return {
    kind: 'NetworkPolicy',
    namespace: doc.namespace,
    name: doc.name,
    id,
    source: doc.source,
    selects: (peer: Peer) => peer.type === 'workload' && peer.namespace === doc.namespace && podSel.matches(peer.labels ?? {}),
    isolatesIngress: types.includes('Ingress'),
    isolatesEgress: types.includes('Egress'),
    rules,
    ingressIpSets,
    egressIpSets,
    entities: [],
    fqdns: [],
    services: [],
  };
}

/**
 * A policy the reader accepted but the analyser could not compile: a bug of this tool (the reader
 * decides validity), reported as such instead of a crash, and the policy left out.
 */
export function policyDiagnostic(doc: PolicyDoc, e: any): Diagnostic {
  const where = doc.namespace ? `${doc.namespace}/${doc.name}` : doc.name;
  return {
    ...doc.source,
    severity: 'error',
    code: 'internal-error',
    message: `${doc.kind} ${where}: internal error of cdk8s-netpol while analysing a valid policy (${e?.message ?? e}); the policy is left out, `
      + 'so results for the pods it selects are incomplete; please report this with the manifest',
  };
}

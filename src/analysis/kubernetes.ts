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

interface PortSpec {
  readonly protocol: string;
  readonly start?: number;
  readonly end?: number;
  readonly named?: string;
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export class PolicyError extends Error {}

function parsePorts(ports: any, field: string): PortSpec[] | undefined {
  if (ports === undefined || ports === null) return undefined;
  if (!Array.isArray(ports)) throw new PolicyError(`${field}: expected a list of {protocol, port, endPort}, got ${JSON.stringify(ports)}`);
  if (ports.length === 0) return undefined;
  return ports.map((p: any, i: number) => {
    const f = `${field}[${i}]`;
    if (!p || typeof p !== 'object') throw new PolicyError(`${f}: expected {protocol, port, endPort}, got ${JSON.stringify(p)}`);
    const protocol = p.protocol === undefined || p.protocol === null ? 'TCP' : String(p.protocol).toUpperCase();
    if (!PROTOCOLS.includes(protocol)) throw new PolicyError(`${f}.protocol: "${p.protocol}" is not TCP, UDP or SCTP`);
    if (p.port === undefined || p.port === null) {
      if (p.endPort !== undefined && p.endPort !== null) throw new PolicyError(`${f}.endPort: endPort needs a numeric port`);
      return { protocol, start: PORT_MIN, end: PORT_MAX };
    }
    if (typeof p.port === 'string') {
      if (p.endPort !== undefined && p.endPort !== null) throw new PolicyError(`${f}.endPort: endPort cannot be used with the named port "${p.port}"`);
      return { protocol, named: p.port };
    }
    const start = Number(p.port);
    if (!Number.isInteger(start) || start < 1 || start > 65535) throw new PolicyError(`${f}.port: ${JSON.stringify(p.port)} is not a port number 1-65535 or a port name`);
    let end = start;
    if (p.endPort !== undefined && p.endPort !== null) {
      end = Number(p.endPort);
      if (!Number.isInteger(end) || end < start || end > 65535) {
        throw new PolicyError(`${f}.endPort: ${JSON.stringify(p.endPort)} must be a port number between port (${start}) and 65535`);
      }
    }
    return { protocol, start, end };
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

function compilePeers(list: any, field: string, policyNs: string, ipSets: IpSet[]): PeerMatcher | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new PolicyError(`${field}: expected a list of peers (podSelector, namespaceSelector, ipBlock), got ${JSON.stringify(list)}`);
  if (list.length === 0) return undefined;
  const matchers: PeerMatcher[] = list.map((p: any, i: number) => {
    const f = `${field}[${i}]`;
    if (!p || typeof p !== 'object') throw new PolicyError(`${f}: expected a peer object, got ${JSON.stringify(p)}`);
    const hasPod = p.podSelector !== undefined && p.podSelector !== null;
    const hasNs = p.namespaceSelector !== undefined && p.namespaceSelector !== null;
    const hasIp = p.ipBlock !== undefined && p.ipBlock !== null;
    if (!hasPod && !hasNs && !hasIp) throw new PolicyError(`${f}: a peer needs podSelector, namespaceSelector or ipBlock (an empty peer is invalid)`);
    if (hasIp && (hasPod || hasNs)) throw new PolicyError(`${f}: ipBlock cannot be combined with podSelector/namespaceSelector; use separate peers`);
    if (hasIp) {
      const b = p.ipBlock;
      if (!b.cidr) throw new PolicyError(`${f}.ipBlock.cidr: a CIDR such as 10.0.0.0/8 is required`);
      let set: IpSet;
      try {
        set = IpSet.fromCidr(String(b.cidr), Array.isArray(b.except) ? b.except.map(String) : []);
      } catch (e: any) {
        throw new PolicyError(`${f}.ipBlock: ${e.message}`);
      }
      ipSets.push(set);
      // FQDN peers (named by Cilium toFQDNs) have unknown addresses: only a block covering a whole
      // address family is sure to contain them
      const coversAll = set.containsRange(fullRange(4)) || set.containsRange(fullRange(6));
      return (peer: Peer) => (peer.type === 'external' && !!peer.range && set.containsRange(peer.range)) || (coversAll && isNamedOutside(peer));
    }
    const podSel: CompiledSelector | undefined = hasPod ? compileSelector(p.podSelector, `${f}.podSelector`) : undefined;
    const nsSel: CompiledSelector | undefined = hasNs ? compileSelector(p.namespaceSelector, `${f}.namespaceSelector`) : undefined;
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

/** Compile a NetworkPolicy; invalid policies throw PolicyError naming the field. */
export function compileNetworkPolicy(doc: PolicyDoc, ctx: CompileContext): PolicyModel {
  const spec = doc.object.spec;
  const id = `NetworkPolicy ${doc.namespace}/${doc.name}`;
  if (!spec || typeof spec !== 'object') throw new PolicyError('spec: a NetworkPolicy needs a spec with podSelector');
  const podSel = compileSelector(spec.podSelector ?? {}, 'spec.podSelector');
  let types: string[];
  if (spec.policyTypes !== undefined && spec.policyTypes !== null) {
    if (!Array.isArray(spec.policyTypes)) throw new PolicyError('spec.policyTypes: expected a list of Ingress/Egress');
    types = spec.policyTypes.map((t: any) => {
      const s = String(t);
      if (s !== 'Ingress' && s !== 'Egress') throw new PolicyError(`spec.policyTypes: "${s}" is not Ingress or Egress`);
      return s;
    });
  } else {
    // Defaulting (networking/v1): Ingress always; Egress when there are egress rules.
    types = ['Ingress'];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) types.push('Egress');
  }
  const ingressIpSets: IpSet[] = [];
  const egressIpSets: IpSet[] = [];
  const rules: RuleModel[] = [];
  const build = (dir: Direction) => {
    const list = spec[dir];
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw new PolicyError(`spec.${dir}: expected a list of rules`);
    list.forEach((r: any, i: number) => {
      const f = `spec.${dir}[${i}]`;
      const rule = r ?? {};
      const peerField = dir === 'ingress' ? 'from' : 'to';
      const match = compilePeers(rule[peerField], `${f}.${peerField}`, doc.namespace, dir === 'ingress' ? ingressIpSets : egressIpSets);
      const ports = parsePorts(rule.ports, `${f}.ports`);
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

export function policyDiagnostic(doc: PolicyDoc, e: any): Diagnostic {
  const where = doc.namespace ? `${doc.namespace}/${doc.name}` : doc.name;
  return { ...doc.source, severity: 'error', message: `${doc.kind} ${where}: ${e?.message ?? e}; the policy is ignored, so results for the pods it selects are incomplete` };
}

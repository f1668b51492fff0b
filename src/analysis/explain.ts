/**
 * Query resolution (workload references) and explanations: for one source, destination and
 * port, which policies and rules allow or deny the traffic on each side.
 */
import { Engine, SideVerdict, TierStep } from './engine';
import { QueryError } from './errors';
import { WORLD_IDENTITY } from './identity';
import { formatRange, IpRange, parseAddress } from './ipranges';
import { Peer } from './model';
import { ConnSet, L4_PROTOCOLS, ICMP_PROTOCOLS } from './ports';

export { QueryError } from './errors';

function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= n; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[n];
}

export function closeNames(ref: string, peers: Peer[]): string[] {
  const r = ref.toLowerCase();
  const scored = peers
    .map((p) => {
      const id = p.id.toLowerCase();
      const name = p.workload?.name.toLowerCase() ?? id;
      const nsName = p.workload ? `${p.namespace}/${p.workload.name}`.toLowerCase() : id;
      const score = id.includes(r) || r === name ? 0 : Math.min(distance(r, id), distance(r, name), distance(r, nsName));
      return { id: p.id, score };
    })
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1));
  return scored.slice(0, 5).map((s) => s.id);
}

/**
 * Resolve a reference: `namespace/name[Kind]`, `namespace/name`, `name` (unique), an IP address,
 * an external range id, `{entity}` / `{ingress-controller}`, an FQDN, a node name or a cloud group.
 * `side` says whether the peer is a source or a destination (external ranges differ per side).
 */
export function resolvePeer(engine: Engine, ref: string, side: 'src' | 'dst', field: string): Peer {
  const r = String(ref ?? '').trim();
  if (!r) throw new QueryError(`${field}: a workload reference is required (namespace/name, namespace/name[Kind], an IP address or {entity})`);
  const candidates = side === 'src' ? engine.srcPeers.concat(engine.ingressController ? [engine.ingressController] : []) : engine.dstPeers;
  const exact = candidates.find((p) => p.id === r || p.id === `{${r}}` || p.id === `${r}[FQDN]` || p.id === `${r}[Node]` || p.id === `${r}[Group]`);
  if (exact) return exact;
  const addr = parseAddress(r);
  if (addr) {
    const p = candidates.find((x) => x.type === 'external' && x.range!.family === addr.family && x.range!.start <= addr.start && addr.end <= x.range!.end);
    // an address of a family no policy names (IPv6 when every block is IPv4): a peer of its own
    return p ?? queryPeer({ type: 'external', id: `${formatRange(addr)}[External]`, range: addr });
  }
  const workloads = engine.workloadPeers;
  let matches: Peer[];
  if (r.includes('/')) {
    const [ns, rest] = [r.slice(0, r.indexOf('/')), r.slice(r.indexOf('/') + 1)];
    const m = /^(.*)\[(.+)\]$/.exec(rest);
    matches = workloads.filter((w) => w.namespace === ns && nameMatches(w, m, rest));
  } else {
    const m = /^(.*)\[(.+)\]$/.exec(r);
    matches = workloads.filter((w) => nameMatches(w, m, r));
  }
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new QueryError(`${field}: "${r}" is ambiguous; it matches ${matches.map((p) => p.id).join(', ')} (use namespace/name[Kind])`);
  }
  if (DNS_NAME.test(r) && !r.includes('/')) {
    // a host name against toFQDNs names and patterns: its addresses carry the identity of every
    // FQDN selector that matches the name (Cilium's DNS proxy), and are outside the cluster
    if (side === 'src') throw new QueryError(`${field}: "${r}" is a host name, which can only be a destination (toFQDNs rules are egress rules); give the source address instead`);
    const name = r.toLowerCase().replace(/\.$/, '');
    return candidates.find((p) => p.type === 'fqdn' && p.fqdn === name) ?? queryPeer({ type: 'fqdn', id: `${name}[FQDN]`, fqdn: name });
  }
  const close = closeNames(r, candidates.filter((p) => p.type !== 'external'));
  throw new QueryError(`${field}: workload "${r}" not found${close.length ? `; close names: ${close.join(', ')}` : ' (no workloads in the manifests)'}`);
}

/** A DNS name of at least two labels: read as a host name when no workload has that name. */
const DNS_NAME = /^(?=.{1,253}\.?$)[a-zA-Z0-9_]([-a-zA-Z0-9_]*[a-zA-Z0-9_])?(\.[a-zA-Z0-9_]([-a-zA-Z0-9_]*[a-zA-Z0-9_])?)+\.?$/;

/** A peer made for one query, outside the analysis' peer table (index -1). */
function queryPeer(p: { type: 'external' | 'fqdn'; id: string; range?: IpRange; fqdn?: string }): Peer {
  return {
    index: -1,
    namespace: undefined,
    labels: undefined,
    nsLabels: undefined,
    workload: undefined,
    node: undefined,
    entity: undefined,
    range: undefined,
    fqdn: undefined,
    ...p,
    ciliumLabels: WORLD_IDENTITY,
  };
}

function nameMatches(w: Peer, m: RegExpExecArray | null, plain: string): boolean {
  if (!m) return w.workload!.name === plain;
  return w.workload!.name === m[1] && w.workload!.kind.toLowerCase() === m[2].toLowerCase();
}

export interface QueryInput {
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol?: string;
}

export function normalizeProtocol(p: string | undefined, universe: string[]): string | undefined {
  if (p === undefined || p === null || p === '') return undefined;
  const all = L4_PROTOCOLS.concat(ICMP_PROTOCOLS);
  const found = all.find((x) => x.toLowerCase() === String(p).toLowerCase());
  if (!found) throw new QueryError(`protocol: "${p}" is not one of ${all.join(', ')}`);
  if (!universe.includes(found)) throw new QueryError(`protocol: ${found} is only modelled when Cilium policies are analysed`);
  return found;
}

/** The connection set a query asks about (all, one protocol, or one protocol+port). */
export function queryConn(q: QueryInput, universe: string[]): ConnSet | undefined {
  const protocol = normalizeProtocol(q.protocol, universe) ?? (q.port !== undefined ? 'TCP' : undefined);
  if (q.port !== undefined) {
    if (protocol!.startsWith('ICMP')) {
      if (!Number.isInteger(q.port) || q.port < 0 || q.port > 255) throw new QueryError(`port: ${q.port} is not an ICMP type 0-255 (for ${protocol}, port is the ICMP type)`);
    } else if (!Number.isInteger(q.port) || q.port < 1 || q.port > 65535) {
      throw new QueryError(`port: ${q.port} is not a port number 1-65535`);
    }
    return ConnSet.of(protocol!, [[q.port, q.port]]);
  }
  if (protocol) return ConnSet.of(protocol, [protocol.startsWith('ICMP') ? [0, 255] : [1, 65535]]);
  return undefined;
}

export interface ExplainResult {
  readonly src: Peer;
  readonly dst: Peer;
  readonly asked?: ConnSet;
  readonly allowedConn: ConnSet;
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
  readonly ingressTarget?: ConnSet;
  readonly text: string;
}

/** What each action of a tiered rule did, as explain says it (the API's words: Accept for ClusterNetworkPolicy). */
function tierVerb(step: TierStep): string {
  if (step.action === 'pass') return 'passed to the NetworkPolicy tier by';
  if (step.action === 'deny') return 'denied by';
  return step.rule?.startsWith('ClusterNetworkPolicy ') ? 'accepted by' : 'allowed by';
}

/**
 * A side under the network-policy API tiers, tier by tier: what Admin rules decided first, what
 * the NetworkPolicy tier decided of the rest (with its rules), what Baseline rules decided, and
 * what no rule matched.
 */
function tieredSideText(title: string, v: SideVerdict, universe: string[], asked?: ConnSet): string[] {
  const lines = [`${title}:`];
  const rel = (c: ConnSet) => (asked ? c.intersect(asked) : c);
  const shown = (v.tiers ?? []).filter((t) => !rel(t.conn).isEmpty());
  const passed = shown.some((t) => t.tier === 'admin' && t.action === 'pass');
  for (const t of shown) {
    const c = rel(t.conn).toString(universe);
    switch (t.tier) {
      case 'admin':
        lines.push(`  admin tier: ${tierVerb(t)} ${t.rule}: ${c}`);
        break;
      case 'networkpolicy':
        lines.push(`  ${passed ? 'then ' : ''}NetworkPolicy tier (isolated by ${v.isolatedBy.join(', ')}): ${t.action === 'allow' ? 'allowed' : 'denied (no rule allows it)'}: ${c}`);
        break;
      case 'baseline':
        lines.push(`  ${passed ? 'then ' : ''}baseline tier (no NetworkPolicy isolates this side): ${tierVerb(t)} ${t.rule}: ${c}`);
        break;
      default:
        lines.push(`  no rule matched: allowed by default: ${c}`);
    }
  }
  if (v.isolatedBy.length && shown.some((t) => t.tier === 'networkpolicy')) {
    for (const a of v.allowedBy) if (!rel(a.conn).isEmpty()) lines.push(`    allowed by ${a.rule}: ${rel(a.conn).toString(universe)}`);
  }
  for (const d of v.deniedBy) lines.push(`  denied by ${d.rule}: ${d.conn.toString(universe)}`);
  lines.push(`  result: ${rel(v.conn).isEmpty() ? 'No Connections' : rel(v.conn).toString(universe)}`);
  return lines;
}

function sideText(title: string, v: SideVerdict, universe: string[], asked?: ConnSet): string[] {
  if (v.tiers) return tieredSideText(title, v, universe, asked);
  const lines = [`${title}:`];
  if (v.unrestricted && !v.allowedBy.length) {
    lines.push('  not restricted (no policy isolates this side and nothing is denied)');
    return lines;
  }
  if (v.isolatedBy.length) lines.push(`  isolated by: ${v.isolatedBy.join(', ')}`);
  else lines.push('  not isolated (every connection allowed unless denied)');
  const rel = (c: ConnSet) => (asked ? c.intersect(asked) : c);
  for (const a of v.allowedBy) lines.push(`  allowed by ${a.rule}: ${rel(a.conn).isEmpty() ? `matches the peer but allows only ${a.conn.toString(universe)}` : rel(a.conn).toString(universe)}`);
  for (const d of v.deniedBy) lines.push(`  denied by ${d.rule}: ${d.conn.toString(universe)}`);
  if (v.isolatedBy.length && !v.allowedBy.length) lines.push('  no rule of these policies matches the peer');
  lines.push(`  result: ${rel(v.conn).isEmpty() ? 'No Connections' : rel(v.conn).toString(universe)}`);
  return lines;
}

export function explainQuery(engine: Engine, q: QueryInput): ExplainResult {
  const src = resolvePeer(engine, q.from, 'src', 'from');
  const dst = resolvePeer(engine, q.to, 'dst', 'to');
  const asked = queryConn(q, engine.universe);
  const egress = engine.explainSide('egress', src, dst, dst);
  const ingress = engine.explainSide('ingress', dst, src, dst);
  let conn = egress.conn.intersect(ingress.conn);
  let ingressTarget: ConnSet | undefined;
  if (src.type === 'ingress-controller') {
    ingressTarget = engine.ingressTargetConn(dst) ?? ConnSet.EMPTY;
    conn = conn.intersect(ingressTarget);
  }
  const rel = asked ? conn.intersect(asked) : conn;
  const allowed = asked ? rel.equals(asked) || (!rel.isEmpty() && rel.subtract(asked).isEmpty() && asked.subtract(rel).isEmpty()) : !conn.isEmpty();
  const u = engine.universe;
  const what = asked ? asked.toString(u) : 'any connection';
  const lines = [
    `${src.id} => ${dst.id} : ${what}`,
    `verdict: ${allowed ? 'ALLOWED' : rel.isEmpty() ? 'DENIED' : 'PARTIALLY ALLOWED'}${rel.isEmpty() ? '' : ` (${rel.toString(u)})`}`,
    ...sideText(`egress of ${src.id}`, egress, u, asked),
    ...sideText(`ingress of ${dst.id}`, ingress, u, asked),
  ];
  if (ingressTarget) lines.push(`ingress controller: Route/Ingress objects expose ${ingressTarget.isEmpty() ? 'nothing' : ingressTarget.toString(u)} of ${dst.id}`);
  if (src === dst) lines.push('note: source and destination are the same workload (self-connections are not listed in connectivity reports)');
  return { src, dst, asked, allowedConn: conn, allowed, egress, ingress, ingressTarget, text: lines.join('\n') + '\n' };
}

/**
 * Where the enforcer and the Kubernetes specification disagree on a verdict. For each deviation of
 * Cilium's NetworkPolicy handling (semantics.ts) that a NetworkPolicy of the input can trigger, the
 * cluster is analysed again with only that deviation switched, and the connections of the pods the
 * triggering policies select are compared. Nothing is run for a deviation no policy triggers.
 */
import { Cluster, PolicyDoc } from './cluster';
import { ConnectionResult, Engine } from './engine';
import { formatRange, IpRange, parseAddress } from './ipranges';
import { Diagnostic } from './load';
import { Peer } from './model';
import { ConnSet } from './ports';
import { DEVIATION_TITLES, NetworkPolicyDeviations, Semantics } from './semantics';
import { isCiliumIdentityLabel } from '../wire/cilium/identity-labels';
import { LabelSelector } from '../wire/kubernetes/meta';
import { NetworkPolicy, NetworkPolicyPeer } from '../wire/kubernetes/network-policy';

export type DeviationName = keyof NetworkPolicyDeviations;

/** The stable ids of the deviations, as diagnostics and the API name them. */
export const DEVIATION_IDS: { readonly [K in DeviationName]: string } = {
  egressNamedPortsClusterWide: 'egress-named-ports',
  negativeNamespaceSelectorSelectsAll: 'negative-namespace-selector',
  rulesOutsidePolicyTypes: 'rules-outside-policy-types',
  selectorsMatchIdentityLabels: 'identity-label-filter',
  ipBlockPeerSelectsNamespacePods: 'ip-block-selects-namespace',
};

export interface DeviationDifference {
  readonly src: string;
  readonly dst: string;
  /** Connlist text of what the specification allows. */
  readonly specification: string;
  /** Connlist text of what Cilium allows. */
  readonly cilium: string;
}

export interface DeviationFinding {
  readonly deviation: DeviationName;
  /** The NetworkPolicies that trigger it (`NetworkPolicy ns/name`), sorted. */
  readonly policies: string[];
  readonly differences: DeviationDifference[];
}

const isNegative = (op: string) => op === 'NotIn' || op === 'DoesNotExist';

function selectorKeys(s: LabelSelector | undefined): string[] {
  if (!s) return [];
  return [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e) => e.key)];
}

function peersOf(np: NetworkPolicy): NetworkPolicyPeer[] {
  return [...(np.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(np.spec.egress ?? []).flatMap((r) => r.to ?? [])];
}

/** Deviations that change only the egress side of the pods the triggering policies select. */
const EGRESS_ONLY: readonly DeviationName[] = ['egressNamedPortsClusterWide'];

/**
 * Deviations that change only what rules' ports resolve to, never which pods a policy selects or
 * which peers a rule matches: the second engine shares the first one's selections and matches.
 */
const MATCH_PRESERVING: readonly DeviationName[] = ['egressNamedPortsClusterWide'];

/** Whether a NetworkPolicy can be read differently under a deviation (a cheap, conservative test). */
const TRIGGERS: { readonly [K in DeviationName]: (np: NetworkPolicy) => boolean } = {
  egressNamedPortsClusterWide: (np) => (np.spec.egress ?? []).some((r) => (r.ports ?? []).some((p) => typeof p.port === 'string')),
  negativeNamespaceSelectorSelectsAll: (np) => peersOf(np).some((p) => {
    const ns = p.namespaceSelector;
    if (!ns) return false;
    const reqs = [...Object.keys(ns.matchLabels ?? {}).map(() => 'In'), ...(ns.matchExpressions ?? []).map((e) => e.operator)];
    return reqs.length > 0 && reqs.every(isNegative);
  }),
  rulesOutsidePolicyTypes: (np) => (!!np.spec.ingress?.length && !np.spec.policyTypes.includes('Ingress'))
    || (!!np.spec.egress?.length && !np.spec.policyTypes.includes('Egress')),
  selectorsMatchIdentityLabels: (np) => [np.spec.podSelector, ...peersOf(np).map((p) => p.podSelector)]
    .some((s) => selectorKeys(s).some((k) => !isCiliumIdentityLabel(k))),
  ipBlockPeerSelectsNamespacePods: (np) => peersOf(np).some((p) => !!p.ipBlock),
};

export type Difference = { src: string; dst: string; a: string; b: string };

interface Side {
  /** per (other peer, side of the external peer): the external ranges with a verdict */
  readonly external: Map<string, { range: IpRange; text: string }[]>;
}

const SEP = '\u0000';
const NONE = 'No Connections';

/** The connections with an external end, by their other end. */
function externalSide(list: ConnectionResult[], universe: string[]): Side {
  const external = new Map<string, { range: IpRange; text: string }[]>();
  for (const c of list) {
    const ext = c.src.range ? c.src : c.dst;
    const key = ext === c.src ? `${c.dst.id}${SEP}src` : `${c.src.id}${SEP}dst`;
    const l = external.get(key) ?? [];
    l.push({ range: ext.range!, text: c.conn.toString(universe) });
    external.set(key, l);
  }
  return { external };
}

const byIds = (x: ConnectionResult, y: ConnectionResult) =>
  (x.src.id < y.src.id ? -1 : x.src.id > y.src.id ? 1 : x.dst.id < y.dst.id ? -1 : x.dst.id > y.dst.id ? 1 : 0);

/** Whether two engines have the same peers at the same indexes, in the same roles. */
function samePeers(a: Engine, b: Engine): boolean {
  const ids = (l: Peer[]) => l.map((p) => `${p.index}${SEP}${p.id}`).join(SEP);
  return ids(a.peers) === ids(b.peers) && ids(a.srcPeers) === ids(b.srcPeers) && ids(a.dstPeers) === ids(b.dstPeers)
    && a.ingressController?.id === b.ingressController?.id;
}

/** The ids of the outside ranges of an engine, in order. */
const rangeIds = (e: Engine) => [...e.srcPeers, ...e.dstPeers].filter((p) => p.range).map((p) => p.id).join(SEP);

/**
 * The pairs whose verdicts differ between two analyses of one cluster, for the pairs with a focused
 * end. Both connection lists come sorted by (source, destination) id, so they are walked side by
 * side. When the two analyses cut the outside world into different ranges (a rule only one of them
 * enforces names its own blocks), pairs with an outside end are compared on the common refinement.
 */
function compareEngines(mine: Engine, theirs: Engine, focus: (p: Peer) => boolean, sourcesOnly: boolean): Difference[] {
  if (sourcesOnly && rangeIds(mine) === rangeIds(theirs) && samePeers(mine, theirs)) return compareEgressSides(mine, theirs, focus);
  return compareConnectionLists(mine, theirs, focus, sourcesOnly);
}

/** compareEngines by walking both engines' connection lists (any two analyses of one cluster). */
export function compareConnectionLists(mine: Engine, theirs: Engine, focus: (p: Peer) => boolean, sourcesOnly: boolean): Difference[] {
  const sameRanges = rangeIds(mine) === rangeIds(theirs);
  const a = mine.connections(focus, sourcesOnly);
  const b = theirs.connections(focus, sourcesOnly);
  const out: Difference[] = [];
  const extA: ConnectionResult[] = [];
  const extB: ConnectionResult[] = [];
  const text = (c: ConnectionResult, e: Engine) => c.conn.toString(e.universe);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (!sameRanges && x && (x.src.range || x.dst.range)) { extA.push(x); i++; continue; }
    if (!sameRanges && y && (y.src.range || y.dst.range)) { extB.push(y); j++; continue; }
    const cmp = !x ? 1 : !y ? -1 : byIds(x, y);
    if (cmp === 0) {
      const tx = text(x, mine);
      const ty = text(y, theirs);
      if (tx !== ty) out.push({ src: x.src.id, dst: x.dst.id, a: tx, b: ty });
      i++;
      j++;
    } else if (cmp < 0) {
      out.push({ src: x.src.id, dst: x.dst.id, a: text(x, mine), b: NONE });
      i++;
    } else {
      out.push({ src: y.src.id, dst: y.dst.id, a: NONE, b: text(y, theirs) });
      j++;
    }
  }
  if (!sameRanges) out.push(...compareExternal(externalSide(extA, mine.universe), externalSide(extB, theirs.universe)));
  return out.sort((x, y) => (x.src < y.src ? -1 : x.src > y.src ? 1 : x.dst < y.dst ? -1 : x.dst > y.dst ? 1 : 0));
}

/**
 * compareEngines for a deviation that changes only the egress side (EGRESS_ONLY) and neither
 * selection nor matching (MATCH_PRESERVING), with the same peers in both engines: the ingress
 * sides are the same, so a pair can differ only where the source's egress results differ, and
 * there `theirs` allows its egress result met with `mine`'s ingress result. No connection list is
 * built and `theirs` computes only the egress rows of the focused sources.
 */
export function compareEgressSides(mine: Engine, theirs: Engine, focus: (p: Peer) => boolean): Difference[] {
  const byId = (a: Peer, b: Peer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const srcs = mine.srcPeers.filter((p) => focus(p)).sort(byId);
  const dsts = mine.dstPeers.slice().sort(byId);
  const u = mine.universe;
  // whether egress results are equal, by their ids in each engine; meets with an ingress result by ConnSet ids
  const same: Int8Array[] = [];
  /** per result id of theirs: the id of mine's equal result, once seen */
  const mineIdOf: number[] = [];
  const meets = new Map<number, Map<number, ConnSet>>();
  const meet = (eg: ConnSet, ing: ConnSet) => {
    let m = meets.get(eg.id);
    if (!m) meets.set(eg.id, (m = new Map()));
    let c = m.get(ing.id);
    if (!c) m.set(ing.id, (c = eg.intersect(ing)));
    return c;
  };
  const out: Difference[] = [];
  for (const src of srcs) {
    const rowA = mine.egressRow(src);
    const rowB = theirs.egressRow(theirs.peers[src.index]);
    if (!rowA && !rowB) continue; // both allow everything
    const srcListed = mine.listed(src);
    for (const dst of dsts) {
      if (src === dst || (!srcListed && !mine.listed(dst))) continue;
      // id 0 is `all` in both engines
      const a = rowA ? rowA[dst.index] : 0;
      const b = rowB ? rowB[dst.index] : 0;
      // the result of mine last found equal to this result of theirs: one lookup decides most pairs
      if (mineIdOf[b] === a) continue;
      const sa = same[a] ?? (same[a] = new Int8Array(64).fill(-1));
      if (b >= sa.length) {
        const grown = new Int8Array(Math.max(b + 1, sa.length * 2)).fill(-1);
        grown.set(sa);
        same[a] = grown;
      }
      const row = same[a];
      if (row[b] < 0) row[b] = mine.sideResult(a).equals(theirs.sideResult(b)) ? 1 : 0;
      if (row[b] === 1) {
        mineIdOf[b] = a;
        continue;
      }
      const ta = mine.allowed(src, dst).toString(u);
      const tb = meet(theirs.sideResult(b), mine.ingressConn(src, dst)).toString(u);
      if (ta !== tb) out.push({ src: src.id, dst: dst.id, a: ta, b: tb });
    }
  }
  return out;
}

/** The outside pairs whose verdicts differ, on the common refinement of both analyses' ranges. */
function compareExternal(mine: Side, theirs: Side): Difference[] {
  const out: Difference[] = [];
  const none = NONE;
  for (const key of new Set([...mine.external.keys(), ...theirs.external.keys()])) {
    const [other, side] = key.split(SEP);
    const lists = [mine.external.get(key) ?? [], theirs.external.get(key) ?? []];
    for (const family of [4, 6] as const) {
      const of = lists.map((l) => l.filter((x) => x.range.family === family).sort((x, y) => (x.range.start < y.range.start ? -1 : 1)));
      const cuts = [...new Set(of.flat().flatMap((x) => [x.range.start, x.range.end + 1n]))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      let run: { start: bigint; end: bigint; a: string; b: string } | undefined;
      const flush = () => {
        if (run && run.a !== run.b) {
          const ext = `${formatRange({ family, start: run.start, end: run.end })}[External]`;
          out.push(side === 'src' ? { src: ext, dst: other, a: run.a, b: run.b } : { src: other, dst: ext, a: run.a, b: run.b });
        }
        run = undefined;
      };
      for (let i = 0; i + 1 < cuts.length; i++) {
        const start = cuts[i];
        const end = cuts[i + 1] - 1n;
        const [a, b] = of.map((l) => l.find((x) => x.range.start <= start && end <= x.range.end)?.text ?? none);
        if (run && run.a === a && run.b === b && run.end + 1n === start) {
          run.end = end;
        } else {
          flush();
          run = { start, end, a, b };
        }
      }
      flush();
    }
  }
  return out;
}

/** The pods the policies (by id) select under either engine. */
function selectedBy(ids: Set<string>, engines: Engine[]): (p: Peer) => boolean {
  const focused = new Set<string>();
  for (const e of engines) {
    for (const p of e.policies) {
      if (!ids.has(p.id)) continue;
      for (const w of e.subjectPeers) if (p.selects(w)) focused.add(w.id);
    }
  }
  return (p: Peer) => focused.has(p.id);
}


/** The non-external end of a difference and the external range, if any (for matching across refinements). */
function ends(d: Difference): { key: string; range?: [bigint, bigint] } {
  const parse = (id: string): { family: number; range: [bigint, bigint] } | undefined => {
    const m = /^(.*)\[External\]$/.exec(id);
    if (!m) return undefined;
    const [a, b] = m[1].split('-').map((t) => parseAddress(t)!);
    return { family: a.family, range: [a.start, (b ?? a).start] };
  };
  const rs = parse(d.src);
  if (rs) return { key: `${d.dst}${SEP}src${rs.family}`, range: rs.range };
  const rd = parse(d.dst);
  if (rd) return { key: `${d.src}${SEP}dst${rd.family}`, range: rd.range };
  return { key: `${d.src}${SEP}${d.dst}` };
}

/** The differences by their non-external end, for overlap tests across refinements. */
class DifferenceIndex {
  private readonly byKey = new Map<string, ([bigint, bigint] | undefined)[]>();

  constructor(list: Difference[]) {
    for (const d of list) {
      const e = ends(d);
      const l = this.byKey.get(e.key) ?? [];
      l.push(e.range);
      this.byKey.set(e.key, l);
    }
  }

  /** Whether a difference of the index is about the same pair (an overlapping range for an external end). */
  overlaps(d: Difference): boolean {
    const e = ends(d);
    const l = this.byKey.get(e.key);
    if (!l) return false;
    return !e.range || l.some((r) => r![0] <= e.range![1] && e.range![0] <= r![1]);
  }
}

/**
 * The deviations that change a verdict of `engine`'s cluster. The differences are those between
 * the specification and Cilium (every triggered deviation switched at once, as they act together:
 * an egress named port in a rule that policyTypes leaves out, say), each listed under the
 * deviations that change it alone, or, where only their combination does, under all that apply to
 * its pods.
 */
export function findDeviations(engine: Engine): DeviationFinding[] {
  const s = engine.semantics;
  const docs = engine.cluster.policies.filter((p) => p.kind === 'NetworkPolicy');
  const triggered = new Map<DeviationName, Set<string>>();
  for (const deviation of Object.keys(TRIGGERS) as DeviationName[]) {
    if (!s.ciliumDeviations[deviation]) continue; // not how this Cilium release and configuration behave
    const ids = docs.filter((d) => TRIGGERS[deviation](d.object as NetworkPolicy)).map(policyId);
    if (ids.length) triggered.set(deviation, new Set(ids));
  }
  if (!triggered.size) return [];
  const names = [...triggered.keys()];
  const shares = (list: DeviationName[]) => (list.every((n) => MATCH_PRESERVING.includes(n)) ? engine : undefined);
  const other = new Engine(quietCopy(engine.cluster), switched(s, names), shares(names));
  const allIds = new Set(names.flatMap((n) => [...triggered.get(n)!]));
  // an engine sharing the first one's selection selects the same pods
  const selecting = (e: Engine) => (e.sharesSelectionOf(engine) ? [engine] : [engine, e]);
  const focus = selectedBy(allIds, selecting(other));
  const diffs = compareEngines(engine, other, focus, names.every((n) => EGRESS_ONLY.includes(n)));
  if (!diffs.length) return [];
  const ciliumIsMine = s.mode === 'cilium';
  // which differences each deviation causes alone
  const alone = new Map<DeviationName, Difference[]>();
  const focusOf = new Map<DeviationName, (p: Peer) => boolean>();
  for (const n of names) {
    if (names.length === 1) {
      alone.set(n, diffs);
      focusOf.set(n, focus);
      continue;
    }
    const single = new Engine(quietCopy(engine.cluster), switched(s, [n]), shares([n]));
    const f = selectedBy(triggered.get(n)!, selecting(single));
    focusOf.set(n, f);
    alone.set(n, compareEngines(engine, single, f, EGRESS_ONLY.includes(n)));
  }
  const byId = new Map(engine.peers.map((p) => [p.id, p]));
  const out: DeviationFinding[] = [];
  const index = new Map(names.length === 1 ? [] : [...alone].map(([n, l]) => [n, new DifferenceIndex(l)]));
  for (const n of names) {
    const f = focusOf.get(n)!;
    const listed = names.length === 1 ? diffs : diffs.filter((d) => {
      if (index.get(n)!.overlaps(d)) return true;
      if (names.some((m) => index.get(m)!.overlaps(d))) return false;
      // only the combination changes it: every deviation whose policies select one of its ends
      return [d.src, d.dst].some((id) => { const p = byId.get(id); return !!p && f(p); });
    });
    if (!listed.length) continue;
    out.push({
      deviation: n,
      policies: [...triggered.get(n)!].sort(),
      differences: listed.map((d) => ({ src: d.src, dst: d.dst, specification: ciliumIsMine ? d.b : d.a, cilium: ciliumIsMine ? d.a : d.b })),
    });
  }
  return out;
}

function policyId(d: PolicyDoc): string {
  return `NetworkPolicy ${d.namespace}/${d.name}`;
}

function switched(s: Semantics, names: DeviationName[]): Semantics {
  const deviations = { ...s.deviations };
  for (const n of names) deviations[n] = !deviations[n];
  return { ...s, deviations };
}

/** The cluster for a second engine, whose diagnostics are not the user's. */
function quietCopy(c: Cluster): Cluster {
  return { ...c, diagnostics: [] };
}

const EXAMPLES = 3;

/** One warning per finding, at the first triggering policy. */
export function deviationDiagnostics(engine: Engine, findings: DeviationFinding[]): Diagnostic[] {
  const s = engine.semantics;
  const cilium = `Cilium ${s.ciliumVersion}`;
  return findings.map((f) => {
    const first = engine.cluster.policies.find((p) => p.kind === 'NetworkPolicy' && policyId(p) === f.policies[0])!;
    const n = f.differences.length;
    const says = (t: string) => (t === 'No Connections' ? 'nothing' : t);
    const examples = f.differences.slice(0, EXAMPLES).map((d) => `${d.src} => ${d.dst}: the specification allows ${says(d.specification)}, ${cilium} allows ${says(d.cilium)}`).join('; ');
    const analysed = s.mode === 'cilium'
      ? `this analysis follows ${cilium}; cni "kubernetes" (--cni kubernetes) gives the specification's verdicts`
      : `this analysis follows the specification; cni "cilium@${s.ciliumVersion}" (--cni cilium@${s.ciliumVersion}) gives Cilium's verdicts`;
    const who = f.policies.length > 3 ? `${f.policies.slice(0, 3).join(', ')} and ${f.policies.length - 3} more` : f.policies.join(', ');
    return {
      ...first.source,
      severity: 'warning' as const,
      code: `cni-deviation/${DEVIATION_IDS[f.deviation]}`,
      object: f.policies[0],
      message: `${who}: ${DEVIATION_TITLES[f.deviation]}; ${n} connection${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''}, e.g. ${examples}${n > EXAMPLES ? '; ...' : ''} (${analysed})`,
    };
  });
}

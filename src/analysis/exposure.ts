/**
 * Exposure analysis: what the policies open each workload to beyond the workloads of the input
 * (netpol-analyzer `--exposure`: np-guard/netpol-analyzer pkg/netpol/connlist exposure_analysis.go,
 * exposure_map.go; pkg/netpol/eval exposure.go, internal/k8s representative_selectors.go).
 *
 * - A workload no policy selects in a direction (no NetworkPolicy isolating it, no
 *   AdminNetworkPolicy or BaselineAdminNetworkPolicy rule of that direction) is "not protected":
 *   open to the entire cluster on every connection.
 * - Otherwise, `entire-cluster`: what the rules that select every namespace (a peer with an empty
 *   namespace selector and no or an empty pod selector, a rule without peers) allow, across the
 *   tiers as the engine evaluates them (check.go allAllowedXgressConnsConsideringAllLayersConns).
 * - Representative peers: one per rule selector pair that names namespaces or pods by labels
 *   (netpol.go getSelectorsAndUpdateExposureClusterWideConns, adminnetpol.go
 *   getSelectorsFromNamespacesOrPodsFieldsAndUpdateExposureClusterWideConns), minus those a workload
 *   of the input matches exactly (exposure.go removeRepresentativePeersMatchingLabels: matchLabels
 *   only). A rule matches a representative peer only when its selectors are the same requirements
 *   (SelectorsFullMatch) or empty. A representative peer is listed when what it gets differs from
 *   the entire-cluster connections (exposure_map.go addConnToExposureMap).
 * - Named ports towards peers not in the input stay names (`TCP http`; a network-policy API named
 *   port has no protocol: ` http`); ingress entire-cluster names resolve on the workload's own
 *   container ports (pod.go UpdatePodXgressExposureToEntireClusterData).
 *
 * Computed only when asked: nothing here runs during the connectivity analysis itself.
 */
import { Engine } from './engine';
import { FocusConnection } from './focus';
import { Direction, Peer, RuleModel, WrittenPort, WrittenRule, WrittenSelectorPeer } from './model';
import { ConnSet, PORT_MAX, PORT_MIN } from './ports';
import { CompiledSelector, Labels, Requirement, selectorText as labelSelectorText } from './selectors';
import { LabelSelector } from '../wire/kubernetes/meta';
import { CILIUM_CLUSTER_KEY, CILIUM_NAMESPACE_LABELS_PREFIX, CILIUM_POD_NAMESPACE_KEY, NAMESPACE_NAME_LABEL } from '../wire/labels';

/** Connections with named ports kept as names (per protocol; `''`: the container port's protocol). */
export class ExposureConn {
  static readonly EMPTY = new ExposureConn(ConnSet.EMPTY, new Map(), false);

  static all(universe: string[]): ExposureConn {
    let a = ALLS.get(universe);
    if (!a) ALLS.set(universe, (a = new ExposureConn(ConnSet.all(universe), new Map(), true)));
    return a;
  }

  static of(set: ConnSet): ExposureConn {
    return set.isEmpty() ? ExposureConn.EMPTY : new ExposureConn(set, new Map(), false);
  }

  private text?: string;

  /**
   * @param allNamed every named port too (the set came from "all connections"): names are then
   * covered and not listed
   */
  constructor(readonly set: ConnSet, readonly named: ReadonlyMap<string, ReadonlySet<string>>, readonly allNamed: boolean) {}

  isEmpty(): boolean {
    return this.set.isEmpty() && !this.allNamed && this.named.size === 0;
  }

  union(o: ExposureConn): ExposureConn {
    if (o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    return new ExposureConn(this.set.union(o.set), mergeNamed(this.named, o.named, (a, b) => a || b), this.allNamed || o.allNamed);
  }

  subtract(o: ExposureConn): ExposureConn {
    if (o.isEmpty() || this.isEmpty()) return this;
    const named = o.allNamed ? new Map() : mergeNamed(this.named, o.named, (a, b) => a && !b);
    return new ExposureConn(this.set.subtract(o.set), named, this.allNamed && !o.allNamed);
  }

  intersect(o: ExposureConn): ExposureConn {
    const named = this.allNamed ? o.named : o.allNamed ? this.named : mergeNamed(this.named, o.named, (a, b) => a && b);
    return new ExposureConn(this.set.intersect(o.set), named, this.allNamed && o.allNamed);
  }

  /** The focus connection when this allows all of it. */
  contains(c: FocusConnection): boolean {
    return this.set.contains(c.protocol, c.port);
  }

  /** Named ports resolved on the workload's container ports (a name without a container port stays a name). */
  resolveOn(w: Peer): ExposureConn {
    if (!this.named.size) return this;
    let set = this.set;
    const named = new Map<string, Set<string>>();
    for (const [protocol, names] of this.named) {
      for (const n of names) {
        const cp = w.workload?.ports.find((p) => p.name === n);
        if (cp && cp.port >= PORT_MIN) set = set.union(ConnSet.of(protocol || cp.protocol, [[cp.port, cp.port]]));
        else named.set(protocol, (named.get(protocol) ?? new Set()).add(n));
      }
    }
    return new ExposureConn(set, named, this.allNamed);
  }

  /** netpol-analyzer ConnectionSet.String(): protocol groups sorted, numbers then names (sorted) per protocol. */
  toString(universe: string[]): string {
    // one universe per analysis: the text is kept
    return (this.text ??= this.computeString(universe));
  }

  private computeString(universe: string[]): string {
    if (this.set.isAll(universe)) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    const groups = new Map<string, string[]>();
    for (const [p, iv] of this.set.protocols) groups.set(p, [iv.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(',')]);
    if (!this.allNamed) {
      for (const [p, names] of this.named) groups.set(p, [...(groups.get(p) ?? []), ...[...names].sort()]);
    }
    return [...groups.entries()].map(([p, parts]) => `${p} ${parts.join(',')}`).sort().join(',');
  }
}

/** `all` per protocol universe (one per analysis mode). */
const ALLS = new WeakMap<string[], ExposureConn>();

function mergeNamed(a: ReadonlyMap<string, ReadonlySet<string>>, b: ReadonlyMap<string, ReadonlySet<string>>,
  keep: (inA: boolean, inB: boolean) => boolean): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of new Set([...a.keys(), ...b.keys()])) {
    const names = new Set<string>();
    for (const n of new Set([...(a.get(p) ?? []), ...(b.get(p) ?? [])])) if (keep(!!a.get(p)?.has(n), !!b.get(p)?.has(n))) names.add(n);
    if (names.size) out.set(p, names);
  }
  return out;
}

/** The connections of written ports, named ports kept as names. */
function writtenConn(ports: readonly WrittenPort[] | undefined, universe: string[]): ExposureConn {
  if (!ports) return ExposureConn.all(universe);
  let set = ConnSet.EMPTY;
  const named = new Map<string, Set<string>>();
  for (const p of ports) {
    if (p.named !== undefined) named.set(p.protocol ?? '', (named.get(p.protocol ?? '') ?? new Set()).add(p.named));
    else set = set.union(ConnSet.of(p.protocol ?? 'TCP', [[p.start ?? PORT_MIN, p.end ?? PORT_MAX]]));
  }
  return new ExposureConn(set, named, false);
}

// ---- label selectors compared as netpol-analyzer compares them

interface SelectorRequirement { key: string; op: string; values: string[] }

function requirements(sel: LabelSelector): SelectorRequirement[] {
  const reqs: SelectorRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=', values: [String(v ?? '')] }));
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).map(String);
    // an In with one value is the same requirement as matchLabels (representative_selectors.go replaceStringOfRequirementWithInOpAndSingleValue)
    reqs.push({ key: e.key, op: e.operator === 'In' && values.length === 1 ? '=' : e.operator, values });
  }
  return reqs;
}

const canonicalCache = new WeakMap<LabelSelector, string>();

/** k8s.io/apimachinery labels.Requirement String() of each requirement (values sorted), sorted; memoised per selector object. */
function canonical(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  let c = canonicalCache.get(sel);
  if (c === undefined) canonicalCache.set(sel, (c = computeCanonical(sel)));
  return c;
}

function computeCanonical(sel: LabelSelector): string {
  return requirements(sel).map((r) => {
    const v = [...r.values].sort();
    switch (r.op) {
      case '=': return `${r.key}=${v[0]}`;
      case 'In': return `${r.key} in (${v.join(',')})`;
      case 'NotIn': return `${r.key} notin (${v.join(',')})`;
      case 'Exists': return r.key;
      default: return `!${r.key}`;
    }
  }).sort().join(',');
}

function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !!sel && !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
}

/** SelectorsFullMatch: an empty rule selector matches everything; otherwise the same requirements (a nil selector has none and matches nothing). */
function fullMatch(rule: LabelSelector, rep: LabelSelector | undefined): boolean {
  if (isEmptySelector(rule)) return true;
  return rep !== undefined && canonical(rule) === canonical(rep);
}

/** doesRuleSelectAllNamespaces: an empty namespace selector with no or an empty pod selector. */
function selectsAllNamespaces(p: WrittenSelectorPeer): boolean {
  return isEmptySelector(p.namespaceSelector) && (!p.podSelector || isEmptySelector(p.podSelector));
}

/** A peer inferred from a rule selector: pods or namespaces that may exist beyond the input. */
export interface RepresentativePeer {
  /** Never undefined: a NetworkPolicy peer without namespace selector pins the policy's namespace by name. */
  readonly namespaceSelector: LabelSelector;
  /** undefined: every pod. */
  readonly podSelector?: LabelSelector;
  /** The policy's namespace, for a NetworkPolicy peer without namespace selector ('' otherwise). */
  readonly namespace: string;
  readonly key: string;
}

/** Does the rule (selector peers as written) match the representative peer? (netpols_common.go checkSelectorsMatchForPeer, adminnetpol.go doesPodsFieldMatchPeer) */
function ruleMatchesRepresentative(w: WrittenRule, rep: RepresentativePeer): boolean {
  if (w.anyPeer) return true;
  return w.selectorPeers.some((p) => selectorPeerMatches(p, rep, w.policyNamespace));
}

function selectorPeerMatches(p: WrittenSelectorPeer, rep: RepresentativePeer, policyNamespace: string | undefined): boolean {
  const ns = p.namespaceSelector ? fullMatch(p.namespaceSelector, rep.namespaceSelector) : policyNamespace === rep.namespace;
  return ns && (!p.podSelector || fullMatch(p.podSelector, rep.podSelector));
}

function ruleSelectsEntireCluster(w: WrittenRule): boolean {
  return w.anyPeer || w.selectorPeers.some(selectsAllNamespaces);
}

/** Representative peers of the enforced policies' rules, deduplicated, minus those a workload of the input matches. */
export function representativePeers(engine: Engine): RepresentativePeer[] {
  const found = new Map<string, RepresentativePeer>();
  const add = (nsSel: LabelSelector | undefined, podSel: LabelSelector | undefined, policyNamespace: string | undefined) => {
    // a NetworkPolicy peer without namespace selector: the policy's namespace, by name (resources.go addRepresentativePod)
    const namespace = !nsSel && policyNamespace !== undefined ? policyNamespace : '';
    const namespaceSelector = nsSel ?? (namespace ? { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } : {});
    const key = `${canonical(namespaceSelector)}/${canonical(podSel)}`;
    if (!found.has(key)) found.set(key, { namespaceSelector, podSelector: podSel, namespace, key });
  };
  for (const p of engine.policies) {
    for (const r of p.rules) {
      const w = r.written;
      if (!w || w.anyPeer) continue;
      // a NetworkPolicy rule that selects every namespace gives no representative peer (netpol.go returns at it)
      if (w.policyNamespace !== undefined && w.selectorPeers.some(selectsAllNamespaces)) continue;
      for (const sp of w.selectorPeers) if (!selectsAllNamespaces(sp)) add(sp.namespaceSelector, sp.podSelector, w.policyNamespace);
    }
  }
  const onlyLabels = (s: LabelSelector) => !(s.matchExpressions ?? []).length && Object.keys(s.matchLabels ?? {}).length > 0;
  const within = (labels: Labels | undefined, want: Labels) => Object.entries(want).every(([k, v]) => labels?.[k] === v);
  return [...found.values()].filter((rep) => {
    const pod = rep.podSelector;
    if (!pod || !onlyLabels(pod) || !onlyLabels(rep.namespaceSelector)) return true;
    return !engine.workloadPeers.some((w) => within(w.labels, pod.matchLabels!) && within(w.nsLabels, rep.namespaceSelector.matchLabels!));
  }).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** How a representative peer is written: `ns/[pod with {...}]`, `[namespace with {...}]/[all pods]`, `[all namespaces]/...` (conns_formatter.go). */
export function representativeName(rep: RepresentativePeer): string {
  const [ns, pod] = representativeLabels(rep);
  return `${ns === namespaceName(rep.namespaceSelector) ? ns : `[${ns}]`}/[${pod}]`;
}

/** The namespace and pod texts without brackets (conns_formatter.go getRepresentativeNamespaceString with txtOutFlag false). */
function representativeLabels(rep: RepresentativePeer): [string, string] {
  return [namespaceName(rep.namespaceSelector) ?? namespaceText(rep.namespaceSelector), podText(rep.podSelector)];
}

/** The namespace name a selector of only `kubernetes.io/metadata.name` names. */
function namespaceName(sel: LabelSelector): string | undefined {
  const ml = sel.matchLabels ?? {};
  const only = Object.keys(ml).length === 1 && ml[NAMESPACE_NAME_LABEL] !== undefined && !(sel.matchExpressions ?? []).length;
  return only ? ml[NAMESPACE_NAME_LABEL] : undefined;
}

function namespaceText(sel: LabelSelector): string {
  return isEmptySelector(sel) ? 'all namespaces' : `namespace with {${selectorText(sel)}}`;
}

function podText(sel: LabelSelector | undefined): string {
  return !sel || isEmptySelector(sel) ? 'all pods' : `pod with {${selectorText(sel)}}`;
}

/** A selector as the exposure report writes it, `{}` when empty or absent. */
export function selectorDisplay(sel: LabelSelector | undefined): string {
  return `{${sel ? selectorText(sel) : ''}}`;
}

/** writeLabelSelectorAsString: matchLabels as `k=v` sorted, then each expression as Go prints the struct, sorted. */
function selectorText(sel: LabelSelector): string {
  const parts: string[] = [];
  const ml = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels![k]}`);
  if (ml.length) parts.push(ml.join(','));
  const me = (sel.matchExpressions ?? []).map((e) => `{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],}`).sort();
  if (me.length) parts.push(me.join(','));
  return parts.join(',');
}

// ---- the exposure of one workload

/** One line of a workload's exposure: the peer beyond the input and what it may get. */
export interface ExposureItem {
  /** `entire-cluster`, a representative peer name, or an address range `a-b[External]` from the connection list. */
  readonly peer: string;
  /** `entire-cluster`, `representative`, `selector` (Cilium), or the connection list's peer type: `external`, `entity`, `fqdn`, `group`, `service`. */
  readonly kind: string;
  readonly representative?: RepresentativePeer;
  /** Representative peers and Cilium selectors: the namespace and pod texts without brackets, as the dot graph labels them. */
  readonly graphLabels?: [string, string];
  /** The connections (text): `All Connections`, `TCP 80,UDP 53`, `TCP http`, `No Connections` for an exception to entire-cluster. */
  readonly conn: string;
}

export interface WorkloadExposureResult {
  readonly workload: Peer;
  /** undefined: the direction was not analysed (focus direction) */
  readonly ingressProtected: boolean;
  readonly egressProtected: boolean;
  readonly ingress: ExposureItem[];
  readonly egress: ExposureItem[];
}

export interface ExposureOptions {
  readonly workloads: Peer[];
  readonly directions: Direction[];
  readonly focusConn?: FocusConnection;
  /** Connection-list lines to and from addresses outside the cluster (the report's, after focus). */
  readonly externalConns: { readonly src: Peer; readonly dst: Peer; readonly conn: string }[];
}

/**
 * The exposure of each workload (netpol-analyzer buildExposedPeerListFromExposureMaps): only
 * workloads with something to say are returned, sorted by id.
 */
export function computeExposure(engine: Engine, o: ExposureOptions): WorkloadExposureResult[] {
  const u = engine.universe;
  const reps = representativePeers(engine);
  const out: WorkloadExposureResult[] = [];
  const outsideOf = new Map<Peer, ExposureOptions['externalConns']>();
  for (const e of o.externalConns) {
    for (const p of [e.src, e.dst]) {
      if (isOutsidePeer(p)) continue;
      const list = outsideOf.get(p);
      if (list) list.push(e);
      else outsideOf.set(p, [e]);
    }
  }
  // with a focus connection only it is shown, where it is allowed (exposure_map.go addPeerXgressEntireClusterExp)
  const fc = o.focusConn;
  const focusOnly = (c: ExposureConn) => (!fc ? c : c.contains(fc) ? ExposureConn.of(ConnSet.of(fc.protocol, [[fc.port, fc.port]])) : undefined);
  for (const w of o.workloads) {
    const res = { ingress: [] as ExposureItem[], egress: [] as ExposureItem[], ingressProtected: true, egressProtected: true };
    let listed = false;
    for (const dir of o.directions) {
      const side = engine.sideRules(dir, w);
      const isProtected = !!side && (side.isolatedBy.length > 0 || side.admin.length > 0 || side.baseline.length > 0);
      const items = res[dir];
      if (!isProtected) {
        res[`${dir}Protected`] = false;
        items.push({ peer: 'entire-cluster', kind: 'entire-cluster', conn: 'All Connections' });
        listed = true;
        continue;
      }
      // entire-cluster: the rules that select every namespace, named ports kept (ingress: resolved on w)
      let cluster = fold(engine, dir, w, (r) => !!r.written && ruleSelectsEntireCluster(r.written), (r) => writtenConn(r.written?.ports, u));
      if (dir === 'ingress') cluster = cluster.resolveOn(w);
      const shownCluster = cluster.isEmpty() ? undefined : focusOnly(cluster);
      if (shownCluster) {
        items.push({ peer: 'entire-cluster', kind: 'entire-cluster', conn: shownCluster.toString(u) });
        listed = true;
      }
      // Cilium rules (cilium.ts ciliumWritten): the peers they name that may lie beyond the input
      for (const item of ciliumItems(engine, side.rules, w)) {
        let shown = focusOnly(item.c);
        if (!shown) continue;
        const at = items.findIndex((i) => i.peer === item.peer);
        if (at >= 0 && shownCluster) shown = shownCluster.union(shown);
        const entry = { peer: item.peer, kind: item.kind, graphLabels: item.graphLabels, conn: shown.toString(u) };
        if (at >= 0) items[at] = entry;
        else items.push(entry);
        listed = true;
      }
      const repConns = representativeConns(engine, dir, w, reps);
      for (let i = 0; i < reps.length; i++) {
        const rep = reps[i];
        let c = repConns[i];
        if (o.focusConn) {
          const f = focusOnly(c);
          if (!f) continue;
          c = f;
        }
        // listed only when it differs from the entire-cluster connections (exposure_map.go connectionEqualsEntireClusterConn)
        const general = cluster.isEmpty() ? undefined : (o.focusConn && shownCluster ? shownCluster : cluster);
        if (general ? c.toString(u) === general.toString(u) : c.isEmpty()) continue;
        items.push({ peer: representativeName(rep), kind: 'representative', representative: rep, graphLabels: representativeLabels(rep), conn: c.toString(u) });
        listed = true;
      }
    }
    if (!listed) continue;
    // the connection list's lines with peers outside the cluster join every exposed workload's
    // sections: address ranges (netpol-analyzer), and Cilium entities, FQDNs, groups and Services without selector
    for (const e of outsideOf.get(w) ?? []) {
      if (e.dst === w && isOutsidePeer(e.src)) res.ingress.push({ peer: e.src.id, kind: e.src.type, conn: e.conn });
      if (e.src === w && isOutsidePeer(e.dst)) res.egress.push({ peer: e.dst.id, kind: e.dst.type, conn: e.conn });
    }
    out.push({ workload: w, ...res });
  }
  return out;
}

/** Peers of the connection list that stand for something outside the input's workloads. */
const OUTSIDE_TYPES: string[] = ['external', 'entity', 'fqdn', 'group', 'service'];

/** Is the peer one of those (an address range, a Cilium entity, an FQDN, a group, a Service without selector)? */
export function isOutsidePeer(p: Peer): boolean {
  return OUTSIDE_TYPES.includes(p.type);
}

interface CiliumItem {
  readonly peer: string;
  readonly kind: 'entire-cluster' | 'selector';
  readonly c: ExposureConn;
  readonly graphLabels?: [string, string];
}

/**
 * The peers Cilium allow rules of a side name that may lie beyond the input (our grammar, README
 * "Exposure analysis"): `entire-cluster` for rules without L3 peer (L4-only) and the `cluster` and
 * `all` entities; `ns/[endpoints with {...}]`, `[namespace with {...}]/[endpoints with {...}]` or
 * `[all namespaces]/[endpoints with {...}]` for endpoint selectors, as Cilium applies them, unless
 * they are only `key=value` pairs in one namespace and a workload of the input matches them (as
 * netpol-analyzer drops such representative peers). Deny rules are not subtracted: the
 * connections are an upper bound of what such a peer may get, never less.
 */
function ciliumItems(engine: Engine, rules: RuleModel[], w: Peer): CiliumItem[] {
  const byPeer = new Map<string, { kind: CiliumItem['kind']; c: ExposureConn; graphLabels?: [string, string] }>();
  const add = (peer: string, kind: CiliumItem['kind'], c: ExposureConn, graphLabels?: [string, string]) => {
    const prev = byPeer.get(peer);
    byPeer.set(peer, { kind, c: prev ? prev.c.union(c) : c, graphLabels });
  };
  for (const r of rules) {
    const cw = r.ciliumWritten;
    if (!cw || r.deny) continue;
    const c = ExposureConn.of(r.staticConn ?? r.conn(w));
    if (c.isEmpty()) continue;
    if (cw.anyPeer || cw.entities.some((e) => e === 'cluster' || e === 'all')) add('entire-cluster', 'entire-cluster', c);
    for (const reqs of cw.endpointSelectors) {
      const shown = reqs.filter((q) => !(q.key === CILIUM_CLUSTER_KEY && q.operator === 'In' && q.values.length === 1 && q.values[0] === engine.semantics.agent.clusterName));
      if (shown.length === 1 && shown[0].key === CILIUM_POD_NAMESPACE_KEY && shown[0].operator === 'Exists') {
        add('entire-cluster', 'entire-cluster', c);
        continue;
      }
      const pinned = shown.filter((q) => q.key === CILIUM_POD_NAMESPACE_KEY && q.operator === 'In' && q.values.length === 1);
      const onlyPairs = shown.every((q) => q.operator === 'In' && q.values.length === 1);
      const podReqs = shown.filter((q) => q.key !== CILIUM_POD_NAMESPACE_KEY && !q.key.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX));
      if (onlyPairs && pinned.length && podReqs.length && matchesAWorkload(engine, reqs, shown)) continue;
      const labels = ciliumSelectorLabels(shown);
      add(`${labels[2] ? labels[0] : `[${labels[0]}]`}/[${labels[1]}]`, 'selector', c, [labels[0], labels[1]]);
    }
  }
  return [...byPeer.entries()].map(([peer, v]) => ({ peer, kind: v.kind, c: v.c, graphLabels: v.graphLabels }));
}

/** Does a workload of the input match the selector? Memoised per selector (one per rule, shared by the workloads it applies to). */
const workloadMatch = new WeakMap<Engine, WeakMap<readonly Requirement[], boolean>>();
function matchesAWorkload(engine: Engine, key: readonly Requirement[], reqs: readonly Requirement[]): boolean {
  let m = workloadMatch.get(engine);
  if (!m) workloadMatch.set(engine, (m = new WeakMap()));
  let v = m.get(key);
  if (v === undefined) {
    const sel = new CompiledSelector(reqs, '');
    m.set(key, (v = engine.workloadPeers.some((p) => sel.matches(p.ciliumLabels))));
  }
  return v;
}

/**
 * The texts of `ns/[endpoints with {app=web}]`, `[namespace with {team=payments}]/[all endpoints]`,
 * `[all namespaces]/[endpoints with {...}]`: namespace, endpoints, and whether the namespace is a name.
 */
function ciliumSelectorLabels(reqs: readonly Requirement[]): [string, string, boolean] {
  const nsName = reqs.find((q) => q.key === CILIUM_POD_NAMESPACE_KEY && q.operator === 'In' && q.values.length === 1);
  const nsLabels = reqs.filter((q) => q.key.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX))
    .map((q) => ({ ...q, key: q.key.slice(CILIUM_NAMESPACE_LABELS_PREFIX.length) }));
  const rest = reqs.filter((q) => q !== nsName && !q.key.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX) && !(q.key === CILIUM_POD_NAMESPACE_KEY && q.operator === 'Exists'));
  const ns = nsName ? nsName.values[0] : nsLabels.length ? `namespace with {${labelSelectorText(nsLabels)}}` : 'all namespaces';
  return [ns, rest.length ? `endpoints with {${labelSelectorText(rest)}}` : 'all endpoints', !!nsName];
}

/**
 * One side as the engine evaluates it (engine.ts tieredResultOf), for a remote peer given by a rule
 * predicate: Admin rules first match, then the NetworkPolicy tier (when it isolates) or the Baseline
 * tier, connections from `connOf`.
 */
function fold(engine: Engine, dir: Direction, subject: Peer, matches: (r: RuleModel) => boolean,
  connOf: (r: RuleModel) => ExposureConn): ExposureConn {
  const side = engine.sideRules(dir, subject);
  const all = ExposureConn.all(engine.universe);
  if (!side) return all;
  return foldRules(all, side.isolatedBy.length > 0, side.admin, side.rules, side.baseline, matches, connOf);
}

function foldRules(all: ExposureConn, isolated: boolean, admin: RuleModel[], rules: RuleModel[], baseline: RuleModel[],
  matches: (r: RuleModel) => boolean, connOf: (r: RuleModel) => ExposureConn): ExposureConn {
  let done = ExposureConn.EMPTY;
  let allowed = ExposureConn.EMPTY;
  let decided = ExposureConn.EMPTY;
  for (const r of admin) {
    if (!matches(r)) continue;
    const c = connOf(r);
    const fresh = c.subtract(done);
    done = done.union(c);
    if (r.action === 'allow') allowed = allowed.union(fresh);
    if (r.action !== 'pass') decided = decided.union(fresh);
  }
  let below: ExposureConn;
  if (isolated) {
    below = ExposureConn.EMPTY;
    for (const r of rules) if (!r.deny && matches(r)) below = below.union(connOf(r));
    for (const r of rules) if (r.deny && matches(r)) below = below.subtract(connOf(r));
  } else {
    let bDone = ExposureConn.EMPTY;
    let bDeny = ExposureConn.EMPTY;
    for (const r of baseline) {
      if (!matches(r)) continue;
      const c = connOf(r);
      const fresh = c.subtract(bDone);
      bDone = bDone.union(c);
      if (r.action === 'deny') bDeny = bDeny.union(fresh);
    }
    below = all.subtract(bDeny);
  }
  return allowed.union(below.subtract(decided));
}

/**
 * What a workload may exchange with a representative peer in a direction: the workload's side
 * (its rules matching the representative peer) and the representative peer's own side (the
 * network-policy API policies whose subject it matches; no NetworkPolicy selects it, netpol.go Selects).
 */
/** Memo of exposure computations per engine: rule ids, the representative peers each rule matches, side results. */
interface ExposureMemo {
  readonly ruleIds: Map<RuleModel, number>;
  /** per rule as written (narrowed copies share it): the indexes of the representative peers it matches, or all */
  readonly repsOf: Map<WrittenRule, Set<number> | 'all'>;
  readonly sides: Map<string, ExposureConn>;
}
const memos = new WeakMap<Engine, ExposureMemo>();

function memoOf(engine: Engine): ExposureMemo {
  let m = memos.get(engine);
  if (!m) memos.set(engine, (m = { ruleIds: new Map(), repsOf: new Map(), sides: new Map() }));
  return m;
}

function ruleId(memo: ExposureMemo, r: RuleModel): number {
  let id = memo.ruleIds.get(r);
  if (id === undefined) memo.ruleIds.set(r, (id = memo.ruleIds.size));
  return id;
}

const repSides = new WeakMap<RepresentativePeer, Map<Direction, { admin: RuleModel[]; baseline: RuleModel[] }>>();

/** The network-policy API rules of a representative peer's own side (adminnetpol.go subjectSelectsPeer against its selectors). */
function representativeSide(engine: Engine, rep: RepresentativePeer, dir: Direction): { admin: RuleModel[]; baseline: RuleModel[] } {
  let m = repSides.get(rep);
  if (!m) repSides.set(rep, (m = new Map()));
  let r = m.get(dir);
  if (!r) {
    r = { admin: [], baseline: [] };
    for (const p of engine.tierPolicies) {
      const s = p.writtenSubject;
      if (!s || !fullMatch(s.namespaceSelector ?? {}, rep.namespaceSelector)) continue;
      if (s.podSelector && !fullMatch(s.podSelector, rep.podSelector)) continue;
      for (const rule of p.rules) if (rule.direction === dir) (p.tier === 'admin' ? r.admin : r.baseline).push(rule);
    }
    m.set(dir, r);
  }
  return r;
}

/**
 * What a workload may exchange with each representative peer in a direction: the workload's side
 * (its rules matching the representative peer) and the representative peer's own side (the
 * network-policy API policies whose subject it matches; no NetworkPolicy selects it, netpol.go
 * Selects). Representative peers that the side's rules match alike share one result.
 */
function representativeConns(engine: Engine, dir: Direction, w: Peer, reps: RepresentativePeer[]): ExposureConn[] {
  const u = engine.universe;
  const all = ExposureConn.all(u);
  const memo = memoOf(engine);
  const side = engine.sideRules(dir, w);
  // towards the representative peer named ports stay names; towards w they resolve on w's container ports
  const towardsRep = (r: RuleModel) => writtenConn(r.written?.ports, u);
  const towardsW = (r: RuleModel) => (r.written && !r.written.ports ? all : ExposureConn.of(r.conn(w)));
  const connOf = dir === 'egress' ? towardsRep : towardsW;
  const repsOf = (wr: WrittenRule) => {
    let m = memo.repsOf.get(wr);
    if (!m) {
      const set = new Set<number>();
      reps.forEach((rep, i) => {
        if (ruleMatchesRepresentative(wr, rep)) set.add(i);
      });
      m = set.size === reps.length ? 'all' : set;
      memo.repsOf.set(wr, m);
    }
    return m;
  };
  // per representative peer, the side's rules that match it (rules matching every one are common)
  const common: RuleModel[] = [];
  const specific: RuleModel[][] = reps.map(() => []);
  for (const r of side ? [...side.admin, ...side.rules, ...side.baseline] : []) {
    if (!r.written) continue; // Cilium rules match no representative peer
    const m = repsOf(r.written);
    if (m === 'all') common.push(r);
    else for (const i of m) specific[i].push(r);
  }
  const isolated = !!side && side.isolatedBy.length > 0;
  const ids = (list: RuleModel[]) => list.map((r) => ruleId(memo, r)).join(',');
  const base = side ? `${dir}|${isolated}|${ids(side.admin)}|${ids(side.baseline)}|${ids(common)}` : '';
  const repDir: Direction = dir === 'egress' ? 'ingress' : 'egress';
  return reps.map((rep, i) => {
    let own: ExposureConn;
    if (side) {
      const matched = new Set([...common, ...specific[i]]);
      // sides that match the same rules give the same result (ingress: unless named ports resolve on w)
      const onW = dir === 'ingress' && [...matched].some((r) => !r.staticConn);
      const key = `${base}|${ids(specific[i])}|${onW ? w.index : ''}`;
      const known = memo.sides.get(key);
      own = known ?? foldRules(all, isolated, side.admin, side.rules, side.baseline, (r) => matched.has(r), connOf);
      if (!known) memo.sides.set(key, own);
    } else {
      own = all;
    }
    if (own.isEmpty()) return own;
    // the representative peer's side: ingress when w sends to it, egress when it sends to w
    const { admin, baseline } = representativeSide(engine, rep, repDir);
    if (!admin.length && !baseline.length) return own;
    return own.intersect(foldRules(all, false, admin, [], baseline, (r) => r.matchPeer(w), connOf));
  });
}

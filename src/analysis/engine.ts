/**
 * The connectivity engine: peers, per-workload policy selection, per-rule peer matches, and the
 * allowed connections of every (source, destination) pair.
 *
 * A connection is allowed when the egress side of the source and the ingress side of the
 * destination both allow it. Per direction, a workload selected by an isolating policy (Kubernetes
 * policyTypes, or Cilium default-deny) allows only the union of the allow rules of all policies
 * selecting it; Cilium deny rules are subtracted in every case (deny beats allow). Peers outside
 * the cluster have no policies of their own, so their side allows everything.
 */
import { compileCiliumPolicy } from './cilium';
import { Cluster, clusterNamedPorts, NAMESPACE_NAME_LABEL, Workload } from './cluster';
import { ConnectionList, ConnectionResult } from './connection-list';
import { entityIdentity, hasLabel, nodeIdentity, podIdentity, reservedLabel, WORLD_IDENTITY } from './identity';
import { atomize, formatRange, IpSet } from './ipranges';
import { compileNetworkPolicy, policyDiagnostic } from './kubernetes';
import { Diagnostic } from './load';
import { CompileContext, Direction, Peer, PeerScope, PolicyModel, RequirementModel, RuleModel } from './model';
import { compilePolicyApi, compareTierPolicies, isPolicyApiKind, orderDefined, TierPolicyModel } from './policy-api';
import { policyApiDiagnostics } from './policy-api-diagnostics';
import { ConnSet, ICMP_PROTOCOLS, L4_PROTOCOLS } from './ports';
import { allowsLocalhost, DEFAULT_CILIUM_VERSION, defaultMode, Semantics, semanticsFor } from './semantics';

export const INGRESS_CONTROLLER_ID = '{ingress-controller}';
export const INGRESS_CONTROLLER_NAMESPACE = 'ingress-controller-ns';

export type { ConnectionResult } from './connection-list';

/**
 * One step of a side's decision across the tiers of the network-policy API: the connections a
 * rule decided first (Admin and Baseline tiers), those left to the NetworkPolicy tier, and those
 * no rule matched (allowed by default).
 */
export interface TierStep {
  readonly tier: 'admin' | 'networkpolicy' | 'baseline' | 'default';
  readonly action: 'allow' | 'deny' | 'pass';
  /** The rule (none for the default and for the NetworkPolicy tier, whose rules are in allowedBy/deniedBy). */
  readonly rule?: string;
  readonly conn: ConnSet;
}

export interface SideVerdict {
  /** The side is not restricted (peer outside the cluster, or not isolated and nothing denied). */
  readonly unrestricted: boolean;
  readonly isolatedBy: string[];
  readonly allowedBy: { rule: string; conn: ConnSet }[];
  readonly deniedBy: { rule: string; conn: ConnSet }[];
  readonly conn: ConnSet;
  /** Set when network-policy API rules apply to the subject: the decision tier by tier, in order. */
  readonly tiers?: TierStep[];
}

/** The network-policy API rules of one side of a subject, in evaluation order. */
interface TierRules {
  readonly admin: RuleModel[];
  readonly baseline: RuleModel[];
}

const NO_TIER_RULES: TierRules = { admin: [], baseline: [] };
const emptyTierRules = (): TierRules => ({ admin: [], baseline: [] });

/**
 * The policy profile of one side of a workload: the rules that can change its result (all of them
 * when isolated, else only deny rules). Workloads with the same profile share one result row.
 */
interface SideProfile {
  readonly direction: Direction;
  readonly isolated: boolean;
  readonly rules: RuleModel[];
  /** Admin tier rules in order (evaluated before `rules`) and Baseline tier rules in order (after them; only when not isolated). */
  readonly admin: RuleModel[];
  readonly baseline: RuleModel[];
  readonly tiered: boolean;
  /** egress rules with named ports: results also depend on the destination's container ports */
  readonly dstDependent: boolean;
  /** a workload with this profile (for ingress, the destination whose named ports the rules resolve) */
  readonly subject: Peer;
  /** per remote peer index: the index of the side's result in Engine.sideResults (built on first use) */
  row?: ResultRow;
}

/** Side result ids per remote peer index. */
export type ResultRow = Int32Array | Uint16Array;

/** Peer indexes, ascending, by what a PeerScope names (model.ts). */
interface PeerIndex {
  /** Pods (workloads, ingress controller) by namespace. */
  readonly podsByNamespace: Map<string, number[]>;
  /** Pods by their namespace labels object (`{}` when unset): the pods of a namespace share one. */
  readonly podsByNsLabels: Map<Readonly<Record<string, string>>, number[]>;
  readonly byType: Map<string, number[]>;
  /** Peers by the value of a Cilium identity label, per key (built per key on first use). */
  readonly byCiliumLabel: Map<string, Map<string, number[]>>;
}

interface RuleMatches {
  /** peer indexes */
  readonly peers: Int32Array;
  /** the rule matches all peers except these */
  readonly complement: boolean;
}

/** id of `all` in Engine.sideResults */
const ALL_ID = 0;
/** How explain names the allow-localhost exemption. */
const LOCALHOST_RULE = 'the local node: allow-localhost lets the node reach the pods on it whatever their ingress rules (Cilium pkg/policy determineAllowLocalhostIngress; set ciliumAgent.allowLocalhost to "policy" to let the rules decide)';

/** The union of two ascending lists of distinct numbers, ascending. */
function mergeSorted(a: number[], b: number[]): number[] {
  if (!b.length) return a;
  if (!a.length) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/** Whether two engines have the same policies (by id, in order) and the same peers (by id, at the same indexes). */
function sameShape(a: Engine, b: Engine): boolean {
  if (a.policies.length !== b.policies.length || a.peers.length !== b.peers.length || a.subjectPeers.length !== b.subjectPeers.length) return false;
  if (a.tierPolicies.length !== b.tierPolicies.length) return false;
  return a.policies.every((p, i) => p.id === b.policies[i].id && p.rules.length === b.policies[i].rules.length)
    && a.peers.every((p, i) => p.id === b.peers[i].id)
    && a.subjectPeers.every((p, i) => p.index === b.subjectPeers[i].index);
}

export class Engine {
  readonly peers: Peer[] = [];
  readonly workloadPeers: Peer[] = [];
  /** Node peers (from Node manifests). */
  readonly nodePeers: Peer[] = [];
  /** Peers policies apply to: workloads, and nodes (Cilium host policies). */
  readonly subjectPeers: Peer[] = [];
  readonly srcPeers: Peer[] = [];
  readonly dstPeers: Peer[] = [];
  readonly policies: PolicyModel[] = [];
  /** The network-policy API policies enforced (kubernetes mode), in evaluation order (policy-api.ts compareTierPolicies). */
  readonly tierPolicies: TierPolicyModel[] = [];
  readonly universe: string[];
  readonly all: ConnSet;
  readonly diagnostics: Diagnostic[];
  /** Enforcement by Cilium (ICMP, nodes, allow-localhost); false for the Kubernetes specification. */
  readonly hasCilium: boolean;
  readonly semantics: Semantics;
  /** Nodes some Cilium host policy (nodeSelector) selects: their pairs with outside peers are listed too. */
  private readonly policedNodes = new Set<Peer>();
  ingressController?: Peer;
  private readonly ingressTargets = new Map<number, ConnSet>();
  /** per workload peer index; undefined = the side allows everything */
  private readonly profiles: { ingress: (SideProfile | undefined)[]; egress: (SideProfile | undefined)[] } = { ingress: [], egress: [] };
  /** distinct side results (interned), indexed by the profile rows; `all` is ALL_ID */
  private readonly sideResults: ConnSet[] = [];
  private readonly sideResultIndex = new Map<ConnSet, number>();
  /** side result id per (allowed, denied) running unions, by ConnSet ids */
  private readonly sideResultCache = new Map<number, Map<number, number>>();
  /** allowed connections per (egress result id, ingress result id) */
  private readonly meetCache: ConnSet[][] = [];
  /** a.union(b) by ConnSet ids: profiles share rules, so the same unions recur across profiles */
  private readonly unionCache = new Map<number, Map<number, ConnSet>>();
  /** one object per distinct union result (see union()) */
  private readonly unionResults = new Map<string, ConnSet>();
  private readonly ingressRules: RuleModel[][] = [];
  private readonly egressRules: RuleModel[][] = [];
  /** The local node's identities (the host, an API server on the node) when allow-localhost lets them reach every pod. */
  private readonly localHost: Peer[] = [];
  /** Scratch array of sideRow (a class, then a result id, per peer). */
  private rowScratch?: Int32Array;
  private readonly tierRules: { ingress: TierRules[]; egress: TierRules[] } = { ingress: [], egress: [] };
  /** tiered side results by the ids of their running sets */
  private readonly tieredResultCache = new Map<string, number>();
  /** a.subtract(b) by ConnSet ids, results shared as for union() */
  private readonly subtractCache = new Map<number, Map<number, ConnSet>>();
  private readonly ingressIsolatedBy: string[][] = [];
  private readonly egressIsolatedBy: string[][] = [];
  /** the peers each rule matches, computed on first use */
  private readonly ruleMatches = new Map<RuleModel, RuleMatches>();
  /** Peer indexes by namespace, namespace labels object, type and Cilium identity label (rule scopes); built on first use. */
  private peerIndex?: PeerIndex;
  /** Scratch marks of scopeCandidates, one per peer (all 0 between calls). */
  private scopeMarks?: Uint8Array;
  /** Small stable ids of rules (narrowed rules included), for profile keys and the narrowed-rule cache. */
  private readonly ruleIds = new Map<RuleModel, number>();
  private readonly connCache = new Map<RuleModel, Map<number, ConnSet>>();
  private readonly interned = new Map<string, ConnSet>();
  private readonly portSigs = new Map<string, number>();
  /** port signature per peer index, filled once all peers exist (-1 = not computed yet) */
  private peerPortSig: Int32Array = new Int32Array(0);
  /** per subject index: the indexes (in `policies`) of the non-tier policies selecting it */
  private readonly selectedPolicies: number[][] = [];
  /** An engine whose selection and rule matches this one shares (see the constructor's `base`). */
  private readonly base?: Engine;
  /** per rule of this engine: the same rule of `base`, whose peer matches it reuses */
  private readonly baseRule = new Map<RuleModel, RuleModel>();

  /**
   * @param semantics who enforces the policies (semantics.ts); default: Cilium 1.18 when Cilium
   * policies are among the manifests, else the Kubernetes specification
   * @param base an engine of the same cluster whose semantics differ from these only in what the
   * rules' ports resolve to (never in which pods a policy selects or which peers a rule matches):
   * the selections and rule matches are taken from it instead of computed again (deviations.ts);
   * ignored when its policies or peers are not the same
   */
  constructor(readonly cluster: Cluster, semantics?: Semantics, base?: Engine) {
    this.diagnostics = cluster.diagnostics;
    const hasCiliumPolicies = cluster.policies.some((p) => p.kind === 'CiliumNetworkPolicy' || p.kind === 'CiliumClusterwideNetworkPolicy');
    this.semantics = semantics ?? semanticsFor(defaultMode(hasCiliumPolicies), DEFAULT_CILIUM_VERSION);
    // Cilium enforcement covers ICMP and nodes; netpol-analyzer, which Kubernetes mode matches, has neither
    this.hasCilium = this.semantics.mode === 'cilium';
    this.universe = this.hasCilium ? L4_PROTOCOLS.concat(ICMP_PROTOCOLS) : L4_PROTOCOLS.slice();
    this.all = ConnSet.all(this.universe);
    this.interned.set(this.all.canonicalKey(), this.all);
    this.interned.set(ConnSet.EMPTY.canonicalKey(), ConnSet.EMPTY);
    // unions that reach every connection are `all` itself (tiered rows stop at it)
    this.unionResults.set(this.all.canonicalKey(), this.all);
    this.sideResultId(this.all);
    const namedPorts = clusterNamedPorts(cluster.workloads);
    const ctx: CompileContext = { universe: this.universe, all: this.all, semantics: this.semantics, clusterNamedPort: namedPorts };

    // the network-policy API: enforced in kubernetes mode only (no Cilium release implements it)
    const enforcePolicyApi = this.semantics.mode === 'kubernetes';
    this.diagnostics.push(...policyApiDiagnostics(cluster, this.semantics, hasCiliumPolicies));
    for (const doc of cluster.policies) {
      try {
        if (doc.kind === 'NetworkPolicy') {
          this.policies.push(compileNetworkPolicy(doc, ctx));
        } else if (isPolicyApiKind(doc.kind)) {
          if (!enforcePolicyApi) continue;
          const p = compilePolicyApi(doc, ctx);
          this.policies.push(p);
          this.tierPolicies.push(p);
        } else {
          this.policies.push(...compileCiliumPolicy(doc, ctx, cluster, this.diagnostics));
        }
      } catch (e: any) {
        this.diagnostics.push(policyDiagnostic(doc, e));
      }
    }
    this.tierPolicies.sort(compareTierPolicies);

    // workloads
    for (const w of cluster.workloads) this.addWorkloadPeer(w);

    // ingress controller (Route / Ingress targets)
    this.setupIngressController();

    // external address ranges: sources from ingress rules, destinations from egress rules
    const full = IpSet.full(4);
    const srcSets = [full, ...this.policies.flatMap((p) => p.ingressIpSets)];
    const dstSets = [full, ...this.policies.flatMap((p) => p.egressIpSets)];
    const entities = new Set(this.policies.flatMap((p) => p.entities));
    const v6 = entities.has('world-ipv6');
    for (const r of atomize(srcSets, v6)) this.srcPeers.push(this.addPeer({ type: 'external', id: `${formatRange(r)}[External]`, range: r, ciliumLabels: WORLD_IDENTITY }));
    for (const r of atomize(dstSets, v6)) this.dstPeers.push(this.addPeer({ type: 'external', id: `${formatRange(r)}[External]`, range: r, ciliumLabels: WORLD_IDENTITY }));
    // Nodes (Cilium policies name them, and `nodes` peers of egress rules of the network-policy
    // API; netpol-analyzer, which Kubernetes-only results match, has none); with Node manifests
    // they are the remote nodes, so no {remote-node} stand-in. In kubernetes mode they are only
    // destinations: `nodes` peers are egress peers (v1alpha1 AdminNetworkPolicyEgressPeer).
    const nodesNamed = this.policies.some((p) => p.namesNodes);
    for (const n of this.hasCilium || nodesNamed ? cluster.nodes : []) {
      const p = this.addPeer({ type: 'node', id: `${n.name}[Node]`, labels: n.labels, ciliumLabels: nodeIdentity(n.labels), node: n });
      this.nodePeers.push(p);
      if (this.hasCilium) this.srcPeers.push(p);
      this.dstPeers.push(p);
    }
    // Cilium entities, FQDN names and cloud groups that policies mention
    for (const e of [...entities].sort()) {
      if (['world', 'world-ipv4', 'world-ipv6', 'cluster', 'all'].includes(e)) continue;
      if (e === 'remote-node' && this.nodePeers.length) continue;
      const p = this.addPeer({ type: 'entity', id: `{${e}}`, entity: e, ciliumLabels: entityIdentity(e, this.semantics.agent.kubeApiserverPlacement) });
      if (hasLabel(p.ciliumLabels, reservedLabel('host')) && allowsLocalhost(this.semantics)) this.localHost.push(p);
      this.srcPeers.push(p);
      this.dstPeers.push(p);
    }
    for (const f of [...new Set(this.policies.flatMap((p) => p.fqdns))].sort()) {
      this.dstPeers.push(this.addPeer({ type: 'fqdn', id: `${f}[FQDN]`, fqdn: f, ciliumLabels: WORLD_IDENTITY }));
    }
    for (const g of [...new Set(this.policies.flatMap((p) => p.ingressGroups ?? []))].sort()) {
      this.srcPeers.push(this.addPeer({ type: 'group', id: g, ciliumLabels: WORLD_IDENTITY }));
    }
    for (const g of [...new Set(this.policies.flatMap((p) => p.egressGroups ?? []))].sort()) {
      this.dstPeers.push(this.addPeer({ type: 'group', id: g, ciliumLabels: WORLD_IDENTITY }));
    }
    for (const s of [...new Set(this.policies.flatMap((p) => p.services))].sort()) {
      this.dstPeers.push(this.addPeer({ type: 'service', id: `${s}[Service]`, ciliumLabels: WORLD_IDENTITY }));
    }
    for (const w of this.workloadPeers) {
      this.srcPeers.push(w);
      this.dstPeers.push(w);
    }
    if (nodesNamed && !cluster.nodes.length) {
      for (const p of this.policies.filter((x) => x.namesNodes)) {
        this.diagnostics.push({
          ...p.source,
          severity: 'warning',
          object: p.id,
          code: 'no-nodes',
          message: `${p.id}: a \`nodes\` peer selects Node objects, and no Node is among the manifests, so it matches nothing here; add the Node manifests to analyse it`,
        });
      }
    }
    this.subjectPeers.push(...this.workloadPeers, ...(this.hasCilium ? this.nodePeers : []));

    this.peerPortSig = new Int32Array(this.peers.length).fill(-1);
    for (const p of this.peers) this.portSignature(p);
    if (base && sameShape(this, base)) this.base = base;

    // which policies select which subject; a namespaced policy is tried on its namespace's workloads only
    const narrowed = new Map<string, RuleModel>();
    const anyNamespace: number[] = [];
    const byNamespace = new Map<string, number[]>();
    this.policies.forEach((p, k) => {
      if (p.tier) return;
      if (p.subjectNamespace === undefined) {anyNamespace.push(k);} else {
        const l = byNamespace.get(p.subjectNamespace);
        if (l) l.push(k);
        else byNamespace.set(p.subjectNamespace, [k]);
      }
    });
    const candidatesOf = (w: Peer): number[] => mergeSorted(anyNamespace, (w.namespace !== undefined && byNamespace.get(w.namespace)) || []);
    for (const w of this.subjectPeers) {
      const inR: RuleModel[] = [];
      const egR: RuleModel[] = [];
      const inIso: string[] = [];
      const egIso: string[] = [];
      const reqs: RequirementModel[] = [];
      const selected: number[] = [];
      // with a base engine, its selection (the same policies select the same subjects)
      const selectedByBase = this.base ? this.base.selectedPolicies[w.index] : undefined;
      const candidates = selectedByBase ?? candidatesOf(w);
      for (let k = 0; k < candidates.length; k++) {
        const pi = candidates[k];
        const p = this.policies[pi];
        if (!selectedByBase && !p.selects(w)) continue;
        selected.push(pi);
        if (w.type === 'node') this.policedNodes.add(w);
        if (p.isolatesIngress) inIso.push(p.id);
        if (p.isolatesEgress) egIso.push(p.id);
        for (const r of p.rules) (r.direction === 'ingress' ? inR : egR).push(r);
        if (p.requirements) reqs.push(...p.requirements);
      }
      this.selectedPolicies[w.index] = selected;
      this.ingressRules[w.index] = reqs.length ? inR.map((r) => this.narrow(r, reqs, narrowed)) : inR;
      this.egressRules[w.index] = reqs.length ? egR.map((r) => this.narrow(r, reqs, narrowed)) : egR;
      this.ingressIsolatedBy[w.index] = inIso;
      this.egressIsolatedBy[w.index] = egIso;
      // network-policy API rules, policies in evaluation order and rules in order (subjects are pods)
      const tiers = { ingress: emptyTierRules(), egress: emptyTierRules() };
      for (const p of this.tierPolicies) {
        if (!p.selects(w)) continue;
        for (const r of p.rules) tiers[r.direction][p.tier].push(r);
      }
      for (const dir of ['ingress', 'egress'] as Direction[]) {
        const t = tiers[dir];
        this.tierRules[dir][w.index] = t.admin.length || t.baseline.length ? t : NO_TIER_RULES;
      }
      if (this.base) {
        // the same policies in the same order: the rules correspond one to one
        const b = this.base;
        const pairUp = (mine: RuleModel[], theirs: RuleModel[]) => mine.forEach((r, k) => this.baseRule.set(r, theirs[k]));
        pairUp(this.ingressRules[w.index], b.ingressRules[w.index]);
        pairUp(this.egressRules[w.index], b.egressRules[w.index]);
        for (const dir of ['ingress', 'egress'] as Direction[]) {
          pairUp(this.tierRules[dir][w.index].admin, b.tierRules[dir][w.index].admin);
          pairUp(this.tierRules[dir][w.index].baseline, b.tierRules[dir][w.index].baseline);
        }
      }
    }
    // side profiles, shared by workloads with the same relevant rules
    const profiles = new Map<string, SideProfile>();
    for (const w of this.subjectPeers) {
      for (const dir of ['ingress', 'egress'] as Direction[]) {
        const rules = dir === 'ingress' ? this.ingressRules[w.index] : this.egressRules[w.index];
        const isolated = (dir === 'ingress' ? this.ingressIsolatedBy : this.egressIsolatedBy)[w.index].length > 0;
        const relevant = isolated ? rules : rules.filter((r) => r.deny);
        const tier = this.tierRules[dir][w.index] ?? NO_TIER_RULES;
        // the Baseline tier decides only for pods that no NetworkPolicy isolates in this direction
        const baseline = isolated ? [] : tier.baseline;
        const admin = tier.admin;
        if (!isolated && !relevant.length && !admin.length && !baseline.length) {
          this.profiles[dir][w.index] = undefined;
          continue;
        }
        // ingress results depend on the subject's own ports (named ports resolve on the destination)
        const ids = (list: RuleModel[]) => list.map((r) => this.ruleId(r)).join(',');
        const tierKey = admin.length || baseline.length ? `|A${ids(admin)}|B${ids(baseline)}` : '';
        const key = `${dir}|${isolated}|${dir === 'ingress' ? this.portSignature(w) : 0}|${ids(relevant)}${tierKey}`;
        let prof = profiles.get(key);
        if (!prof) {
          prof = {
            direction: dir,
            isolated,
            rules: relevant,
            admin,
            baseline,
            tiered: admin.length > 0 || baseline.length > 0,
            dstDependent: dir === 'egress' && ![...admin, ...relevant, ...baseline].every((r) => r.staticConn),
            subject: w,
          };
          profiles.set(key, prof);
        }
        this.profiles[dir][w.index] = prof;
      }
    }
    this.diagnostics.push(...this.undefinedOrderDiagnostics());
  }

  /**
   * Policies of one tier whose order the API leaves undefined ("If two (or more) policies in the
   * same tier with the same priority could match a connection, then the implementation can apply
   * any of the matching policies", v1alpha2 clusternetworkpolicy_types.go Priority; a
   * BaselineAdminNetworkPolicy beside Baseline ClusterNetworkPolicies likewise): a warning where
   * the order decides, i.e. rules of both with different actions match one connection of a pod
   * both select, naming the order this analysis applies.
   */
  private undefinedOrderDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    const tp = this.tierPolicies;
    if (tp.length < 2) return out;
    // the pods each policy selects, once (sorted workload indexes)
    const subjects = new Map<TierPolicyModel, number[]>();
    const subjectsOf = (p: TierPolicyModel) => {
      let list = subjects.get(p);
      if (!list) subjects.set(p, (list = this.workloadPeers.filter((w) => p.selects(w)).map((w) => w.index)));
      return list;
    };
    for (let i = 0; i < tp.length; i++) {
      for (let j = i + 1; j < tp.length; j++) {
        const a = tp[i];
        const b = tp[j];
        if (orderDefined(a, b)) continue;
        const sa = subjectsOf(a);
        if (!sa.length) continue;
        const inA = new Set(sa);
        const common = subjectsOf(b).filter((q) => inA.has(q));
        if (!common.length) continue;
        const clash = this.firstClash(a, b, common.map((q) => this.peers[q]));
        if (!clash) continue;
        out.push({
          ...b.source,
          severity: 'warning',
          object: b.id,
          code: 'undefined-order',
          message: `${a.id} and ${b.id}: the network-policy API leaves their order undefined (same tier, ${a.priority === undefined || b.priority === undefined ? 'and a BaselineAdminNetworkPolicy has no priority' : 'same priority'}), `
            + `and here it decides: ${clash}; this analysis applies ${a.id} first (order: priority, then AdminNetworkPolicy before ClusterNetworkPolicy, then name, `
            + 'the BaselineAdminNetworkPolicy last); give them different priorities (or merge them) so that every implementation agrees',
        });
      }
    }
    return out;
  }

  /** A connection two policies' rules both match with different actions, for a pod both select (text), if any. */
  private firstClash(a: TierPolicyModel, b: TierPolicyModel, subjects: Peer[]): string | undefined {
    for (const dir of ['ingress', 'egress'] as Direction[]) {
      const ra = a.rules.filter((r) => r.direction === dir);
      const rb = b.rules.filter((r) => r.direction === dir);
      if (!ra.length || !rb.length) continue;
      for (const x of ra) {
        const mx = this.matchedPeers(x);
        const inX = new Uint8Array(this.peers.length).fill(mx.complement ? 1 : 0);
        for (const q of mx.peers) inX[q] = mx.complement ? 0 : 1;
        for (const y of rb) {
          if (x.action === y.action) continue;
          const my = this.matchedPeers(y);
          const both: number[] = [];
          if (my.complement) {
            const out = new Set(my.peers);
            for (let q = 0; q < inX.length && both.length < 64; q++) if (inX[q] && !out.has(q)) both.push(q);
          } else {
            for (const q of my.peers) if (inX[q] && both.length < 64) both.push(q);
          }
          for (const q of both) {
            const remote = this.peers[q];
            for (const w of subjects.slice(0, 16)) {
              if (w === remote) continue;
              const dst = dir === 'ingress' ? w : remote;
              const c = this.ruleConn(x, dst).intersect(this.ruleConn(y, dst));
              if (c.isEmpty()) continue;
              const [src, to] = dir === 'ingress' ? [remote, w] : [w, remote];
              return `${src.id} => ${to.id} : ${c.toString(this.universe)} matches ${x.description} (${x.action}) and ${y.description} (${y.action})`;
            }
          }
        }
      }
    }
    return undefined;
  }

  /**
   * The rule as Cilium applies it to a subject whose policies carry `*Requires` (cilium.ts header):
   * peers matched through endpoint selectors must also match every requirement of the same
   * direction and kind (allow or deny). Shared by all subjects with the same requirements.
   */
  private narrow(r: RuleModel, all: RequirementModel[], cache: Map<string, RuleModel>): RuleModel {
    const reqs = all.filter((q) => q.direction === r.direction && q.deny === r.deny);
    if (!reqs.length) return r;
    const key = `${this.ruleId(r)}|${reqs.map((q) => q.description).join('|')}`;
    let out = cache.get(key);
    if (!out) {
      // Kubernetes rules (no split given) match pods only through pod/namespace selectors
      const isPod = (p: Peer) => p.type === 'workload' || p.type === 'ingress-controller';
      const viaEndpoint = r.matchEndpoint ?? ((p: Peer) => isPod(p) && r.matchPeer(p));
      const viaOther = r.matchOther ?? ((p: Peer) => !isPod(p) && r.matchPeer(p));
      const matchPeer = (p: Peer) => viaOther(p) || (viaEndpoint(p) && reqs.every((q) => q.matches(p)));
      out = { ...r, matchPeer, peerScope: undefined, description: `${r.description} (narrowed by ${reqs.map((q) => q.description).join(', ')})` };
      cache.set(key, out);
    }
    return out;
  }

  private ruleId(r: RuleModel): number {
    let id = this.ruleIds.get(r);
    if (id === undefined) this.ruleIds.set(r, (id = this.ruleIds.size));
    return id;
  }

  private addPeer(p: Omit<Peer, 'index'>): Peer {
    // every field, in one order, so that all peers share one object shape: rule matchers read peers
    // for every (rule, peer), and reads over several shapes cost several times more
    const peer: Peer = Object.assign({
      index: this.peers.length,
      type: p.type,
      id: p.id,
      namespace: undefined,
      labels: undefined,
      nsLabels: undefined,
      ciliumLabels: WORLD_IDENTITY,
      workload: undefined,
      node: undefined,
      range: undefined,
      entity: undefined,
      fqdn: undefined,
    }, p);
    this.peers.push(peer);
    return peer;
  }

  private addWorkloadPeer(w: Workload) {
    const ns = this.cluster.namespaces.get(w.namespace);
    const nsLabels = ns?.labels ?? { [NAMESPACE_NAME_LABEL]: w.namespace };
    const peer = this.addPeer({
      type: 'workload',
      id: w.id,
      namespace: w.namespace,
      labels: w.labels,
      nsLabels,
      ciliumLabels: podIdentity(w.labels, w.namespace, nsLabels, w.serviceAccount, this.semantics.agent.clusterName),
      workload: w,
    });
    this.workloadPeers.push(peer);
  }

  private setupIngressController() {
    const targets = this.cluster.ingressTargets;
    if (!targets.length) return;
    const byWorkload = new Map<number, ConnSet>();
    for (const t of targets) {
      const svc = this.cluster.services.find((s) => s.namespace === t.namespace && s.name === t.service);
      if (!svc) {
        this.diagnostics.push({ file: '', line: 0, column: 0, severity: 'warning', message: `${t.kind} ${t.namespace}/${t.name}: service ${t.service} not found; ignored` });
        continue;
      }
      const sel = svc.selector;
      if (!sel) continue; // services without selector are not supported (as netpol-analyzer)
      // the pod port(s) behind the required service port (all service ports when unspecified)
      let podPorts: (string | number)[] = [];
      for (const sp of svc.ports) {
        const access = sp.targetPort !== undefined && sp.targetPort !== null && sp.targetPort !== 0 && sp.targetPort !== '' ? sp.targetPort : sp.port;
        if (t.port === undefined || t.port === null || t.port === '') {
          podPorts.push(access);
        } else if ((sp.name && sp.name === t.port) || sp.port === t.port || sp.targetPort === t.port) {
          podPorts = [access];
          break;
        }
      }
      for (const w of this.workloadPeers) {
        if (w.namespace !== t.namespace || !sel.matches(w.labels ?? {})) continue;
        let conn = byWorkload.get(w.index) ?? ConnSet.EMPTY;
        for (const pp of podPorts) {
          let num: number;
          if (typeof pp === 'string' && !/^\d+$/.test(pp)) {
            const cp = w.workload!.ports.find((c) => c.name === pp);
            if (!cp || cp.protocol !== 'TCP' || cp.port < 1) continue; // only TCP for ingress
            num = cp.port;
          } else {
            num = Number(pp);
          }
          // the workload must expose the port (netpol-analyzer counts every container port as TCP here)
          if (w.workload!.ports.some((c) => c.port === num)) conn = conn.union(ConnSet.of('TCP', [[num, num]]));
        }
        byWorkload.set(w.index, conn);
      }
    }
    if (!byWorkload.size) return;
    const ic = this.addPeer({
      type: 'ingress-controller',
      id: INGRESS_CONTROLLER_ID,
      namespace: INGRESS_CONTROLLER_NAMESPACE,
      labels: {},
      nsLabels: { [NAMESPACE_NAME_LABEL]: INGRESS_CONTROLLER_NAMESPACE },
      ciliumLabels: podIdentity({}, INGRESS_CONTROLLER_NAMESPACE, { [NAMESPACE_NAME_LABEL]: INGRESS_CONTROLLER_NAMESPACE }, 'default', this.semantics.agent.clusterName),
    });
    this.ingressController = ic;
    for (const [k, v] of byWorkload) this.ingressTargets.set(k, v);
  }

  private ruleConn(r: RuleModel, dst: Peer): ConnSet {
    if (r.staticConn) return r.staticConn;
    // named ports: the result depends only on the destination's container ports
    let m = this.connCache.get(r);
    if (!m) this.connCache.set(r, (m = new Map()));
    const k = this.portSignature(dst);
    let c = m.get(k);
    if (!c) m.set(k, (c = r.conn(dst)));
    return c;
  }


  /** Result ids of one side per remote peer index: `subject` is the peer whose policies apply; undefined = all allowed. */
  private sideRowOf(profiles: (SideProfile | undefined)[], subject: Peer): ResultRow | undefined {
    const prof = profiles[subject.index];
    return prof && (prof.row ?? this.sideRow(prof));
  }

  /** Allowed connections of one side: `subject` is the peer whose policies apply, `remote` the other end. */
  private side(profiles: (SideProfile | undefined)[], subject: Peer, remote: Peer): ConnSet {
    const row = this.sideRowOf(profiles, subject);
    return row ? this.sideResults[row[remote.index]] : this.all;
  }

  /**
   * The result of a profile for every remote peer, by partition refinement: remote peers start in
   * one class (one per port signature when the destination's named ports matter), and each rule,
   * in profile order, moves its matched peers of a class to a new class whose running unions of
   * allowed and denied connections include the rule. A rule that matches most peers moves the
   * peers it does not match instead (to classes that keep their unions), and the classes that
   * existed before take the rule in place. The cost is the number of (rule, listed peer) pairs plus
   * classes, paid once per profile, instead of a walk over the profile's rules for every pair; each
   * peer's unions are taken in the same order as rule by rule.
   */
  private sideRow(prof: SideProfile): ResultRow {
    const peers = this.peers;
    // the class of each peer, and below the row: scratch arrays shared by every profile of this
    // engine (one allocation instead of two per profile: less garbage to collect)
    const scratch = this.rowScratch?.length === peers.length ? this.rowScratch : (this.rowScratch = new Int32Array(peers.length));
    const cls = scratch;
    cls.fill(0);
    // per class: running unions, a member (the destination of egress rules), and the class its
    // members matching the current rule move to
    const allowed: ConnSet[] = [];
    const denied: ConnSet[] = [];
    const member: number[] = [];
    const splitRule: number[] = [];
    const splitTo: number[] = [];
    // network-policy API tiers: per class, what Admin rules allowed and denied first, all they
    // matched (Pass included), and what Baseline rules denied first and all they matched
    const tiered = prof.tiered;
    const aAllow: ConnSet[] = [];
    const aDeny: ConnSet[] = [];
    const aDone: ConnSet[] = [];
    const bDeny: ConnSet[] = [];
    const bDone: ConnSet[] = [];
    const addClass = (a: ConnSet, d: ConnSet, m: number, from = -1) => {
      allowed.push(a);
      denied.push(d);
      member.push(m);
      splitRule.push(-1);
      splitTo.push(-1);
      if (tiered) {
        const E = ConnSet.EMPTY;
        aAllow.push(from < 0 ? E : aAllow[from]);
        aDeny.push(from < 0 ? E : aDeny[from]);
        aDone.push(from < 0 ? E : aDone[from]);
        bDeny.push(from < 0 ? E : bDeny[from]);
        bDone.push(from < 0 ? E : bDone[from]);
      }
      return allowed.length - 1;
    };
    const start = prof.isolated ? ConnSet.EMPTY : this.all;
    if (prof.dstDependent) {
      const classOfSig: number[] = []; // port signatures are small integers
      for (let q = 0; q < peers.length; q++) {
        const sig = this.peerPortSig[q];
        cls[q] = classOfSig[sig] ??= addClass(start, ConnSet.EMPTY, q);
      }
    } else {
      addClass(start, ConnSet.EMPTY, 0);
    }
    // Admin rules first, in order; then the NetworkPolicy tier's (order-free); then Baseline rules, in order
    const sequence = tiered ? [...prof.admin, ...prof.rules, ...prof.baseline] : prof.rules;
    for (let i = 0; i < sequence.length; i++) {
      const r = sequence[i];
      // the unions of class c with rule r, stored in class `to` (c itself for rules taken in place)
      const take = (c: number, to: number) => {
        const conn = this.ruleConn(r, prof.direction === 'egress' ? peers[member[c]] : prof.subject);
        if (r.tier === 'admin') {
          // the first matching rule decides: only what earlier rules left is this rule's
          if (aDone[c] === this.all) return; // earlier rules decided everything
          const fresh = this.subtract(conn, aDone[c]);
          aDone[to] = this.union(aDone[c], conn);
          if (r.action === 'allow') aAllow[to] = this.union(aAllow[c], fresh);
          else if (r.action === 'deny') aDeny[to] = this.union(aDeny[c], fresh);
        } else if (r.tier === 'baseline') {
          if (bDone[c] === this.all) return;
          const fresh = this.subtract(conn, bDone[c]);
          bDone[to] = this.union(bDone[c], conn);
          if (r.action === 'deny') bDeny[to] = this.union(bDeny[c], fresh);
        } else if (r.deny) {
          denied[to] = this.union(denied[c], conn);
        } else if (prof.isolated) {
          allowed[to] = this.union(allowed[c], conn);
        }
      };
      const { peers: listed, complement } = this.matchedPeers(r);
      const existing = allowed.length;
      for (let j = 0; j < listed.length; j++) {
        const q = listed[j];
        const c = cls[q];
        if (splitRule[c] !== i) {
          splitRule[c] = i;
          splitTo[c] = addClass(allowed[c], denied[c], q, c);
          if (!complement) take(c, splitTo[c]);
        }
        cls[q] = splitTo[c];
      }
      if (complement) for (let c = 0; c < existing; c++) take(c, c);
    }
    const result = new Int32Array(allowed.length).fill(-1);
    // the row takes each peer's place in `cls` once its class is read
    const row = scratch;
    const resultOf = (c: number, a: ConnSet) => (tiered
      ? this.tieredResultOf(a, denied[c], aAllow[c], aDeny[c], bDeny[c])
      : this.sideResultOf(a, denied[c]));
    // allow-localhost: the local node reaches the pods on it whatever their ingress rules allow
    // (pkg/policy mapstate.go determineAllowLocalhostIngress, an allow entry that denies still beat);
    // (their classes are read before the row overwrites them)
    const hostClasses = prof.isolated && prof.direction === 'ingress' && prof.subject.type === 'workload'
      ? this.localHost.map((host) => cls[host.index]) : [];
    for (let q = 0; q < row.length; q++) {
      const c = cls[q];
      if (result[c] < 0) result[c] = resultOf(c, allowed[c]);
      row[q] = result[c];
    }
    hostClasses.forEach((c, k) => { row[this.localHost[k].index] = resultOf(c, this.all); });
    // two bytes an entry while the ids fit (thousands of distinct results: half the memory of the rows)
    const kept = this.sideResults.length <= 0x10000 ? new Uint16Array(row) : row.slice();
    prof.row = kept;
    return kept;
  }

  /** Indexes of the peers a rule matches, or of those it does not match when they are fewer. */
  private matchedPeers(r: RuleModel): RuleMatches {
    let m = this.ruleMatches.get(r);
    if (!m) {
      const twin = this.baseRule.get(r);
      if (twin) {
        m = this.base!.matchedPeers(twin);
        this.ruleMatches.set(r, m);
        return m;
      }
      const scope = r.peerScope;
      if (scope) {
        // only the pods the rule's scope names can match: try those, in peer order
        const yes: number[] = [];
        const candidates = this.scopeCandidates(scope);
        for (let j = 0; j < candidates.length; j++) if (r.matchPeer(this.peers[candidates[j]])) yes.push(candidates[j]);
        const n = this.peers.length;
        if (n - yes.length < yes.length) {
          const no: number[] = [];
          for (let q = 0, k = 0; q < n; q++) {
            if (k < yes.length && yes[k] === q) k++;
            else no.push(q);
          }
          m = { peers: new Int32Array(no), complement: true };
        } else {
          m = { peers: new Int32Array(yes), complement: false };
        }
        this.ruleMatches.set(r, m);
        return m;
      }
      const yes: number[] = [];
      const no: number[] = [];
      for (const p of this.peers) (r.matchPeer(p) ? yes : no).push(p.index);
      m = no.length < yes.length ? { peers: new Int32Array(no), complement: true } : { peers: new Int32Array(yes), complement: false };
      this.ruleMatches.set(r, m);
    }
    return m;
  }

  /** Indexes, ascending and distinct, of the peers in a rule's scope. */
  private scopeCandidates(scope: PeerScope): ArrayLike<number> {
    const index = this.peerIndex ??= this.buildPeerIndex();
    const lists: (readonly number[])[] = [];
    const add = (l: readonly number[] | undefined) => { if (l) lists.push(l); };
    for (const ns of scope.namespaces) add(index.podsByNamespace.get(ns));
    for (const accepts of scope.namespaceLabels) for (const [labels, l] of index.podsByNsLabels) if (accepts(labels)) add(l);
    for (const t of scope.types) add(index.byType.get(t));
    for (const { key, values } of scope.ciliumLabels) {
      let byValue = index.byCiliumLabel.get(key);
      if (!byValue) {
        index.byCiliumLabel.set(key, (byValue = new Map()));
        for (const p of this.peers) {
          const v = p.ciliumLabels[key];
          if (typeof v !== 'string') continue;
          const l = byValue.get(v);
          if (l) l.push(p.index);
          else byValue.set(v, [p.index]);
        }
      }
      for (const v of values) add(byValue.get(v));
    }
    if (lists.length === 1) return lists[0];
    // the union, in peer order: marks in a scratch array, read back in one pass
    const marks = this.scopeMarks?.length === this.peers.length ? this.scopeMarks : (this.scopeMarks = new Uint8Array(this.peers.length));
    let lo = marks.length;
    let hi = -1;
    for (const l of lists) {
      for (let j = 0; j < l.length; j++) marks[l[j]] = 1;
      if (l.length) {
        lo = Math.min(lo, l[0]);
        hi = Math.max(hi, l[l.length - 1]);
      }
    }
    const out: number[] = [];
    for (let q = lo; q <= hi; q++) {
      if (marks[q]) {
        out.push(q);
        marks[q] = 0;
      }
    }
    return out;
  }

  /** Peer indexes, ascending, by what a PeerScope names. */
  private buildPeerIndex(): PeerIndex {
    const index: PeerIndex = { podsByNamespace: new Map(), podsByNsLabels: new Map(), byType: new Map(), byCiliumLabel: new Map() };
    const push = <K>(m: Map<K, number[]>, k: K, q: number) => {
      const l = m.get(k);
      if (l) l.push(q);
      else m.set(k, [q]);
    };
    const none = {};
    for (const p of this.peers) {
      push(index.byType, p.type, p.index);
      if (p.type !== 'workload' && p.type !== 'ingress-controller') continue;
      if (p.namespace !== undefined) push(index.podsByNamespace, p.namespace, p.index);
      push(index.podsByNsLabels, p.nsLabels ?? none, p.index);
    }
    return index;
  }

  private union(a: ConnSet, b: ConnSet): ConnSet {
    let m = this.unionCache.get(a.id);
    if (!m) this.unionCache.set(a.id, (m = new Map()));
    let c = m.get(b.id);
    if (!c) {
      c = a.union(b);
      // equal running unions share one object, so that their later unions are memoised too; the
      // key keeps the order of L7 restrictions (which the text shows, and the canonical key sorts)
      const k = c.l7.length ? `${c.canonicalKey()}\n${JSON.stringify(c.l7)}` : c.canonicalKey();
      const found = this.unionResults.get(k);
      if (found) c = found;
      else this.unionResults.set(k, c);
      m.set(b.id, c);
    }
    return c;
  }

  /**
   * The side result with the network-policy API tiers: what the Admin tier allowed, and of what it
   * left undecided (passed, or matched by no rule), what the NetworkPolicy tier allows
   * (`allowed` minus `denied`, `allowed` being everything when no NetworkPolicy isolates) minus
   * what the Baseline tier denied (only taken for sides no NetworkPolicy isolates).
   */
  private tieredResultOf(allowed: ConnSet, denied: ConnSet, aAllow: ConnSet, aDeny: ConnSet, bDeny: ConnSet): number {
    const key = `${allowed.id},${denied.id},${aAllow.id},${aDeny.id},${bDeny.id}`;
    let id = this.tieredResultCache.get(key);
    if (id === undefined) {
      const np = this.sideResults[this.sideResultOf(allowed, denied)];
      const rest = this.all.subtract(aAllow.union(aDeny));
      const below = rest.intersect(np).subtract(bDeny);
      id = this.sideResultId(this.intern(aAllow.union(below)));
      this.tieredResultCache.set(key, id);
    }
    return id;
  }

  /** a.subtract(b), memoised by ids with results shared as in union(). */
  private subtract(a: ConnSet, b: ConnSet): ConnSet {
    if (b.isEmpty() || a.isEmpty()) return a;
    let m = this.subtractCache.get(a.id);
    if (!m) this.subtractCache.set(a.id, (m = new Map()));
    let c = m.get(b.id);
    if (!c) {
      c = a.subtract(b);
      const k = c.l7.length ? `${c.canonicalKey()}\n${JSON.stringify(c.l7)}` : c.canonicalKey();
      const found = this.unionResults.get(k);
      if (found) c = found;
      else this.unionResults.set(k, c);
      m.set(b.id, c);
    }
    return c;
  }

  /** The side result of running unions: allowed minus denied (memoised, as classes of many profiles end alike). */
  private sideResultOf(allowed: ConnSet, denied: ConnSet): number {
    let m = this.sideResultCache.get(allowed.id);
    if (!m) this.sideResultCache.set(allowed.id, (m = new Map()));
    let id = m.get(denied.id);
    if (id === undefined) m.set(denied.id, (id = this.sideResultId(this.intern(denied.isEmpty() ? allowed : allowed.subtract(denied)))));
    return id;
  }

  private sideResultId(c: ConnSet): number {
    let id = this.sideResultIndex.get(c);
    if (id === undefined) {
      this.sideResultIndex.set(c, (id = this.sideResults.length));
      this.sideResults.push(c);
    }
    return id;
  }

  /** Small integer identifying a peer's container ports (0 = none). */
  private portSignature(p: Peer): number {
    const known = p.index >= 0 && p.index < this.peerPortSig.length;
    if (known && this.peerPortSig[p.index] >= 0) return this.peerPortSig[p.index];
    let s: number;
    const ports = p.workload?.ports ?? [];
    if (!ports.length) {
      s = 0;
    } else {
      const k = ports.map((c) => `${c.name ?? ''}/${c.protocol}/${c.port}`).sort().join(',');
      let id = this.portSigs.get(k);
      if (id === undefined) this.portSigs.set(k, (id = this.portSigs.size + 1));
      s = id;
    }
    if (known) this.peerPortSig[p.index] = s;
    return s;
  }

  /** One object per distinct connection set, so that results can be memoised by identity. */
  private intern(c: ConnSet): ConnSet {
    if (c === this.all || c === ConnSet.EMPTY) return c;
    const k = c.canonicalKey();
    const found = this.interned.get(k);
    if (found) return found;
    this.interned.set(k, c);
    return c;
  }

  /** Allowed connections from src to dst (policies only; ingress-controller targets are applied in connections()). */
  allowed(src: Peer, dst: Peer): ConnSet {
    const eg = this.sideRowOf(this.profiles.egress, src);
    const ing = this.sideRowOf(this.profiles.ingress, dst);
    return this.meet(eg ? eg[dst.index] : ALL_ID, ing ? ing[src.index] : ALL_ID);
  }

  /** The intersection of an egress and an ingress side result, by result ids (memoised). */
  private meet(egId: number, ingId: number): ConnSet {
    const m = this.meetCache[egId] ?? (this.meetCache[egId] = []);
    let c = m[ingId];
    if (!c) {
      const eg = this.sideResults[egId];
      const ing = this.sideResults[ingId];
      if (eg.isEmpty() || ing === this.all) c = eg;
      else if (eg === this.all || ing.isEmpty()) c = ing;
      else c = this.intern(eg.intersect(ing));
      m[ingId] = c;
    }
    return c;
  }

  /**
   * The rules of one side of a subject as the engine evaluates them, for exposure analysis
   * (exposure.ts), which evaluates them against peers that are not in the input; undefined for a
   * peer that is no subject.
   */
  sideRules(dir: Direction, subject: Peer): { isolatedBy: string[]; rules: RuleModel[]; admin: RuleModel[]; baseline: RuleModel[] } | undefined {
    const rules = (dir === 'ingress' ? this.ingressRules : this.egressRules)[subject.index];
    if (!rules) return undefined;
    const tier = this.tierRules[dir][subject.index] ?? NO_TIER_RULES;
    return { isolatedBy: (dir === 'ingress' ? this.ingressIsolatedBy : this.egressIsolatedBy)[subject.index], rules, admin: tier.admin, baseline: tier.baseline };
  }

  /** Explain one side for explain(). */
  explainSide(dir: Direction, subject: Peer, remote: Peer, dst: Peer): SideVerdict {
    if (!this.ingressRules[subject.index]) {
      return { unrestricted: true, isolatedBy: [], allowedBy: [], deniedBy: [], conn: this.all };
    }
    const rules = dir === 'ingress' ? this.ingressRules[subject.index] : this.egressRules[subject.index];
    const isolatedBy = (dir === 'ingress' ? this.ingressIsolatedBy : this.egressIsolatedBy)[subject.index];
    const allowedBy: { rule: string; conn: ConnSet }[] = [];
    const deniedBy: { rule: string; conn: ConnSet }[] = [];
    for (const r of rules) {
      if (!r.matchPeer(remote)) continue;
      const c = this.ruleConn(r, dst);
      (r.deny ? deniedBy : allowedBy).push({ rule: r.description, conn: c });
    }
    if (dir === 'ingress' && isolatedBy.length && subject.type === 'workload' && this.localHost.includes(remote)) {
      allowedBy.push({ rule: LOCALHOST_RULE, conn: this.all });
    }
    // a peer made for the query (a host name, an address no policy names): the rules folded
    const npAllowed = isolatedBy.length ? allowedBy.reduce((a, x) => a.union(x.conn), ConnSet.EMPTY) : this.all;
    const npConn = deniedBy.reduce((a, x) => a.subtract(x.conn), npAllowed);
    const tier = this.tierRules[dir][subject.index] ?? NO_TIER_RULES;
    let folded = npConn;
    let tiers: TierStep[] | undefined;
    if (tier.admin.length || tier.baseline.length) {
      tiers = [];
      // Admin tier: the first matching rule decides each connection
      let done = ConnSet.EMPTY;
      let decided = ConnSet.EMPTY;
      let aAllow = ConnSet.EMPTY;
      for (const r of tier.admin) {
        if (!r.matchPeer(remote)) continue;
        const c = this.ruleConn(r, dst);
        const fresh = c.subtract(done);
        done = done.union(c);
        if (fresh.isEmpty()) continue;
        tiers.push({ tier: 'admin', action: r.action!, rule: r.description, conn: fresh });
        if (r.action !== 'pass') decided = decided.union(fresh);
        if (r.action === 'allow') aAllow = aAllow.union(fresh);
      }
      const rest = this.all.subtract(decided);
      let below: ConnSet;
      if (isolatedBy.length) {
        // the NetworkPolicy tier decides the rest: allowedBy/deniedBy say by which rules
        below = rest.intersect(npConn);
        if (!rest.isEmpty()) {
          if (!below.isEmpty()) tiers.push({ tier: 'networkpolicy', action: 'allow', conn: below });
          if (!rest.subtract(below).isEmpty()) tiers.push({ tier: 'networkpolicy', action: 'deny', conn: rest.subtract(below) });
        }
      } else {
        // not isolated by a NetworkPolicy: the Baseline tier, then the default (allowed)
        let bDone = ConnSet.EMPTY;
        let bDeny = ConnSet.EMPTY;
        for (const r of tier.baseline) {
          if (!r.matchPeer(remote)) continue;
          const c = this.ruleConn(r, dst);
          const fresh = c.subtract(bDone).intersect(rest);
          bDone = bDone.union(c);
          if (fresh.isEmpty()) continue;
          tiers.push({ tier: 'baseline', action: r.action!, rule: r.description, conn: fresh });
          if (r.action === 'deny') bDeny = bDeny.union(fresh);
        }
        const byDefault = rest.subtract(bDone);
        if (!byDefault.isEmpty()) tiers.push({ tier: 'default', action: 'allow', conn: byDefault.intersect(npConn) });
        below = rest.intersect(npConn).subtract(bDeny);
      }
      folded = aAllow.union(below);
    }
    const conn = remote.index >= 0 ? this.side(this.profiles[dir], subject, remote) : folded;
    return { unrestricted: !isolatedBy.length && !deniedBy.length && !tiers, isolatedBy, allowedBy, deniedBy, conn, ...(tiers ? { tiers } : {}) };
  }

  /** Ingress-controller connections to a workload (Route/Ingress targets), before policies. */
  ingressTargetConn(dst: Peer): ConnSet | undefined {
    return this.ingressTargets.get(dst.index);
  }

  /**
   * The ids of the source's egress results per destination peer index (undefined: everything
   * allowed towards every peer); `sideResult(id)` is the result. For walking many pairs of one source.
   */
  egressRow(src: Peer): ResultRow | undefined {
    return this.sideRowOf(this.profiles.egress, src);
  }

  /** A side result by id (see egressRow; ALL_ID, 0, is everything). */
  sideResult(id: number): ConnSet {
    return this.sideResults[id];
  }

  /** What the source's egress side allows towards dst (everything when no policy restricts it). */
  egressConn(src: Peer, dst: Peer): ConnSet {
    return this.side(this.profiles.egress, src, dst);
  }

  /** What the destination's ingress side allows from src (everything when no policy restricts it). */
  ingressConn(src: Peer, dst: Peer): ConnSet {
    return this.side(this.profiles.ingress, dst, src);
  }

  /** Whether this engine took its policy selection and rule matches from `e` (the constructor's `base`). */
  sharesSelectionOf(e: Engine): boolean {
    return this.base === e;
  }

  /** Pairs are listed when one side is a workload, or a node that a host policy selects. */
  listed(p: Peer): boolean {
    return p.type === 'workload' || this.policedNodes.has(p);
  }

  /**
   * All allowed connections between distinct peers (at least one of them a workload), sorted by
   * `SRC => DST`. Sources and destinations are visited in id order, which yields that order directly
   * (no peer id is a prefix of another: ids end with `]` or `}`). With a focus, the pairs with a
   * focused end (`sourcesOnly`: a focused source).
   */
  connections(focus?: (p: Peer) => boolean, sourcesOnly = false): ConnectionResult[] {
    return this.connectionList(focus, sourcesOnly).toArray();
  }

  /** connections(), held compactly (connection-list.ts). */
  connectionList(focus?: (p: Peer) => boolean, sourcesOnly = false): ConnectionList {
    const out = new ConnectionList(this.peers);
    const byId = (a: Peer, b: Peer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const dsts = this.dstPeers.slice().sort(byId);
    const srcs = this.srcPeers.slice();
    const ic = this.ingressController;
    if (ic) srcs.push(ic);
    srcs.sort(byId);
    const nd = dsts.length;
    const dstIndex = Int32Array.from(dsts, (d) => d.index);
    const dstListed = Uint8Array.from(dsts, (d) => (this.listed(d) ? 1 : 0));
    // the ingress result row of each destination, in the order of `dsts`
    const ingRows = dsts.map((d) => this.sideRowOf(this.profiles.ingress, d));
    // A pair reads the destination's ingress row at the source: for one source, one entry of every
    // row, a cache miss each (a third of the pair loop at 20,000 pods). The entries of a block of
    // sources are copied out row by row first, so that the pairs read them in order.
    const BLOCK = 256;
    const meetCache = this.meetCache;
    const ingOf = new Int32Array(Math.min(BLOCK, srcs.length) * nd);
    for (let b0 = 0; b0 < srcs.length; b0 += BLOCK) {
      const block = srcs.slice(b0, b0 + BLOCK);
      const blockIndex = Int32Array.from(block, (p) => p.index);
      for (let k = 0; k < nd; k++) {
        const row = ingRows[k];
        for (let i = 0; i < blockIndex.length; i++) ingOf[i * nd + k] = row ? row[blockIndex[i]] : ALL_ID;
      }
      for (let i = 0; i < block.length; i++) {
        const src = block[i];
        if (src === ic) {
          for (const dst of dsts) {
            const target = this.ingressTargets.get(dst.index);
            if (!target || (focus && !focus(ic) && (sourcesOnly || !focus(dst)))) continue;
            const c = this.intern(target.intersect(this.allowed(ic, dst)));
            if (!c.isEmpty()) out.push(ic, dst, c);
          }
          continue;
        }
        const srcFocused = !focus || focus(src);
        if (sourcesOnly && !srcFocused) continue;
        const egRow = this.sideRowOf(this.profiles.egress, src);
        const srcListed = this.listed(src);
        const srcIndex = src.index;
        const at = i * nd;
        for (let k = 0; k < nd; k++) {
          if (!srcListed && !dstListed[k]) continue;
          const d = dstIndex[k];
          if (d === srcIndex) continue;
          if (!srcFocused && !focus!(dsts[k])) continue;
          // meet() with its cache read inline: this runs once per pair
          const eg = egRow ? egRow[d] : ALL_ID;
          const ing = ingOf[at + k];
          const met = meetCache[eg];
          const c = (met !== undefined && met[ing]) || this.meet(eg, ing);
          if (!c.isEmpty()) out.pushIndexes(srcIndex, d, c);
        }
      }
    }
    return out;
  }
}

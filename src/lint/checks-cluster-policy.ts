// Checks of the network-policy-api kinds: AdminNetworkPolicy and BaselineAdminNetworkPolicy
// (v1alpha1), ClusterNetworkPolicy (v1alpha2). Evaluation order (apis/v1alpha2
// clusternetworkpolicy_types.go Tier and Priority, apis/v1alpha1 AdminNetworkPolicySpec.Priority):
// Admin tier by ascending priority, rules in order, the first match decides or passes; then
// NetworkPolicies for the pods they select; then the Baseline tier; else allowed.
import { K8S_POLICY, k8sIsolates, LintCheck, LintContext, LintObject, LintPolicy, list } from './context';
import { LintSeverity } from './types';
import { WorkloadIndex } from './workload-index';
import { Cluster, Workload } from '../analysis/cluster';
import { CompiledSelector, compileSelector, Requirement } from '../analysis/selectors';
import { NAMESPACE_NAME_LABEL } from '../wire/labels';

export const ANP = 'AdminNetworkPolicy';
export const BANP = 'BaselineAdminNetworkPolicy';
export const CLUSTER_NP = 'ClusterNetworkPolicy';
const POLICY_API_KINDS = [ANP, BANP, CLUSTER_NP];

type Direction = 'ingress' | 'egress';
const DIRECTIONS: Direction[] = ['ingress', 'egress'];

/** One policy of the network-policy-api, as the checks see it. */
interface AdminPolicy {
  readonly obj: LintObject;
  readonly spec: any;
  readonly tier: 'Admin' | 'Baseline';
  /** The API: v1alpha1 (ANP/BANP) or v1alpha2 (ClusterNetworkPolicy); policies of different APIs are not ordered against each other. */
  readonly api: 'v1alpha1' | 'v1alpha2';
  /** Undefined for a BANP (a singleton without priority). */
  readonly priority?: number;
  readonly subject: Subject;
}

/** Selected pods: namespaces by label, pods by label within them. */
interface Subject {
  readonly namespaces: CompiledSelector;
  readonly pods: CompiledSelector;
}

function compile(sel: any): CompiledSelector | undefined {
  try {
    return compileSelector(sel ?? {}, 'selector');
  } catch {
    return undefined; // an invalid selector is the reader's warning, not a lint finding
  }
}

/** A subject or a pods/namespaces peer; undefined for networks/nodes/domainNames peers or invalid selectors. */
function podsOf(x: any): Subject | undefined {
  if (x?.namespaces) {
    const ns = compile(x.namespaces);
    return ns && { namespaces: ns, pods: CompiledSelector.ALL };
  }
  if (x?.pods) {
    const ns = compile(x.pods.namespaceSelector);
    const pods = compile(x.pods.podSelector);
    return ns && pods && { namespaces: ns, pods };
  }
  return undefined;
}

function adminPolicies(ctx: LintContext): AdminPolicy[] {
  const out: AdminPolicy[] = [];
  for (const obj of ctx.objects) {
    if (!POLICY_API_KINDS.includes(obj.kind)) continue;
    const spec = obj.object?.spec ?? {};
    const subject = podsOf(spec.subject);
    if (!subject) continue;
    const tier = obj.kind === ANP ? 'Admin' : obj.kind === BANP ? 'Baseline' : spec.tier;
    out.push({ obj, spec, tier, api: obj.kind === CLUSTER_NP ? 'v1alpha2' : 'v1alpha1', priority: obj.kind === BANP ? undefined : spec.priority, subject });
  }
  return out;
}

/** Accept, Deny or Pass (v1alpha1's Allow is Accept). */
function actionOf(rule: any): string {
  return rule?.action === 'Allow' ? 'Accept' : String(rule?.action);
}

function peersOf(rule: any, dir: Direction): any[] {
  return list(dir === 'ingress' ? rule?.from : rule?.to);
}

function hasPorts(rule: any): boolean {
  return list(rule?.ports).length > 0 || list(rule?.protocols).length > 0;
}

function what(p: AdminPolicy): string {
  return p.obj.kind === CLUSTER_NP ? `${p.tier} ClusterNetworkPolicy ${p.obj.name}` : `${p.obj.kind} ${p.obj.name}`;
}

// ---- selector reasoning ----

/** True when no label set can satisfy both requirement lists (a sufficient test; false means "may overlap"). */
function requirementsDisjoint(a: readonly Requirement[], b: readonly Requirement[]): boolean {
  const all = [...a, ...b];
  const keys = new Set(all.map(r => r.key));
  for (const key of keys) {
    const rs = all.filter(r => r.key === key);
    let allowed: Set<string> | undefined; // values the key may have; undefined: any
    const forbidden = new Set<string>();
    let mustExist = false;
    let mustNotExist = false;
    for (const r of rs) {
      if (r.operator === 'In') {
        mustExist = true;
        allowed = new Set(allowed ? r.values.filter(v => allowed!.has(v)) : r.values);
      } else if (r.operator === 'NotIn') {
        r.values.forEach(v => forbidden.add(v));
      } else if (r.operator === 'Exists') {
        mustExist = true;
      } else {
        mustNotExist = true;
      }
    }
    if (mustExist && mustNotExist) return true;
    if (allowed && [...allowed].every(v => forbidden.has(v))) return true;
  }
  return false;
}

function subjectsMayOverlap(a: Subject, b: Subject): boolean {
  return !requirementsDisjoint(a.namespaces.requirements, b.namespaces.requirements)
    && !requirementsDisjoint(a.pods.requirements, b.pods.requirements);
}

/** The Namespace objects by name (the first of a name, as a search in manifest order finds it), per context. */
const namespaceObjects = new WeakMap<LintContext, Map<string, LintObject>>();

/** Labels of a namespace: its Namespace object's, or only the name label every namespace has. */
function namespaceLabels(ctx: LintContext, name: string): { [k: string]: string } {
  let byName = namespaceObjects.get(ctx);
  if (!byName) {
    byName = new Map();
    for (const o of ctx.objects) if (o.kind === 'Namespace' && !byName.has(o.name)) byName.set(o.name, o);
    namespaceObjects.set(ctx, byName);
  }
  const declared = byName.get(name);
  return { ...(declared?.object?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

/** workloadsOf per cluster and subject. */
const subjectWorkloads = new WeakMap<Cluster, Map<Subject, readonly Workload[]>>();

/** The given workloads a subject (or pods/namespaces peer) selects, in cluster order. The list is shared: do not change it. */
function workloadsOf(cluster: Cluster, s: Subject): readonly Workload[] {
  let bySubject = subjectWorkloads.get(cluster);
  if (!bySubject) subjectWorkloads.set(cluster, (bySubject = new Map()));
  let found = bySubject.get(s);
  if (!found) {
    // the namespaces of the given workloads whose labels the namespace selector matches
    const namespaces = [...new Set(cluster.workloads.map(w => w.namespace))]
      .filter(ns => s.namespaces.matches(cluster.namespaces.get(ns)?.labels ?? { [NAMESPACE_NAME_LABEL]: ns }));
    found = WorkloadIndex.of(cluster).matchingPods(s.pods, namespaces);
    bySubject.set(s, found);
  }
  return found;
}

function networkPolicies(ctx: LintContext, dir: Direction): LintPolicy[] {
  return ctx.policies.filter(p => p.kind === K8S_POLICY && k8sIsolates(p.spec, dir === 'ingress' ? 'Ingress' : 'Egress'));
}

/** Workloads a NetworkPolicy selects. */
function npWorkloads(cluster: Cluster, np: LintPolicy): readonly Workload[] {
  const sel = compile(np.spec?.podSelector);
  return sel ? WorkloadIndex.of(cluster).matchingPods(sel, [np.namespace]) : [];
}

/** The ids of the workloads NetworkPolicies isolating `dir` select (with repeats, in policy order), per context and direction. */
const isolatedIds = new WeakMap<LintContext, Map<Direction, string[]>>();

function isolatedWorkloadIds(ctx: LintContext, cluster: Cluster, dir: Direction): string[] {
  let byDir = isolatedIds.get(ctx);
  if (!byDir) isolatedIds.set(ctx, (byDir = new Map()));
  let ids = byDir.get(dir);
  if (!ids) byDir.set(dir, (ids = networkPolicies(ctx, dir).flatMap(np => npWorkloads(cluster, np)).map(w => w.id)));
  return ids;
}

/** NetworkPolicies isolating `dir` that may select some pods of `s` (by namespace labels and pod selectors). */
function overlappingNetworkPolicies(ctx: LintContext, s: Subject, dir: Direction): LintPolicy[] {
  return networkPolicies(ctx, dir).filter(np => {
    if (!s.namespaces.matches(namespaceLabels(ctx, np.namespace ?? 'default'))) return false;
    const pods = compile(np.spec?.podSelector);
    return !!pods && !requirementsDisjoint(pods.requirements, s.pods.requirements);
  });
}

function shortList(items: string[]): string {
  return `${items.slice(0, 5).join(', ')}${items.length > 5 ? `, ... (${items.length})` : ''}`;
}

// ---- checks ----

/** ANP001: a Pass rule whose subject pods no NetworkPolicy selects: the Baseline tier (or the default allow) decides instead. */
export const passWithoutNetworkPolicy: LintCheck = {
  info: {
    id: 'ANP001',
    name: 'pass-without-network-policy',
    severity: LintSeverity.WARNING,
    description: 'An admin Pass rule for pods no NetworkPolicy isolates in that direction: the traffic falls through to the Baseline tier, or is allowed by default.',
    kinds: [ANP, CLUSTER_NP],
    needsWorkloads: false,
  },
  run(ctx, emit) {
    for (const p of adminPolicies(ctx).filter(x => x.tier === 'Admin')) {
      for (const dir of DIRECTIONS) {
        const rules = list(p.spec[dir]);
        const i = rules.findIndex(r => actionOf(r) === 'Pass');
        if (i < 0) continue;
        let uncovered: string;
        if (ctx.cluster && workloadsOf(ctx.cluster, p.subject).length) {
          const covered = new Set(isolatedWorkloadIds(ctx, ctx.cluster, dir));
          const missing = workloadsOf(ctx.cluster, p.subject).map(w => w.id).filter(id => !covered.has(id)).sort();
          if (!missing.length) continue;
          uncovered = `no NetworkPolicy isolates ${dir} of ${shortList(missing)}`;
        } else {
          if (overlappingNetworkPolicies(ctx, p.subject, dir).length) continue;
          uncovered = `no NetworkPolicy in these manifests isolates ${dir} of its subject's pods`;
        }
        emit(p.obj, `spec.${dir}[${i}].action`,
          `passes ${dir} traffic to NetworkPolicies, but ${uncovered}: the Baseline tier decides, or, without a baseline rule, the traffic is allowed`,
          'add a NetworkPolicy for those pods, use Accept or Deny if the admin policy should decide, or silence ANP001 if the baseline is meant to decide');
      }
    }
  },
};

/** ANP002: two policies of one tier with the same priority whose subjects overlap: their order is undefined. */
export const samePriorityOverlap: LintCheck = {
  info: {
    id: 'ANP002',
    name: 'same-priority-overlap',
    severity: LintSeverity.WARNING,
    description: 'Two admin policies of the same tier and priority may select the same pods in the same direction: the API leaves their order undefined.',
    kinds: [ANP, CLUSTER_NP],
    needsWorkloads: false,
  },
  run(ctx, emit) {
    const policies = adminPolicies(ctx).filter(p => p.priority !== undefined)
      .sort((a, b) => a.obj.name.localeCompare(b.obj.name) || a.obj.kind.localeCompare(b.obj.kind));
    for (let i = 0; i < policies.length; i++) {
      for (let j = i + 1; j < policies.length; j++) {
        const [a, b] = [policies[i], policies[j]];
        if (a.api !== b.api || a.tier !== b.tier || a.priority !== b.priority) continue;
        const dirs = DIRECTIONS.filter(d => list(a.spec[d]).length && list(b.spec[d]).length);
        if (!dirs.length) continue;
        let overlap: string | undefined;
        if (ctx.cluster && workloadsOf(ctx.cluster, a.subject).length) {
          const bIds = new Set(workloadsOf(ctx.cluster, b.subject).map(w => w.id));
          const both = workloadsOf(ctx.cluster, a.subject).map(w => w.id).filter(id => bIds.has(id)).sort();
          if (!both.length) continue;
          overlap = `both select ${shortList(both)}`;
        } else if (subjectsMayOverlap(a.subject, b.subject)) {
          overlap = 'their subjects may select the same pods';
        }
        if (!overlap) continue;
        for (const p of [a, b]) {
          const other = p === a ? b : a;
          emit(p.obj, 'spec.priority',
            `has priority ${p.priority}, as ${what(other)} has, and ${overlap} (${dirs.join(' and ')}): which of the two applies first is undefined, and implementations may differ`,
            'give the policies different priorities (lower is evaluated first), or make their subjects disjoint');
        }
      }
    }
  },
};

/** ANP003: a Baseline Deny for pods a NetworkPolicy selects: the NetworkPolicy decides, so the deny has no effect on them. */
export const baselineDenyOverridden: LintCheck = {
  info: {
    id: 'ANP003',
    name: 'baseline-deny-overridden',
    severity: LintSeverity.WARNING,
    description: 'A Baseline Deny rule for pods that NetworkPolicies isolate in that direction: NetworkPolicies decide for them, so the deny is silently ignored there.',
    kinds: [BANP, CLUSTER_NP],
    needsWorkloads: false,
  },
  run(ctx, emit) {
    for (const p of adminPolicies(ctx).filter(x => x.tier === 'Baseline')) {
      for (const dir of DIRECTIONS) {
        const i = list(p.spec[dir]).findIndex(r => actionOf(r) === 'Deny');
        if (i < 0) continue;
        let overridden: string[];
        if (ctx.cluster && workloadsOf(ctx.cluster, p.subject).length) {
          const subject = new Set(workloadsOf(ctx.cluster, p.subject).map(w => w.id));
          const isolated = isolatedWorkloadIds(ctx, ctx.cluster, dir);
          overridden = [...new Set(isolated.filter(id => subject.has(id)))].sort();
        } else {
          overridden = overlappingNetworkPolicies(ctx, p.subject, dir).map(np => `NetworkPolicy ${np.namespace}/${np.name}`).sort();
        }
        if (!overridden.length) continue;
        emit(p.obj, `spec.${dir}[${i}]`,
          `denies ${dir} in the Baseline tier, but NetworkPolicies decide ${dir} of some of its pods (${shortList(overridden)}), so for them this deny never applies`,
          'rely on those NetworkPolicies (they isolate the pods), move the deny to the Admin tier if it must hold, or silence ANP003 if the override is intended');
      }
    }
  },
};

const ALL_ADDRESSES = ['0.0.0.0/0', '::/0'];

function matchesAllPods(peer: any): boolean {
  const s = podsOf(peer);
  return !!s && s.namespaces.isEmpty && s.pods.isEmpty;
}

/** ANP004: an Accept or Deny to 0.0.0.0/0 or ::/0 also matches pod-to-pod traffic. */
export const networksIncludePods: LintCheck = {
  info: {
    id: 'ANP004',
    name: 'networks-include-pods',
    severity: LintSeverity.WARNING,
    description: 'An Accept or Deny rule to networks 0.0.0.0/0 or ::/0 also matches traffic to pods (cluster traffic is checked against networks too), '
      + 'with no earlier rule deciding pod traffic.',
    kinds: [ANP, BANP, CLUSTER_NP],
    needsWorkloads: false,
  },
  run(ctx, emit) {
    for (const p of adminPolicies(ctx)) {
      const rules = list(p.spec.egress);
      rules.forEach((rule, i) => {
        const action = actionOf(rule);
        if (action === 'Pass') return;
        const peers = peersOf(rule, 'egress');
        const j = peers.findIndex(x => list(x?.networks).some((n: string) => ALL_ADDRESSES.includes(n)));
        if (j < 0) return;
        // the author decided pod traffic when the rule itself, or an earlier one, matches every pod
        if (peers.some(matchesAllPods) || rules.slice(0, i).some(r => peersOf(r, 'egress').some(matchesAllPods))) return;
        emit(p.obj, `spec.egress[${i}].to[${j}].networks`,
          `${action === 'Accept' ? 'accepts' : 'denies'} egress to every address, which includes every pod of the cluster (networks match cluster traffic too), before any rule decides pod traffic`,
          'put a rule for pod traffic first (e.g. Pass to namespaces: {}), or add namespaces: {} to this rule if pods are meant too');
      });
    }
  },
};

/** Does rule `a` match all the traffic of rule `b` (same direction)? A sufficient test. */
function ruleCovers(a: any, b: any, dir: Direction): boolean {
  if (hasPorts(a)) return false;
  const aPeers = peersOf(a, dir);
  if (aPeers.some(matchesAllPods) && peersOf(b, dir).every(x => podsOf(x) !== undefined)) return true;
  const keys = new Set(aPeers.map(x => JSON.stringify(x)));
  return peersOf(b, dir).every(x => keys.has(JSON.stringify(x)));
}

/** ANP005: a rule no traffic reaches, because an earlier rule of the same policy matches all of it. */
export const unreachableRule: LintCheck = {
  info: {
    id: 'ANP005',
    name: 'unreachable-rule',
    severity: LintSeverity.WARNING,
    description: 'A rule of an admin or baseline policy after an earlier rule that matches all of its traffic: rules are evaluated in order, so it never applies.',
    kinds: [ANP, BANP, CLUSTER_NP],
    needsWorkloads: false,
  },
  run(ctx, emit) {
    for (const p of adminPolicies(ctx)) {
      for (const dir of DIRECTIONS) {
        const rules = list(p.spec[dir]);
        rules.forEach((rule, i) => {
          const k = rules.slice(0, i).findIndex(earlier => ruleCovers(earlier, rule, dir));
          if (k < 0) return;
          emit(p.obj, `spec.${dir}[${i}]`,
            `is never applied: rule ${k}${rules[k]?.name ? ` ("${rules[k].name}")` : ''} comes first and matches all of its traffic (${actionOf(rules[k])}), and the first matching rule decides`,
            'move this rule before the broader one, narrow the earlier rule, or remove this one');
        });
      }
    }
  },
};

export const POLICY_API_CHECKS: LintCheck[] = [
  passWithoutNetworkPolicy, samePriorityOverlap, baselineDenyOverridden, networksIncludePods, unreachableRule,
];

// Checks on policy shapes common to Kubernetes NetworkPolicy (and, where stated, Cilium).
import { policySubjects } from './checks-workloads';
import {
  byNamespace, canonical, ciliumPortsAllow, CILIUM_KINDS, covers, Emit, isEmptySelector, isolatedRulesOf, K8S_POLICY, k8sIsolates, k8sPortsAllow,
  LintCheck, LintContext, LintPolicy, list, plainSelector, PolicyRule, RuleDirection, ruleCheck, sameNamespaceOrClusterwide,
  selectorCovers,
} from './context';
import { LintCheckInfo, LintSeverity } from './types';

const DNS_PORT_NAMES = ['dns', 'dns-tcp', 'domain'];

/** Does this policy allow DNS egress (UDP 53) from its subjects to some peer? */
function allowsDns(p: LintPolicy): boolean {
  const egress = Array.isArray(p.spec?.egress) ? p.spec.egress : [];
  if (p.kind === K8S_POLICY) {
    return egress.some((r: any) => k8sPortsAllow(r?.ports, 'UDP', 53, DNS_PORT_NAMES));
  }
  return egress.some((r: any) => {
    if (Array.isArray(r?.toPorts) && r.toPorts.length) return ciliumPortsAllow(r.toPorts, 'UDP', 53);
    // L3-only rule: allows DNS when its peers include the cluster DNS.
    const entities: string[] = Array.isArray(r?.toEntities) ? r.toEntities : [];
    if (entities.some(e => e === 'all' || e === 'cluster')) return true;
    const eps: any[] = Array.isArray(r?.toEndpoints) ? r.toEndpoints : [];
    return eps.some(s => isEmptySelector(s) || Object.entries(plainSelector(s).matchLabels).some(([k, v]) => k === 'k8s-app' && v === 'kube-dns'));
  });
}

function restrictsEgress(p: LintPolicy): boolean {
  if (p.kind === K8S_POLICY) return k8sIsolates(p.spec, 'Egress');
  const dd = p.spec?.enableDefaultDeny?.egress;
  if (dd === false) return false;
  const has = (Array.isArray(p.spec?.egress) && p.spec.egress.length > 0) || (Array.isArray(p.spec?.egressDeny) && p.spec.egressDeny.length > 0);
  return has || dd === true;
}

/** NP001: egress restricted but DNS not allowed. */
export const egressWithoutDns: LintCheck = {
  info: {
    id: 'NP001',
    name: 'egress-without-dns',
    severity: LintSeverity.WARNING,
    description: 'A policy restricts egress but no policy for the same pods allows DNS (UDP 53), so name resolution fails.',
    kinds: [K8S_POLICY, ...CILIUM_KINDS],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    const dnsPolicies = ctx.policies.filter(allowsDns);
    // The workloads some DNS-allowing policy applies to, computed once.
    let covered: Set<string> | undefined;
    // covers() needs the same namespace, or a cluster-wide policy: look only at those.
    const dnsByNamespace = byNamespace(dnsPolicies);
    for (const p of ctx.policies) {
      if (!restrictsEgress(p)) continue;
      // Kubernetes policies and Cilium policies both apply under Cilium, so any kind may allow DNS.
      let without = '';
      const subjects = ctx.cluster ? policySubjects(ctx.cluster, p) : undefined;
      if (ctx.cluster && subjects && subjects.length) {
        // With workloads: exactly which selected workloads no DNS-allowing policy applies to.
        covered ??= new Set(dnsPolicies.flatMap(o => policySubjects(ctx.cluster!, o) ?? []).map(w => w.id));
        const missing = subjects.filter(w => !covered!.has(w.id)).map(w => w.id).sort();
        if (missing.length === 0) continue;
        without = ` (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''})`;
      } else if (sameNamespaceOrClusterwide(dnsByNamespace, p).some(o => covers(o, p))) {
        continue;
      }
      const field = p.kind === K8S_POLICY ? `${p.specPath}.policyTypes` : `${p.specPath}.egress`;
      emit(p, field, `restricts egress, but no policy selecting the same pods${without} allows DNS (UDP/TCP 53 to the cluster DNS): every name lookup will time out`,
        p.kind === K8S_POLICY
          ? 'add NetworkPolicyPatterns.allowDnsEgress() (egress to k8s-app=kube-dns in kube-system on UDP and TCP 53) for the same pods'
          : 'add an egress rule to k8s:k8s-app=kube-dns in kube-system on port 53 ANY with rules.dns [{matchPattern: "*"}]');
    }
  },
};

/** NP002: separate namespace-only and pod-only peers where one combined peer was likely meant. */
export const andOrPeers: LintCheck = ruleCheck({
  id: 'NP002',
  name: 'and-or-peers',
  severity: LintSeverity.WARNING,
  description: 'A rule lists a namespaceSelector-only peer and a podSelector-only peer: they are ORed, not ANDed (the "-" YAML mistake).',
  kinds: [K8S_POLICY],
  needsWorkloads: false,
}, ({ policy, rule, field, peerKey: key }, emit) => {
  const peers = list(rule?.[key]);
  const nsOnly = peers.findIndex(x => x?.namespaceSelector && !x?.podSelector && !x?.ipBlock && !isEmptySelector(x.namespaceSelector));
  const podOnly = peers.findIndex(x => x?.podSelector && !x?.namespaceSelector && !x?.ipBlock && !isEmptySelector(x.podSelector));
  if (nsOnly < 0 || podOnly < 0) return;
  emit(policy, `${field}.${key}`,
    `peers [${nsOnly}] (namespaceSelector only) and [${podOnly}] (podSelector only) are separate list items, so they are ORed: every pod of those namespaces, plus the matching pods of the policy's own namespace`,
    `if you meant "these pods in those namespaces", put both selectors in one peer (one "-" in YAML; Pods.withLabels(...).inNamespaces(...)); if the OR is intended, silence ${'NP002'} with a reason`);
});

// ---- rule comparison (duplicates and shadowing), Kubernetes shapes ----

/** rulesOf per context and kinds: NP003 and NP004 group the same rules. */
const groupCache = new WeakMap<LintContext, Map<string, PolicyRule[][]>>();

function rulesOf(ctx: LintContext, kinds: string[]): PolicyRule[][] {
  let byKinds = groupCache.get(ctx);
  if (!byKinds) groupCache.set(ctx, (byKinds = new Map()));
  const kindsKey = kinds.join(',');
  let groups = byKinds.get(kindsKey);
  if (!groups) byKinds.set(kindsKey, (groups = groupRules(ctx, kinds)));
  return groups;
}

/**
 * Rules grouped by (kind, namespace, subject selector, direction): rules in one group apply to the
 * same pods; each group in policy and rule order. Rules of a direction a Kubernetes policy does not
 * isolate have no effect, so they are left out.
 */
function groupRules(ctx: LintContext, kinds: string[]): PolicyRule[][] {
  // (per subject a record of directions rather than a Map: a chart has thousands of subjects)
  const bySubject = new Map<string, Partial<Record<RuleDirection, PolicyRule[]>>>();
  const groups: PolicyRule[][] = [];
  for (const p of ctx.policies) {
    if (!kinds.includes(p.kind)) continue;
    const rules = isolatedRulesOf(p);
    if (!rules.length) continue;
    const subject = p.kind === K8S_POLICY ? p.spec?.podSelector : plainSelector(p.spec?.endpointSelector ?? p.spec?.nodeSelector);
    const subjectKey = [p.kind === K8S_POLICY ? 'k8s' : 'cilium', p.namespace ?? '', canonical(subject ?? {})].join('|');
    let byDirection = bySubject.get(subjectKey);
    if (!byDirection) bySubject.set(subjectKey, (byDirection = {}));
    for (const r of rules) {
      const group = byDirection[r.dir];
      if (group) {
        group.push(r);
      } else {
        // (made with its first rule: a list grown from empty by push has room for 16 or more,
        // and most groups of a generated chart hold one rule)
        groups.push((byDirection[r.dir] = [r]));
      }
    }
  }
  return groups;
}

/** A check on each group of rules that apply to the same pods (rulesOf), for the policies of `info.kinds`. */
function ruleGroupCheck(info: LintCheckInfo, visit: (rules: PolicyRule[], emit: Emit) => void): LintCheck {
  return {
    info,
    run(ctx: LintContext, emit: Emit) {
      for (const rules of rulesOf(ctx, info.kinds)) visit(rules, emit);
    },
  };
}

const normalRules = new WeakMap<object, string>();

/** A rule in canonical form: peer and port lists sorted (memoised: NP003 and NP004 compare every pair of a group). */
function normalRule(rule: any): string {
  if (!rule || typeof rule !== 'object') return canonical(rule);
  let text = normalRules.get(rule);
  if (text === undefined) {
    const out: any = {};
    for (const [k, v] of Object.entries(rule)) {
      out[k] = Array.isArray(v) ? v.map(canonical).sort() : v;
    }
    normalRules.set(rule, (text = canonical(out)));
  }
  return text;
}

function where(r: PolicyRule): string {
  return `${r.policy.kind} ${r.policy.namespace ? `${r.policy.namespace}/` : ''}${r.policy.name} ${r.field}`;
}

/**
 * A number that two rules with the same normalRule text always share: it depends only on their
 * keys and the length of each list (added up per key, so the key order does not count). Rules
 * whose number no other rule of the group has cannot repeat one, so their canonical text is not
 * needed; an equal number only means the texts are compared.
 */
function ruleShape(rule: any): number {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return -1;
  let shape = 0;
  for (const k in rule) {
    if (!Object.prototype.hasOwnProperty.call(rule, k)) continue;
    let h = 0;
    for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + k.charCodeAt(i)) | 0;
    const v = rule[k];
    shape = (shape + Math.imul(h, 1 + (Array.isArray(v) ? v.length : typeof v === 'object' ? 1000003 : 7))) | 0;
  }
  return shape;
}

/** NP003: the same rule twice for the same pods. */
export const duplicateRule: LintCheck = ruleGroupCheck({
  id: 'NP003',
  name: 'duplicate-rule',
  severity: LintSeverity.WARNING,
  description: 'The same rule appears twice for the same pods (in one policy or in policies with the same selector).',
  kinds: [K8S_POLICY, ...CILIUM_KINDS],
  needsWorkloads: false,
}, (rules, emit) => {
  if (rules.length < 2) return;
  const shapes = rules.map(r => ruleShape(r.rule));
  const shapeCounts = new Map<number, number>();
  for (const shape of shapes) shapeCounts.set(shape, (shapeCounts.get(shape) ?? 0) + 1);
  const seen = new Map<string, PolicyRule>();
  rules.forEach((r, i) => {
    if (shapeCounts.get(shapes[i]) === 1) return;
    const key = normalRule(r.rule);
    const first = seen.get(key);
    if (first) {
      emit(r.policy, r.field, `repeats ${where(first)}`,
        'remove the duplicate rule (rules are additive, so it changes nothing)');
    } else {
      seen.set(key, r);
    }
  });
});

/** Does Kubernetes peer `q` select everything peer `p` selects? */
function peerCovers(q: any, p: any): boolean {
  if (!q || !p) return false;
  if (q.ipBlock || p.ipBlock) {
    if (!q.ipBlock || !p.ipBlock) return false;
    if (q.ipBlock.except && q.ipBlock.except.length) return canonical(q.ipBlock) === canonical(p.ipBlock);
    return cidrWithin(String(p.ipBlock.cidr), String(q.ipBlock.cidr));
  }
  // Namespace part: absent = the policy's namespace.
  if (q.namespaceSelector === undefined) {
    if (p.namespaceSelector !== undefined) return false;
  } else if (p.namespaceSelector !== undefined) {
    if (!selectorCovers(q.namespaceSelector, p.namespaceSelector)) return false;
  } else if (!isEmptySelector(q.namespaceSelector)) {
    return false; // q names some namespaces; p is the policy's own, which may not be among them
  }
  if (q.podSelector === undefined) return true;
  if (p.podSelector === undefined) return isEmptySelector(q.podSelector);
  return selectorCovers(q.podSelector, p.podSelector);
}

function cidrWithin(inner: string, outer: string): boolean {
  const parse = (c: string) => {
    const [addr, len] = c.split('/');
    if (addr.includes(':') || !len) return undefined;
    const n = addr.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
    return { n, len: Number(len) };
  };
  const i = parse(inner);
  const o = parse(outer);
  if (!i || !o) return inner === outer || outer === '::/0' && inner.includes(':');
  if (i.len < o.len) return false;
  const size = 2 ** (32 - o.len);
  return Math.floor(i.n / size) === Math.floor(o.n / size);
}

function portCovers(q: any, p: any): boolean {
  if (String(q?.protocol ?? 'TCP').toUpperCase() !== String(p?.protocol ?? 'TCP').toUpperCase()) return false;
  if (q?.port === undefined || q?.port === null) return true;
  if (p?.port === undefined || p?.port === null) return false;
  const named = (x: any) => typeof x === 'string' && !/^\d+$/.test(x);
  if (named(q.port) || named(p.port)) return q.port === p.port;
  const qFrom = Number(q.port);
  const qTo = q.endPort !== undefined ? Number(q.endPort) : qFrom;
  const pFrom = Number(p.port);
  const pTo = p.endPort !== undefined ? Number(p.endPort) : pFrom;
  return pFrom >= qFrom && pTo <= qTo;
}

/** Does Kubernetes rule `b` allow everything rule `a` allows? */
function ruleCovers(b: any, a: any, key: string): boolean {
  const bPeers = b?.[key];
  const aPeers = a?.[key];
  const bAll = !Array.isArray(bPeers) || bPeers.length === 0;
  if (!bAll) {
    if (!Array.isArray(aPeers) || aPeers.length === 0) return false;
    if (!aPeers.every((p: any) => bPeers.some((q: any) => peerCovers(q, p)))) return false;
  }
  const bPorts = b?.ports;
  const aPorts = a?.ports;
  if (!Array.isArray(bPorts) || bPorts.length === 0) return true;
  if (!Array.isArray(aPorts) || aPorts.length === 0) return false;
  return aPorts.every((p: any) => bPorts.some((q: any) => portCovers(q, p)));
}

const CILIUM_L3 = ['fromEndpoints', 'toEndpoints', 'fromEntities', 'toEntities', 'fromCIDR', 'toCIDR', 'fromCIDRSet', 'toCIDRSet',
  'toFQDNs', 'toServices', 'fromNodes', 'toNodes', 'fromGroups', 'toGroups', 'fromRequires', 'toRequires'];

/**
 * Does Cilium rule `b` allow everything rule `a` allows? Conservative: one L3 field each (Cilium
 * rejects mixing them), entries compared as text, the `all` entity covers every peer, and rules with
 * L7 rules, ICMP or requires are never judged.
 */
function ciliumRuleCovers(b: any, a: any): boolean {
  const ruleExtras = ['icmps', 'fromRequires', 'toRequires', 'authentication'];
  const portExtras = ['rules', 'listener', 'terminatingTLS', 'originatingTLS', 'serverNames'];
  const extra = (r: any) => ruleExtras.some(k => r?.[k] !== undefined)
    || (Array.isArray(r?.toPorts) && r.toPorts.some((pr: any) => portExtras.some(k => pr?.[k] !== undefined)));
  if (extra(a) || extra(b)) return false;
  const l3 = (r: any) => CILIUM_L3.filter(k => r?.[k] !== undefined);
  const bL3 = l3(b);
  const aL3 = l3(a);
  if (bL3.length > 1 || aL3.length > 1) return false;
  if (bL3.length === 1) {
    const bList: any[] = Array.isArray(b[bL3[0]]) ? b[bL3[0]] : [];
    const coversAll = (bL3[0] === 'fromEntities' || bL3[0] === 'toEntities') && bList.includes('all');
    if (!coversAll) {
      if (aL3.length !== 1 || aL3[0] !== bL3[0]) return false;
      const have = new Set(bList.map(canonical));
      const aList: any[] = Array.isArray(a[aL3[0]]) ? a[aL3[0]] : [];
      if (aList.length === 0 || !aList.every(x => have.has(canonical(x)))) return false;
    }
  }
  const ports = (r: any): any[] => (Array.isArray(r?.toPorts) ? r.toPorts.flatMap((pr: any) => (Array.isArray(pr?.ports) ? pr.ports : [])) : []);
  const bPorts = ports(b);
  if (bPorts.length === 0) return true;
  const aPorts = ports(a);
  if (aPorts.length === 0) return false;
  return aPorts.every(p => bPorts.some(q => {
    const qp = String(q?.protocol ?? 'ANY').toUpperCase();
    const pp = String(p?.protocol ?? 'ANY').toUpperCase();
    if (qp !== 'ANY' && qp !== pp) return false;
    const qFrom = Number(q?.port ?? 0);
    if (qFrom === 0) return true;
    if (!/^\d+$/.test(String(q.port)) || !/^\d+$/.test(String(p?.port ?? ''))) return String(q.port) === String(p?.port);
    const qTo = q.endPort !== undefined ? Number(q.endPort) : qFrom;
    const pFrom = Number(p.port);
    const pTo = p.endPort !== undefined ? Number(p.endPort) : pFrom;
    return pFrom !== 0 && pFrom >= qFrom && pTo <= qTo;
  }));
}

/** NP004: a rule that allows nothing a broader rule for the same pods does not already allow. */
export const shadowedRule: LintCheck = ruleGroupCheck({
  id: 'NP004',
  name: 'shadowed-rule',
  severity: LintSeverity.WARNING,
  description: 'A rule allows (or denies) nothing that a broader rule for the same pods does not already cover.',
  kinds: [K8S_POLICY, ...CILIUM_KINDS],
  needsWorkloads: false,
}, (rules, emit) => {
  if (rules.length < 2) return;
  rules.forEach((a, ai) => {
    const key = a.peerKey;
    const covers2 = (x: PolicyRule, y: PolicyRule) => (x.policy.kind === K8S_POLICY
      ? ruleCovers(x.rule, y.rule, key)
      : ciliumRuleCovers(x.rule, y.rule));
    // Two rules that cover each other (same meaning, different text): only the later one is reported.
    // An identical rule is NP003's; the texts are compared only for rules that cover (the rare case).
    const broader = rules.find((b, bi) => bi !== ai && covers2(b, a) && normalRule(b.rule) !== normalRule(a.rule)
      && !(bi > ai && covers2(a, b)));
    if (!broader) return;
    emit(a.policy, a.field,
      `is shadowed by the broader ${where(broader)}: everything it allows is already allowed`,
      'remove it, or narrow the broader rule if it allows more than intended');
  });
});

/** NP008: `from: []` / `to: []` in a Kubernetes rule: every peer, usually meant as none. */
export const emptyPeerList: LintCheck = ruleCheck({
  id: 'NP008',
  name: 'empty-peer-list',
  severity: LintSeverity.WARNING,
  description: 'A Kubernetes rule with "from: []" or "to: []", which allows every peer (like leaving it out), though it reads as "none".',
  kinds: [K8S_POLICY],
  needsWorkloads: false,
}, ({ policy, dir, rule, field, peerKey: key }, emit) => {
  if (!Array.isArray(rule?.[key]) || rule[key].length > 0) return;
  emit(policy, `${field}.${key}`,
    `is an empty list, which a NetworkPolicy reads as "every ${dir === 'ingress' ? 'source' : 'destination'}" (the rule is not restricted by peer)`,
    `to allow nothing, remove the rule (an isolated direction without rules denies all); to allow everyone, leave "${key}" out to say so plainly`);
});

/** NP009: policyTypes left to the API server's defaulting, which isolates ingress even without ingress rules. */
export const implicitPolicyTypes: LintCheck = {
  info: {
    id: 'NP009',
    name: 'implicit-policy-types',
    severity: LintSeverity.WARNING,
    description: 'policyTypes is not set and the policy has egress rules: the API server defaults it to ["Ingress", "Egress"], so all ingress is denied too.',
    kinds: [K8S_POLICY],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    for (const p of ctx.policies.filter(x => x.kind === K8S_POLICY)) {
      // the written form: the reader defaults policyTypes, as the API server does
      const types = p.writtenSpec?.policyTypes;
      if (Array.isArray(types) && types.length) continue;
      const egress = Array.isArray(p.spec?.egress) && p.spec.egress.length > 0;
      const ingress = Array.isArray(p.spec?.ingress) && p.spec.ingress.length > 0;
      if (!egress || ingress) continue;
      emit(p, `${p.specPath}.policyTypes`,
        'is not set, so the API server defaults it to ["Ingress", "Egress"]: the policy has only egress rules but also isolates ingress, denying all traffic into the selected pods',
        'set policyTypes: ["Egress"] if only egress is meant (or ["Ingress", "Egress"] to make the ingress deny explicit)');
    }
  },
};

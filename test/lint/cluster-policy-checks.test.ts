// Per check of the network-policy-api kinds: manifests that trigger it (exact findings) and close ones that do not.
import { np } from './helpers';
import { Linter, LintSeverity } from '../../src';

const V1A1 = 'policy.networking.k8s.io/v1alpha1';
const V1A2 = 'policy.networking.k8s.io/v1alpha2';
const TENANT_A = { namespaces: { matchLabels: { tenant: 'a' } } };
const SHOP = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };

function clnp(name: string, tier: string, priority: number, spec: any): any {
  return { apiVersion: V1A2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...spec } };
}
function anp(name: string, priority: number, spec: any): any {
  return { apiVersion: V1A1, kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...spec } };
}
function banp(spec: any): any {
  return { apiVersion: V1A1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec };
}
function ns(name: string, labels: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
function pod(name: string, namespace: string, labels: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'i' }] } };
}

/** `ID kind/name field` of the findings of the checks with this prefix. */
function findings(prefix: string, manifests: any[]): string[] {
  return Linter.lintManifests(manifests).findings.filter(f => f.checkId.startsWith(prefix)).map(f => `${f.checkId} ${f.object.kind}/${f.object.name} ${f.field}`);
}

describe('ANP001 pass-without-network-policy', () => {
  const pass = clnp('pass-shop', 'Admin', 10, { subject: SHOP, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] });

  test('a Pass with no NetworkPolicy behind it triggers, with the consequence and the fix', () => {
    const f = Linter.lintManifests([pass]).findings.filter(x => x.checkId === 'ANP001');
    expect(f.map(x => `${x.checkId} ${x.field} ${x.severity}`)).toEqual(['ANP001 spec.ingress[0].action warning']);
    expect(f[0].message).toBe('passes ingress traffic to NetworkPolicies, but no NetworkPolicy in these manifests isolates ingress of its subject\'s pods: the Baseline tier decides, or, without a baseline rule, the traffic is allowed');
    expect(f[0].fix).toContain('add a NetworkPolicy for those pods');
    expect(findings('ANP001', [anp('a', 5, { subject: SHOP, egress: [{ action: 'Pass', to: [{ namespaces: {} }] }] })])).toEqual(['ANP001 AdminNetworkPolicy/a spec.egress[0].action']);
  });

  test('a NetworkPolicy isolating ingress in a selected namespace clears it; one of another namespace or direction does not', () => {
    expect(findings('ANP001', [pass, np('web', { podSelector: {}, policyTypes: ['Ingress'] })])).toEqual([]);
    expect(findings('ANP001', [pass, np('web', { podSelector: {}, policyTypes: ['Ingress'] }, { namespace: 'other' })])).toEqual(['ANP001 ClusterNetworkPolicy/pass-shop spec.ingress[0].action']);
    expect(findings('ANP001', [pass, np('web', { podSelector: {}, policyTypes: ['Egress'] })])).toEqual(['ANP001 ClusterNetworkPolicy/pass-shop spec.ingress[0].action']);
  });

  test('with workloads, exactly the pods no NetworkPolicy isolates are named', () => {
    const f = Linter.lintManifests([
      pass, pod('web', 'shop', { app: 'web' }), pod('db', 'shop', { app: 'db' }),
      np('web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }),
    ]).findings.filter(x => x.checkId === 'ANP001');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('no NetworkPolicy isolates ingress of shop/db[Pod]');
    expect(findings('ANP001', [
      pass, pod('web', 'shop', { app: 'web' }), np('all', { podSelector: {}, policyTypes: ['Ingress'] }),
    ])).toEqual([]);
  });

  test('Baseline policies and other actions are not concerned', () => {
    expect(findings('ANP001', [clnp('b', 'Baseline', 10, { subject: SHOP, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] })])).toEqual([]);
    expect(findings('ANP001', [clnp('d', 'Admin', 10, { subject: SHOP, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] })])).toEqual([]);
  });
});

describe('ANP002 same-priority-overlap', () => {
  const deny = { ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] };

  test('same tier and priority with overlapping subjects: both policies get a finding', () => {
    const f = Linter.lintManifests([clnp('x', 'Admin', 7, { subject: TENANT_A, ...deny }), clnp('y', 'Admin', 7, { subject: { namespaces: {} }, ...deny })])
      .findings.filter(x => x.checkId === 'ANP002');
    expect(f.map(x => `${x.object.name} ${x.field}`)).toEqual(['x spec.priority', 'y spec.priority']);
    expect(f[0].message).toBe('has priority 7, as Admin ClusterNetworkPolicy y has, and their subjects may select the same pods (ingress): which of the two applies first is undefined, and implementations may differ');
    expect(f[0].severity).toBe(LintSeverity.WARNING);
  });

  test('disjoint subjects, other priorities, other tiers, other directions or other APIs do not', () => {
    const b = { namespaces: { matchLabels: { tenant: 'b' } } };
    expect(findings('ANP002', [clnp('x', 'Admin', 7, { subject: TENANT_A, ...deny }), clnp('y', 'Admin', 7, { subject: b, ...deny })])).toEqual([]);
    const notA = { namespaces: { matchExpressions: [{ key: 'tenant', operator: 'NotIn', values: ['a'] }] } };
    expect(findings('ANP002', [clnp('x', 'Admin', 7, { subject: TENANT_A, ...deny }), clnp('y', 'Admin', 7, { subject: notA, ...deny })])).toEqual([]);
    expect(findings('ANP002', [clnp('x', 'Admin', 7, { subject: TENANT_A, ...deny }), clnp('y', 'Admin', 8, { subject: TENANT_A, ...deny })])).toEqual([]);
    expect(findings('ANP002', [clnp('x', 'Admin', 7, { subject: TENANT_A, ...deny }), clnp('y', 'Baseline', 7, { subject: TENANT_A, ...deny })])).toEqual([]);
    expect(findings('ANP002', [clnp('x', 'Admin', 7, { subject: TENANT_A, ...deny }), clnp('y', 'Admin', 7, { subject: TENANT_A, egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] })])).toEqual([]);
    expect(findings('ANP002', [clnp('x', 'Admin', 7, { subject: TENANT_A, ...deny }), anp('y', 7, { subject: TENANT_A, ...deny })])).toEqual([]);
  });

  test('AdminNetworkPolicies are checked among themselves; with workloads only real overlaps count', () => {
    expect(findings('ANP002', [anp('x', 3, { subject: SHOP, ...deny }), anp('y', 3, { subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } }, ...deny })]))
      .toEqual(['ANP002 AdminNetworkPolicy/x spec.priority', 'ANP002 AdminNetworkPolicy/y spec.priority']);
    const web = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } };
    const db = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { tier: 'db' } } } };
    const manifests = [anp('x', 3, { subject: web, ...deny }), anp('y', 3, { subject: db, ...deny })];
    expect(findings('ANP002', [...manifests, pod('p', 'shop', { app: 'web' }), pod('q', 'shop', { tier: 'db' })])).toEqual([]);
    expect(findings('ANP002', [...manifests, pod('p', 'shop', { app: 'web', tier: 'db' })])).toEqual(['ANP002 AdminNetworkPolicy/x spec.priority', 'ANP002 AdminNetworkPolicy/y spec.priority']);
  });
});

describe('ANP003 baseline-deny-overridden', () => {
  const baseline = clnp('baseline', 'Baseline', 1000, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });

  test('a Baseline Deny for pods a NetworkPolicy isolates triggers, naming the policy', () => {
    const f = Linter.lintManifests([baseline, np('web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })]).findings.filter(x => x.checkId === 'ANP003');
    expect(f.map(x => `${x.object.name} ${x.field}`)).toEqual(['baseline spec.ingress[0]']);
    expect(f[0].message).toBe('denies ingress in the Baseline tier, but NetworkPolicies decide ingress of some of its pods (NetworkPolicy shop/web), so for them this deny never applies');
    expect(findings('ANP003', [banp({ subject: SHOP, egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] }), np('e', { podSelector: {}, policyTypes: ['Egress'] })]))
      .toEqual(['ANP003 BaselineAdminNetworkPolicy/default spec.egress[0]']);
  });

  test('no NetworkPolicy, one in a namespace the baseline does not select (by Namespace labels), or of the other direction: no finding', () => {
    expect(findings('ANP003', [baseline])).toEqual([]);
    const tenantBaseline = clnp('b', 'Baseline', 1, { subject: TENANT_A, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    expect(findings('ANP003', [tenantBaseline, ns('shop', { tenant: 'b' }), np('web', { podSelector: {}, policyTypes: ['Ingress'] })])).toEqual([]);
    expect(findings('ANP003', [tenantBaseline, ns('shop', { tenant: 'a' }), np('web', { podSelector: {}, policyTypes: ['Ingress'] })])).toEqual(['ANP003 ClusterNetworkPolicy/b spec.ingress[0]']);
    expect(findings('ANP003', [baseline, np('web', { podSelector: {}, policyTypes: ['Egress'] })])).toEqual([]);
  });
});

describe('ANP004 networks-include-pods', () => {
  test('a Deny to 0.0.0.0/0 with nothing deciding pod traffic first triggers', () => {
    const f = Linter.lintManifests([clnp('c', 'Admin', 1, { subject: SHOP, egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8', '0.0.0.0/0'] }] }] })]).findings.filter(x => x.checkId === 'ANP004');
    expect(f.map(x => x.field)).toEqual(['spec.egress[0].to[0].networks']);
    expect(f[0].message).toContain('includes every pod of the cluster');
    expect(findings('ANP004', [banp({ subject: SHOP, egress: [{ action: 'Allow', to: [{ networks: ['::/0'] }] }] })])).toEqual(['ANP004 BaselineAdminNetworkPolicy/default spec.egress[0].to[0].networks']);
  });

  test('an earlier rule or a peer of the same rule for every pod, a narrower block, or Pass: no finding', () => {
    const allPods = { namespaces: {} };
    expect(findings('ANP004', [clnp('c', 'Admin', 1, { subject: SHOP, egress: [{ action: 'Pass', to: [allPods] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] })])).toEqual([]);
    expect(findings('ANP004', [clnp('c', 'Admin', 1, { subject: SHOP, egress: [{ action: 'Deny', to: [allPods, { networks: ['0.0.0.0/0'] }] }] })])).toEqual([]);
    expect(findings('ANP004', [clnp('c', 'Admin', 1, { subject: SHOP, egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/1'] }] }] })])).toEqual([]);
    expect(findings('ANP004', [clnp('c', 'Admin', 1, { subject: SHOP, egress: [{ action: 'Pass', to: [{ networks: ['0.0.0.0/0'] }] }] })])).toEqual([]);
  });
});

describe('ANP005 unreachable-rule', () => {
  test('a rule after a catch-all of every pod on every port triggers, naming the earlier rule', () => {
    const f = Linter.lintManifests([clnp('c', 'Admin', 1, {
      subject: SHOP,
      ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }, { action: 'Accept', from: [{ namespaces: { matchLabels: { a: 'b' } } }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] }],
    })]).findings.filter(x => x.checkId === 'ANP005');
    expect(f.map(x => x.field)).toEqual(['spec.ingress[1]']);
    expect(f[0].message).toBe('is never applied: rule 0 ("deny-all") comes first and matches all of its traffic (Deny), and the first matching rule decides');
  });

  test('a repeated rule triggers; an earlier rule with ports, other peers, or networks after a pods catch-all does not', () => {
    const r = { action: 'Deny', to: [{ namespaces: TENANT_A.namespaces }] };
    expect(findings('ANP005', [anp('a', 1, { subject: SHOP, egress: [r, { ...r, action: 'Allow' }] })])).toEqual(['ANP005 AdminNetworkPolicy/a spec.egress[1]']);
    expect(findings('ANP005', [anp('a', 1, { subject: SHOP, egress: [{ ...r, ports: [{ portNumber: { port: 80, protocol: 'TCP' } }] }, r] })])).toEqual([]);
    expect(findings('ANP005', [anp('a', 1, { subject: SHOP, egress: [r, { action: 'Deny', to: [{ namespaces: {} }] }] })])).toEqual([]);
    expect(findings('ANP005', [clnp('c', 'Admin', 1, { subject: SHOP, egress: [{ action: 'Deny', to: [{ namespaces: {} }] }, { action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] }] })])).toEqual([]);
  });
});

describe('policies as the patterns write them', () => {
  test('a metadata deny and a baseline deny-all of every pod and address: no finding', () => {
    const manifests = [
      clnp('imds', 'Admin', 0, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }] }),
      clnp('baseline', 'Baseline', 1000, {
        subject: { namespaces: {} },
        ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
        egress: [{ action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }],
      }),
    ];
    expect(findings('ANP', manifests)).toEqual([]);
  });
});

/**
 * The network-policy API tiers in the analysis: AdminNetworkPolicy, BaselineAdminNetworkPolicy
 * (v1alpha1) and ClusterNetworkPolicy (v1alpha2) around NetworkPolicy, as
 * kubernetes-sigs/network-policy-api defines them (apis/v1alpha2 clusternetworkpolicy_types.go
 * Tier, Priority, ClusterNetworkPolicyRuleAction) and netpol-analyzer computes them
 * (pkg/netpol/eval/check.go allAllowedXgressConnsConsideringAllLayersConns).
 */
import { ApiObject, Testing } from 'cdk8s';
import { deploy, netpol, ns } from './helpers';
import { ClusterNetworkPolicy, ClusterPolicySubject, ClusterPolicyTier, IpBlock, Lint, Namespaces, Pods } from '../../src';
import { ConnectivityAnalysis } from '../../src/analysis';
import { withManifests } from '../../src/testing';

const V1 = 'policy.networking.k8s.io/v1alpha1';
const V2 = 'policy.networking.k8s.io/v1alpha2';

function anp(name: string, priority: number, spec: any): any {
  return { apiVersion: V1, kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...spec } };
}
function banp(spec: any): any {
  return { apiVersion: V1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec };
}
function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: any): any {
  return { apiVersion: V2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...spec } };
}
const nsSel = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const fromNs = (name: string) => [{ namespaces: nsSel(name) }];
const tcp = (port: number) => ({ portNumber: { protocol: 'TCP', port } });

const base = [
  ns('a'), ns('b'), ns('c'),
  deploy('a', 'web', { app: 'web' }, [{ containerPort: 80 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
  deploy('b', 'client', { app: 'client' }),
  deploy('c', 'other', { app: 'other' }),
];

function analyse(objects: any[], cni?: string) {
  return ConnectivityAnalysis.fromManifests([...base, ...objects], cni ? { cni } : {});
}
function conn(a: ConnectivityAnalysis, from: string, to: string): string {
  return a.connections().find((c) => c.source.startsWith(from) && c.destination.startsWith(to))?.description ?? 'No Connections';
}

describe('admin tier', () => {
  test('Deny beats a NetworkPolicy that allows; the ports it does not match fall through to the NetworkPolicy', () => {
    const a = analyse([
      netpol('a', 'allow-b', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: nsSel('b') }] }] }),
      anp('deny-80', 10, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Deny', from: fromNs('b'), ports: [tcp(80)] }] }),
    ]);
    expect(conn(a, 'b/client', 'a/web')).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    // the NetworkPolicy still isolates a/web from c
    expect(conn(a, 'c/other', 'a/web')).toBe('No Connections');
  });

  test('Allow beats NetworkPolicy isolation, and the first matching rule decides (rule order)', () => {
    const a = analyse([
      netpol('a', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      anp('order', 10, {
        subject: { namespaces: nsSel('a') },
        ingress: [
          { action: 'Allow', from: fromNs('b'), ports: [tcp(80)] },
          { action: 'Deny', from: [{ namespaces: {} }] },
          { action: 'Allow', from: fromNs('c') },
        ],
      }),
    ]);
    expect(conn(a, 'b/client', 'a/web')).toBe('TCP 80');
    // the Deny comes first for c: its later Allow never applies
    expect(conn(a, 'c/other', 'a/web')).toBe('No Connections');
  });

  test('ascending priority across policies: the lower number decides; equal priorities are ordered by name, with a warning', () => {
    const allow = (name: string, p: number) => anp(name, p, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Allow', from: fromNs('b') }] });
    const deny = (name: string, p: number) => anp(name, p, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Deny', from: fromNs('b') }] });
    expect(conn(analyse([deny('x-deny', 20), allow('y-allow', 10)]), 'b/client', 'a/web')).toBe('All Connections');
    expect(conn(analyse([deny('x-deny', 10), allow('y-allow', 20)]), 'b/client', 'a/web')).toBe('No Connections');
    const equal = analyse([allow('y-allow', 10), deny('x-deny', 10)]);
    expect(conn(equal, 'b/client', 'a/web')).toBe('No Connections'); // x-deny sorts first
    const w = equal.diagnostics.filter((d) => /leaves their order undefined/.test(d.message));
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain('AdminNetworkPolicy x-deny (priority 10) and AdminNetworkPolicy y-allow (priority 10): the network-policy API leaves their order undefined');
    expect(w[0].message).toContain('b/client[Deployment] => a/web[Deployment] : All Connections matches');
    expect(w[0].message).toContain('this analysis applies AdminNetworkPolicy x-deny (priority 10) first');
    // equal priorities whose rules never meet on one connection: no warning
    const apart = analyse([allow('y-allow', 10), anp('z', 10, { subject: { namespaces: nsSel('c') }, ingress: [{ action: 'Deny', from: fromNs('b') }] })]);
    expect(apart.diagnostics.filter((d) => /leaves their order undefined/.test(d.message))).toEqual([]);
  });

  test('Pass hands the connection to the NetworkPolicy tier, which isolates', () => {
    const a = analyse([
      netpol('a', 'allow-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }),
      anp('pass', 10, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }, { action: 'Allow', from: [{ namespaces: {} }] }] }),
    ]);
    expect(conn(a, 'b/client', 'a/web')).toBe('TCP 80');
  });

  test('egress: the source side, with networks peers splitting the address ranges', () => {
    const a = analyse([
      anp('egress', 10, {
        subject: { pods: { namespaceSelector: nsSel('b'), podSelector: {} } },
        egress: [
          { action: 'Allow', to: [{ networks: ['8.8.8.8/32'] }], ports: [{ portNumber: { protocol: 'UDP', port: 53 } }] },
          { action: 'Deny', to: [{ networks: ['8.8.8.0/24'] }] },
        ],
      }),
    ]);
    const lines = a.toText().split('\n').filter((l) => l.startsWith('b/client'));
    expect(lines).toContain('b/client[Deployment] => 8.8.8.8-8.8.8.8[External] : UDP 53');
    expect(lines.some((l) => l.startsWith('b/client[Deployment] => 8.8.8.0-8.8.8.7[External]'))).toBe(false);
    expect(lines).toContain('b/client[Deployment] => 0.0.0.0-8.8.7.255[External] : All Connections');
    // pods are not matched by networks (their addresses are not in the manifests), with a warning for internal ranges
    expect(conn(a, 'b/client', 'a/web')).toBe('All Connections');
  });
});

describe('baseline tier', () => {
  test('only for pods no NetworkPolicy isolates in that direction; a NetworkPolicy overrides it', () => {
    const deny = banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    const a = analyse([deny, netpol('a', 'allow-b', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: nsSel('b') }] }] })]);
    expect(conn(a, 'b/client', 'a/web')).toBe('All Connections');
    expect(conn(a, 'a/web', 'b/client')).toBe('No Connections');
    expect(conn(a, 'a/web', 'c/other')).toBe('No Connections');
  });

  test('Pass with no NetworkPolicy behind it reaches the baseline; nothing matched is allowed', () => {
    const a = analyse([
      anp('pass', 10, { subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: fromNs('b') }] }),
      banp({ subject: { namespaces: {} }, ingress: [{ action: 'Allow', from: fromNs('b'), ports: [tcp(80)] }, { action: 'Deny', from: fromNs('b') }] }),
    ]);
    expect(conn(a, 'b/client', 'a/web')).toBe('TCP 80');
    expect(conn(a, 'c/other', 'a/web')).toBe('All Connections');
  });

  test('ClusterNetworkPolicy Baseline policies in priority order, then the BaselineAdminNetworkPolicy, with a warning when they disagree', () => {
    const a = analyse([
      cnp('late', 'Baseline', 50, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Deny', from: fromNs('b') }] }),
      cnp('early', 'Baseline', 5, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Accept', from: fromNs('b'), protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 81 } } } }] }] }),
      banp({ subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Allow', from: fromNs('b') }] }),
    ]);
    expect(conn(a, 'b/client', 'a/web')).toBe('TCP 80-81');
    const w = a.diagnostics.filter((d) => /leaves their order undefined/.test(d.message));
    expect(w.map((d) => d.message.slice(0, d.message.indexOf(':')))).toEqual(['ClusterNetworkPolicy late (Baseline tier, priority 50) and BaselineAdminNetworkPolicy default']);
  });
});

describe('ports and peers', () => {
  test('a named port resolves on the destination pod, with its container port\'s protocol', () => {
    const a = analyse([anp('named', 10, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Deny', from: fromNs('b'), ports: [{ namedPort: 'dns' }] }] })]);
    expect(conn(a, 'b/client', 'a/web')).toBe('SCTP 1-65535,TCP 1-65535,UDP 1-52,54-65535');
  });

  test('v1alpha2: Accept, destinationNamedPort, and pods without namespaceSelector (every namespace)', () => {
    const a = analyse([
      netpol('a', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      cnp('accept', 'Admin', 1, {
        subject: { pods: { podSelector: { matchLabels: { app: 'web' } } } },
        ingress: [{ action: 'Accept', from: [{ pods: { podSelector: { matchLabels: { app: 'client' } } } }], protocols: [{ destinationNamedPort: 'dns' }, { tcp: { destinationPort: { number: 80 } } }] }],
      }),
    ]);
    expect(conn(a, 'b/client', 'a/web')).toBe('TCP 80,UDP 53');
    expect(conn(a, 'c/other', 'a/web')).toBe('No Connections');
  });

  test('nodes peers select the Node manifests (destinations in kubernetes mode); without them, a warning', () => {
    const node = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
    const policy = anp('nodes', 10, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ nodes: { matchLabels: { role: 'infra' } } }] }] });
    const a = analyse([policy, node('n1', { role: 'infra' }), node('n2', { role: 'worker' })]);
    expect(conn(a, 'b/client', 'n1[Node]')).toBe('No Connections');
    expect(conn(a, 'b/client', 'n2[Node]')).toBe('All Connections');
    const none = analyse([policy]);
    expect(none.diagnostics.filter((d) => /a `nodes` peer/.test(d.message)).map((d) => d.message)).toEqual([
      'AdminNetworkPolicy nodes (priority 10): a `nodes` peer selects Node objects, and no Node is among the manifests, so it matches nothing here; add the Node manifests to analyse it',
    ]);
  });

  test('domainNames: an Allow before a Deny of every address lets the names through', () => {
    const a = analyse([anp('dns-names', 10, {
      subject: { namespaces: nsSel('b') },
      egress: [
        { action: 'Allow', to: [{ domainNames: ['api.example.com', '*.cdn.example.com'] }] },
        { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] },
      ],
    })]);
    expect(conn(a, 'b/client', 'api.example.com[FQDN]')).toBe('All Connections');
    expect(conn(a, 'b/client', '*.cdn.example.com[FQDN]')).toBe('All Connections');
    expect(conn(a, 'b/client', '0.0.0.0-255.255.255.255[External]')).toBe('No Connections');
    expect(a.isAllowed({ from: 'b/client', to: 'img.cdn.example.com', port: 443 }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'b/client', to: 'cdn.example.com', port: 443 }).allowed).toBe(false);
  });
});

describe('enforcement modes', () => {
  const policy = anp('deny-b', 10, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Deny', from: fromNs('b') }] });

  test('kubernetes mode (the default without Cilium policies) enforces them', () => {
    expect(conn(analyse([policy]), 'b/client', 'a/web')).toBe('No Connections');
  });

  test('cilium mode: not enforced, with a warning naming the object and the consequence', () => {
    const a = analyse([policy], 'cilium@1.18');
    expect(conn(a, 'b/client', 'a/web')).toBe('All Connections');
    expect(a.diagnostics.filter((d) => /does not implement the network-policy API/.test(d.message)).map((d) => d.message)).toEqual([
      'AdminNetworkPolicy deny-b (priority 10): Cilium 1.18 does not implement the network-policy API (policy.networking.k8s.io), so with --cni cilium@1.18 this policy is not enforced '
        + 'and the results leave it out; analyse with --cni kubernetes for a CNI that implements it (Calico, OVN-Kubernetes, Antrea, the AWS network policy agent)',
    ]);
  });

  test('with Cilium policies too: the default follows Cilium, and a warning says no CNI enforces both', () => {
    const cilium = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'c' }, spec: { endpointSelector: {}, ingress: [{}] } };
    const a = analyse([policy, cilium]);
    expect(conn(a, 'b/client', 'a/web')).toBe('All Connections');
    const mixed = a.diagnostics.filter((d) => /no CNI this tool models enforces both/.test(d.message));
    expect(mixed).toHaveLength(1);
    expect(mixed[0].message).toContain('no CNI this tool models enforces both: the results follow Cilium 1.18');
    const k = analyse([policy, cilium], 'kubernetes');
    expect(conn(k, 'b/client', 'a/web')).toBe('No Connections');
    expect(k.diagnostics.find((d) => /no CNI this tool models enforces both/.test(d.message))!.message).toContain('the Cilium policies in the NetworkPolicy tier');
  });
});

describe('explain across tiers', () => {
  test('denied by an admin rule, named with its priority and rule number', () => {
    const a = analyse([anp('guard', 10, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Allow', from: fromNs('c') }, { action: 'Deny', from: fromNs('b'), name: 'no-b' }] })]);
    const e = a.explain({ from: 'b/client', to: 'a/web', port: 80 });
    expect(e.allowed).toBe(false);
    expect(e.text).toContain('  admin tier: denied by AdminNetworkPolicy guard (priority 10) ingress rule #2 "no-b": TCP 80');
    expect(e.ingress.deniedBy).toEqual([{ rule: 'AdminNetworkPolicy guard (priority 10) ingress rule #2 "no-b"', connections: 'TCP 80' }]);
    expect(a.isAllowed({ from: 'b/client', to: 'a/web', port: 80 }).reason).toBe('denied on ingress of a/web[Deployment]: denied by AdminNetworkPolicy guard (priority 10) ingress rule #2 "no-b"');
  });

  test('passed, then allowed by a NetworkPolicy; baseline; no rule matched', () => {
    const a = analyse([
      anp('pass', 10, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Pass', from: fromNs('b') }] }),
      netpol('a', 'allow-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }),
      cnp('baseline', 'Baseline', 1, { subject: { namespaces: nsSel('b') }, ingress: [{ action: 'Deny', from: fromNs('c') }] }),
    ]);
    const passed = a.explain({ from: 'b/client', to: 'a/web', port: 80 }).text;
    expect(passed).toContain('  admin tier: passed to the NetworkPolicy tier by AdminNetworkPolicy pass (priority 10) ingress rule #1: TCP 80');
    expect(passed).toContain('  then NetworkPolicy tier (isolated by NetworkPolicy a/allow-80): allowed: TCP 80');
    expect(passed).toContain('    allowed by NetworkPolicy a/allow-80 ingress rule #1: TCP 80');
    const baseline = a.explain({ from: 'c/other', to: 'b/client', port: 80 }).text;
    expect(baseline).toContain('  baseline tier (no NetworkPolicy isolates this side): denied by ClusterNetworkPolicy baseline (Baseline tier, priority 1) ingress rule #1: TCP 80');
    const byDefault = a.explain({ from: 'a/web', to: 'b/client', port: 80 });
    expect(byDefault.allowed).toBe(true);
    expect(byDefault.text).toContain('  no rule matched: allowed by default: TCP 80');
  });
});

test('VirtualMachine (kubevirt.io/v1): one pod labelled from the VMI template, selected like any pod', () => {
  const vm = {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'vm1', namespace: 'b' },
    spec: { running: true, template: { metadata: { labels: { 'kubevirt.io/os': 'linux' } }, spec: { domain: { devices: {} } } } },
  };
  const a = analyse([vm, netpol('b', 'linux', { podSelector: { matchLabels: { 'kubevirt.io/os': 'linux' } }, ingress: [{ ports: [{ port: 22 }] }] })]);
  expect(a.workloads).toContain('b/vm1[VirtualMachine]');
  expect(conn(a, 'a/web', 'b/vm1[VirtualMachine]')).toBe('TCP 22');
  const bad = analyse([{ ...vm, spec: { running: true } }]);
  expect(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([expect.stringContaining('VirtualMachine b/vm1 spec.template')]);
});

test('jest matchers and ConnectivityAnalysis over a chart holding ClusterNetworkPolicy constructs', () => {
  const chart = Testing.chart();
  Lint.disable(chart);
  for (const o of base) new ApiObject(chart, `${o.kind}-${o.metadata.name}`, o);
  const admin = new ClusterNetworkPolicy(chart, 'guard', { metadata: { name: 'guard' }, tier: ClusterPolicyTier.ADMIN, priority: 10, subject: ClusterPolicySubject.namespaces(Namespaces.named('a')) });
  admin.acceptFrom(Namespaces.named('b')).toPort(80);
  admin.passFrom(Namespaces.named('c'));
  admin.denyFrom(Namespaces.all());
  const baseline = new ClusterNetworkPolicy(chart, 'egress', { metadata: { name: 'egress' }, tier: ClusterPolicyTier.BASELINE, priority: 1, subject: ClusterPolicySubject.pods(Pods.all().inNamespaces(Namespaces.all())) });
  baseline.denyTo(IpBlock.anyIpv4());
  expect(chart).toAllowConnection({ from: 'b/client', to: 'a/web', port: 80 });
  expect(chart).toDenyConnection({ from: 'b/client', to: 'a/web', port: 443 });
  expect(chart).toAllowConnection({ from: 'c/other', to: 'a/web', port: 443 }); // passed, no NetworkPolicy, no baseline ingress
  expect(chart).toDenyConnection({ from: 'a/web', to: '1.1.1.1', port: 443 });
  expect(() => expect(chart).toAllowConnection({ from: 'b/client', to: 'a/web', port: 443 }))
    .toThrow(/denied by ClusterNetworkPolicy guard \(Admin tier, priority 10\) ingress rule #3/);
  const a = ConnectivityAnalysis.fromChart(chart);
  expect(a.connections().filter((c) => c.destination === 'a/web[Deployment]').map((c) => `${c.source} ${c.description}`)).toEqual([
    // ingress peers are pods and namespaces only: traffic from outside the cluster matches no rule
    '0.0.0.0-255.255.255.255[External] All Connections',
    'b/client[Deployment] TCP 80',
    'c/other[Deployment] All Connections',
  ]);
  expect(withManifests(chart, [])).toDenyConnection({ from: 'c/other', to: '8.8.8.8', port: 53, protocol: 'UDP' });
});

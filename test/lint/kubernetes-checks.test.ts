// Per check: a manifest that triggers it and a close one that does not.
import { cnp, DNS_EGRESS, np, only } from './helpers';
import { Linter, LintSeverity } from '../../src';

const WEB = { matchLabels: { app: 'web' } };

describe('NP001 egress-without-dns', () => {
  test('a default deny egress with no DNS rule for the same pods triggers', () => {
    const f = Linter.lintManifests([np('deny', { podSelector: {}, policyTypes: ['Egress'] })]).findings;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ checkId: 'NP001', severity: LintSeverity.WARNING, object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'deny' }, field: 'spec.policyTypes' });
    expect(f[0].fix).toContain('allowDnsEgress');
  });

  test('a DNS policy for all pods of the namespace clears it', () => {
    expect(only('NP001', [np('deny', { podSelector: {}, policyTypes: ['Egress'] }), np('dns', { podSelector: {}, policyTypes: ['Egress'], egress: [DNS_EGRESS] })])).toEqual([]);
  });

  test('a DNS policy for other pods, or in another namespace, does not', () => {
    const f = Linter.lintManifests([
      np('deny', { podSelector: WEB, policyTypes: ['Egress'] }),
      np('dns', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [DNS_EGRESS] }),
      np('dns2', { podSelector: {}, policyTypes: ['Egress'], egress: [DNS_EGRESS] }, { namespace: 'other' }),
    ]).findings;
    expect(f.map(x => `${x.checkId} ${x.object.namespace}/${x.object.name}`)).toEqual(['NP001 shop/deny']);
  });

  test('an egress rule without ports allows DNS; TCP-only 53 does not', () => {
    expect(only('NP001', [np('all', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] })])).toEqual([]);
    expect(only('NP001', [np('tcp', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 53 }] }] })])).toEqual(['NP001 spec.policyTypes']);
  });

  test('ingress-only policies are not concerned', () => {
    expect(only('NP001', [np('deny', { podSelector: {}, policyTypes: ['Ingress'] })])).toEqual([]);
  });

  test('a Cilium egress policy without DNS triggers; with the kube-dns DNS rule it does not', () => {
    const egress = [{ toEndpoints: [{ matchLabels: { app: 'db' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }];
    expect(only('NP001', [cnp('db', { endpointSelector: WEB, egress })])).toEqual(['NP001 spec.egress']);
    expect(only('NP001', [cnp('db', { endpointSelector: WEB, egress: [...egress, { toEndpoints: [{ matchLabels: { 'k8s:k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }] })])).toEqual([]);
  });
});

describe('NP002 and-or-peers', () => {
  const nsPeer = { namespaceSelector: { matchLabels: { team: 'ops' } } };
  const podPeer = { podSelector: { matchLabels: { role: 'monitoring' } } };

  test('separate namespace-only and pod-only peers in one rule trigger', () => {
    const f = Linter.lintManifests([np('mon', { podSelector: WEB, ingress: [{ from: [nsPeer, podPeer] }] })]).findings;
    expect(f.map(x => `${x.checkId} ${x.field}`)).toEqual(['NP002 spec.ingress[0].from']);
    expect(f[0].message).toContain('ORed');
    expect(f[0].fix).toContain('one peer');
  });

  test('the combined peer does not, nor an empty namespaceSelector (all namespaces) next to a pod peer', () => {
    expect(only('NP002', [np('mon', { podSelector: WEB, ingress: [{ from: [{ ...nsPeer, ...podPeer }] }] })])).toEqual([]);
    expect(only('NP002', [np('mon', { podSelector: WEB, ingress: [{ from: [{ namespaceSelector: {} }, podPeer] }] })])).toEqual([]);
  });

  test('egress rules are checked too', () => {
    expect(only('NP002', [np('out', { podSelector: WEB, policyTypes: ['Egress'], egress: [DNS_EGRESS, { to: [podPeer, nsPeer] }] })])).toEqual(['NP002 spec.egress[1].to']);
  });
});

describe('NP003 duplicate-rule', () => {
  const rule = { from: [{ podSelector: { matchLabels: { app: 'a' } } }, { podSelector: { matchLabels: { app: 'b' } } }], ports: [{ protocol: 'TCP', port: 80 }] };
  const reordered = { ports: [{ port: 80, protocol: 'TCP' }], from: [{ podSelector: { matchLabels: { app: 'b' } } }, { podSelector: { matchLabels: { app: 'a' } } }] };

  test('the same rule twice (peers in another order) triggers, in one policy or across policies with the same selector', () => {
    expect(only('NP003', [np('p', { podSelector: WEB, ingress: [rule, reordered] })])).toEqual(['NP003 spec.ingress[1]']);
    expect(only('NP003', [np('p1', { podSelector: WEB, ingress: [rule] }), np('p2', { podSelector: WEB, ingress: [reordered] })])).toEqual(['NP003 spec.ingress[0]']);
  });

  test('the same rule for other pods, or with another port, does not', () => {
    expect(only('NP003', [np('p1', { podSelector: WEB, ingress: [rule] }), np('p2', { podSelector: { matchLabels: { app: 'api' } }, ingress: [rule] })])).toEqual([]);
    expect(only('NP003', [np('p', { podSelector: WEB, ingress: [rule, { ...rule, ports: [{ protocol: 'TCP', port: 81 }] }] })])).toEqual([]);
  });

  test('Cilium rules too', () => {
    const r = { fromEndpoints: [{ matchLabels: { app: 'a' } }] };
    expect(only('NP003', [cnp('c', { endpointSelector: WEB, ingress: [r, r] })])).toEqual(['NP003 spec.ingress[1]']);
  });
});

describe('NP004 shadowed-rule', () => {
  const a = { podSelector: { matchLabels: { app: 'a' } } };

  test('a rule covered by a broader rule for the same pods triggers', () => {
    const f = Linter.lintManifests([np('p', { podSelector: WEB, ingress: [{ from: [a], ports: [{ protocol: 'TCP', port: 80 }] }, { from: [a] }] })]).findings;
    expect(f.map(x => `${x.checkId} ${x.field}`)).toEqual(['NP004 spec.ingress[0]']);
    expect(f[0].message).toContain('spec.ingress[1]');
  });

  test('broader peers: all pods of the namespace cover a labelled pod; an ipBlock covers a smaller one; a port range covers a port', () => {
    expect(only('NP004', [np('p', { podSelector: WEB, ingress: [{ from: [a] }, { from: [{ podSelector: {} }] }] })])).toEqual(['NP004 spec.ingress[0]']);
    expect(only('NP004', [np('p', { podSelector: WEB, policyTypes: ['Egress'], egress: [DNS_EGRESS, { to: [{ ipBlock: { cidr: '10.1.0.0/24' } }] }, { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })])).toEqual(['NP004 spec.egress[1]']);
    expect(only('NP004', [np('p', { podSelector: WEB, ingress: [{ from: [a], ports: [{ protocol: 'TCP', port: 8080 }] }, { from: [a], ports: [{ protocol: 'TCP', port: 8000, endPort: 9000 }] }] })])).toEqual(['NP004 spec.ingress[0]']);
  });

  test('close but not shadowed: other protocol, other namespace, partly overlapping peers, an ipBlock with exceptions', () => {
    expect(only('NP004', [np('p', { podSelector: WEB, ingress: [{ from: [a], ports: [{ protocol: 'UDP', port: 80 }] }, { from: [a], ports: [{ protocol: 'TCP' }] }] })])).toEqual([]);
    expect(only('NP004', [np('p', { podSelector: WEB, ingress: [{ from: [{ ...a, namespaceSelector: { matchLabels: { team: 'x' } } }] }, { from: [a] }] })])).toEqual([]);
    const b = { podSelector: { matchLabels: { app: 'b' } } };
    const c = { podSelector: { matchLabels: { app: 'c' } } };
    expect(only('NP004', [np('p', { podSelector: WEB, ingress: [{ from: [a, b] }, { from: [a, c] }] })])).toEqual([]);
    // ...whereas a rule whose peers are all in the other's list is shadowed.
    expect(only('NP004', [np('p', { podSelector: WEB, ingress: [{ from: [a, b] }, { from: [a] }] })])).toEqual(['NP004 spec.ingress[1]']);
    expect(only('NP004', [np('p', { podSelector: WEB, policyTypes: ['Egress'], egress: [DNS_EGRESS, { to: [{ ipBlock: { cidr: '10.1.0.0/24' } }] }, { to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] })])).toEqual([]);
  });
});

describe('NP004 shadowed-rule on Cilium policies', () => {
  const ep = (app: string) => ({ matchLabels: { app } });
  const tcp = (port: string) => ({ ports: [{ port, protocol: 'TCP' }] });

  test('a subset of endpoints on a covered port triggers; the all entity covers every peer', () => {
    expect(only('NP004', [cnp('c', { endpointSelector: WEB, ingress: [{ fromEndpoints: [ep('a')], toPorts: [tcp('80')] }, { fromEndpoints: [ep('a'), ep('b')] }] })]))
      .toEqual(['NP004 spec.ingress[0]']);
    expect(only('NP004', [cnp('c', { endpointSelector: WEB, ingress: [{ fromEndpoints: [ep('a')], toPorts: [tcp('80')] }, { fromEntities: ['all'], toPorts: [{ ports: [{ port: '80', protocol: 'ANY' }] }] }] })]))
      .toEqual(['NP004 spec.ingress[0]']);
  });

  test('other L3 kinds, other ports, and L7 rules are not judged shadowed', () => {
    expect(only('NP004', [cnp('c', { endpointSelector: WEB, ingress: [{ fromEndpoints: [ep('a')] }, { fromEntities: ['cluster'] }] })])).toEqual([]);
    expect(only('NP004', [cnp('c', { endpointSelector: WEB, ingress: [{ fromEndpoints: [ep('a')], toPorts: [tcp('81')] }, { fromEndpoints: [ep('a')], toPorts: [tcp('80')] }] })])).toEqual([]);
    expect(only('NP004', [cnp('c', { endpointSelector: WEB, ingress: [{ fromEndpoints: [ep('a')], toPorts: [{ ...tcp('80'), rules: { http: [{ method: 'GET' }] } }] }, { fromEndpoints: [ep('a')] }] })])).toEqual([]);
  });
});

test('NP004: two rules with the same meaning written differently are reported once (the later one)', () => {
  expect(only('NP004', [np('p', { podSelector: WEB, ingress: [{}, { from: [] }] })])).toEqual(['NP004 spec.ingress[1]']);
});

describe('NP001 with workloads: decided per selected workload', () => {
  const pods = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'shop', labels: { tier: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'shop', labels: { tier: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  ];
  const dnsFor = (values: string[]) => np('dns', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values }] }, policyTypes: ['Egress'], egress: [DNS_EGRESS] });

  test('a DNS policy selecting the same pods through other labels clears it (statically it would not)', () => {
    const deny = np('deny', { podSelector: { matchLabels: { tier: 'a' } }, policyTypes: ['Egress'] });
    expect(only('NP001', [deny, dnsFor(['a', 'b'])])).toEqual(['NP001 spec.policyTypes']);
    expect(only('NP001', [...pods, deny, dnsFor(['a', 'b'])])).toEqual([]);
  });

  test('the finding names the workloads left without DNS', () => {
    const f = Linter.lintManifests([...pods, np('deny', { podSelector: {}, policyTypes: ['Egress'] }), dnsFor(['a'])]).findings.filter(x => x.checkId === 'NP001');
    expect(f.map(x => x.object.name)).toEqual(['deny']);
    expect(f[0].message).toContain('(shop/b[Pod])');
  });
});

describe('NP008 empty-peer-list', () => {
  test('from: [] triggers; an absent from (allow all, said plainly) and a listed peer do not', () => {
    expect(only('NP008', [np('p', { podSelector: WEB, ingress: [{ from: [], ports: [{ protocol: 'TCP', port: 80 }] }] })])).toEqual(['NP008 spec.ingress[0].from']);
    expect(only('NP008', [np('p', { podSelector: WEB, ingress: [{ ports: [{ protocol: 'TCP', port: 80 }] }] })])).toEqual([]);
    expect(only('NP008', [np('p', { podSelector: WEB, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] })])).toEqual([]);
  });

  test('to: [] in an egress rule', () => {
    expect(only('NP008', [np('p', { podSelector: WEB, policyTypes: ['Egress'], egress: [{ to: [] }] })])).toEqual(['NP008 spec.egress[0].to']);
  });
});

describe('NP009 implicit-policy-types', () => {
  test('egress rules without policyTypes trigger (ingress is isolated by the defaulting)', () => {
    const f = Linter.lintManifests([np('p', { podSelector: WEB, egress: [DNS_EGRESS] })]).findings.filter(x => x.checkId === 'NP009');
    expect(f.map(x => x.field)).toEqual(['spec.policyTypes']);
    expect(f[0].fix).toContain('policyTypes: ["Egress"]');
  });

  test('explicit policyTypes, or ingress rules next to the egress ones, do not', () => {
    expect(only('NP009', [np('p', { podSelector: WEB, policyTypes: ['Egress'], egress: [DNS_EGRESS] })])).toEqual([]);
    expect(only('NP009', [np('p', { podSelector: WEB, ingress: [{}], egress: [DNS_EGRESS] })])).toEqual([]);
  });
});

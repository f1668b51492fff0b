import {
  ClusterNetworkPolicy, ClusterPolicyAction, ClusterPolicySubject, ClusterPolicyTier, INetworkPolicyPeer, IpBlock, LabelSelector, Lint,
  Namespaces, PeerConfig, Pods, Port, Protocol,
} from '../../src';
import { fromObjects } from '../../src/wire/files';
import { readDocuments } from '../../src/wire/reader';
import { expectError, newChart, synth } from '../util';

function policy(props: Partial<ConstructorParameters<typeof ClusterNetworkPolicy>[2]> = {}, namespace?: string) {
  const chart = newChart(namespace);
  Lint.disable(chart);
  const cnp = new ClusterNetworkPolicy(chart, 'cnp', {
    metadata: { name: 'cnp' },
    tier: ClusterPolicyTier.ADMIN,
    priority: 10,
    subject: ClusterPolicySubject.namespaces(Namespaces.withLabels({ tenant: 'a' })),
    ...props,
  });
  return { chart, cnp };
}

function only(chart: ReturnType<typeof newChart>): any {
  const manifests = synth(chart);
  expect(manifests).toHaveLength(1);
  // what the construct writes, the strict reader (API server rules) accepts without a diagnostic
  expect(readDocuments(fromObjects(manifests).documents).diagnostics).toEqual([]);
  return manifests[0];
}

describe('ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2)', () => {
  test('tier, priority and a namespaces subject; cluster-scoped even in a namespaced chart', () => {
    const { chart, cnp } = policy({}, 'shop');
    cnp.denyFrom(Namespaces.all());
    const m = only(chart);
    expect(m.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect(m.kind).toBe('ClusterNetworkPolicy');
    expect(m.metadata).toEqual({ name: 'cnp' });
    expect(m.spec).toEqual({
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: { matchLabels: { tenant: 'a' } } },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
    });
  });

  test('a pods subject writes both selectors; pods without namespaces are rejected', () => {
    const { chart, cnp } = policy({ tier: ClusterPolicyTier.BASELINE, subject: ClusterPolicySubject.pods(Pods.withLabels({ app: 'db' }).inNamespace('shop')) });
    cnp.acceptFrom(Pods.withLabels({ app: 'api' }).inNamespaces(Namespaces.all()));
    expect(only(chart).spec).toEqual({
      tier: 'Baseline',
      priority: 10,
      subject: { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'db' } } } },
      ingress: [{ action: 'Accept', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } }] }],
    });
    expectError(() => ClusterPolicySubject.pods(Pods.withLabels({ app: 'db' })), 'ClusterPolicySubject.pods', 'names no namespaces', 'inNamespaces(Namespaces.all())');
    expectError(() => policy().cnp.denyFrom(Pods.withLabels({ app: 'x' })), 'ClusterNetworkPolicy(test/cnp).ingress[0].from[0]', 'names no namespaces');
    expect(ClusterPolicySubject.allPods().config.namespaceSelector.isAll).toBe(true);
  });

  test('every action in both directions, in order, with rule names', () => {
    const { chart, cnp } = policy();
    cnp.passFrom(Namespaces.named('kube-system')).withName('pass-system');
    cnp.acceptFrom(Namespaces.named('monitoring')).toPort(9090);
    cnp.denyFrom(Namespaces.all());
    cnp.passTo(Namespaces.named('kube-system'));
    cnp.acceptTo(IpBlock.cidr('10.0.0.0/8'));
    cnp.denyTo(IpBlock.anyIpv4(), IpBlock.anyIpv6()).withName('deny-rest');
    const spec = only(chart).spec;
    expect(spec.ingress.map((r: any) => [r.action, r.name])).toEqual([['Pass', 'pass-system'], ['Accept', undefined], ['Deny', undefined]]);
    expect(spec.egress.map((r: any) => [r.action, r.name])).toEqual([['Pass', undefined], ['Accept', undefined], ['Deny', 'deny-rest']]);
    // address blocks of a rule are one networks peer
    expect(spec.egress[2].to).toEqual([{ networks: ['0.0.0.0/0', '::/0'] }]);
    expect(cnp.ingress.map(r => r.action)).toEqual([ClusterPolicyAction.PASS, ClusterPolicyAction.ACCEPT, ClusterPolicyAction.DENY]);
    expect(cnp.egress[2].name).toBe('deny-rest');
  });

  test('ports: numbers, ranges and named ports as protocols', () => {
    const { chart, cnp } = policy();
    cnp.acceptFrom(Namespaces.all()).toPorts(Port.tcp(80), Port.udpRange(1000, 2000), Port.sctp(9), Port.named('metrics'), Port.tcpRange(7, 7));
    expect(only(chart).spec.ingress[0].protocols).toEqual([
      { tcp: { destinationPort: { number: 80 } } },
      { udp: { destinationPort: { range: { start: 1000, end: 2000 } } } },
      { sctp: { destinationPort: { number: 9 } } },
      { destinationNamedPort: 'metrics' },
      // a one-port range is written as a number: v1alpha2 requires start < end
      { tcp: { destinationPort: { number: 7 } } },
    ]);
  });

  test('port forms v1alpha2 cannot write are rejected at the call', () => {
    const rule = () => policy().cnp.acceptFrom(Namespaces.all());
    expectError(() => rule().toPorts(Port.allTcp()), 'ingress[0].protocols[0]', 'every port of a protocol', 'Port.tcpRange(1, 65535)');
    expectError(() => rule().toPorts(Port.any(53)), 'is not a ClusterNetworkPolicy protocol');
    expectError(() => rule().toPorts(Port.named('dns', Protocol.UDP)), 'destinationNamedPort has none', 'Port.named("dns")');
    expectError(() => rule().toPorts(Port.tcp(1), Port.tcp(1)), 'is listed twice');
    expectError(() => rule().toPorts(...Array.from({ length: 26 }, (_, i) => Port.tcp(i + 1))), 'limit of 25 per rule');
    expectError(() => rule().toPorts('80' as any), 'is not a Port');
  });

  test('peers allowed per direction: no addresses on ingress, no except, no named port towards networks', () => {
    const { cnp } = policy();
    expectError(() => cnp.acceptFrom(IpBlock.cidr('10.0.0.0/8')), 'ingress[0].from[0]', 'ingress peers of a ClusterNetworkPolicy are pods or namespaces only');
    expectError(() => cnp.denyTo(IpBlock.cidr('10.0.0.0/8', ['10.1.0.0/16'])), 'egress[0].to[0]', 'except blocks');
    expectError(() => cnp.acceptTo(IpBlock.cidr('10.0.0.0/8'), Namespaces.all()).toPorts(Port.named('http')), 'named port in a rule with networks peers');
    expectError(() => policy().cnp.denyTo(), 'egress[0].to', 'is empty', 'IpBlock.anyIpv4()');
    expectError(() => cnp.denyFrom(Namespaces.all(), Namespaces.all()), 'repeats peer 0');
    expectError(() => cnp.denyTo(IpBlock.cidr('10.0.0.0/8'), IpBlock.cidr('10.0.0.0/8')), 'repeats peer 0');
    expectError(() => cnp.denyFrom({} as any), 'is not a peer');
  });

  test('a user peer is checked like the built-in ones', () => {
    const custom: INetworkPolicyPeer = { toPeerConfig: (): PeerConfig => ({ namespaceSelector: LabelSelector.withLabels({ team: 'x' }) }), toString: () => 'team x' };
    const { chart, cnp } = policy();
    cnp.acceptFrom(custom);
    expect(only(chart).spec.ingress[0].from).toEqual([{ namespaces: { matchLabels: { team: 'x' } } }]);
    const empty: INetworkPolicyPeer = { toPeerConfig: () => ({}), toString: () => 'nothing' };
    expectError(() => policy().cnp.acceptFrom(empty), 'is an empty peer');
  });

  test('CRD limits: 25 rules per direction, 25 peers and 25 networks per rule, names of 100 characters', () => {
    const { cnp } = policy();
    for (let i = 0; i < 25; i++) cnp.denyFrom(Namespaces.named(`ns${i}`));
    expectError(() => cnp.denyFrom(Namespaces.all()), 'ClusterNetworkPolicy(test/cnp).ingress', 'limit of 25 per direction');
    expectError(() => policy().cnp.denyFrom(...Array.from({ length: 26 }, (_, i) => Namespaces.named(`n${i}`))), 'limit of 25 per rule');
    expectError(() => policy().cnp.denyTo(...Array.from({ length: 26 }, (_, i) => IpBlock.cidr(`10.${i}.0.0/16`))), '25 networks per peer');
    expectError(() => policy().cnp.denyFrom(Namespaces.all()).withName('x'.repeat(101)), 'ingress[0].name', '1 to 100 characters');
    expectError(() => policy().cnp.denyFrom(Namespaces.all()).withName('a').withName('b'), 'is set twice');
  });

  test('props: tier, priority range, subject, cluster-scoped metadata', () => {
    expectError(() => policy({ priority: 1001 }), 'ClusterNetworkPolicyProps.priority', '1001', 'from 0 to 1000');
    expectError(() => policy({ priority: -1 }), 'ClusterNetworkPolicyProps.priority');
    expectError(() => policy({ priority: 1.5 }), 'ClusterNetworkPolicyProps.priority');
    expectError(() => policy({ tier: 'Admin ' as any }), 'ClusterNetworkPolicyProps.tier', 'ClusterPolicyTier.ADMIN');
    expectError(() => policy({ subject: Namespaces.all() as any }), 'ClusterNetworkPolicyProps.subject', 'ClusterPolicySubject.namespaces');
    expectError(() => policy({ metadata: { name: 'cnp', namespace: 'shop' } }), 'ClusterNetworkPolicy.metadata.namespace', 'cluster-scoped');
    expectError(() => policy({ metadata: { name: 'Bad_Name' } }), 'ClusterNetworkPolicy.metadata.name');
    expect(policy({ priority: 0 }).cnp.priority).toBe(0);
    expect(policy({ priority: 1000 }).cnp.priority).toBe(1000);
  });

  test('a policy with no rules fails synth with the fix', () => {
    const { chart } = policy();
    expectError(() => synth(chart), 'ClusterNetworkPolicy(test/cnp): has no rules and affects no traffic');
  });

  test('the generated name is checked like a given one', () => {
    const chart = newChart();
    expectError(() => new ClusterNetworkPolicy(chart, 'Bad_Id', { tier: ClusterPolicyTier.ADMIN, priority: 1, subject: ClusterPolicySubject.allPods() }),
      'metadata.name', 'was generated from the construct path');
  });

  test('the policy enables the synth-time lint on its chart, which runs the ANP checks', () => {
    const chart = newChart();
    const cnp = new ClusterNetworkPolicy(chart, 'cnp', { metadata: { name: 'cnp' }, tier: ClusterPolicyTier.ADMIN, priority: 1, subject: ClusterPolicySubject.allPods() });
    cnp.passFrom(Namespaces.all());
    expect(Lint.of(chart)).toBeDefined();
    synth(chart);
    expect(Lint.of(chart)!.findings.map(f => `${f.checkId} ${f.object.kind}/${f.object.name} ${f.field}`)).toEqual(['ANP001 ClusterNetworkPolicy/cnp spec.ingress[0].action']);
  });
});

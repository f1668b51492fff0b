import { JsonPatch } from 'cdk8s';
import {
  INetworkPolicyPeer, IpBlock, LabelExpression, LabelSelector, Namespaces, NetworkPolicy, PeerConfig, Pods, PolicyType, Port, Protocol,
} from '../../src';
import { expectError, newChart, synth, toYaml } from '../util';

/** Synthesises a chart holding one policy and returns its manifest (schema-checked under conformance). */
function only(chart: ReturnType<typeof newChart>): any {
  const manifests = synth(chart);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

function policy(props: Partial<ConstructorParameters<typeof NetworkPolicy>[2]> = {}, namespace?: string) {
  const chart = newChart(namespace);
  const np = new NetworkPolicy(chart, 'np', {
    metadata: { name: 'np' },
    podSelector: Pods.withLabels({ app: 'api' }),
    ...props,
  });
  return { chart, np };
}

describe('subject selectors (spec.podSelector)', () => {
  test('Pods.all() selects every pod of the namespace with an explicit empty selector', () => {
    const { chart, np } = policy({ podSelector: Pods.all() });
    np.denyAllIngress();
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  test('Pods.matching() renders matchLabels and every matchExpressions operator', () => {
    const { chart, np } = policy({
      podSelector: Pods.matching(LabelSelector.of({
        matchLabels: { tier: 'backend', app: 'api' },
        matchExpressions: [
          LabelExpression.in('env', ['prod', 'staging']),
          LabelExpression.notIn('track', ['canary']),
          LabelExpression.exists('team'),
          LabelExpression.doesNotExist('legacy'),
        ],
      })),
    });
    np.allowFrom(Pods.withLabels({ app: 'web' }));
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.podSelector).toEqual({
      matchLabels: { app: 'api', tier: 'backend' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
  });

  test('Pods.matchingOptions() is the same as Pods.matching(LabelSelector.of())', () => {
    const { chart, np } = policy({ podSelector: Pods.matchingOptions({ matchExpressions: [LabelExpression.exists('app')] }) });
    np.denyAllEgress();
    expect(only(chart).spec.podSelector).toEqual({ matchExpressions: [{ key: 'app', operator: 'Exists' }] });
  });

  test('label maps are written with sorted keys whatever the order given', () => {
    const a = policy({ podSelector: Pods.withLabels({ b: '2', a: '1' }) });
    a.np.denyAllIngress();
    const b = policy({ podSelector: Pods.withLabels({ a: '1', b: '2' }) });
    b.np.denyAllIngress();
    expect(toYaml([only(a.chart)])).toEqual(toYaml([only(b.chart)]));
    expect(Object.keys(only(a.chart).spec.podSelector.matchLabels)).toEqual(['a', 'b']);
  });
});

describe('peers', () => {
  test('namespaces by label, by name, and every namespace', () => {
    const { chart, np } = policy();
    np.allowFrom(Namespaces.withLabels({ team: 'payments' }));
    np.allowFrom(Namespaces.named('monitoring'));
    np.allowFrom(Namespaces.named('prod', 'dev', 'prod'));
    np.allowFrom(Namespaces.all());
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.ingress.map((r: any) => r.from)).toEqual([
      [{ namespaceSelector: { matchLabels: { team: 'payments' } } }],
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['dev', 'prod'] }] } }],
      [{ namespaceSelector: {} }],
    ]);
  });

  test('pods, pods in selected namespaces, pods in a named namespace, every pod everywhere', () => {
    const { chart, np } = policy();
    np.allowFrom(
      Pods.withLabels({ app: 'web' }),
      Pods.withLabels({ app: 'web' }).inNamespaces(Namespaces.withLabels({ env: 'prod' })),
      Pods.withLabels({ app: 'prometheus' }).inNamespace('monitoring'),
      Pods.all(),
      Pods.all().inNamespaces(Namespaces.all()),
    );
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { app: 'web' } } },
      { podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchLabels: { env: 'prod' } } },
      { podSelector: { matchLabels: { app: 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      { podSelector: {} },
      { podSelector: {}, namespaceSelector: {} },
    ]);
  });

  test('IP blocks: IPv4 with except, IPv6 (canonicalised), any IPv4, any IPv6', () => {
    const { chart, np } = policy();
    np.allowTo(
      IpBlock.cidr('10.0.0.0/8', ['10.1.0.0/16', '10.2.0.0/16']),
      IpBlock.cidr('2001:DB8:0:0::/32', ['2001:db8:ff00::/40']),
      IpBlock.anyIpv4(),
      IpBlock.anyIpv6(),
    );
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] } },
      { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ff00::/40'] } },
      { ipBlock: { cidr: '0.0.0.0/0' } },
      { ipBlock: { cidr: '::/0' } },
    ]);
  });

  test('a user-defined peer is rendered from its PeerConfig', () => {
    const custom: INetworkPolicyPeer = {
      toPeerConfig: () => ({ podSelector: LabelSelector.withLabels({ app: 'x' }), namespaceSelector: LabelSelector.all() }),
      toString: () => 'custom',
    };
    const { chart, np } = policy();
    np.allowFrom(custom);
    expect(only(chart).spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'x' } }, namespaceSelector: {} }]);
  });
});

describe('ports', () => {
  test('toPort is TCP; toPorts takes UDP, SCTP, ranges (endPort), named ports and all ports of a protocol', () => {
    const { chart, np } = policy();
    np.allowFrom(Pods.withLabels({ app: 'web' })).toPort(8080).toPort(8443);
    np.allowTo(Namespaces.named('kube-system')).toPorts(Port.udp(53), Port.tcp(53));
    np.allowTo(Pods.withLabels({ app: 'sctp' })).toPorts(Port.sctp(9899), Port.sctpRange(10000, 10010), Port.udpRange(7000, 7001));
    np.allowFrom(Pods.withLabels({ app: 'batch' })).toPorts(Port.tcpRange(32000, 32768));
    np.allowFrom(Pods.withLabels({ app: 'scraper' })).toPorts(Port.named('metrics'), Port.named('syslog', Protocol.UDP));
    np.allowTo(IpBlock.cidr('192.168.0.0/16')).toPorts(Port.allUdp(), Port.allOf(Protocol.SCTP), Port.allTcp());
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.ingress.map((r: any) => r.ports)).toEqual([
      [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8443 }],
      [{ protocol: 'TCP', port: 32000, endPort: 32768 }],
      [{ protocol: 'TCP', port: 'metrics' }, { protocol: 'UDP', port: 'syslog' }],
    ]);
    expect(m.spec.egress.map((r: any) => r.ports)).toEqual([
      [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      [{ protocol: 'SCTP', port: 9899 }, { protocol: 'SCTP', port: 10000, endPort: 10010 }, { protocol: 'UDP', port: 7000, endPort: 7001 }],
      [{ protocol: 'UDP' }, { protocol: 'SCTP' }, { protocol: 'TCP' }],
    ]);
  });

  test('a rule without ports allows every port (no ports field)', () => {
    const { chart, np } = policy();
    const rule = np.allowFrom(Pods.withLabels({ app: 'web' }));
    expect(rule.ports).toEqual([]);
    expect(only(chart).spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]);
  });

  test('a one-port range is written as a single port', () => {
    const { chart, np } = policy();
    np.allowFrom(Pods.withLabels({ app: 'web' })).toPorts(Port.tcpRange(80, 80));
    expect(only(chart).spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 80 }]);
  });
});

describe('rules and policy types', () => {
  test('each allowFrom/allowTo adds one rule, in the order written; policyTypes derived from them', () => {
    const { chart, np } = policy();
    np.allowFrom(Pods.withLabels({ app: 'b' }));
    np.allowFrom(Pods.withLabels({ app: 'a' }));
    np.allowTo(Pods.withLabels({ app: 'db' })).toPort(5432);
    expect(np.ingress).toHaveLength(2);
    expect(np.egress).toHaveLength(1);
    expect(np.policyTypes).toEqual([PolicyType.INGRESS, PolicyType.EGRESS]);
    const m = only(chart);
    expect(m.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels.app)).toEqual(['b', 'a']);
    expect(m.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('ingress rules only: policyTypes is ["Ingress"] and egress is left alone', () => {
    const { chart, np } = policy();
    np.allowFrom(Pods.withLabels({ app: 'web' }));
    const m = only(chart);
    expect(m.spec.policyTypes).toEqual(['Ingress']);
    expect(m.spec.egress).toBeUndefined();
  });

  test('egress rules only: policyTypes is ["Egress"], never the API server default ["Ingress"]', () => {
    const { chart, np } = policy();
    np.allowTo(Pods.withLabels({ app: 'db' }));
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.policyTypes).toEqual(['Egress']);
    expect(m.spec.ingress).toBeUndefined();
  });

  test('allowFromAnywhere / allowToAnywhere write rules without from/to', () => {
    const { chart, np } = policy();
    np.allowFromAnywhere().toPort(443);
    np.allowToAnywhere();
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(m.spec.egress).toEqual([{}]);
    expect(np.ingress[0].peers).toBeUndefined();
  });

  test('denyAllIngress and denyAllEgress isolate with no rule (default deny)', () => {
    const { chart, np } = policy({ podSelector: Pods.all(), metadata: { name: 'default-deny' } }, 'prod');
    np.denyAllIngress();
    np.denyAllEgress();
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('denyAllEgress together with ingress rules: both directions isolated', () => {
    const { chart, np } = policy();
    np.allowFrom(Pods.withLabels({ app: 'web' }));
    np.denyAllEgress();
    const m = only(chart);
    expect(m.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(m.spec.egress).toBeUndefined();
  });

  test('explicit policyTypes are written as given; a listed direction without rules denies all', () => {
    const { chart, np } = policy({ policyTypes: [PolicyType.EGRESS, PolicyType.INGRESS] });
    np.allowFrom(Pods.withLabels({ app: 'web' }));
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.policyTypes).toEqual(['Egress', 'Ingress']);
    expect(m.spec.egress).toBeUndefined();
    expect(np.policyTypes).toEqual([PolicyType.EGRESS, PolicyType.INGRESS]);
  });

  test('rule accessors return copies', () => {
    const { np } = policy();
    const rule = np.allowFrom(Pods.withLabels({ app: 'web' })).toPort(80);
    rule.ports.push(Port.tcp(81));
    rule.peers!.push({});
    np.ingress.pop();
    expect(rule.ports).toHaveLength(1);
    expect(rule.peers).toHaveLength(1);
    expect(np.ingress).toHaveLength(1);
  });
});

describe('metadata, namespace and escape hatch', () => {
  test('namespace from metadata wins over the chart namespace', () => {
    const { chart, np } = policy({ metadata: { name: 'np', namespace: 'team-a' } }, 'chart-ns');
    np.denyAllIngress();
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.metadata).toEqual({ name: 'np', namespace: 'team-a' });
  });

  test('namespace comes from the chart when metadata has none', () => {
    const { chart, np } = policy({}, 'chart-ns');
    np.denyAllIngress();
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.metadata).toEqual({ name: 'np', namespace: 'chart-ns' });
  });

  test('without any namespace none is written (kubectl applies it to the current namespace)', () => {
    const { chart, np } = policy();
    np.denyAllIngress();
    expect(only(chart).metadata).toEqual({ name: 'np' });
  });

  test('a generated name is a valid object name; labels and annotations pass through', () => {
    const chart = newChart();
    const np = new NetworkPolicy(chart, 'Some.Policy', {
      podSelector: Pods.all(),
      metadata: { labels: { 'app.kubernetes.io/part-of': 'shop' }, annotations: { 'example.com/owner': 'team a' } },
    });
    np.denyAllIngress();
    const m = only(chart);
    expect(m.metadata.name).toMatch(/^test-some\.policy-[0-9a-f]{8}$/);
    expect(m.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'shop' });
    expect(m.metadata.annotations).toEqual({ 'example.com/owner': 'team a' });
  });

  test('apiObject is the underlying KubeNetworkPolicy, patchable for anything not modelled', () => {
    const { chart, np } = policy();
    np.allowFrom(Pods.withLabels({ app: 'web' }));
    np.apiObject.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/reviewed': 'yes' }));
    expect(np.apiObject.kind).toBe('NetworkPolicy');
    expect(np.apiObject.apiVersion).toBe('networking.k8s.io/v1');
    const m = only(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.metadata.annotations).toEqual({ 'example.com/reviewed': 'yes' });
  });

  test('output is deterministic across runs', () => {
    const build = () => {
      const { chart, np } = policy();
      np.allowFrom(Namespaces.named('b', 'a'), Pods.withLabels({ z: '1', y: '2' })).toPorts(Port.udp(53));
      np.allowTo(IpBlock.cidr('10.0.0.0/8', ['10.0.0.0/16'])).toPort(443);
      return toYaml(synth(chart));
    };
    expect(build()).toEqual(build());
  });
});

describe('bad input (each names the field, the value and the fix)', () => {
  test('podSelector is required and must be pods of the own namespace', () => {
    expectError(() => new NetworkPolicy(newChart(), 'np', {} as any), 'NetworkPolicyProps.podSelector', 'is required', 'Pods.all()');
    expectError(() => new NetworkPolicy(newChart(), 'np', { podSelector: Namespaces.all() as any }), 'NetworkPolicyProps.podSelector', 'is required');
    expectError(() => new NetworkPolicy(newChart(), 'np', { podSelector: Pods.all().inNamespace('other') }),
      'NetworkPolicyProps.podSelector', 'only selects pods in its own namespace', 'set metadata.namespace');
  });

  test('metadata.name must be a DNS-1123 subdomain (ValidateNetworkPolicyName = NameIsDNSSubdomain)', () => {
    expectError(() => policy({ metadata: { name: 'My_Policy' } }), 'NetworkPolicy.metadata.name', '"My_Policy"', 'not a valid RFC 1123 subdomain', 'lowercase');
    expectError(() => policy({ metadata: { name: 'a'.repeat(254) } }), 'NetworkPolicy.metadata.name', 'is 254 characters long', 'at most 253');
    expectError(() => policy({ metadata: { name: '' } }), 'NetworkPolicy.metadata.name', 'is empty');
  });

  test('a name generated from an id with characters the API server rejects is an error naming the id', () => {
    expectError(() => new NetworkPolicy(newChart(), 'allow_web', { podSelector: Pods.all() }),
      'NetworkPolicy(test/allow_web).metadata.name: "test-allow_web-', 'generated from the construct path', 'construct id "allow_web"',
      'set metadata.name, or use ids of lowercase letters');
  });

  test('the namespace must be a DNS-1123 label, from metadata or from the chart', () => {
    expectError(() => policy({ metadata: { name: 'np', namespace: 'team.a' } }), 'NetworkPolicy.metadata.namespace', '"team.a"', 'RFC 1123 label');
    expectError(() => policy({}, 'Prod'), 'Chart.namespace', '"Prod"', 'RFC 1123 label');
  });

  test('metadata label keys/values and annotation keys are checked (ValidateObjectMeta)', () => {
    expectError(() => policy({ metadata: { name: 'np', labels: { 'bad key': 'x' } } }), 'NetworkPolicy.metadata.labels key', '"bad key"');
    expectError(() => policy({ metadata: { name: 'np', labels: { app: 'no spaces' } } }), 'NetworkPolicy.metadata.labels["app"]', '"no spaces"', 'not a valid label value');
    expectError(() => policy({ metadata: { name: 'np', annotations: { '/x': 'y' } } }), 'NetworkPolicy.metadata.annotations key', '"/x"', 'prefix');
  });

  test('policyTypes: only Ingress/Egress, each once, not empty', () => {
    expectError(() => policy({ policyTypes: ['Both' as PolicyType] }), 'NetworkPolicyProps.policyTypes[0]', '"Both"', 'PolicyType.INGRESS or PolicyType.EGRESS');
    expectError(() => policy({ policyTypes: [PolicyType.INGRESS, PolicyType.INGRESS] }), 'NetworkPolicyProps.policyTypes', 'lists a type twice', 'list each type once');
    expectError(() => policy({ policyTypes: [] }), 'NetworkPolicyProps.policyTypes', 'is empty', '["Ingress"]');
  });

  test('explicit policyTypes must cover the directions that have rules or a deny-all', () => {
    const a = policy({ policyTypes: [PolicyType.INGRESS] });
    a.np.allowTo(Pods.withLabels({ app: 'db' }));
    expectError(() => synth(a.chart), 'NetworkPolicy(test/np).policyTypes', 'lacks "Egress"', 'egress rules', 'add PolicyType.EGRESS');
    const b = policy({ policyTypes: [PolicyType.EGRESS] });
    b.np.allowFrom(Pods.withLabels({ app: 'web' }));
    expectError(() => synth(b.chart), 'lacks "Ingress"', 'ingress rules', 'add PolicyType.INGRESS');
    const c = policy({ policyTypes: [PolicyType.EGRESS] });
    c.np.denyAllIngress();
    expectError(() => synth(c.chart), 'lacks "Ingress"', 'denyAllIngress()', 'add PolicyType.INGRESS');
    const d = policy({ policyTypes: [PolicyType.INGRESS] });
    d.np.denyAllEgress();
    expectError(() => synth(d.chart), 'lacks "Egress"', 'denyAllEgress()', 'add PolicyType.EGRESS');
  });

  test('a policy with nothing in it is an error at synth', () => {
    const { chart } = policy();
    expectError(() => synth(chart), 'NetworkPolicy(test/np)', 'has no rules and isolates nothing', 'denyAllIngress()');
  });

  test('denyAll together with rules of the same direction is an error at synth', () => {
    const a = policy();
    a.np.denyAllIngress();
    a.np.allowFrom(Pods.withLabels({ app: 'web' }));
    expectError(() => synth(a.chart), 'denyAllIngress() and 1 ingress rule(s)', 'drop denyAllIngress()');
    const b = policy();
    b.np.allowToAnywhere();
    b.np.denyAllEgress();
    expectError(() => synth(b.chart), 'denyAllEgress() and 1 egress rule(s)', 'drop denyAllEgress()');
  });

  test('allowFrom()/allowTo() with no peer', () => {
    const { np } = policy();
    expectError(() => np.allowFrom(), 'NetworkPolicy(test/np).ingress[0].from', 'is empty', 'allowFromAnywhere()');
    expectError(() => np.allowTo(), 'NetworkPolicy(test/np).egress[0].to', 'is empty', 'allowToAnywhere()');
  });

  test('duplicate peers in one rule, however they were written', () => {
    const { np } = policy();
    expectError(() => np.allowFrom(Pods.withLabels({ app: 'a', tier: 'b' }), Pods.withLabels({ tier: 'b', app: 'a' })),
      'ingress[0].from[1]', 'repeats peer 0', 'remove the duplicate');
    expectError(() => np.allowTo(Namespaces.withLabels({ b: '1', a: '2' }), Namespaces.withLabels({ a: '2', b: '1' })), 'egress[0].to[1]', 'repeats peer 0');
    expectError(() => np.allowTo(IpBlock.anyIpv4(), IpBlock.cidr('0.0.0.0/0')), 'egress[0].to[1]', 'repeats peer 0');
    expectError(() => np.allowFrom(Namespaces.named('a', 'b'), Namespaces.named('b', 'a')), 'repeats peer 0');
  });

  test('the same selector as pods and as namespaces is not a duplicate', () => {
    const { chart, np } = policy();
    np.allowFrom(Pods.withLabels({ app: 'a' }), Namespaces.withLabels({ app: 'a' }));
    expect(only(chart).spec.ingress[0].from).toHaveLength(2);
  });

  test('a peer that is not a peer, or whose PeerConfig the API server would reject (ValidateNetworkPolicyPeer)', () => {
    const { np } = policy();
    const peer = (config: PeerConfig): INetworkPolicyPeer => ({ toPeerConfig: () => config, toString: () => 'custom' });
    expectError(() => np.allowFrom({} as any), 'ingress[0].from[0]', 'is not a peer', 'Pods, Namespaces or IpBlock');
    expectError(() => np.allowFrom(peer({})), 'ingress[0].from[0]', 'is an empty peer', 'allowFromAnywhere()');
    expectError(() => np.allowTo(peer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: LabelSelector.all() })),
      'egress[0].to[0]', 'combines ipBlock with a selector', 'separate peers');
    expectError(() => np.allowTo(peer({ ipBlock: { cidr: '10.0.0.1/8' } })), 'egress[0].to[0].ipBlock.cidr', 'has host bits set', 'did you mean 10.0.0.0/8?');
    expectError(() => np.allowTo(peer({ podSelector: { matchLabels: {} } as any })), 'egress[0].to[0].podSelector', 'is not a LabelSelector');
  });

  test('ports: Cilium-only protocol ANY and duplicates are rejected on the rule', () => {
    const { np } = policy();
    const rule = np.allowFrom(Pods.withLabels({ app: 'web' })).toPort(80);
    expectError(() => rule.toPorts(Port.any(53)), 'ingress[0].ports[1].protocol', '"ANY"', 'Port.tcp, Port.udp or Port.sctp');
    expectError(() => rule.toPort(80), 'ingress[0].ports', '"TCP/80"', 'is listed twice', 'remove the duplicate port');
    expectError(() => rule.toPorts(Port.named('http'), Port.named('http')), 'is listed twice');
    expectError(() => rule.toPorts(443 as any), 'ingress[0].ports[1]: 443 is not a Port', 'Port.tcp(n)', 'toPort(n)');
  });
});

import { ApiObject } from 'cdk8s';
import {
  CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumVersion, Cidr, Endpoints, Entity, Fqdn, FqdnDnsRule, L7Dns,
  Nodes, Port,
} from '../../src';
import { expectError, newChart, synth, toYaml } from '../util';

afterEach(() => jest.restoreAllMocks());

const web = () => Endpoints.withLabels({ app: 'web' });

describe('policy-level fields', () => {
  test('description, labels, enableDefaultDeny, log', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', {
      metadata: { name: 'allow-web' },
      endpointSelector: web(),
      description: 'Web may call the API',
      labels: { 'team': 'web', 'example.com/owner': 'alice' },
      enableDefaultDeny: { ingress: true, egress: false },
      log: 'allow-web',
    });
    p.allowTo(Endpoints.withLabels({ app: 'api' })).toPort(8080);
    const [m] = synth(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec).toEqual({
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
      enableDefaultDeny: { ingress: true, egress: false },
      description: 'Web may call the API',
      labels: [{ key: 'example.com/owner', value: 'alice' }, { key: 'team', value: 'web' }],
      log: { value: 'allow-web' },
    });
  });

  test('bad policy-level values', () => {
    const chart = newChart('prod');
    expectError(() => new CiliumNetworkPolicy(chart, 'a', { endpointSelector: web(), log: 'x'.repeat(33) }), '.spec.log.value', '1 to 32');
    expectError(() => new CiliumNetworkPolicy(chart, 'b', { endpointSelector: web(), log: 'bell\u0007' }), '.spec.log.value', 'control characters');
    expectError(() => new CiliumNetworkPolicy(chart, 'c', { endpointSelector: web(), labels: { 'bad key!': 'x' } }), '.spec.labels key', 'bad key!');
    expectError(() => new CiliumNetworkPolicy(chart, 'd', { endpointSelector: web(), description: ' ' }), '.spec.description', 'is empty');
    expectError(() => new CiliumNetworkPolicy(chart, 'e', { endpointSelector: web(), enableDefaultDeny: { ingress: 'yes' as any } }), 'enableDefaultDeny.ingress', 'boolean');
    expectError(() => new CiliumNetworkPolicy(chart, 'f', { endpointSelector: web(), metadata: { name: 'Bad_Name' } }), 'CiliumNetworkPolicy.metadata.name', 'Bad_Name');
    expectError(() => new CiliumNetworkPolicy(chart, 'g', { endpointSelector: web(), metadata: { namespace: 'Bad_NS' } }), 'metadata.namespace', 'Bad_NS');
    expectError(() => new CiliumNetworkPolicy(chart, 'h', { endpointSelector: web(), fqdnDnsRule: 'maybe' as any }), 'fqdnDnsRule', 'maybe');
    expectError(() => new CiliumNetworkPolicy(chart, 'i', { endpointSelector: web(), ciliumVersion: '1.18' as any }), 'ciliumVersion', 'CiliumVersion.of');
  });
});

describe('subjects', () => {
  test('a CNP needs an endpoint selector in its own namespace and no node selector', () => {
    const chart = newChart('prod');
    expectError(() => new CiliumNetworkPolicy(chart, 'a', {} as any), '.spec.endpointSelector', 'is required', 'Endpoints.all()');
    expectError(() => new CiliumNetworkPolicy(chart, 'b', { endpointSelector: web().inNamespace('other') }), '.spec.endpointSelector', 'own namespace', 'CiliumClusterwideNetworkPolicy');
    expectError(() => new CiliumNetworkPolicy(chart, 'c', { endpointSelector: web(), nodeSelector: Nodes.all() } as any), 'nodeSelector', 'clusterwide only');
    expectError(() => new CiliumNetworkPolicy(chart, 'd', { endpointSelector: { app: 'web' } as any }), 'endpointSelector', 'not an Endpoints selector');
  });

  test('a CCNP needs exactly one of endpointSelector and nodeSelector, and has no namespace', () => {
    const chart = newChart('prod');
    expectError(() => new CiliumClusterwideNetworkPolicy(chart, 'a', {}), 'CiliumClusterwideNetworkPolicy', 'has no subject', 'exactly one');
    expectError(() => new CiliumClusterwideNetworkPolicy(chart, 'b', { endpointSelector: web(), nodeSelector: Nodes.all() }), 'sets both subjects');
    expectError(() => new CiliumClusterwideNetworkPolicy(chart, 'c', { endpointSelector: web(), metadata: { namespace: 'prod' } }), 'metadata.namespace', 'cluster-scoped');
    const chart2 = newChart('prod');
    const ok = new CiliumClusterwideNetworkPolicy(chart2, 'd', { metadata: { name: 'd' }, endpointSelector: Endpoints.all().inAnyNamespace() });
    ok.allowFrom(Entity.CLUSTER);
    const [m] = synth(chart2);
    expect(m.metadata).toEqual({ name: 'd' });
    expect(m.spec.endpointSelector).toEqual({ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] });
  });
});

describe('rule lists', () => {
  test('denyAll writes the documented empty rule; directions without rules are left out', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'deny-all' }, endpointSelector: Endpoints.all() });
    p.denyAllIngress();
    p.denyAllEgress();
    expect(synth(chart)[0].spec).toEqual({ endpointSelector: {}, ingress: [{}], egress: [{}] });
  });

  test('an empty policy, or denyAll with rules, fails at synth', () => {
    let chart = newChart('prod');
    new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web() });
    expectError(() => synth(chart), '.spec: has no rules', 'denyAllIngress');
    chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web() });
    p.denyAllIngress();
    p.allowFrom(Entity.CLUSTER);
    expectError(() => synth(chart), 'denyAllIngress() and ingress allow rules both given');
    chart = newChart('prod');
    const q = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web(), enableDefaultDeny: { egress: false } });
    q.denyAllEgress();
    expectError(() => synth(chart), 'enableDefaultDeny.egress: false contradicts denyAllEgress()');
  });

  test('a deny-only direction warns that Cilium default-denies it, naming enableDefaultDeny', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web() });
    p.denyTo(Cidr.of('169.254.169.254/32'));
    synth(chart);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toContain('has egressDeny rules but no egress allow rules');
    expect(p.warnings[0]).toContain('enableDefaultDeny: { egress: false }');
    expect(console.warn).toHaveBeenCalledTimes(1);
    const chart2 = newChart('prod');
    const q = new CiliumNetworkPolicy(chart2, 'p', { endpointSelector: web(), enableDefaultDeny: { egress: false } });
    q.denyTo(Cidr.of('169.254.169.254/32'));
    expect(synth(chart2)[0].spec.enableDefaultDeny).toEqual({ egress: false });
    expect(q.warnings).toEqual([]);
  });

  test('several specs in one object (specs)', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'multi' }, endpointSelector: web() });
    p.allowFrom(Endpoints.withLabels({ app: 'lb' })).toPort(80);
    const db = p.addSpec({ endpointSelector: Endpoints.withLabels({ app: 'db' }), description: 'database' });
    db.allowFrom(web()).toPort(5432);
    expect(p.specs).toHaveLength(2);
    const [m] = synth(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec).toBeUndefined();
    expect(m.specs).toEqual([
      { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'lb' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] },
      { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }], description: 'database' },
    ]);
    expectError(() => p.addSpec({} as any), '.specs[2].endpointSelector', 'is required');
  });

  test('a clusterwide policy mixes endpoint and host specs', () => {
    const chart = newChart();
    const p = new CiliumClusterwideNetworkPolicy(chart, 'p', { metadata: { name: 'mixed' }, nodeSelector: Nodes.withLabels({ role: 'worker' }) });
    p.allowFrom(Entity.REMOTE_NODE).toPorts(Port.tcp(10250));
    p.addSpec({ endpointSelector: Endpoints.all().inAnyNamespace() }).allowTo(Entity.KUBE_APISERVER).toPort(443);
    const [m] = synth(chart);
    expect(m.specs.map((s: any) => Object.keys(s).sort())).toEqual([['ingress', 'nodeSelector'], ['egress', 'endpointSelector']]);
  });

  test('the escape hatch is the ApiObject with the L1 GVK', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: web() });
    p.allowFrom(Entity.CLUSTER);
    expect(p.apiObject).toBeInstanceOf(ApiObject);
    expect(p.apiObject.apiVersion).toBe('cilium.io/v2');
    p.apiObject.metadata.addAnnotation('example.com/reviewed', 'yes');
    expect(synth(chart)[0].metadata.annotations).toEqual({ 'example.com/reviewed': 'yes' });
  });

  test('output is deterministic', () => {
    const build = () => {
      const chart = newChart('prod');
      const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: Endpoints.withLabels({ z: '1', a: '2' }), labels: { z: '1', a: '2' } });
      p.allowTo(Fqdn.named('a.example.com'), Endpoints.withLabels({ b: '1', a: '1' })).toPort(443);
      return toYaml(synth(chart));
    };
    expect(build()).toEqual(build());
  });
});

describe('toFQDNs needs the DNS proxy', () => {
  test('ADD (default) adds the kube-dns rule once per spec; an existing covering DNS rule is kept as is', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web() });
    p.allowTo(Fqdn.named('a.example.com')).toPort(443);
    p.allowTo(Fqdn.pattern('*.example.org')).toPort(443);
    const egress = synth(chart)[0].spec.egress;
    expect(egress).toHaveLength(3);
    expect(egress[2]).toEqual({
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
      toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });

    const chart2 = newChart('prod');
    const q = new CiliumNetworkPolicy(chart2, 'p', { endpointSelector: web() });
    q.allowTo(Fqdn.named('a.example.com')).toPort(443);
    q.allowTo(Endpoints.withLabels({ 'k8s-app': 'kube-dns' }).inNamespace('kube-system')).toPorts(Port.udp(53)).withDns(L7Dns.pattern('*.example.com'));
    expect(synth(chart2)[0].spec.egress).toHaveLength(2);
  });

  test('a custom DNS server for the added rule', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web(), dnsServer: Endpoints.withLabels({ app: 'coredns' }).inNamespace('dns') });
    p.allowTo(Fqdn.named('a.example.com'));
    expect(synth(chart)[0].spec.egress[1].toEndpoints).toEqual([{ matchLabels: { 'app': 'coredns', 'k8s:io.kubernetes.pod.namespace': 'dns' } }]);
  });

  test('REQUIRE fails with the exact rule to add', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web(), fqdnDnsRule: FqdnDnsRule.REQUIRE });
    p.allowTo(Fqdn.named('a.example.com')).toPort(443);
    expectError(() => synth(chart), 'toFQDNs ["a.example.com"]', "Cilium's DNS proxy", 'matchPattern: "*"', 'withDns(L7Dns.all())');
  });

  test('a DNS rule that does not cover the names fails, naming the missing matches', () => {
    const chart = newChart('prod');
    const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web() });
    p.allowTo(Fqdn.named('api.other.com'), Fqdn.pattern('*.cdn.com'), Fqdn.named('ok.example.com'));
    p.allowTo(Entity.ALL).toPorts(Port.any(53)).withDns(L7Dns.pattern('*.example.com'), L7Dns.named('x.com'));
    expectError(() => synth(chart), 'toFQDNs ["api.other.com","*.cdn.com"] are not matched', 'L7Dns.named("api.other.com"), L7Dns.pattern("*.cdn.com")');
  });
});

test('the version comes from the policy, else from the scope context', () => {
  const chart = newChart('prod');
  CiliumVersion.setForScope(chart, CiliumVersion.V1_16);
  const a = new CiliumNetworkPolicy(chart, 'a', { endpointSelector: web() });
  const b = new CiliumNetworkPolicy(chart, 'b', { endpointSelector: web(), ciliumVersion: CiliumVersion.V1_19 });
  expect(a.ciliumVersion.toString()).toBe('1.16');
  expect(b.ciliumVersion.toString()).toBe('1.19');
  expect(new CiliumNetworkPolicy(newChart(), 'c', { endpointSelector: web() }).ciliumVersion).toBe(CiliumVersion.V1_18);
});

test('host policies cannot use toFQDNs (no DNS proxy rules in host policies)', () => {
  const p = new CiliumClusterwideNetworkPolicy(newChart(), 'h', { nodeSelector: Nodes.all() });
  expectError(() => p.allowTo(Fqdn.named('a.example.com')), '.egress[0].to[0]', 'FQDN in a host policy', 'Cidr.of');
});

import {
  CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, Endpoints, EnvoyConfigKind, Entity, Fqdn, HeaderMismatchAction, KafkaRole,
  L7Dns, L7Http, L7Kafka, Nodes, Port,
} from '../../src';
import { expectError, newChart, synth, toYaml } from '../util';

function cnp(chart = newChart('prod'), version?: any) {
  return new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: Endpoints.withLabels({ app: 'web' }), ciliumVersion: version });
}

afterEach(() => jest.restoreAllMocks());

describe('HTTP', () => {
  test('method, path, host, headers and header matches', () => {
    const chart = newChart('prod');
    cnp(chart).allowFrom(Endpoints.withLabels({ app: 'client' })).toPort(8080).withHttp(
      L7Http.get('/api/v1/.*').withHost('api\\.example\\.com'),
      L7Http.method('GET|HEAD', '/health'),
      L7Http.path('/public/.*'),
      L7Http.post('/login').withHeader('X-Request-Id').withHeaderMatch('X-Token', { secret: { name: 'token', namespace: 'prod' }, mismatch: HeaderMismatchAction.LOG }),
      L7Http.patch().withHeaderMatch('X-Env', { value: 'prod', mismatch: HeaderMismatchAction.REPLACE }).withHeaderMatch('X-Present'),
      L7Http.head(),
      L7Http.any(),
    );
    const [m] = synth(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.ingress[0].toPorts[0].rules.http).toEqual([
      { method: 'GET', path: '/api/v1/.*', host: 'api\\.example\\.com' },
      { method: 'GET|HEAD', path: '/health' },
      { path: '/public/.*' },
      { method: 'POST', path: '/login', headers: ['X-Request-Id'], headerMatches: [{ name: 'X-Token', secret: { name: 'token', namespace: 'prod' }, mismatch: 'LOG' }] },
      { method: 'PATCH', headerMatches: [{ name: 'X-Env', value: 'prod', mismatch: 'REPLACE' }, { name: 'X-Present' }] },
      { method: 'HEAD' },
      {},
    ]);
  });

  test('path, method and host must compile under RE2 (no lookaround, no backreferences)', () => {
    expectError(() => L7Http.get('/(?!admin).*'), 'L7Http.path', '(?!admin)', 'RE2', 'lookahead');
    expectError(() => L7Http.get('/(a)\\1'), 'L7Http.path', 'not a valid RE2', 'backreferences');
    expectError(() => L7Http.method('(?<=X)GET'), 'L7Http.method', 'not a valid RE2');
    expectError(() => L7Http.path('/[a-'), 'L7Http.path', 'not a valid RE2');
    expectError(() => L7Http.method(''), 'L7Http.method', 'is empty');
    expectError(() => L7Http.any().withHost('(?=x)'), 'L7Http.host', 'RE2');
    expectError(() => L7Http.any().withHost('https://a.example.com/'), 'L7Http.host', 'whitespace or "/"');
    expectError(() => L7Http.any().withHost('a').withHost('b'), 'L7Http.host', 'set twice');
    // The CRD's idn-hostname format: at most 253 characters, no whitespace or "/".
    expect(L7Http.any().withHost('a'.repeat(253)).host).toHaveLength(253);
    expectError(() => L7Http.any().withHost('a'.repeat(254)), 'L7Http.host', 'is 254 characters long', 'at most 253');
    expectError(() => L7Http.any().withHost('api\u00a0example'), 'L7Http.host', 'whitespace');
    expectError(() => L7Http.any().withHost(5 as any), 'L7Http.host: 5 is not a string');
    expectError(() => L7Http.any().withHost(''), 'L7Http.host: "" is empty', 'leave it out');
  });

  test('header syntax', () => {
    expectError(() => L7Http.any().withHeader('X Bad'), 'L7Http.headers name', '"X Bad"', 'RFC 9110 token');
    expectError(() => L7Http.any().withHeader('X-A:', 'v'), 'L7Http.headers name', 'X-A:');
    expectError(() => L7Http.any().withHeader('X-A', 'a\nb'), 'L7Http.headers["X-A"]', 'CR, LF');
    expectError(() => L7Http.any().withHeader('X-A', ' v'), 'L7Http.headers["X-A"]', 'whitespace');
    expectError(() => L7Http.any().withHeader('X-A').withHeader('x-a', '1'), 'L7Http.headers', 'required twice');
    expectError(() => L7Http.any().withHeaderMatch('X-A', { value: 'v', secret: { name: 's' } }), 'headerMatches["X-A"]', 'both value and secret');
    expectError(() => L7Http.any().withHeaderMatch('X-A', { mismatch: HeaderMismatchAction.ADD }), 'headerMatches["X-A"].mismatch', 'needs a value');
    expectError(() => L7Http.any().withHeaderMatch('X-A', { mismatch: 'DROP' as any }), 'mismatch', '"DROP"', 'HeaderMismatchAction');
    expectError(() => L7Http.any().withHeaderMatch('X-A', { secret: { name: 'Bad_Secret' } }), 'secret.name', 'Bad_Secret');
  });

  test('L7 rules only on TCP ports, with specific ports', () => {
    let chart = newChart('prod');
    cnp(chart).allowFrom(Entity.ALL).toPorts(Port.udp(80)).withHttp(L7Http.get('/'));
    expectError(() => synth(chart), 'ingress[0].toPorts[0].ports', '"UDP/80" is UDP', 'only apply to TCP', 'Port.tcp(80)');
    chart = newChart('prod');
    cnp(chart).allowFrom(Entity.ALL).toPorts(Port.any(80)).withHttp(L7Http.get('/'));
    expectError(() => synth(chart), '"ANY/80" is ANY', 'only apply to TCP');
    chart = newChart('prod');
    cnp(chart).allowFrom(Entity.ALL).withHttp(L7Http.get('/'));
    expectError(() => synth(chart), 'toPorts[0].ports: [] is empty', 'http L7 rules', 'toPort');
    chart = newChart('prod');
    cnp(chart).allowFrom(Entity.ALL).toPorts(Port.allTcp()).withHttp(L7Http.get('/'));
    expectError(() => synth(chart), '"TCP/*" covers every port', 'port 0');
  });

  test('one L7 kind per rule; deny rules carry no L7 or authentication', () => {
    const p = cnp();
    expectError(() => p.allowTo(Entity.WORLD).toPort(80).withHttp(L7Http.any()).withKafka(L7Kafka.produce('t')), 'rules.kafka', 'already has http L7 rules', 'one L7 kind per rule');
    expectError(() => p.allowTo(Entity.WORLD).toPort(80).withHttp(), 'rules.http', 'is empty');
    expectError(() => p.denyFrom(Entity.WORLD).toPort(80).withHttp(L7Http.any()), '.ingressDeny[0].toPorts[0].rules.http', 'deny rules have no L7 rules');
    expectError(() => p.denyTo(Entity.WORLD).toPort(53).withDns(L7Dns.all()), '.egressDeny[0].toPorts[0].rules.dns', 'deny rules have no L7');
    expectError(() => p.denyFrom(Entity.WORLD).requireAuthentication(), '.ingressDeny[1].authentication', 'deny rules carry no authentication');
    expectError(() => p.denyTo(Entity.WORLD).serverNames('a.example.com'), 'serverNames', 'deny rules only have ports');
    expectError(() => p.denyTo(Entity.WORLD).terminatingTls({ secret: { name: 's' } }), 'terminatingTLS', 'deny rule');
  });

  test('host policies (nodeSelector) have no L7 rules', () => {
    const chart = newChart();
    new CiliumClusterwideNetworkPolicy(chart, 'h', { nodeSelector: Nodes.all() }).allowFrom(Entity.WORLD).toPort(80).withHttp(L7Http.any());
    expectError(() => synth(chart), 'rules: http L7 rules are in a host policy', 'do not support L7');
  });
});

describe('DNS', () => {
  test('DNS rules on UDP/TCP/ANY egress ports', () => {
    const chart = newChart('prod');
    cnp(chart).allowTo(Endpoints.withLabels({ 'k8s-app': 'kube-dns' }).inNamespace('kube-system'))
      .toPorts(Port.udp(53), Port.tcp(53)).withDns(L7Dns.named('api.example.com'), L7Dns.pattern('*.example.org'));
    expect(synth(chart)[0].spec.egress[0].toPorts).toEqual([{
      ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }],
      rules: { dns: [{ matchName: 'api.example.com' }, { matchPattern: '*.example.org' }] },
    }]);
  });

  test('DNS rules are egress only, not on SCTP, with valid names', () => {
    expectError(() => cnp().allowFrom(Entity.ALL).toPort(53).withDns(L7Dns.all()), 'ingress[0].toPorts[0].rules.dns', 'only has DNS rules on egress', 'allowTo');
    const chart = newChart('prod');
    cnp(chart).allowTo(Entity.ALL).toPorts(Port.sctp(53)).withDns(L7Dns.all());
    expectError(() => synth(chart), '"SCTP/53" is SCTP', 'UDP, TCP or ANY');
    const chart2 = newChart('prod');
    cnp(chart2).allowTo(Entity.ALL).toPorts(Port.udpRange(53, 54)).withDns(L7Dns.all());
    expectError(() => synth(chart2), '"UDP/53-54" is a range', 'do not support port ranges');
    expectError(() => L7Dns.named('*.x.com'), 'L7Dns.named', 'pattern');
    expectError(() => L7Dns.pattern('a b'), 'L7Dns.pattern', 'not a valid DNS pattern');
  });
});

describe('Kafka and generic L7', () => {
  test('Kafka rules render their wire names (deprecated on 1.18: warning)', () => {
    const chart = newChart('prod');
    const p = cnp(chart);
    p.allowFrom(Endpoints.withLabels({ app: 'producer' })).toPort(9092).withKafka(
      L7Kafka.produce('orders'), L7Kafka.consume('events'), L7Kafka.of({ apiKey: 'metadata', apiVersion: '1', clientId: 'svc-a' }),
    );
    expect(synth(chart)[0].spec.ingress[0].toPorts[0].rules.kafka).toEqual([
      { role: 'produce', topic: 'orders' }, { role: 'consume', topic: 'events' }, { apiKey: 'metadata', apiVersion: '1', clientID: 'svc-a' },
    ]);
    expect(p.warnings.join('\n')).toContain('Kafka L7 rules (rules.kafka) is deprecated since Cilium 1.18 and removed in 1.20');
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('rules.kafka'));
  });

  test('Kafka rule syntax', () => {
    expectError(() => L7Kafka.of({ role: KafkaRole.PRODUCE, apiKey: 'produce' }), 'L7Kafka', 'both role and apiKey');
    expectError(() => L7Kafka.produce('bad topic'), 'L7Kafka.topic', 'bad topic');
    expectError(() => L7Kafka.of({ role: 'write' as any }), 'L7Kafka.role', 'write');
    expectError(() => L7Kafka.of({ apiVersion: 'v1' }), 'L7Kafka.apiVersion', 'v1');
    expectError(() => L7Kafka.of({ apiKey: 'Produce!' }), 'L7Kafka.apiKey', 'Produce!');
  });

  const kafka = (o: any) => L7Kafka.of(o).toJson();

  test('API keys: the names of cilium/proxy kafka.go APIKeyMap in any case, never numbers (PortRule.Sanitize)', () => {
    expect(kafka({ apiKey: 'Produce' })).toEqual({ apiKey: 'Produce' });
    expect(kafka({ apiKey: 'OFFSETFORLEADEREPOCH' })).toEqual({ apiKey: 'OFFSETFORLEADEREPOCH' });
    expect(kafka({ apiKey: 'alterconfigs' })).toEqual({ apiKey: 'alterconfigs' });
    expectError(() => kafka({ apiKey: '0' }), 'L7Kafka.apiKey: "0"', 'names only, not numbers', 'produce, fetch');
    expectError(() => kafka({ apiKey: 'describecluster' }), 'L7Kafka.apiKey: "describecluster"', 'is not a Kafka API key Cilium knows');
  });

  test('roles: exactly the CRD enum (Cilium ignores case, the API server does not)', () => {
    expectError(() => kafka({ role: 'Produce' }), 'L7Kafka.role: "Produce"', 'KafkaRole.PRODUCE');
  });

  test('API versions: what Go strconv.ParseInt(v, 10, 16) reads as 0..32767', () => {
    for (const v of ['0', '+5', '-0', '007', '32767']) expect(kafka({ apiVersion: v })).toEqual({ apiVersion: v });
    for (const v of ['-1', '32768', '1.0', ' 1', '0x1', '1_0', '99999999999']) {
      expectError(() => kafka({ apiVersion: v }), `L7Kafka.apiVersion: ${JSON.stringify(v)}`, 'from 0 to 32767');
    }
  });

  test('topics: 255 characters of kafka.go TopicValidChar, which admits a backslash', () => {
    expect(kafka({ topic: 't'.repeat(255) }).topic).toHaveLength(255);
    expect(kafka({ topic: 'a\\b' })).toEqual({ topic: 'a\\b' });
    expectError(() => kafka({ topic: 't'.repeat(256) }), 'L7Kafka.topic', 'is 256 characters long', 'at most 255');
    expectError(() => kafka({ topic: 'a/b' }), 'L7Kafka.topic: "a/b"', 'letters, digits');
  });

  test('every field is a string; empty strings and unknown options are errors', () => {
    expectError(() => kafka({ topic: 5 }), 'L7Kafka.topic: 5 is not a string');
    expectError(() => kafka({ clientId: ['a'] }), 'L7Kafka.clientId: ["a"] is not a string');
    expectError(() => kafka({ apiVersion: 1 }), 'L7Kafka.apiVersion: 1 is not a string', '"0"');
    expectError(() => kafka({ topic: '' }), 'L7Kafka.topic: "" is empty, which Cilium reads as any topic', 'leave topic out');
    expectError(() => kafka({ clientID: 'svc' }), 'L7Kafka.clientID: "svc" is not a Kafka rule option', '(clientId)');
    expectError(() => L7Kafka.of('produce' as any), 'L7Kafka.of: "produce" is not an options object');
    expect(kafka({ clientId: 'any client \u00e9' })).toEqual({ clientID: 'any client \u00e9' });
    expect(kafka({})).toEqual({});
  });

  test('generic L7 (l7proto + l7)', () => {
    const chart = newChart('prod');
    cnp(chart).allowFrom(Entity.CLUSTER).toPort(4040).withL7('r2d2', [{ cmd: 'READ', file: '/public/.*' }]);
    expect(synth(chart)[0].spec.ingress[0].toPorts[0].rules).toEqual({ l7proto: 'r2d2', l7: [{ cmd: 'READ', file: '/public/.*' }] });
    expectError(() => cnp().allowFrom(Entity.ALL).toPort(1).withL7('', []), 'withL7.protocol', 'parser name');
    expectError(() => cnp().allowFrom(Entity.ALL).toPort(1).withL7('x', [{ a: 1 as any }]), 'withL7("x").rules[0]["a"]', 'string');
  });
});

describe('TLS, server names, listener, authentication', () => {
  test('terminating/originating TLS with server names and HTTP, listener, authentication', () => {
    const chart = newChart('prod');
    const p = cnp(chart);
    p.allowTo(Fqdn.named('api.example.com')).toPort(443)
      .terminatingTls({ secret: { name: 'proxy-ca', namespace: 'kube-system' } })
      .originatingTls({ secret: { name: 'trusted', namespace: 'kube-system' }, trustedCa: 'ca.crt' })
      .serverNames('api.example.com')
      .withHttp(L7Http.get('/v1/.*'));
    p.allowTo(Entity.WORLD).toPort(8443).listener({ envoyConfigName: 'my-envoy', envoyConfigKind: EnvoyConfigKind.CILIUM_CLUSTERWIDE_ENVOY_CONFIG, name: 'l1', priority: 10 });
    p.allowFrom(Endpoints.withLabels({ app: 'client' })).toPort(80).requireAuthentication();
    p.allowTo(Entity.WORLD).toPort(443).serverNames('*.example.com', 'example.com');
    const [m] = synth(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.egress[0].toPorts[0]).toEqual({
      ports: [{ port: '443', protocol: 'TCP' }],
      rules: { http: [{ method: 'GET', path: '/v1/.*' }] },
      serverNames: ['api.example.com'],
      terminatingTLS: { secret: { name: 'proxy-ca', namespace: 'kube-system' } },
      originatingTLS: { secret: { name: 'trusted', namespace: 'kube-system' }, trustedCA: 'ca.crt' },
    });
    expect(m.spec.egress[1].toPorts[0].listener).toEqual({ envoyConfig: { kind: 'CiliumClusterwideEnvoyConfig', name: 'my-envoy' }, name: 'l1', priority: 10 });
    expect(m.spec.ingress[0].authentication).toEqual({ mode: 'required' });
  });

  test('TLS, server names and listener rules', () => {
    let chart = newChart('prod');
    cnp(chart).allowTo(Entity.WORLD).toPort(443).serverNames('a.example.com').withHttp(L7Http.any());
    expectError(() => synth(chart), 'serverNames', 'without terminatingTLS', 'terminatingTls');
    chart = newChart('prod');
    cnp(chart).allowTo(Entity.WORLD).toPort(443).listener({ envoyConfigName: 'e', name: 'l' }).withHttp(L7Http.any());
    expectError(() => synth(chart), 'listener', 'not allowed with L7 rules');
    chart = newChart('prod');
    cnp(chart).allowTo(Entity.WORLD).serverNames('a.example.com');
    expectError(() => synth(chart), 'ports: [] is empty', 'TLS, server names or a listener');
    const p = cnp();
    expectError(() => p.allowFrom(Entity.WORLD).toPort(1).listener({ envoyConfigName: 'e', name: 'l' }), 'listener', 'only allows listeners on egress');
    expectError(() => p.allowTo(Entity.WORLD).listener({ envoyConfigName: 'e', name: 'l', priority: 101 }), 'listener.priority', '101', '1 (highest) to 100');
    expectError(() => p.allowTo(Entity.WORLD).listener({ envoyConfigName: 'E!', name: 'l' }), 'listener.envoyConfig.name', 'E!');
    expectError(() => p.allowTo(Entity.WORLD).listener({ envoyConfigName: 'e', name: '' }), 'listener.name', 'is empty');
    expectError(() => p.allowTo(Entity.WORLD).serverNames('bad name'), 'serverNames[0]', 'bad name');
    expectError(() => p.allowTo(Entity.WORLD).serverNames(), 'serverNames', 'is empty');
    expectError(() => p.allowTo(Entity.WORLD).terminatingTls({ secret: undefined as any }), 'terminatingTLS.secret', 'is required');
    expectError(() => p.allowTo(Entity.WORLD).originatingTls({ secret: { name: 's' }, certificate: 'a b' }), 'originatingTLS.certificate', 'a b');
  });
});

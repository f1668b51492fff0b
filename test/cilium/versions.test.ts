import {
  CILIUM_FEATURE_LIFECYCLE, CiliumFeature, CiliumNetworkPolicy, CiliumVersion, CidrGroup, Endpoints, Entity, L7Kafka,
} from '../../src';
import { expectError, newChart, synth } from '../util';

afterEach(() => jest.restoreAllMocks());

const web = () => Endpoints.withLabels({ app: 'web' });
const policy = (version: CiliumVersion, chart = newChart('prod')) =>
  new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: web(), ciliumVersion: version });

describe('CiliumVersion', () => {
  test('parses "1.x" and "1.x.y", compares, and rejects other text', () => {
    expect(CiliumVersion.of('1.17.3').toString()).toBe('1.17');
    expect(CiliumVersion.of('v1.19').isAtLeast(CiliumVersion.V1_18)).toBe(true);
    expect(CiliumVersion.V1_16.isAtLeast(CiliumVersion.V1_17)).toBe(false);
    expectError(() => CiliumVersion.of('latest'), 'CiliumVersion', '"latest"', '"1.18"');
    expectError(() => CiliumVersion.of('1.9'), 'CiliumVersion', 'oldest release', '1.14');
  });

  test('the lifecycle table names a source for every fact and a replacement for every removal', () => {
    for (const e of CILIUM_FEATURE_LIFECYCLE) {
      expect(e.source).toMatch(/cilium\/cilium#\d+/);
      if (e.removedIn || e.introducedIn) expect(e.replacement).toBeTruthy();
    }
    expect(CILIUM_FEATURE_LIFECYCLE.map(e => e.feature).sort()).toEqual(Object.values(CiliumFeature).sort());
  });
});

describe('Kafka (deprecated 1.18, removed 1.20)', () => {
  test('no warning on 1.17, a warning naming the replacement on 1.18 and 1.19', () => {
    const a = policy(CiliumVersion.V1_17);
    a.allowFrom(Entity.CLUSTER).toPort(9092).withKafka(L7Kafka.produce('t'));
    expect(a.warnings).toEqual([]);
    const b = policy(CiliumVersion.V1_19);
    b.allowFrom(Entity.CLUSTER).toPort(9092).withKafka(L7Kafka.produce('t'));
    expect(b.warnings[0]).toContain('deprecated since Cilium 1.18');
    expect(b.warnings[0]).toContain('CiliumEnvoyConfig');
  });

  test('an error on 1.20', () => {
    expectError(() => policy(CiliumVersion.V1_20).allowFrom(Entity.CLUSTER).toPort(9092).withKafka(L7Kafka.produce('t')),
      'rules.kafka', 'removed in Cilium 1.20', 'target is Cilium 1.20', 'CiliumEnvoyConfig', '#43557');
  });
});

describe('generic L7 (deprecated 1.18, removed 1.20)', () => {
  test('warning on 1.18, error on 1.20', () => {
    const p = policy(CiliumVersion.V1_18);
    p.allowFrom(Entity.CLUSTER).toPort(1).withL7('r2d2', []);
    expect(p.warnings[0]).toContain('generic L7 rules');
    expectError(() => policy(CiliumVersion.V1_20).allowFrom(Entity.CLUSTER).toPort(1).withL7('r2d2', []), 'rules.l7proto', 'removed in Cilium 1.20');
  });
});

describe('fromRequires/toRequires (deprecated 1.17, removed 1.19)', () => {
  test('rendered on 1.16 without warning, warned on 1.17 and 1.18, an error on 1.19', () => {
    const chart = newChart('prod');
    const a = policy(CiliumVersion.V1_16, chart);
    a.allowFrom(Endpoints.all()).requires(Endpoints.withLabels({ env: 'prod' }));
    a.allowTo(Endpoints.all()).requires(Endpoints.withLabels({ env: 'prod' }));
    expect(a.warnings).toEqual([]);
    const spec = synth(chart)[0].spec;
    expect(spec.ingress).toEqual([{ fromEndpoints: [{}], fromRequires: [{ matchLabels: { env: 'prod' } }] }]);
    expect(spec.egress).toEqual([{ toEndpoints: [{}], toRequires: [{ matchLabels: { env: 'prod' } }] }]);
    const b = policy(CiliumVersion.V1_18);
    b.allowFrom(Endpoints.all()).requires(Endpoints.withLabels({ env: 'prod' }));
    expect(b.warnings[0]).toContain('fromRequires / toRequires is deprecated since Cilium 1.17 and removed in 1.19');
    expectError(() => policy(CiliumVersion.V1_19).allowFrom(Endpoints.all()).requires(Endpoints.withLabels({ env: 'prod' })),
      'ingress[0].fromRequires', 'removed in Cilium 1.19', 'use the required labels in each peer selector');
    expectError(() => policy(CiliumVersion.V1_16).allowFrom(Endpoints.all()).requires(), 'fromRequires', 'is empty');
  });
});

describe('fields newer than the target release', () => {
  test('log needs 1.18, enableDefaultDeny 1.16, cidrGroupSelector 1.17', () => {
    const chart = newChart('prod');
    expectError(() => new CiliumNetworkPolicy(chart, 'a', { endpointSelector: web(), log: 'x', ciliumVersion: CiliumVersion.V1_17 }),
      '.spec.log', 'needs Cilium 1.18 or newer', 'target is Cilium 1.17');
    expectError(() => new CiliumNetworkPolicy(chart, 'b', { endpointSelector: web(), enableDefaultDeny: { egress: false }, ciliumVersion: CiliumVersion.V1_15 }),
      '.spec.enableDefaultDeny', 'needs Cilium 1.16');
    expectError(() => policy(CiliumVersion.V1_16).allowTo(CidrGroup.withLabels({ a: 'b' })), '.egress[0].to[0].cidrGroupSelector', 'needs Cilium 1.17', 'CidrGroup.named()');
    policy(CiliumVersion.V1_16).allowTo(CidrGroup.named('ok'));
  });

  test('the chart context sets the version for the policies below it', () => {
    const chart = newChart('prod');
    CiliumVersion.setForScope(chart, CiliumVersion.V1_20);
    const p = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: web() });
    expectError(() => p.allowFrom(Entity.ALL).toPort(9092).withKafka(L7Kafka.consume('t')), 'removed in Cilium 1.20');
    const chart2 = newChart('prod');
    chart2.node.setContext('cdk8s-netpol:ciliumVersion', 'banana');
    expectError(() => new CiliumNetworkPolicy(chart2, 'p', { endpointSelector: web() }), 'CiliumVersion', 'banana');
  });
});

// One test per Cilium pattern: snapshot, connectivity on a small cluster (analyser jest matchers),
// the lint's verdict, and errors for bad input.
import { CiliumPolicyPatterns, CiliumVersion, Endpoints, Lint, Port } from '../../src';
import { expectError, synth, toYaml } from '../util';
import { bareChart, coreDns, namespace, onCluster, pod, shopChart } from './fixtures';

const cluster = [
  namespace('shop'),
  namespace('frontend'),
  namespace('monitoring'),
  ...coreDns(),
  pod('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }]),
  pod('shop', 'api', { app: 'api' }, [{ name: 'http', containerPort: 8080 }]),
  pod('frontend', 'ui', { app: 'ui' }),
  pod('monitoring', 'prometheus', { 'app.kubernetes.io/name': 'prometheus' }),
];

const shop = shopChart;
const on = onCluster(cluster);

describe('default deny (namespace)', () => {
  test('ingress and egress, with DNS kept by allowDns through the DNS proxy', () => {
    const { chart, lint } = shop();
    CiliumPolicyPatterns.defaultDenyAll(chart, 'deny', { metadata: { name: 'default-deny' } });
    CiliumPolicyPatterns.allowDns(chart, 'dns', { metadata: { name: 'allow-dns' } });
    const m = synth(chart);
    expect(toYaml(m)).toMatchSnapshot();
    expect(m[1].spec.egress[0].toPorts[0].rules).toEqual({ dns: [{ matchPattern: '*' }] });
    expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/web', port: 8080 });
    expect(on(m)).toDenyConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
    expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
    expect(lint.findings).toEqual([]);
  });

  test('egress alone warns NP001 without a DNS rule; ingress alone does not', () => {
    const egress = shop();
    CiliumPolicyPatterns.defaultDenyEgress(egress.chart, 'deny');
    synth(egress.chart);
    expect(egress.lint.findings.map(f => f.checkId)).toEqual(['NP001']);
    const ingress = shop();
    CiliumPolicyPatterns.defaultDenyIngress(ingress.chart, 'deny', { endpointSelector: Endpoints.withLabels({ app: 'api' }) });
    const m = synth(ingress.chart);
    expect(toYaml(m)).toMatchSnapshot();
    expect(on(m)).toDenyConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
    expect(on(m)).toAllowConnection({ from: 'shop/api', to: 'shop/web', port: 8080 });
    expect(ingress.lint.findings).toEqual([]);
  });
});

test('clusterwideDefaultDeny: every namespace but kube-system, DNS kept with the proxy rule', () => {
  const chart = bareChart();
  const lint = Lint.enable(chart, { printWarnings: false });
  CiliumPolicyPatterns.clusterwideDefaultDeny(chart, 'deny', { metadata: { name: 'cluster-default-deny' } });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(m[0].kind).toBe('CiliumClusterwideNetworkPolicy');
  expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/web', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'shop/web', to: '198.51.100.7', port: 443 });
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  expect(lint.findings).toEqual([]);
  expectError(() => CiliumPolicyPatterns.clusterwideDefaultDeny(bareChart(), 'x', { ingress: false, egress: false }), 'ClusterwideDefaultDenyOptions', 'deny at least one direction');
  expectError(() => CiliumPolicyPatterns.clusterwideDefaultDeny(bareChart(), 'y', { excludedNamespaces: ['Kube_System'] }),
    'ClusterwideDefaultDenyOptions.excludedNamespaces[0]', '"Kube_System"', 'RFC 1123');
});

test('allowFqdnEgress: names on 443, with the DNS proxy rule added by the construct (no CNP001)', () => {
  const { chart, lint } = shop();
  CiliumPolicyPatterns.allowFqdnEgress(chart, 'fqdn', { metadata: { name: 'allow-github' }, endpointSelector: Endpoints.withLabels({ app: 'api' }), fqdns: ['api.github.com', '*.githubusercontent.com'] });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'shop/api', to: 'api.github.com', port: 443 });
  expect(on(m)).toDenyConnection({ from: 'shop/api', to: 'api.github.com', port: 80 });
  expect(on(m)).toAllowConnection({ from: 'shop/api', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  expect(on(m)).toDenyConnection({ from: 'shop/api', to: 'shop/web', port: 8080 });
  expect(lint.findings).toEqual([]);
  expectError(() => CiliumPolicyPatterns.allowFqdnEgress(chart, 'bad', { fqdns: [] }), 'FqdnEgressOptions.fqdns', 'is empty');
});

test('allowSameNamespace and allowFromNamespace use Cilium namespace keys (no CNP002)', () => {
  const { chart, lint } = shop();
  CiliumPolicyPatterns.allowSameNamespace(chart, 'same', { metadata: { name: 'allow-same-namespace' }, endpointSelector: Endpoints.withLabels({ app: 'api' }) });
  CiliumPolicyPatterns.allowFromNamespace(chart, 'ns', { metadata: { name: 'allow-frontend' }, endpointSelector: Endpoints.withLabels({ app: 'web' }), namespace: 'frontend', ports: [Port.tcp(8080)] });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/api', port: 8080 });
  expect(on(m)).toAllowConnection({ from: 'frontend/ui', to: 'shop/web', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'shop/api', to: 'shop/web', port: 8080 });
  expect(lint.findings).toEqual([]);
  expectError(() => CiliumPolicyPatterns.allowFromNamespace(chart, 'bad', {} as any), 'CiliumFromNamespaceOptions.namespace', 'is required');
});

test('allowFromIngressController: the ingress entity by default, or given controller pods', () => {
  const { chart } = shop();
  CiliumPolicyPatterns.allowFromIngressController(chart, 'ing', { metadata: { name: 'allow-ingress' }, endpointSelector: Endpoints.withLabels({ app: 'web' }), ports: [Port.tcp(8080)] });
  CiliumPolicyPatterns.allowFromIngressController(chart, 'nginx', {
    metadata: { name: 'allow-nginx' },
    endpointSelector: Endpoints.withLabels({ app: 'api' }),
    controller: Endpoints.withLabels({ app: 'ui' }).inNamespace('frontend'),
  });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: '{ingress}', to: 'shop/web', port: 8080 });
  expect(on(m)).toDenyConnection({ from: '{ingress}', to: 'shop/web', port: 9100 });
  expect(on(m)).toAllowConnection({ from: 'frontend/ui', to: 'shop/api', port: 8080 });
});

test('allowPrometheusScrape: the metrics port only', () => {
  const { chart } = shop();
  CiliumPolicyPatterns.allowPrometheusScrape(chart, 'prom', { metadata: { name: 'allow-prometheus' }, metricsPort: Port.tcp(9100) });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'monitoring/prometheus', to: 'shop/web', port: 9100 });
  expect(on(m)).toDenyConnection({ from: 'monitoring/prometheus', to: 'shop/web', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/web', port: 9100 });
  expectError(() => CiliumPolicyPatterns.allowPrometheusScrape(chart, 'bad', {} as any), 'CiliumPrometheusOptions.metricsPort', 'is required');
});

test('allowToApiServer: the kube-apiserver entity, no addresses', () => {
  const { chart } = shop();
  CiliumPolicyPatterns.allowToApiServer(chart, 'api', { metadata: { name: 'allow-apiserver' }, endpointSelector: Endpoints.withLabels({ app: 'api' }) });
  CiliumPolicyPatterns.allowDns(chart, 'dns', { metadata: { name: 'allow-dns' }, endpointSelector: Endpoints.withLabels({ app: 'api' }) });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(m[0].spec.egress[0].toEntities).toEqual(['kube-apiserver']);
  expect(on(m)).toAllowConnection({ from: 'shop/api', to: '{kube-apiserver}', port: 6443 });
  expect(on(m)).toDenyConnection({ from: 'shop/api', to: '{kube-apiserver}', port: 22 });
  expect(on(m)).toDenyConnection({ from: 'shop/api', to: 'shop/web', port: 8080 });
});

test('denyCloudMetadata: a deny rule without default deny (namespaced or cluster-wide)', () => {
  const { chart, lint } = shop();
  CiliumPolicyPatterns.denyCloudMetadata(chart, 'meta', { metadata: { name: 'deny-cloud-metadata' } });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(m[0].spec.enableDefaultDeny).toEqual({ egress: false });
  expect(on(m)).toDenyConnection({ from: 'shop/web', to: '169.254.169.254', port: 80 });
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: '169.254.169.253', port: 80 });
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
  expect(lint.findings).toEqual([]);
  const cw = bareChart();
  CiliumPolicyPatterns.denyCloudMetadata(cw, 'meta', { clusterwide: true, endpointSelector: Endpoints.all() });
  expect(synth(cw)[0].kind).toBe('CiliumClusterwideNetworkPolicy');
  // enableDefaultDeny needs Cilium 1.16: the construct refuses older targets.
  expect(() => CiliumPolicyPatterns.denyCloudMetadata(bareChart(), 'old', { ciliumVersion: CiliumVersion.V1_15 })).toThrow(/enableDefaultDeny needs Cilium 1.16/);
});

test('Cilium patterns reject an endpointSelector that is not Endpoints', () => {
  expectError(() => CiliumPolicyPatterns.defaultDenyIngress(bareChart(), 'x', { endpointSelector: { app: 'web' } as any }), 'CiliumPatternOptions.endpointSelector', 'Endpoints.withLabels');
});

// One test per Kubernetes pattern: the YAML snapshot, the connectivity it gives on a small cluster
// (analyser jest matchers), and the errors for bad input.
import { Lint, NetworkPolicyPatterns, Pods, Port } from '../../src';
import { expectError, synth, toYaml } from '../util';
import { bareChart, coreDns, namespace, onCluster, pod, shopChart } from './fixtures';

const cluster = [
  namespace('shop'),
  namespace('frontend'),
  namespace('ingress-nginx'),
  namespace('monitoring'),
  ...coreDns(),
  pod('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }]),
  pod('shop', 'api', { app: 'api' }, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }]),
  pod('shop', 'operator', { app: 'operator' }),
  pod('frontend', 'ui', { app: 'ui' }),
  pod('frontend', 'batch', { app: 'batch' }),
  pod('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  pod('monitoring', 'prometheus', { 'app.kubernetes.io/name': 'prometheus' }),
  pod('monitoring', 'grafana', { 'app.kubernetes.io/name': 'grafana' }),
];

const shop = shopChart;
const on = onCluster(cluster);

describe('default deny', () => {
  test('ingress: nothing reaches the namespace, egress untouched', () => {
    const { chart } = shop();
    NetworkPolicyPatterns.defaultDenyIngress(chart, 'deny', { metadata: { name: 'default-deny-ingress' } });
    const m = synth(chart);
    expect(toYaml(m)).toMatchSnapshot();
    expect(on(m)).toDenyConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
    expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/api', port: 8080 });
    expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'frontend/ui', port: 80 });
  });

  test('egress: nothing leaves, and the lint warns that DNS is gone (NP001)', () => {
    const { chart, lint } = shop();
    NetworkPolicyPatterns.defaultDenyEgress(chart, 'deny', { metadata: { name: 'default-deny-egress' } });
    const m = synth(chart);
    expect(toYaml(m)).toMatchSnapshot();
    expect(on(m)).toDenyConnection({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
    expect(on(m)).toAllowConnection({ from: 'frontend/ui', to: 'shop/web', port: 8080 });
    expect(lint.findings.map(f => f.checkId)).toEqual(['NP001']);
  });

  test('both directions, for some pods only', () => {
    const { chart } = shop();
    NetworkPolicyPatterns.defaultDenyAll(chart, 'deny', { metadata: { name: 'deny-api' }, podSelector: Pods.withLabels({ app: 'api' }) });
    const m = synth(chart);
    expect(toYaml(m)).toMatchSnapshot();
    expect(m[0].spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(on(m)).toDenyConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
    expect(on(m)).toDenyConnection({ from: 'shop/api', to: 'shop/web', port: 8080 });
    expect(on(m)).toAllowConnection({ from: 'shop/operator', to: 'shop/web', port: 8080 });
  });
});

test('allowDnsEgress: DNS to the cluster DNS only, UDP and TCP; clears NP001 next to a default deny', () => {
  const { chart, lint } = shop();
  NetworkPolicyPatterns.defaultDenyEgress(chart, 'deny', { metadata: { name: 'default-deny-egress' } });
  NetworkPolicyPatterns.allowDnsEgress(chart, 'dns', { metadata: { name: 'allow-dns' } });
  const m = synth(chart);
  expect(toYaml(m.slice(1))).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: 'TCP' });
  expect(on(m)).toDenyConnection({ from: 'shop/web', to: '8.8.8.8', port: 53, protocol: 'UDP' });
  expect(lint.findings).toEqual([]);
});

test('allowDnsEgress with a custom DNS deployment', () => {
  const { chart } = shop();
  const np = NetworkPolicyPatterns.allowDnsEgress(chart, 'dns', { dnsNamespace: 'dns', dnsPodLabels: { app: 'unbound' }, port: 5353 });
  expect(np.egress[0].ports.map(p => p.toString())).toEqual(['UDP/5353', 'TCP/5353']);
  expect(synth(chart)[0].spec.egress[0].to).toEqual([{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } },
    podSelector: { matchLabels: { app: 'unbound' } },
  }]);
});

test('allowSameNamespace: pods of the namespace only', () => {
  const { chart } = shop();
  NetworkPolicyPatterns.allowSameNamespace(chart, 'same', { metadata: { name: 'allow-same-namespace' } });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/api', port: 8080 });
});

test('allowFromNamespace: a named namespace, optionally some of its pods and ports', () => {
  const { chart } = shop();
  NetworkPolicyPatterns.allowFromNamespace(chart, 'ns', { metadata: { name: 'allow-frontend' }, podSelector: Pods.withLabels({ app: 'api' }), namespace: 'frontend' });
  NetworkPolicyPatterns.allowFromNamespace(chart, 'ui', {
    metadata: { name: 'allow-frontend-ui' }, podSelector: Pods.withLabels({ app: 'web' }), namespace: 'frontend', fromPods: Pods.withLabels({ app: 'ui' }), ports: [Port.tcp(8080)],
  });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'frontend/batch', to: 'shop/api', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
  expect(on(m)).toAllowConnection({ from: 'frontend/ui', to: 'shop/web', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/web', port: 9100 });
  expect(on(m)).toDenyConnection({ from: 'frontend/batch', to: 'shop/web', port: 8080 });
  expectError(() => NetworkPolicyPatterns.allowFromNamespace(chart, 'bad', { namespace: 'Front_End' }), 'Namespaces.named[0]', 'Front_End', 'RFC 1123');
  expectError(() => NetworkPolicyPatterns.allowFromNamespace(chart, 'bad2', {} as any), 'FromNamespaceOptions.namespace', 'is required');
});

test('allowFromIngressController: the controller pods only', () => {
  const { chart } = shop();
  NetworkPolicyPatterns.allowFromIngressController(chart, 'ing', { metadata: { name: 'allow-ingress' }, podSelector: Pods.withLabels({ app: 'web' }), ports: [Port.named('http')] });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'ingress-nginx/controller', to: 'shop/web', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'ingress-nginx/controller', to: 'shop/web', port: 9100 });
  expect(on(m)).toDenyConnection({ from: 'frontend/ui', to: 'shop/web', port: 8080 });
});

test('allowPrometheusScrape: Prometheus on the metrics port only', () => {
  const { chart } = shop();
  NetworkPolicyPatterns.allowPrometheusScrape(chart, 'prom', { metadata: { name: 'allow-prometheus' }, metricsPort: Port.named('metrics') });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'monitoring/prometheus', to: 'shop/api', port: 9100 });
  expect(on(m)).toDenyConnection({ from: 'monitoring/prometheus', to: 'shop/api', port: 8080 });
  expect(on(m)).toDenyConnection({ from: 'monitoring/grafana', to: 'shop/api', port: 9100 });
  expectError(() => NetworkPolicyPatterns.allowPrometheusScrape(chart, 'bad', {} as any), 'PrometheusScrapeOptions.metricsPort', 'is required', 'Port.tcp(9090)');
});

test('allowToApiServer: the API server addresses on 443 and 6443', () => {
  const { chart } = shop();
  NetworkPolicyPatterns.allowToApiServer(chart, 'api', { metadata: { name: 'allow-apiserver' }, podSelector: Pods.withLabels({ app: 'operator' }), cidrs: ['172.18.0.2/32'] });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toAllowConnection({ from: 'shop/operator', to: '172.18.0.2', port: 6443 });
  expect(on(m)).toDenyConnection({ from: 'shop/operator', to: '172.18.0.3', port: 6443 });
  expect(on(m)).toDenyConnection({ from: 'shop/operator', to: '172.18.0.2', port: 22 });
  expectError(() => NetworkPolicyPatterns.allowToApiServer(chart, 'bad', { cidrs: [] }), 'ApiServerEgressOptions.cidrs', 'is empty', 'kubectl get endpoints kubernetes');
  expectError(() => NetworkPolicyPatterns.allowToApiServer(chart, 'bad2', { cidrs: ['172.18.0.2'] }), 'IpBlock.cidr', '172.18.0.2/32');
});

test('denyCloudMetadata: every address but 169.254.169.254', () => {
  const { chart } = shop();
  NetworkPolicyPatterns.denyCloudMetadata(chart, 'meta', { metadata: { name: 'deny-cloud-metadata' } });
  const m = synth(chart);
  expect(toYaml(m)).toMatchSnapshot();
  expect(on(m)).toDenyConnection({ from: 'shop/web', to: '169.254.169.254', port: 80 });
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: '169.254.169.253', port: 80 });
  expect(on(m)).toAllowConnection({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  const v4only = bareChart('shop');
  NetworkPolicyPatterns.denyCloudMetadata(v4only, 'meta', { allowIpv6: false });
  expect(synth(v4only)[0].spec.egress[0].to).toEqual([{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }]);
});

test('patterns reject a podSelector that is not a Pods', () => {
  expectError(() => NetworkPolicyPatterns.defaultDenyIngress(bareChart(), 'x', { podSelector: { app: 'web' } as any }),
    'PatternOptions.podSelector', 'Pods.withLabels');
});

test('patterns enable the lint on their chart: errors fail synth, warnings are collected', () => {
  const chart = bareChart('shop');
  NetworkPolicyPatterns.defaultDenyEgress(chart, 'deny');
  const lint = Lint.of(chart)!;
  expect(lint).toBeDefined();
  Lint.enable(chart, { printWarnings: false });
  synth(chart);
  expect(lint.findings.map(f => `${f.checkId} ${f.field}`)).toEqual(['NP001 spec.policyTypes']);
});

// No library pattern triggers its own lint finding in an ordinary app: a namespace of cdk8s-plus
// workloads, nothing of the cluster's own (no kube-dns, ingress controller or Prometheus manifests).
// Each pattern is synthesised in its own app, with the synth-time lint on (as every pattern enables
// it), and the lint must find nothing; then all of them together.
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  CiliumPolicyPatterns, Endpoints, Lint, LintFinding, NetworkPolicyPatterns, NetworkPolicyRecipes, Pods, Port,
} from '../../src';

interface OrdinaryApp {
  readonly app: App;
  readonly chart: Chart;
  readonly web: kplus.Deployment;
  readonly api: kplus.Deployment;
  readonly db: kplus.Deployment;
}

function ordinaryApp(): OrdinaryApp {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web', ports: [{ number: 8080, name: 'http' }] }] });
  const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }] }] });
  const db = new kplus.Deployment(chart, 'db', { containers: [{ image: 'postgres', ports: [{ number: 5432, name: 'pg' }] }] });
  return { app, chart, web, api, db };
}

/** Every pattern and recipe, as an ordinary app would call it. */
const PATTERNS: Record<string, (a: OrdinaryApp) => void> = {
  'NetworkPolicyPatterns.defaultDenyIngress': a => NetworkPolicyPatterns.defaultDenyIngress(a.chart, 'p'),
  'NetworkPolicyPatterns.defaultDenyEgress + allowDnsEgress': a => {
    NetworkPolicyPatterns.defaultDenyEgress(a.chart, 'p');
    NetworkPolicyPatterns.allowDnsEgress(a.chart, 'dns');
  },
  'NetworkPolicyPatterns.defaultDenyAll + allowDnsEgress': a => {
    NetworkPolicyPatterns.defaultDenyAll(a.chart, 'p');
    NetworkPolicyPatterns.allowDnsEgress(a.chart, 'dns');
  },
  'NetworkPolicyPatterns.allowDnsEgress': a => NetworkPolicyPatterns.allowDnsEgress(a.chart, 'p'),
  'NetworkPolicyPatterns.allowSameNamespace': a => NetworkPolicyPatterns.allowSameNamespace(a.chart, 'p'),
  'NetworkPolicyPatterns.allowFromNamespace': a => NetworkPolicyPatterns.allowFromNamespace(a.chart, 'p', { namespace: 'frontend', podSelector: Pods.of(a.web) }),
  'NetworkPolicyPatterns.allowFromIngressController': a => NetworkPolicyPatterns.allowFromIngressController(a.chart, 'p', { podSelector: Pods.of(a.web), ports: [Port.namedOf(a.web, 'http')] }),
  'NetworkPolicyPatterns.allowPrometheusScrape': a => NetworkPolicyPatterns.allowPrometheusScrape(a.chart, 'p', { podSelector: Pods.of(a.api), metricsPort: Port.namedOf(a.api, 'metrics') }),
  'NetworkPolicyPatterns.allowToApiServer + allowDnsEgress': a => {
    NetworkPolicyPatterns.allowToApiServer(a.chart, 'p', { podSelector: Pods.of(a.api), cidrs: ['10.0.0.1/32'] });
    NetworkPolicyPatterns.allowDnsEgress(a.chart, 'dns', { podSelector: Pods.of(a.api) });
  },
  'NetworkPolicyPatterns.denyCloudMetadata': a => NetworkPolicyPatterns.denyCloudMetadata(a.chart, 'p'),
  'NetworkPolicyRecipes.denyAllToApp': a => NetworkPolicyRecipes.denyAllToApp(a.chart, 'p', { app: Pods.of(a.db) }),
  'NetworkPolicyRecipes.limitTrafficToApp': a => NetworkPolicyRecipes.limitTrafficToApp(a.chart, 'p', { app: Pods.of(a.db), from: [Pods.of(a.api)], ports: [Port.namedOf(a.db, 'pg')] }),
  'NetworkPolicyRecipes.allowAllToApp': a => NetworkPolicyRecipes.allowAllToApp(a.chart, 'p', { app: Pods.of(a.web) }),
  'NetworkPolicyRecipes.denyAllNonWhitelisted': a => NetworkPolicyRecipes.denyAllNonWhitelisted(a.chart, 'p'),
  'NetworkPolicyRecipes.denyFromOtherNamespaces': a => NetworkPolicyRecipes.denyFromOtherNamespaces(a.chart, 'p'),
  'NetworkPolicyRecipes.allowFromAllNamespaces': a => NetworkPolicyRecipes.allowFromAllNamespaces(a.chart, 'p', { app: Pods.of(a.web) }),
  'NetworkPolicyRecipes.allowFromNamespace': a => NetworkPolicyRecipes.allowFromNamespace(a.chart, 'p', { app: Pods.of(a.web), namespaceLabels: { purpose: 'production' } }),
  'NetworkPolicyRecipes.allowFromPodsInNamespace': a => NetworkPolicyRecipes.allowFromPodsInNamespace(a.chart, 'p', { app: Pods.of(a.web), namespaceLabels: { team: 'operations' }, podLabels: { type: 'monitoring' } }),
  'NetworkPolicyRecipes.allowToPort': a => NetworkPolicyRecipes.allowToPort(a.chart, 'p', { app: Pods.of(a.api), from: [Pods.of(a.web)], ports: [Port.namedOf(a.api, 'http')] }),
  'NetworkPolicyRecipes.allowFromMultipleSelectors': a => NetworkPolicyRecipes.allowFromMultipleSelectors(a.chart, 'p', { app: Pods.of(a.db), from: [Pods.of(a.api), Pods.of(a.web)] }),
  'NetworkPolicyRecipes.allowExternal': a => NetworkPolicyRecipes.allowExternal(a.chart, 'p', { app: Pods.of(a.web), ports: [Port.tcp(8080)] }),
  'NetworkPolicyRecipes.denyEgressFromApp': a => NetworkPolicyRecipes.denyEgressFromApp(a.chart, 'p', { app: Pods.of(a.db), allowDns: true }),
  'NetworkPolicyRecipes.denyAllEgressInNamespace': a => NetworkPolicyRecipes.denyAllEgressInNamespace(a.chart, 'p', { allowDns: true }),
  'NetworkPolicyRecipes.denyExternalEgress': a => NetworkPolicyRecipes.denyExternalEgress(a.chart, 'p', { app: Pods.of(a.api) }),
  'NetworkPolicyRecipes.allowFrom': a => NetworkPolicyRecipes.allowFrom(a.chart, 'p', { app: Pods.of(a.db), from: [Pods.of(a.api)] }),
  'CiliumPolicyPatterns.defaultDenyIngress': a => CiliumPolicyPatterns.defaultDenyIngress(a.chart, 'p'),
  'CiliumPolicyPatterns.defaultDenyEgress + allowDns': a => {
    CiliumPolicyPatterns.defaultDenyEgress(a.chart, 'p');
    CiliumPolicyPatterns.allowDns(a.chart, 'dns');
  },
  'CiliumPolicyPatterns.defaultDenyAll + allowDns': a => {
    CiliumPolicyPatterns.defaultDenyAll(a.chart, 'p');
    CiliumPolicyPatterns.allowDns(a.chart, 'dns');
  },
  'CiliumPolicyPatterns.clusterwideDefaultDeny': a => CiliumPolicyPatterns.clusterwideDefaultDeny(a.chart, 'p'),
  'CiliumPolicyPatterns.allowDns': a => CiliumPolicyPatterns.allowDns(a.chart, 'p'),
  'CiliumPolicyPatterns.allowFqdnEgress': a => CiliumPolicyPatterns.allowFqdnEgress(a.chart, 'p', { endpointSelector: Endpoints.of(a.api), fqdns: ['api.example.com'], ports: [Port.tcp(443)] }),
  'CiliumPolicyPatterns.allowSameNamespace': a => CiliumPolicyPatterns.allowSameNamespace(a.chart, 'p'),
  'CiliumPolicyPatterns.allowFromNamespace': a => CiliumPolicyPatterns.allowFromNamespace(a.chart, 'p', { namespace: 'frontend', endpointSelector: Endpoints.of(a.web) }),
  'CiliumPolicyPatterns.allowFromIngressController': a => CiliumPolicyPatterns.allowFromIngressController(a.chart, 'p', { endpointSelector: Endpoints.of(a.web), ports: [Port.namedOf(a.web, 'http')] }),
  'CiliumPolicyPatterns.allowPrometheusScrape': a => CiliumPolicyPatterns.allowPrometheusScrape(a.chart, 'p', { endpointSelector: Endpoints.of(a.api), metricsPort: Port.namedOf(a.api, 'metrics') }),
  'CiliumPolicyPatterns.allowToApiServer + allowDns': a => {
    CiliumPolicyPatterns.allowToApiServer(a.chart, 'p', { endpointSelector: Endpoints.of(a.api) });
    CiliumPolicyPatterns.allowDns(a.chart, 'dns', { endpointSelector: Endpoints.of(a.api) });
  },
  'CiliumPolicyPatterns.denyCloudMetadata': a => CiliumPolicyPatterns.denyCloudMetadata(a.chart, 'p'),
  'CiliumPolicyPatterns.denyCloudMetadata (clusterwide)': a => CiliumPolicyPatterns.denyCloudMetadata(a.chart, 'p', { clusterwide: true }),
};

/** Synthesises the app (the lint runs at synth) and returns the lint's findings. */
function findings(a: OrdinaryApp): LintFinding[] {
  a.app.synth();
  return Lint.of(a.chart)?.findings ?? [];
}

const show = (fs: LintFinding[]) => fs.map(f => `${f.checkId} ${f.object.kind} ${f.field}: ${f.message}`);

describe('every pattern in an ordinary app: no lint finding', () => {
  test.each(Object.keys(PATTERNS))('%s', name => {
    const a = ordinaryApp();
    PATTERNS[name](a);
    expect(Lint.of(a.chart)).toBeDefined();
    expect(show(findings(a))).toEqual([]);
  });

  test('all patterns together, one chart each, in one app (the lint judges them together)', () => {
    const a = ordinaryApp();
    Lint.enable(a.app);
    Object.keys(PATTERNS).forEach((name, i) => {
      const chart = new Chart(a.app, `p${i}`, { namespace: 'shop' });
      PATTERNS[name]({ ...a, chart });
    });
    a.app.synth();
    const all = Lint.of(a.app)!.findings;
    // Patterns combined in one namespace may overlap (NP003/NP004 compare rules across policies);
    // no finding may be about a peer, a subject or a port of the library's own making.
    expect(show(all.filter(f => ['NP005', 'NP006', 'NP007', 'NP001'].includes(f.checkId)))).toEqual([]);
  });
});

test('the lint still judges a peer in a namespace whose workloads are given (NP006)', () => {
  const a = ordinaryApp();
  // The policy looks for "prometheus" in shop, whose workloads are all given: a real typo-class finding.
  NetworkPolicyPatterns.allowPrometheusScrape(a.chart, 'p', {
    podSelector: Pods.of(a.api), metricsPort: Port.namedOf(a.api, 'metrics'), prometheusNamespace: 'shop',
  });
  expect(findings(a).map(f => `${f.checkId} ${f.field}`)).toEqual(['NP006 spec.ingress[0].from[0]']);
});

import { ApiObject, Chart } from 'cdk8s';
import { CiliumVersion, Endpoints, L7Visibility, VisibilityMode, VisibilityRule } from '../../src';
import { expectError, newChart, synth, toYaml } from '../util';

afterEach(() => jest.restoreAllMocks());

function deployment(chart: Chart, withAnnotations = false): ApiObject {
  return new ApiObject(chart, 'web', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, ...(withAnnotations ? { annotations: { a: 'b' } } : {}) },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
    },
  });
}

test('on Cilium 1.18 visibility is a policy with match-all L7 rules and default deny off', () => {
  const chart = newChart('prod');
  const v = new L7Visibility(chart, 'vis', {
    metadata: { name: 'web-visibility' },
    endpointSelector: Endpoints.withLabels({ app: 'web' }),
    rules: [VisibilityRule.ingressHttp(80), VisibilityRule.egressDns()],
  });
  expect(v.mode).toBe(VisibilityMode.POLICY);
  const [m] = synth(chart);
  expect(toYaml([m])).toMatchSnapshot();
  expect(m.spec).toEqual({
    endpointSelector: { matchLabels: { app: 'web' } },
    ingress: [{ fromEntities: ['all'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{}] } }] }],
    egress: [{ toEntities: ['all'], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }] }],
    enableDefaultDeny: { ingress: false, egress: false },
    description: 'L7 visibility only: match-all L7 rules with default deny off',
  });
});

test('egress HTTP visibility only turns default deny off for egress', () => {
  const chart = newChart('prod');
  new L7Visibility(chart, 'vis', { endpointSelector: Endpoints.all(), rules: [VisibilityRule.egressHttp(8080)] });
  const [m] = synth(chart);
  expect(m.spec.enableDefaultDeny).toEqual({ egress: false });
  expect(m.spec.egress[0].toPorts[0].rules).toEqual({ http: [{}] });
});

test('on Cilium 1.15 visibility is the pod-template annotation, with a deprecation warning', () => {
  const chart = newChart('prod');
  const dep = deployment(chart);
  const v = new L7Visibility(chart, 'vis', {
    workload: dep,
    endpointSelector: Endpoints.withLabels({ app: 'web' }),
    ciliumVersion: CiliumVersion.V1_15,
    rules: [VisibilityRule.ingressHttp(80), VisibilityRule.egressDns(53)],
  });
  expect(v.mode).toBe(VisibilityMode.ANNOTATION);
  expect(v.warnings[0]).toContain('deprecated since Cilium 1.15');
  const [m] = synth(chart);
  expect(m.spec.template.metadata.annotations).toEqual({ 'policy.cilium.io/proxy-visibility': '<Ingress/80/TCP/HTTP>,<Egress/53/UDP/DNS>' });
  expect(m.spec.template.metadata.labels).toEqual({ app: 'web' });
});

test('existing template annotations are kept; a Pod is annotated in its metadata; no warning on 1.14', () => {
  const chart = newChart('prod');
  new L7Visibility(chart, 'vis', { workload: deployment(chart, true), ciliumVersion: CiliumVersion.V1_14, rules: [VisibilityRule.egressHttp(80)] });
  expect(synth(chart)[0].spec.template.metadata.annotations).toEqual({ 'a': 'b', 'policy.cilium.io/proxy-visibility': '<Egress/80/TCP/HTTP>' });
  const chart2 = newChart('prod');
  const pod = new ApiObject(chart2, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  const v = new L7Visibility(chart2, 'vis', { workload: pod, ciliumVersion: CiliumVersion.V1_14, rules: [VisibilityRule.ingressHttp(8080)] });
  expect(v.warnings).toEqual([]);
  expect(synth(chart2)[0].metadata.annotations).toEqual({ 'policy.cilium.io/proxy-visibility': '<Ingress/8080/TCP/HTTP>' });
});

test('bad visibility requests', () => {
  const chart = newChart('prod');
  expectError(() => new L7Visibility(chart, 'a', { workload: deployment(chart), rules: [VisibilityRule.ingressHttp(80)] }),
    'L7VisibilityProps.endpointSelector', 'is required', 'removed in Cilium 1.17');
  expectError(() => new L7Visibility(chart, 'b', { rules: [VisibilityRule.ingressHttp(80)], ciliumVersion: CiliumVersion.V1_15 }),
    'L7VisibilityProps.workload', 'is required on Cilium 1.15');
  expectError(() => new L7Visibility(chart, 'c', { rules: [] }), 'L7VisibilityProps.rules', 'is empty');
  expectError(() => new L7Visibility(chart, 'd', { endpointSelector: Endpoints.all(), rules: [VisibilityRule.egressDns(), VisibilityRule.egressDns(53)] }), 'listed twice');
  expectError(() => VisibilityRule.ingressHttp(70000), 'VisibilityRule(Ingress HTTP).port', '70000');
  const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  expectError(() => new L7Visibility(chart, 'e', { workload: cm, ciliumVersion: CiliumVersion.V1_14, rules: [VisibilityRule.ingressHttp(80)] }),
    'L7VisibilityProps.workload', 'v1/ConfigMap', 'has no pod template');
});

test('visibility rules can be narrowed to the peers already allowed', () => {
  const chart = newChart('prod');
  new L7Visibility(chart, 'vis', {
    endpointSelector: Endpoints.withLabels({ app: 'web' }),
    peers: [Endpoints.withLabels({ app: 'lb' })],
    rules: [VisibilityRule.ingressHttp(8080)],
  });
  expect(synth(chart)[0].spec.ingress).toEqual([{ fromEndpoints: [{ matchLabels: { app: 'lb' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{}] } }] }]);
  expectError(() => new L7Visibility(newChart('prod'), 'v', { endpointSelector: Endpoints.all(), peers: [], rules: [VisibilityRule.ingressHttp(80)] }),
    'L7VisibilityProps.peers', 'is empty');
});

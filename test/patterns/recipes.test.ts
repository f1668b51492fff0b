// One test per recipe of the "Kubernetes Network Policy Recipes" catalogue
// (github.com/ahmetb/kubernetes-network-policy-recipes): the YAML snapshot and the connectivity the
// recipe promises, checked with the analyser's jest matchers on a small cluster.
import { RECIPE_EXAMPLES } from '../../examples/patterns';
import { Lint } from '../../src';
import { withManifests } from '../../src/testing';
import { synth, toYaml } from '../util';
import { bareChart, coreDns, namespace, pod } from './fixtures';

function recipe(id: string): { chart: ReturnType<typeof bareChart>; manifests: any[] } {
  const chart = bareChart();
  Lint.enable(chart, { printWarnings: false });
  const r = RECIPE_EXAMPLES.find(x => x.id === id);
  if (!r) throw new Error(`no recipe ${id}`);
  r.build(chart);
  return { chart, manifests: synth(chart) };
}

const cluster = [
  namespace('default'),
  namespace('prod', { purpose: 'production' }),
  namespace('dev', { purpose: 'development' }),
  namespace('operations', { team: 'operations' }),
  ...coreDns(),
  pod('default', 'web', { app: 'web' }, [{ name: 'http', containerPort: 80 }]),
  pod('default', 'client', { app: 'client' }),
  pod('default', 'api', { app: 'bookstore', role: 'api' }, [{ containerPort: 8080 }]),
  pod('default', 'frontend', { app: 'bookstore', role: 'frontend' }),
  pod('default', 'coffee', { app: 'coffeeshop', role: 'api' }),
  pod('default', 'search', { app: 'bookstore', role: 'search' }),
  pod('default', 'db', { app: 'bookstore', role: 'db' }, [{ containerPort: 6379 }]),
  pod('default', 'inventory', { app: 'inventory', role: 'web' }),
  pod('default', 'apiserver', { app: 'apiserver' }, [{ containerPort: 5000 }, { containerPort: 8000 }]),
  pod('default', 'monitor', { role: 'monitoring' }),
  pod('default', 'foo', { app: 'foo' }),
  pod('prod', 'client', { app: 'client' }),
  pod('dev', 'client', { app: 'client' }),
  pod('operations', 'monitoring', { type: 'monitoring' }),
  pod('operations', 'other', { type: 'batch' }),
];

function on(manifests: any[]) {
  return withManifests(manifests, cluster);
}

test('every recipe of the catalogue is covered by a test below', () => {
  expect(RECIPE_EXAMPLES.map(r => r.id)).toEqual(['01', '02', '02a', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '14']);
});

test('recipe 01: deny all traffic to an application', () => {
  const { manifests } = recipe('01');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toDenyConnection({ from: 'default/client', to: 'default/web', port: 80 });
  expect(on(manifests)).toAllowConnection({ from: 'default/client', to: 'default/api', port: 8080 });
});

test('recipe 02: limit traffic to an application', () => {
  const { manifests } = recipe('02');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: 'default/frontend', to: 'default/api', port: 8080 });
  expect(on(manifests)).toDenyConnection({ from: 'default/coffee', to: 'default/api', port: 8080 });
  expect(on(manifests)).toDenyConnection({ from: 'prod/client', to: 'default/api', port: 8080 });
});

test('recipe 02a: allow all traffic to an application, next to a default deny', () => {
  const { manifests } = recipe('02a');
  const deny = recipe('03').manifests;
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on([...deny, ...manifests])).toAllowConnection({ from: 'dev/client', to: 'default/web', port: 80 });
  expect(on([...deny, ...manifests])).toAllowConnection({ from: '203.0.113.9', to: 'default/web', port: 80 });
  expect(on([...deny, ...manifests])).toDenyConnection({ from: 'default/client', to: 'default/db', port: 6379 });
});

test('recipe 03: deny all non-whitelisted traffic in the namespace', () => {
  const { manifests } = recipe('03');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toDenyConnection({ from: 'default/client', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'prod/client', to: 'default/db', port: 6379 });
  // Egress is not isolated: the namespace's pods still reach other namespaces.
  expect(on(manifests)).toAllowConnection({ from: 'default/client', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
});

test('recipe 04: deny traffic from other namespaces', () => {
  const { manifests } = recipe('04');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: 'default/client', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'prod/client', to: 'default/web', port: 80 });
});

test('recipe 05: allow traffic to an application from all namespaces', () => {
  const { manifests } = recipe('05');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: 'dev/client', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: '203.0.113.9', to: 'default/web', port: 80 });
});

test('recipe 06: allow traffic to an application from a namespace', () => {
  const { manifests } = recipe('06');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: 'prod/client', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'dev/client', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'default/client', to: 'default/web', port: 80 });
});

test('recipe 07: allow traffic from some pods in another namespace (one combined peer)', () => {
  const { manifests } = recipe('07');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(manifests[0].spec.ingress[0].from).toHaveLength(1);
  expect(on(manifests)).toAllowConnection({ from: 'operations/monitoring', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'operations/other', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'default/monitor', to: 'default/web', port: 80 });
});

test('recipe 08: allow external traffic', () => {
  const { manifests } = recipe('08');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: '203.0.113.9', to: 'default/web', port: 80 });
  expect(on(manifests)).toAllowConnection({ from: 'dev/client', to: 'default/web', port: 80 });
});

test('recipe 09: allow traffic only to a port of an application', () => {
  const { manifests } = recipe('09');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: 'default/monitor', to: 'default/apiserver', port: 5000 });
  expect(on(manifests)).toDenyConnection({ from: 'default/monitor', to: 'default/apiserver', port: 8000 });
  expect(on(manifests)).toDenyConnection({ from: 'default/client', to: 'default/apiserver', port: 5000 });
});

test('recipe 10: allow traffic from applications using multiple selectors', () => {
  const { manifests } = recipe('10');
  expect(toYaml(manifests)).toMatchSnapshot();
  for (const from of ['default/search', 'default/api', 'default/inventory']) {
    expect(on(manifests)).toAllowConnection({ from, to: 'default/db', port: 6379 });
  }
  expect(on(manifests)).toDenyConnection({ from: 'default/frontend', to: 'default/db', port: 6379 });
});

test('recipe 11: deny egress from an application, keeping DNS', () => {
  const { manifests } = recipe('11');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: 'default/foo', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  expect(on(manifests)).toDenyConnection({ from: 'default/foo', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'default/foo', to: '198.51.100.7', port: 443 });
  expect(on(manifests)).toAllowConnection({ from: 'default/client', to: 'default/web', port: 80 });
});

test('recipe 12: deny all non-whitelisted egress in the namespace (NP001 silenced with a reason)', () => {
  const { chart, manifests } = recipe('12');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toDenyConnection({ from: 'default/client', to: 'default/web', port: 80 });
  expect(on(manifests)).toDenyConnection({ from: 'default/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  expect(Lint.of(chart)!.suppressed.map(f => f.checkId)).toEqual(['NP001']);
  expect(Lint.of(chart)!.findings).toEqual([]);
});

test('recipe 14: deny external egress', () => {
  const { manifests } = recipe('14');
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(on(manifests)).toAllowConnection({ from: 'default/foo', to: 'default/web', port: 80 });
  expect(on(manifests)).toAllowConnection({ from: 'default/foo', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  expect(on(manifests)).toDenyConnection({ from: 'default/foo', to: '198.51.100.7', port: 443 });
});

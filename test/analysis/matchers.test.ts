import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { deploy } from './helpers';
import { withManifests } from '../../src/testing';

function shopChart(): Chart {
  const chart = Testing.chart();
  new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  new ApiObject(chart, 'api-policy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 9090 }] }],
    },
  } as any);
  return chart;
}

const workloads = [deploy('shop', 'web', { app: 'web' }), deploy('shop', 'api', { app: 'api' }, [{ containerPort: 9090 }]), deploy('shop', 'db', { app: 'db' })];

describe('jest matchers on cdk8s charts', () => {
  test('toAllowConnection / .not with extra workload manifests', () => {
    const chart = shopChart();
    expect(chart).toAllowConnection({ from: 'shop/web', to: 'shop/api', port: 9090, manifests: workloads });
    expect(chart).not.toAllowConnection({ from: 'shop/db', to: 'shop/api', port: 9090, manifests: workloads });
    expect(withManifests(chart, workloads)).toDenyConnection({ from: 'shop/web', to: 'shop/api', port: 22 });
  });

  test('the failure message explains which rule decided', () => {
    const chart = shopChart();
    expect(() => expect(withManifests(chart, workloads)).toAllowConnection({ from: 'shop/db', to: 'shop/api', port: 9090 }))
      .toThrow(/to be allowed, but it is not: denied on ingress of shop\/api\[Deployment\]: isolated by NetworkPolicy shop\/api and no rule allows it/);
    expect(() => expect(withManifests(chart, workloads)).not.toAllowConnection({ from: 'shop/web', to: 'shop/api', port: 9090 }))
      .toThrow(/NOT to be allowed, but it is: allowed by NetworkPolicy shop\/api ingress rule #1/);
  });

  test('works on an App with several charts and on manifest arrays', () => {
    const app = new App();
    const c1 = new Chart(app, 'policies');
    new ApiObject(c1, 'deny', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {} } } as any);
    const c2 = new Chart(app, 'workloads');
    for (const w of workloads) new ApiObject(c2, w.metadata.name, w);
    expect(app).toDenyConnection({ from: 'shop/web', to: 'shop/db' });
    expect(workloads).toAllowConnection({ from: 'shop/web', to: 'shop/db' });
  });

  test('toHaveConnections compares the whole connlist', () => {
    const chart = shopChart();
    const expected = [
      '0.0.0.0-255.255.255.255[External] => shop/db[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255[External] => shop/web[Deployment] : All Connections',
      'shop/api[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/api[Deployment] => shop/db[Deployment] : All Connections',
      'shop/api[Deployment] => shop/web[Deployment] : All Connections',
      'shop/db[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/db[Deployment] => shop/web[Deployment] : All Connections',
      'shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/web[Deployment] => shop/api[Deployment] : TCP 9090',
      'shop/web[Deployment] => shop/db[Deployment] : All Connections',
    ];
    expect(withManifests(chart, workloads)).toHaveConnections(expected);
    expect(() => expect(withManifests(chart, workloads)).toHaveConnections(expected.slice(1))).toThrow(/\+ unexpected: 0\.0\.0\.0/);
  });

  test('toHaveConnections takes asymmetric matchers over the lines', () => {
    const chart = shopChart();
    expect(withManifests(chart, workloads)).toHaveConnections(expect.arrayContaining(['shop/web[Deployment] => shop/api[Deployment] : TCP 9090']));
    expect(withManifests(chart, workloads)).not.toHaveConnections(expect.arrayContaining(['shop/db[Deployment] => shop/api[Deployment] : TCP 9090']));
    expect(() => expect(withManifests(chart, workloads)).toHaveConnections(expect.arrayContaining(['shop/db[Deployment] => shop/api[Deployment] : TCP 9090'])))
      .toThrow(/expected the connections to match ArrayContaining[\s\S]*shop\/web\[Deployment\] => shop\/api\[Deployment\] : TCP 9090/);
    expect(() => expect(chart).toHaveConnections('shop/web => shop/api' as any))
      .toThrow('toHaveConnections: expected connlist lines (an array of strings');
  });

  test('a policy added to the same chart after an expectation is seen by the next one', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    for (const w of workloads) new ApiObject(chart, w.metadata.name, w);
    expect(app).toAllowConnection({ from: 'shop/web', to: 'shop/db' });
    new ApiObject(chart, 'deny-all', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'shop' }, spec: { podSelector: {} } } as any);
    expect(app).toDenyConnection({ from: 'shop/web', to: 'shop/db' });
    expect(chart).toDenyConnection({ from: 'shop/web', to: 'shop/db' });
  });

  test('analysis options with the manifests: NetworkPolicies as Cilium enforces them', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'p', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }] }] },
    } as any);
    expect(withManifests(chart, workloads)).toDenyConnection({ from: '8.8.8.8', to: 'shop/api' });
    expect(withManifests(chart, workloads, { cni: 'cilium@1.18' })).toAllowConnection({ from: '8.8.8.8', to: 'shop/api' });
  });
});

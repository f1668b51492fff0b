// A policy written from cdk8s-plus workloads (Pods.of, Endpoints.of, Port.namedOf) allows exactly
// what it says, as the analyser reads the synthesised chart (ConnectivityAnalysis.fromChart).
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CiliumNetworkPolicy, ConnectivityAnalysis, Endpoints, NetworkPolicy, NetworkPolicyPatterns, Pods, Port } from '../../src';

function shop() {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const front = new Chart(app, 'front', { namespace: 'front' });
  const db = new kplus.Deployment(chart, 'db', { containers: [{ image: 'postgres', ports: [{ number: 5432, name: 'pg' }, { number: 9187, name: 'metrics' }] }] });
  const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', ports: [{ number: 8080, name: 'http' }] }] });
  const batch = new kplus.Deployment(chart, 'batch', { containers: [{ image: 'batch' }] });
  const web = new kplus.Deployment(front, 'web', { containers: [{ image: 'web', ports: [{ number: 80, name: 'http' }] }] });
  return { app, chart, front, db, api, batch, web };
}

const id = (d: kplus.Deployment) => `${d.metadata.namespace}/${d.name}`;

describe('ConnectivityAnalysis of a NetworkPolicy built from cdk8s-plus Deployments', () => {
  test('db accepts api (same namespace) and web (other namespace) on the named port only, nothing else', () => {
    const { app, chart, db, api, batch, web } = shop();
    const np = new NetworkPolicy(chart, 'db-ingress', { podSelector: Pods.of(db) });
    np.allowFrom(Pods.of(api), Pods.of(web)).toPorts(Port.namedOf(db, 'pg'));
    const analysis = ConnectivityAnalysis.fromChart(app);
    expect(analysis.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    const to = id(db);
    expect(analysis.isAllowed({ from: id(api), to, port: 5432 }).allowed).toBe(true);
    expect(analysis.isAllowed({ from: id(web), to, port: 5432 }).allowed).toBe(true);
    // The named port is pg only: the metrics port of the same pods stays closed.
    expect(analysis.isAllowed({ from: id(api), to, port: 9187 }).allowed).toBe(false);
    expect(analysis.isAllowed({ from: id(api), to, port: 5432, protocol: 'UDP' }).allowed).toBe(false);
    // Pods not named stay out, in the policy's namespace and elsewhere.
    expect(analysis.isAllowed({ from: id(batch), to, port: 5432 }).allowed).toBe(false);
    // The other workloads are not isolated.
    expect(analysis.isAllowed({ from: id(batch), to: id(api), port: 8080 }).allowed).toBe(true);
    const dbLines = analysis.toText().split('\n').filter(l => l.includes(`=> ${to}[Deployment]`));
    expect(dbLines).toEqual([
      `${id(api)}[Deployment] => ${to}[Deployment] : TCP 5432`,
      `${id(web)}[Deployment] => ${to}[Deployment] : TCP 5432`,
    ].sort());
  });

  test('egress from web to api by workload: only api on its http port; DNS through the pattern', () => {
    const { app, front, api, db, web } = shop();
    const np = new NetworkPolicy(front, 'web-egress', { podSelector: Pods.of(web) });
    np.allowTo(Pods.of(api)).toPorts(Port.namedOf(api, 'http'));
    NetworkPolicyPatterns.allowDnsEgress(front, 'dns', { podSelector: Pods.of(web) });
    const analysis = ConnectivityAnalysis.fromChart(app);
    expect(analysis.isAllowed({ from: id(web), to: id(api), port: 8080 }).allowed).toBe(true);
    expect(analysis.isAllowed({ from: id(web), to: id(api), port: 8081 }).allowed).toBe(false);
    expect(analysis.isAllowed({ from: id(web), to: id(db), port: 5432 }).allowed).toBe(false);
  });

  test('the same with a CiliumNetworkPolicy (Endpoints.of)', () => {
    const { app, chart, db, api, batch, web } = shop();
    const cnp = new CiliumNetworkPolicy(chart, 'db-cnp', { endpointSelector: Endpoints.of(db) });
    cnp.allowFrom(Endpoints.of(api), Endpoints.of(web)).toPorts(Port.namedOf(db, 'pg'));
    const analysis = ConnectivityAnalysis.fromChart(app);
    expect(analysis.isAllowed({ from: id(api), to: id(db), port: 5432 }).allowed).toBe(true);
    expect(analysis.isAllowed({ from: id(web), to: id(db), port: 5432 }).allowed).toBe(true);
    expect(analysis.isAllowed({ from: id(api), to: id(db), port: 9187 }).allowed).toBe(false);
    expect(analysis.isAllowed({ from: id(batch), to: id(db), port: 5432 }).allowed).toBe(false);
  });
});

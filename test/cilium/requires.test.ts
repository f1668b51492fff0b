/**
 * fromRequires / toRequires: Cilium adds the requirements to the endpoint selectors of every rule
 * of the direction of every policy selecting the endpoints (pkg/policy/rules.go
 * resolveL4IngressPolicy), and to nothing else.
 */
import { ApiObject } from 'cdk8s';
import { CiliumNetworkPolicy, CiliumVersion, Cidr, Endpoints, Entity } from '../../src';
import { ConnectivityAnalysis } from '../../src/analysis';
import { expectError, newChart, synth } from '../util';

const db = () => Endpoints.withLabels({ app: 'db' });
const prod = () => Endpoints.withLabels({ env: 'prod' });

function policy(chart = newChart('shop')) {
  return { chart, p: new CiliumNetworkPolicy(chart, 'p', { endpointSelector: db(), ciliumVersion: CiliumVersion.V1_18 }) };
}

function workloads(chart: ReturnType<typeof newChart>) {
  const deploy = (name: string, labels: Record<string, string>) => new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  deploy('db', { app: 'db' });
  deploy('web-prod', { app: 'web', env: 'prod' });
  deploy('web-dev', { app: 'web', env: 'dev' });
}

describe('requires() narrows only Endpoints peers, so it is refused on any other', () => {
  test.each([
    ['an entity', () => Entity.WORLD, 'is on a rule with the Entities peer {"entity":"world"}'],
    ['a CIDR', () => Cidr.of('10.0.0.0/8'), 'is on a rule with the CIDR peer {"cidr":"10.0.0.0/8"}'],
  ])('on a rule with %s peer: an error naming the fix', (_what, peer, problem) => {
    const { p } = policy();
    expectError(() => p.allowFrom(Endpoints.all(), peer()).requires(prod()),
      'spec.ingress[0].fromRequires', problem, 'which Cilium does not narrow', 'put the Endpoints peers in a rule of their own', 'requireFrom(...)');
  });

  test('on a rule of Endpoints peers it is written and narrows them', () => {
    const { chart, p } = policy();
    workloads(chart);
    p.allowFrom(Endpoints.withLabels({ app: 'web' })).requires(prod());
    const manifests = synth(chart);
    const cnp = manifests.find((m) => m.kind === 'CiliumNetworkPolicy');
    expect(cnp.spec.ingress).toEqual([{ fromEndpoints: [{ matchLabels: { app: 'web' } }], fromRequires: [{ matchLabels: { env: 'prod' } }] }]);
    const a = ConnectivityAnalysis.fromManifests(manifests);
    expect(a.isAllowed({ from: 'shop/web-prod', to: 'shop/db' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web-dev', to: 'shop/db' }).allowed).toBe(false);
  });
});

describe('requireFrom / requireTo: a rule of only requirements', () => {
  test('writes a fromRequires-only rule that narrows the Endpoints peers of the other rules, not the entity ones', () => {
    const { chart, p } = policy();
    workloads(chart);
    p.allowFrom(Endpoints.withLabels({ app: 'web' }));
    p.allowFrom(Entity.WORLD).toPort(5432);
    p.requireFrom(prod());
    const manifests = synth(chart);
    const cnp = manifests.find((m) => m.kind === 'CiliumNetworkPolicy');
    expect(cnp.spec.ingress).toEqual([
      { fromEndpoints: [{ matchLabels: { app: 'web' } }] },
      { fromEntities: ['world'], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
      { fromRequires: [{ matchLabels: { env: 'prod' } }] },
    ]);
    const a = ConnectivityAnalysis.fromManifests(manifests);
    expect(a.isAllowed({ from: 'shop/web-prod', to: 'shop/db' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web-dev', to: 'shop/db' }).allowed).toBe(false);
    expect(a.isAllowed({ from: '8.8.8.8', to: 'shop/db', port: 5432 }).allowed).toBe(true);
  });

  test('alone it allows nothing and puts the endpoints in ingress default deny', () => {
    const { chart, p } = policy();
    workloads(chart);
    p.requireFrom(prod());
    const a = ConnectivityAnalysis.fromManifests(synth(chart));
    expect(a.isAllowed({ from: 'shop/web-prod', to: 'shop/db' }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'shop/db', to: 'shop/web-prod' }).allowed).toBe(true);
  });

  test('requireTo writes toRequires; both are refused where Cilium removed them (1.19) and need a selector', () => {
    const { chart, p } = policy();
    p.allowTo(Endpoints.all());
    p.requireTo(prod());
    const cnp = synth(chart).find((m) => m.kind === 'CiliumNetworkPolicy');
    expect(cnp.spec.egress).toEqual([{ toEndpoints: [{}] }, { toRequires: [{ matchLabels: { env: 'prod' } }] }]);
    const v19 = new CiliumNetworkPolicy(newChart('shop'), 'p', { endpointSelector: db(), ciliumVersion: CiliumVersion.V1_19 });
    expectError(() => v19.requireFrom(prod()), 'fromRequires', '1.19');
    expectError(() => policy().p.requireTo(), 'spec.egress[0].toRequires', 'is empty');
  });
});

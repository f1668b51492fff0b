// Endpoints.of(workload) and Port.namedOf in CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy.
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, Endpoints, Fqdn, Port, Protocol } from '../../src';
import { expectError, synth, toYaml } from '../util';

const ADDR = 'cdk8s.io/metadata.addr';
const NS = 'k8s:io.kubernetes.pod.namespace';

function app() {
  const a = Testing.app();
  return { app: a, shop: new Chart(a, 'shop', { namespace: 'shop' }), front: new Chart(a, 'front', { namespace: 'front' }) };
}

const cilium = (chart: Chart) => synth(chart).filter(m => m.apiVersion === 'cilium.io/v2');

function deployment(scope: Construct, id: string, labels: Record<string, string>, ports: any[] = []): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x', ports }] } } },
  });
}

describe('Endpoints.of in a CiliumNetworkPolicy', () => {
  test('subject and peers: the workload\'s selector; another namespace is named with k8s:io.kubernetes.pod.namespace', () => {
    const { shop, front } = app();
    const db = new kplus.Deployment(shop, 'db', { containers: [{ image: 'postgres', ports: [{ number: 5432, name: 'pg' }] }] });
    const api = new kplus.Deployment(shop, 'api', { containers: [{ image: 'api' }] });
    const web = new kplus.Deployment(front, 'web', { containers: [{ image: 'web' }] });
    const cnp = new CiliumNetworkPolicy(shop, 'db-cnp', { metadata: { name: 'db' }, endpointSelector: Endpoints.of(db) });
    cnp.allowFrom(Endpoints.of(api), Endpoints.of(web)).toPorts(Port.namedOf(db, 'pg'));
    const [m] = cilium(shop);
    expect(m.spec.endpointSelector).toEqual({ matchLabels: { [ADDR]: db.matchLabels[ADDR] } });
    expect(m.spec.ingress).toEqual([{
      fromEndpoints: [
        { matchLabels: { [ADDR]: api.matchLabels[ADDR] } },
        { matchLabels: { [ADDR]: web.matchLabels[ADDR], [NS]: 'front' } },
      ],
      toPorts: [{ ports: [{ port: 'pg', protocol: 'TCP' }] }],
    }]);
    expect(toYaml([m])).toMatchSnapshot();
  });

  test('read at synth: labels added after the call count', () => {
    const { shop } = app();
    const pod = new ApiObject(shop, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const cnp = new CiliumNetworkPolicy(shop, 'cnp', { endpointSelector: Endpoints.withLabels({ app: 'db' }) });
    cnp.allowTo(Endpoints.of(pod));
    pod.metadata.addLabel('tier', 'web');
    expect(cilium(shop)[0].spec.egress[0].toEndpoints).toEqual([{ matchLabels: { app: 'x', tier: 'web' } }]);
  });

  test('as the dnsServer of the added FQDN DNS rule', () => {
    const { shop } = app();
    const dns = deployment(shop, 'coredns', { app: 'coredns' });
    const cnp = new CiliumNetworkPolicy(shop, 'cnp', { endpointSelector: Endpoints.withLabels({ app: 'web' }), dnsServer: Endpoints.of(dns) });
    cnp.allowTo(Fqdn.named('example.com')).toPort(443);
    const egress = cilium(shop)[0].spec.egress;
    expect(egress[1].toEndpoints).toEqual([{ matchLabels: { app: 'coredns' } }]);
  });

  test('the subject must be in the policy\'s namespace', () => {
    const { shop, front } = app();
    const web = deployment(front, 'web', { app: 'web' });
    new CiliumNetworkPolicy(shop, 'cnp', { endpointSelector: Endpoints.of(web) }).denyAllIngress();
    expectError(() => Testing.synth(shop), '.spec.endpointSelector', 'Deployment front/web is in namespace "front", but the policy is in namespace "shop"');
  });

  test('scoping is the workload\'s: inNamespace() and friends are errors', () => {
    const { shop } = app();
    const web = deployment(shop, 'web', { app: 'web' });
    expectError(() => Endpoints.of(web).inNamespace('x'), 'Endpoints.inNamespaces', 'whose namespace is the workload\'s own');
    expectError(() => Endpoints.of(web).inAnyNamespace(), 'Endpoints.inAnyNamespace', 'whose namespace is the workload\'s own');
    expect(Endpoints.of(web).isNamespaceScoped).toBe(false);
    expect(Endpoints.of(web).isWorkload).toBe(true);
    expect(Endpoints.of(web).toString()).toBe('endpoints(of Deployment shop/web)');
  });

  test('a selector on a label Cilium leaves out of the identity fails at synth: it would match no endpoint', () => {
    const { shop } = app();
    const one = deployment(shop, 'one', { 'app': 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' });
    new CiliumNetworkPolicy(shop, 'cnp', { endpointSelector: Endpoints.withLabels({ app: 'web' }) }).allowTo(Endpoints.of(one));
    expectError(() => Testing.synth(shop), '.egress[0].to[0]', '"statefulset.kubernetes.io/pod-name" is a label of Deployment shop/one\'s selector that Cilium\'s default label filter leaves out');
  });

  test('a workload peer equal to another peer of the rule fails at synth', () => {
    const { shop } = app();
    const web = deployment(shop, 'web', { app: 'web' });
    new CiliumNetworkPolicy(shop, 'cnp', { endpointSelector: Endpoints.withLabels({ app: 'db' }) }).allowFrom(Endpoints.of(web), Endpoints.withLabels({ app: 'web' }));
    expectError(() => Testing.synth(shop), '.ingress[0].from[1]', 'selects the same endpoints as peer 0');
  });
});

describe('Endpoints.of in a CiliumClusterwideNetworkPolicy', () => {
  test('subject and peers always name the workload\'s namespace', () => {
    const { shop, front } = app();
    const db = deployment(shop, 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]);
    const web = deployment(front, 'web', { app: 'web' });
    const ccnp = new CiliumClusterwideNetworkPolicy(shop, 'ccnp', { endpointSelector: Endpoints.of(db) });
    ccnp.allowFrom(Endpoints.of(web)).toPorts(Port.namedOf(db, 'pg', Protocol.ANY));
    const [m] = cilium(shop);
    expect(m.metadata.namespace).toBeUndefined();
    expect(m.spec.endpointSelector).toEqual({ matchLabels: { app: 'db', [NS]: 'shop' } });
    expect(m.spec.ingress[0].fromEndpoints).toEqual([{ matchLabels: { app: 'web', [NS]: 'front' } }]);
    expect(m.spec.ingress[0].toPorts).toEqual([{ ports: [{ port: 'pg', protocol: 'ANY' }] }]);
  });

  test('a workload without a namespace cannot be placed', () => {
    const a = Testing.app();
    const plain = new Chart(a, 'plain');
    const web = deployment(plain, 'web', { app: 'web' });
    new CiliumClusterwideNetworkPolicy(plain, 'ccnp', { endpointSelector: Endpoints.all() }).allowFrom(Endpoints.of(web));
    expectError(() => Testing.synth(plain), 'Deployment web has no namespace, and a cluster-scoped policy must name the namespace of its pods');
  });
});

describe('Port.namedOf in Cilium rules', () => {
  test('an undeclared name fails at synth', () => {
    const { shop } = app();
    const db = deployment(shop, 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]);
    new CiliumNetworkPolicy(shop, 'cnp', { endpointSelector: Endpoints.of(db) }).allowFrom(Endpoints.all()).toPorts(Port.namedOf(db, 'metrics'));
    expectError(() => Testing.synth(shop), '.ingress[0].toPorts[0].ports[0]', 'declares no container port named "metrics"', 'pg (TCP/5432)');
  });

  test('ANY matches a port of any protocol', () => {
    const { shop } = app();
    const dns = deployment(shop, 'dns', { app: 'dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }]);
    new CiliumNetworkPolicy(shop, 'cnp', { endpointSelector: Endpoints.all() }).allowTo(Endpoints.of(dns)).toPorts(Port.namedOf(dns, 'dns', Protocol.ANY));
    expect(cilium(shop)[0].spec.egress[0].toPorts).toEqual([{ ports: [{ port: 'dns', protocol: 'ANY' }] }]);
  });
});

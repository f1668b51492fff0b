import { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, Cidr, Endpoints, Entity, Fqdn, L7Http, Nodes, Port } from '../../src';
import { newChart, synth, toYaml } from '../util';

// The API example, including the canonical L7 example of the Cilium docs
// ("Layer 7 Examples": GET /api, PUT /version with header X-some-header: true).
test('the issue example synthesises the documented L7 policy, FQDN with its DNS rule, deny, and a host policy', () => {
  const chart = newChart('default');
  const cnp = new CiliumNetworkPolicy(chart, 'l7policy', {
    metadata: { name: 'l7-rule' },
    endpointSelector: Endpoints.withLabels({ app: 'hello-world' }),
  });
  cnp.allowFrom(Entity.WORLD).toPort(80).withHttp(L7Http.get('/api'), L7Http.put('/version').withHeader('X-some-header', 'true'));
  cnp.allowTo(Fqdn.pattern('*.example.com')).toPort(443);
  cnp.denyTo(Cidr.of('169.254.169.254/32'));
  new CiliumClusterwideNetworkPolicy(chart, 'nodes', { metadata: { name: 'nodes' }, nodeSelector: Nodes.withLabels({ role: 'worker' }) })
    .allowFrom(Entity.CLUSTER).toPorts(Port.tcp(10250));

  const manifests = synth(chart);
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(manifests).toHaveLength(2);
  expect(manifests[0].apiVersion).toBe('cilium.io/v2');
  expect(manifests[0].kind).toBe('CiliumNetworkPolicy');
  expect(manifests[0].metadata).toEqual({ name: 'l7-rule', namespace: 'default' });
  expect(manifests[0].spec).toEqual({
    endpointSelector: { matchLabels: { app: 'hello-world' } },
    ingress: [{
      fromEntities: ['world'],
      toPorts: [{
        ports: [{ port: '80', protocol: 'TCP' }],
        rules: { http: [{ method: 'GET', path: '/api' }, { method: 'PUT', path: '/version', headers: ['X-some-header: true'] }] },
      }],
    }],
    egress: [
      { toFQDNs: [{ matchPattern: '*.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      {
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
      },
    ],
    egressDeny: [{ toCIDR: ['169.254.169.254/32'] }],
  });
  expect(manifests[1]).toEqual({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumClusterwideNetworkPolicy',
    metadata: { name: 'nodes' },
    spec: {
      nodeSelector: { matchLabels: { role: 'worker' } },
      ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '10250', protocol: 'TCP' }] }] }],
    },
  });
});

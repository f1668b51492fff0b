import { IpBlock, Namespaces, NetworkPolicy, Pods } from '../../src';
import { newChart, synth, toYaml } from '../util';

// The example of the Kubernetes documentation ("The NetworkPolicy resource"), written with the library.
test('canonical NetworkPolicy example synthesises the documented manifest', () => {
  const chart = newChart();
  const np = new NetworkPolicy(chart, 'test-np', {
    metadata: { name: 'test-network-policy', namespace: 'default' },
    podSelector: Pods.withLabels({ role: 'db' }),
  });
  np.allowFrom(
    IpBlock.cidr('172.17.0.0/16', ['172.17.1.0/24']),
    Namespaces.withLabels({ project: 'myproject' }),
    Pods.withLabels({ role: 'frontend' }),
  ).toPort(6379);
  np.allowTo(IpBlock.cidr('10.0.0.0/24')).toPort(5978);

  const manifests = synth(chart);
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(manifests).toHaveLength(1);
  expect(manifests[0].spec).toEqual({
    podSelector: { matchLabels: { role: 'db' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{
      from: [
        { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
        { namespaceSelector: { matchLabels: { project: 'myproject' } } },
        { podSelector: { matchLabels: { role: 'frontend' } } },
      ],
      ports: [{ protocol: 'TCP', port: 6379 }],
    }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
  });
});

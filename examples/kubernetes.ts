// Kubernetes NetworkPolicy examples.
import { App, Chart } from 'cdk8s';
import { IpBlock, Namespaces, NetworkPolicy, Pods } from '../src';

export function kubernetesExamples(app: App): void {
  // Kubernetes documentation's NetworkPolicy example.
  const kube = new Chart(app, 'kubernetes-networkpolicy', { namespace: 'default' });
  const np = new NetworkPolicy(kube, 'test-np', {
    metadata: { name: 'test-network-policy' },
    podSelector: Pods.withLabels({ role: 'db' }),
  });
  np.allowFrom(
    IpBlock.cidr('172.17.0.0/16', ['172.17.1.0/24']),
    Namespaces.withLabels({ project: 'myproject' }),
    Pods.withLabels({ role: 'frontend' }),
  ).toPort(6379);
  np.allowTo(IpBlock.cidr('10.0.0.0/24')).toPort(5978);
}

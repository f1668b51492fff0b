// Kubernetes NetworkPolicy examples.
import { App, Chart } from 'cdk8s';
import { IpBlock, LabelExpression, LabelSelector, Namespaces, NetworkPolicy, Pods, Port, Protocol } from '../src';

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

  // A namespace baseline: deny everything, then allow DNS to kube-dns for every pod.
  const shop = new Chart(app, 'kubernetes-shop', { namespace: 'shop' });
  const deny = new NetworkPolicy(shop, 'default-deny', { metadata: { name: 'default-deny' }, podSelector: Pods.all() });
  deny.denyAllIngress();
  deny.denyAllEgress();

  const dns = new NetworkPolicy(shop, 'allow-dns', { metadata: { name: 'allow-dns' }, podSelector: Pods.all() });
  dns.allowTo(Pods.withLabels({ 'k8s-app': 'kube-dns' }).inNamespace('kube-system')).toPorts(Port.udp(53), Port.tcp(53));

  // The storefront: HTTPS from anywhere, metrics scraped by Prometheus, its database and
  // payment provider reachable, nothing else.
  const web = new NetworkPolicy(shop, 'storefront', {
    metadata: { name: 'storefront' },
    podSelector: Pods.matching(LabelSelector.of({
      matchLabels: { app: 'storefront' },
      matchExpressions: [LabelExpression.notIn('track', ['canary'])],
    })),
  });
  web.allowFromAnywhere().toPort(8443);
  web.allowFrom(Pods.withLabels({ 'app.kubernetes.io/name': 'prometheus' }).inNamespaces(Namespaces.named('monitoring')))
    .toPorts(Port.named('metrics'));
  web.allowTo(Pods.withLabels({ app: 'postgres' })).toPort(5432);
  web.allowTo(IpBlock.cidr('203.0.113.0/24'), IpBlock.cidr('2001:db8:100::/48')).toPorts(Port.tcp(443));
  web.allowTo(Namespaces.named('media')).toPorts(Port.tcpRange(30000, 30100), Port.of(Protocol.UDP, 3478));
}

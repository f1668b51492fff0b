// Cilium policy examples (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, L7 visibility).
import { App, Chart } from 'cdk8s';
import {
  CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, Cidr, Endpoints, Entity, Fqdn, Icmp, L7Dns, L7Http, L7Visibility, Nodes,
  Port, VisibilityRule,
} from '../src';

export function ciliumExamples(app: App): void {
  const chart = new Chart(app, 'cilium-policies', { namespace: 'default' });

  // The Cilium docs' L7 example: GET /api and PUT /version with a header, from outside the cluster.
  const cnp = new CiliumNetworkPolicy(chart, 'l7policy', {
    metadata: { name: 'l7-rule' },
    endpointSelector: Endpoints.withLabels({ app: 'hello-world' }),
    description: 'hello-world: public API, example.com egress, no cloud metadata',
    log: 'hello-world',
  });
  cnp.allowFrom(Entity.WORLD).toPort(80).withHttp(L7Http.get('/api'), L7Http.put('/version').withHeader('X-some-header', 'true'));
  // toFQDNs: the DNS proxy rule to kube-dns is added automatically (FqdnDnsRule.ADD).
  cnp.allowTo(Fqdn.pattern('*.example.com')).toPort(443);
  cnp.denyTo(Cidr.of('169.254.169.254/32'));

  // Pods of the frontend namespace may call the API; pings from the cluster are allowed.
  const api = new CiliumNetworkPolicy(chart, 'api', {
    metadata: { name: 'api' },
    endpointSelector: Endpoints.withLabels({ app: 'api' }),
  });
  api.allowFrom(Endpoints.withLabels({ app: 'frontend' }).inNamespace('frontend')).toPort(8080).withHttp(L7Http.method('GET|HEAD', '/v1/.*'));
  api.allowFrom(Entity.CLUSTER).toIcmp(Icmp.ipv4Named('EchoRequest'), Icmp.ipv6Named('EchoRequest'));
  api.allowTo(Endpoints.withLabels({ 'k8s-app': 'kube-dns' }).inNamespace('kube-system')).toPorts(Port.any(53)).withDns(L7Dns.pattern('*.svc.cluster.local'));

  // A host policy for the kubelet port of worker nodes.
  new CiliumClusterwideNetworkPolicy(chart, 'nodes', {
    metadata: { name: 'worker-kubelet' },
    nodeSelector: Nodes.withLabels({ role: 'worker' }),
  }).allowFrom(Entity.CLUSTER).toPorts(Port.tcp(10250));

  // HTTP and DNS visibility for the web pods, without ever dropping traffic.
  new L7Visibility(chart, 'web-visibility', {
    metadata: { name: 'web-visibility' },
    endpointSelector: Endpoints.withLabels({ app: 'web' }),
    rules: [VisibilityRule.ingressHttp(80), VisibilityRule.egressDns()],
  });
}

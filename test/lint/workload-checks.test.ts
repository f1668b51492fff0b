// Workload-aware checks: they run only when workloads are among the manifests.
import { DNS_EGRESS, np, only } from './helpers';
import { Linter } from '../../src';
import { namespace, pod } from '../patterns/fixtures';

const workloads = [
  namespace('shop'),
  namespace('ops', { team: 'ops' }),
  pod('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
  pod('shop', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]),
  pod('ops', 'prometheus', { app: 'prometheus' }),
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'grpc', containerPort: 9000 }] }] } } },
  },
];

describe('NP005 selects-no-workload', () => {
  test('a podSelector matching no given workload of its namespace triggers', () => {
    const f = Linter.lintManifests([...workloads, np('p', { podSelector: { matchLabels: { app: 'wbe' } }, ingress: [{}] })]).findings.filter(x => x.checkId === 'NP005');
    expect(f.map(x => x.field)).toEqual(['spec.podSelector']);
    expect(f[0].message).toContain('shop/web[Pod]');
  });

  test('a matching selector (Deployment pod template labels too) does not; without workloads the check does not run', () => {
    expect(only('NP005', [...workloads, np('p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{}] })])).toEqual([]);
    expect(only('NP005', [np('p', { podSelector: { matchLabels: { app: 'wbe' } }, ingress: [{}] })])).toEqual([]);
  });

  test('a namespace with no given workload is not judged', () => {
    expect(only('NP005', [...workloads, np('p', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{}] }, { namespace: 'elsewhere' })])).toEqual([]);
  });
});

describe('NP006 peer-matches-nothing', () => {
  test('a pod peer that matches nothing in the policy namespace triggers (the peer lives elsewhere)', () => {
    const f = Linter.lintManifests([...workloads, np('p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'prometheus' } } }] }] })])
      .findings.filter(x => x.checkId === 'NP006');
    expect(f.map(x => x.field)).toEqual(['spec.ingress[0].from[0]']);
    expect(f[0].message).toContain('only looks in namespace shop');
  });

  test('the same pods with their namespace selector match; ipBlock peers are not judged', () => {
    expect(only('NP006', [...workloads, np('p', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'prometheus' } }, namespaceSelector: { matchLabels: { team: 'ops' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }],
    })])).toEqual([]);
  });
});

describe('NP006: only peers in namespaces whose workloads are given are judged', () => {
  const egressTo = (to: any) => np('p', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [to] }] });
  const kubeDns = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };

  test('the cluster DNS in kube-system, of which no workload is given, is not judged', () => {
    expect(only('NP006', [...workloads, egressTo(kubeDns)])).toEqual([]);
  });

  test('once a workload of kube-system is given, a peer there that matches nothing is judged', () => {
    const coredns = pod('kube-system', 'coredns-1', { 'k8s-app': 'coredns' });
    expect(only('NP006', [...workloads, coredns, egressTo(kubeDns)])).toEqual(['NP006 spec.egress[0].to[0]']);
    expect(only('NP006', [...workloads, pod('kube-system', 'dns-1', { 'k8s-app': 'kube-dns' }), egressTo(kubeDns)])).toEqual([]);
  });

  test('a namespace selector on labels no given namespace carries is not judged; one a given namespace carries is', () => {
    const peer = (team: string) => ({ namespaceSelector: { matchLabels: { team } }, podSelector: { matchLabels: { app: 'nothing' } } });
    expect(only('NP006', [...workloads, egressTo(peer('payments'))])).toEqual([]);
    expect(only('NP006', [...workloads, egressTo(peer('ops'))])).toEqual(['NP006 spec.egress[0].to[0]']);
  });

  test('Cilium: a peer naming a namespace without given workloads is not judged; a clusterwide peer without one is', () => {
    const cilium = (kind: string, sel: any) => ({
      apiVersion: 'cilium.io/v2',
      kind,
      metadata: kind === 'CiliumNetworkPolicy' ? { name: 'c', namespace: 'shop' } : { name: 'c' },
      spec: { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [sel] }] },
    });
    const dns = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } };
    expect(only('NP006', [...workloads, cilium('CiliumNetworkPolicy', dns)])).toEqual([]);
    expect(only('NP006', [...workloads, cilium('CiliumClusterwideNetworkPolicy', dns)])).toEqual([]);
    expect(only('NP006', [...workloads, cilium('CiliumNetworkPolicy', { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'payments', 'k8s:io.kubernetes.pod.namespace': 'x' } })])).toEqual([]);
    expect(only('NP006', [...workloads, cilium('CiliumClusterwideNetworkPolicy', { matchLabels: { app: 'nothing' } })])).toEqual(['NP006 spec.egress[0].toEndpoints[0]']);
  });
});

describe('NP007 undeclared-named-port', () => {
  test('an ingress named port the selected pods do not declare triggers', () => {
    const f = Linter.lintManifests([...workloads, np('p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ protocol: 'TCP', port: 'postgres' }] }] })])
      .findings.filter(x => x.checkId === 'NP007');
    expect(f.map(x => x.field)).toEqual(['spec.ingress[0].ports[0].port']);
    expect(f[0].fix).toContain('containerPort name "postgres"');
  });

  test('the declared name does not; the protocol must match too', () => {
    expect(only('NP007', [...workloads, np('p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ protocol: 'TCP', port: 'pg' }] }] })])).toEqual([]);
    expect(only('NP007', [...workloads, np('p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ protocol: 'UDP', port: 'pg' }] }] })])).toEqual(['NP007 spec.ingress[0].ports[0].port']);
  });

  test('egress named ports are resolved on the destination pods', () => {
    const policy = (port: string) => np('p', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [DNS_EGRESS, { to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port }] }],
    });
    expect(only('NP007', [...workloads, policy('grpc')])).toEqual([]);
    expect(only('NP007', [...workloads, policy('http')])).toEqual(['NP007 spec.egress[1].ports[0].port']);
  });
});

describe('NP005 and NP006 on Cilium policies (Cilium endpoint labels)', () => {
  const cilium = (spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'shop' }, spec });

  test('an endpointSelector matching nothing triggers NP005; k8s: prefixes are understood', () => {
    expect(only('NP005', [...workloads, cilium({ endpointSelector: { matchLabels: { 'k8s:app': 'wbe' } }, ingress: [{ fromEntities: ['cluster'] }] })])).toEqual(['NP005 spec.endpointSelector']);
    expect(only('NP005', [...workloads, cilium({ endpointSelector: { matchLabels: { 'k8s:app': 'web' } }, ingress: [{ fromEntities: ['cluster'] }] })])).toEqual([]);
  });

  test('a CNP endpointSelector naming another namespace still selects only in the policy namespace (NP005)', () => {
    // ParseToCiliumRule sets io.kubernetes.pod.namespace of a CNP's endpointSelector to the policy's namespace.
    expect(only('NP005', [...workloads, cilium({ endpointSelector: { matchLabels: { 'app': 'prometheus', 'k8s:io.kubernetes.pod.namespace': 'ops' } }, ingress: [{}] })]))
      .toEqual(['NP005 spec.endpointSelector']);
  });

  test('fromEndpoints without the namespace key looks in the policy namespace only (NP006); with it, finds the peer', () => {
    const from = (sel: any) => cilium({ endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [sel] }] });
    expect(only('NP006', [...workloads, from({ matchLabels: { app: 'prometheus' } })])).toEqual(['NP006 spec.ingress[0].fromEndpoints[0]']);
    expect(only('NP006', [...workloads, from({ matchLabels: { 'app': 'prometheus', 'k8s:io.kubernetes.pod.namespace': 'ops' } })])).toEqual([]);
    expect(only('NP006', [...workloads, from({ matchLabels: { 'app': 'prometheus', 'k8s:io.cilium.k8s.namespace.labels.team': 'ops' } })])).toEqual(['NP006 spec.ingress[0].fromEndpoints[0]']);
  });

  test('reserved: selectors are entities, not workloads', () => {
    expect(only('NP006', [...workloads, cilium({ endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: { 'reserved:host': '' } }] }] })])).toEqual([]);
  });
});

describe('NP007 on Cilium policies (toPorts[].ports[].port names)', () => {
  const exporter = pod('ops', 'exporter', { app: 'exporter' }, [{ name: 'metrics', containerPort: 9100 }]);
  const all = [...workloads, exporter];
  const cilium = (spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'shop' }, spec });
  const clusterwide = (spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'cw' }, spec });
  const ports = (port: string, protocol?: string) => [{ ports: [{ port, ...(protocol ? { protocol } : {}) }] }];
  const ingress = (port: string, protocol?: string, dir = 'ingress') => cilium({
    endpointSelector: { matchLabels: { 'k8s:app': 'db' } },
    [dir]: [{ fromEntities: ['cluster'], toPorts: ports(port, protocol) }],
  });

  test('an ingress name the selected endpoints (k8s: prefix) do not declare triggers, with field, value and fix', () => {
    const f = Linter.lintManifests([...all, ingress('postgres')]).findings.filter(x => x.checkId === 'NP007');
    expect(f.map(x => x.field)).toEqual(['spec.ingress[0].toPorts[0].ports[0].port']);
    expect(f[0].message).toContain('names port "postgres" (ANY)');
    expect(f[0].message).toContain('shop/db[Pod]');
    expect(f[0].message).toContain('allows nothing');
    expect(f[0].fix).toBe('declare containerPort name "postgres" in the pod template, or use the port number');
  });

  test('the declared name does not; ANY (the default) matches any protocol, an explicit protocol must match; numbers are not names', () => {
    expect(only('NP007', [...all, ingress('pg')])).toEqual([]);
    expect(only('NP007', [...all, ingress('pg', 'ANY')])).toEqual([]);
    expect(only('NP007', [...all, ingress('pg', 'TCP')])).toEqual([]);
    expect(only('NP007', [...all, ingress('pg', 'UDP')])).toEqual(['NP007 spec.ingress[0].toPorts[0].ports[0].port']);
    expect(only('NP007', [...all, ingress('5432')])).toEqual([]);
  });

  test('deny rules are checked too, and say they deny nothing', () => {
    const f = Linter.lintManifests([...all, ingress('postgres', 'TCP', 'ingressDeny')]).findings.filter(x => x.checkId === 'NP007');
    expect(f.map(x => x.field)).toEqual(['spec.ingressDeny[0].toPorts[0].ports[0].port']);
    expect(f[0].message).toContain('denies nothing');
    expect(f[0].fix).toContain('with protocol TCP');
  });

  test('egress names resolve on the toEndpoints pods, in the policy namespace unless io.kubernetes.pod.namespace says otherwise', () => {
    const egress = (sel: any, port: string, dir = 'egress') => cilium({
      endpointSelector: { matchLabels: { app: 'web' } },
      [dir]: [{ toEndpoints: [sel], toPorts: ports(port) }],
    });
    expect(only('NP007', [...all, egress({ matchLabels: { app: 'api' } }, 'grpc')])).toEqual([]);
    expect(only('NP007', [...all, egress({ matchLabels: { app: 'api' } }, 'http')])).toEqual(['NP007 spec.egress[0].toPorts[0].ports[0].port']);
    expect(only('NP007', [...all, egress({ matchLabels: { app: 'api' } }, 'http', 'egressDeny')])).toEqual(['NP007 spec.egressDeny[0].toPorts[0].ports[0].port']);
    const other = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'ops', 'any:app': 'exporter' } };
    expect(only('NP007', [...all, egress(other, 'metrics')])).toEqual([]);
    expect(only('NP007', [...all, egress(other, 'grpc')])).toEqual(['NP007 spec.egress[0].toPorts[0].ports[0].port']);
    // Without the namespace key the selector finds no pod in shop: nothing to judge (NP006 reports the peer).
    expect(only('NP007', [...all, egress({ matchLabels: { app: 'exporter' } }, 'grpc')])).toEqual([]);
  });

  test('egress rules whose destinations are not only pods are not judged, like ipBlock peers in Kubernetes', () => {
    const egress = (rule: any) => cilium({ endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ ...rule, toPorts: ports('nope') }] });
    expect(only('NP007', [...all, egress({})])).toEqual([]);
    expect(only('NP007', [...all, egress({ toEntities: ['cluster'] })])).toEqual([]);
    expect(only('NP007', [...all, egress({ toCIDR: ['10.0.0.0/8'] })])).toEqual([]);
    expect(only('NP007', [...all, egress({ toFQDNs: [{ matchName: 'example.com' }] })])).toEqual([]);
    expect(only('NP007', [...all, egress({ toEndpoints: [{ matchLabels: { 'reserved:host': '' } }] })])).toEqual([]);
    expect(only('NP007', [...all, egress({ toEndpoints: [{ matchLabels: { app: 'api' } }, { matchLabels: { 'reserved:host': '' } }] })])).toEqual([]);
  });

  test('a clusterwide policy selects and resolves peers in every namespace', () => {
    const cw = (port: string) => clusterwide({
      endpointSelector: { matchLabels: { app: 'exporter' } },
      ingress: [{ fromEntities: ['cluster'], toPorts: ports(port) }],
      egress: [{ toEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: ports(port === 'metrics' ? 'http' : 'metrics') }],
    });
    expect(only('NP007', [...all, cw('metrics')])).toEqual([]);
    expect(only('NP007', [...all, cw('grpc')])).toEqual(['NP007 spec.egress[0].toPorts[0].ports[0].port', 'NP007 spec.ingress[0].toPorts[0].ports[0].port']);
  });

  test('host policies (nodeSelector) are not judged: their ports are the node\'s', () => {
    expect(only('NP007', [...all, clusterwide({ nodeSelector: {}, ingress: [{ fromEntities: ['cluster'], toPorts: ports('nope') }] })])).toEqual([]);
  });
});

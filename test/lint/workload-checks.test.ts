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

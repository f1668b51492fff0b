/**
 * Who enforces: the Kubernetes specification or a Cilium release, and what Cilium does
 * differently (semantics.ts), each case from the upstream rule it names.
 */
import { baseCluster, cnp, deploy, netpol, ns } from './helpers';
import { ConnectivityAnalysis } from '../../src/analysis';
import { parseEnforcement } from '../../src/analysis/semantics';

const K8S = { cni: 'kubernetes' };
const CILIUM = { cni: 'cilium@1.18' };
const api = { matchLabels: { app: 'api' } };

function both(manifests: any[], extra: any = {}) {
  return {
    k8s: ConnectivityAnalysis.fromManifests(manifests, { ...K8S, ...extra }),
    cilium: ConnectivityAnalysis.fromManifests(manifests, { ...CILIUM, ...extra }),
  };
}

describe('choosing the enforcer', () => {
  test.each([
    ['kubernetes', 'kubernetes', '1.18'],
    ['cilium', 'cilium', '1.18'],
    ['cilium@1.18', 'cilium', '1.18'],
    ['cilium@1.18.3', 'cilium', '1.18'],
    ['cilium@v1.19', 'cilium', '1.19'],
  ])('"%s" is %s (Cilium %s)', (text, mode, version) => {
    expect(parseEnforcement(text)).toEqual({ mode, ciliumVersion: version });
  });

  test.each([
    ['calico', /"calico" is not an enforcer this tool models; use kubernetes, cilium or cilium@<version> \(1\.18, 1\.19\)/],
    ['cilium@1.15', /Cilium 1\.15 is not modelled; use cilium@1\.18 or cilium@1\.19/],
  ])('"%s" is refused naming what is modelled', (text, message) => {
    expect(() => ConnectivityAnalysis.fromManifests(baseCluster(), { cni: text })).toThrow(message);
  });

  test('default: kubernetes for NetworkPolicies only, cilium@1.18 once a Cilium policy is among the manifests', () => {
    expect(ConnectivityAnalysis.fromManifests([...baseCluster(), netpol('shop', 'p', { podSelector: {} })]).enforcement).toBe('kubernetes');
    expect(ConnectivityAnalysis.fromManifests([...baseCluster(), cnp('shop', 'p', { endpointSelector: {}, ingress: [{}] })]).enforcement).toBe('cilium@1.18');
  });

  test('agent settings are checked with the fix', () => {
    expect(() => ConnectivityAnalysis.fromManifests(baseCluster(), { ciliumAgent: { allowLocalhost: 'never' } }))
      .toThrow('ciliumAgent.allowLocalhost: "never" is not an allow-localhost value; use auto, always or policy');
    expect(() => ConnectivityAnalysis.fromManifests(baseCluster(), { ciliumAgent: { clusterName: 'Prod_1' } }))
      .toThrow('ciliumAgent.clusterName: "Prod_1" is not a Cilium cluster name');
    expect(() => ConnectivityAnalysis.fromManifests(baseCluster(), { ciliumAgent: { kubeApiserverPlacement: 'node' } }))
      .toThrow('use remote-node, host or world');
  });
});

describe('A: egress named ports resolve once for the whole cluster in Cilium (pkg/types/portmap.go GetNamedPort)', () => {
  const cluster = [
    ns('a'), ns('b'),
    deploy('a', 'client', { app: 'client' }),
    deploy('b', 's1', { app: 's1' }, [{ name: 'web', containerPort: 8443 }]),
    deploy('b', 's2', { app: 's2' }, [{ name: 'web', containerPort: 443 }]),
    deploy('b', 's3', { app: 's3' }, [{ name: 'api', containerPort: 9000 }]),
  ];
  const egress = (port: string) => netpol('a', 'egress', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port }] }] });

  test('a name two pods map to different numbers allows nothing in Cilium; the specification resolves it per pod', () => {
    const { k8s, cilium } = both([...cluster, egress('web')]);
    expect(k8s.isAllowed({ from: 'a/client', to: 'b/s1', port: 8443 }).allowed).toBe(true);
    expect(k8s.isAllowed({ from: 'a/client', to: 'b/s2', port: 443 }).allowed).toBe(true);
    expect(cilium.isAllowed({ from: 'a/client', to: 'b/s1', port: 8443 }).allowed).toBe(false);
    expect(cilium.isAllowed({ from: 'a/client', to: 'b/s2', port: 443 }).allowed).toBe(false);
    for (const a of [k8s, cilium]) {
      expect(a.deviations.map((d) => d.id)).toEqual(['egress-named-ports']);
      expect(a.deviations[0].policies).toEqual(['NetworkPolicy a/egress']);
      expect(a.deviations[0].differences).toEqual([
        { source: 'a/client[Deployment]', destination: 'b/s1[Deployment]', specification: 'TCP 8443', cilium: 'No Connections' },
        { source: 'a/client[Deployment]', destination: 'b/s2[Deployment]', specification: 'TCP 443', cilium: 'No Connections' },
      ]);
    }
  });

  test('a unique name applies towards every peer in Cilium, pods without the name and addresses included', () => {
    const { k8s, cilium } = both([...cluster, egress('api')]);
    expect(k8s.isAllowed({ from: 'a/client', to: 'b/s1', port: 9000 }).allowed).toBe(false);
    expect(cilium.isAllowed({ from: 'a/client', to: 'b/s1', port: 9000 }).allowed).toBe(true);
    expect(cilium.isAllowed({ from: 'a/client', to: '8.8.8.8', port: 9000 }).allowed).toBe(true);
    expect(k8s.isAllowed({ from: 'a/client', to: '8.8.8.8', port: 9000 }).allowed).toBe(false);
  });

  test('the diagnostic names the policy, the behaviour, examples and the other mode', () => {
    const { k8s, cilium } = both([...cluster, egress('web')]);
    const warn = (a: ConnectivityAnalysis) => a.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
    expect(warn(k8s)).toEqual([
      'NetworkPolicy a/egress: Cilium resolves an egress named port once for the whole cluster (pkg/policy/l4.go, pkg/types/portmap.go) and applies it towards every peer of the rule; '
      + '2 connections differ, e.g. a/client[Deployment] => b/s1[Deployment]: the specification allows TCP 8443, Cilium 1.18 allows nothing; '
      + 'a/client[Deployment] => b/s2[Deployment]: the specification allows TCP 443, Cilium 1.18 allows nothing '
      + '(this analysis follows the specification; cni "cilium@1.18" (--cni cilium@1.18) gives Cilium\'s verdicts)',
    ]);
    expect(warn(cilium)[0]).toMatch(/\(this analysis follows Cilium 1\.18; cni "kubernetes" \(--cni kubernetes\) gives the specification's verdicts\)$/);
  });
});

describe('B: CNP peer selectors on namespace labels are cluster-wide (getEndpointSelector, since 1.16), in both modes', () => {
  test('a namespace-label key selects pods of every namespace with that label', () => {
    const manifests = [...baseCluster(), ns('edge', { team: 'shop' }), deploy('edge', 'gw', { app: 'gw' }),
      cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'shop' } }] }] })];
    for (const a of Object.values(both(manifests))) {
      expect(a.isAllowed({ from: 'edge/gw', to: 'shop/api' }).allowed).toBe(true);
      expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
      expect(a.deviations).toEqual([]);
    }
  });

  test('made only of negative requirements, it selects the outside world too', () => {
    const a = ConnectivityAnalysis.fromManifests([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: api, ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'io.cilium.k8s.namespace.labels.team', operator: 'NotIn', values: ['other'] }] }] }],
    })]);
    expect(a.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
  });
});

describe('C: a NetworkPolicy namespaceSelector of only NotIn/DoesNotExist selects non-pod identities in Cilium (cilium/cilium#46949)', () => {
  const manifests = [...baseCluster(), netpol('shop', 'p', {
    podSelector: api, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['other'] }] } }] }],
  })];

  test('the outside world is admitted by Cilium, not by the specification; pods are read alike', () => {
    const { k8s, cilium } = both(manifests);
    expect(k8s.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(false);
    expect(cilium.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(true);
    for (const a of [k8s, cilium]) {
      expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
      expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
      expect(a.deviations.map((d) => [d.id, d.differences.map((x) => `${x.source} ${x.specification} -> ${x.cilium}`)])).toEqual([
        ['negative-namespace-selector', ['0.0.0.0-255.255.255.255[External] No Connections -> All Connections']],
      ]);
      expect(a.deviations[0].description).toContain('cilium/cilium#46949');
    }
  });

  test('policy-default-local-cluster adds the cluster to the peer, so only pods are selected (parseNetworkPolicyPeer)', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests, { ...CILIUM, ciliumAgent: { policyDefaultLocalCluster: true } });
    expect(a.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(false);
    expect(a.deviations).toEqual([]);
  });
});

describe('D: NetworkPolicy rules of a direction missing from policyTypes are enforced by Cilium (cilium/cilium#48703)', () => {
  test('egress rules with policyTypes [Ingress] isolate egress in Cilium only', () => {
    const manifests = [...baseCluster(), netpol('shop', 'p', {
      podSelector: api, policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    })];
    const { k8s, cilium } = both(manifests);
    expect(k8s.isAllowed({ from: 'shop/api', to: 'other/client' }).allowed).toBe(true);
    expect(cilium.isAllowed({ from: 'shop/api', to: 'other/client' }).allowed).toBe(false);
    expect(cilium.isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(true);
    expect(k8s.deviations.map((d) => d.id)).toEqual(['rules-outside-policy-types']);
    expect(k8s.deviations[0].differences.map((d) => d.destination)).toContain('other/client[Deployment]');
  });
});

describe('selectors match identities, which the label filter thins (pkg/labelsfilter)', () => {
  const manifests = [...baseCluster(),
    deploy('shop', 'db', { 'app': 'db', 'pod-template-hash': 'abc' }),
    netpol('shop', 'db', { podSelector: { matchLabels: { 'pod-template-hash': 'abc' } }, ingress: [] })];

  test('a NetworkPolicy on pod-template-hash selects no pod in Cilium', () => {
    const { k8s, cilium } = both(manifests);
    expect(k8s.isAllowed({ from: 'shop/web', to: 'shop/db' }).allowed).toBe(false);
    expect(cilium.isAllowed({ from: 'shop/web', to: 'shop/db' }).allowed).toBe(true);
    expect(cilium.deviations.map((d) => d.id)).toEqual(['identity-label-filter']);
  });

  test('a CNP on it selects no pod in either mode', () => {
    const a = ConnectivityAnalysis.fromManifests([...manifests.slice(0, -1), cnp('shop', 'db', { endpointSelector: { matchLabels: { 'pod-template-hash': 'abc' } }, ingress: [{}] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/db' }).allowed).toBe(true);
  });
});

describe('policy-default-local-cluster in 1.18.3: an ipBlock peer also selects the policy namespace\'s pods (cilium/cilium#46305)', () => {
  const manifests = [...baseCluster(), netpol('shop', 'p', { podSelector: api, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })];

  test('1.18 with the setting on: shop pods are admitted; off (the 1.18 default): not', () => {
    const on = ConnectivityAnalysis.fromManifests(manifests, { ...CILIUM, ciliumAgent: { policyDefaultLocalCluster: true } });
    expect(on.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(on.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
    expect(on.deviations.map((d) => d.id)).toEqual(['ip-block-selects-namespace']);
    const off = ConnectivityAnalysis.fromManifests(manifests, CILIUM);
    expect(off.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(off.deviations).toEqual([]);
  });

  test('1.19 (the setting on by default, the bug fixed in its patch releases): not admitted', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests, { cni: 'cilium@1.19' });
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(a.deviations).toEqual([]);
  });

  test('in kubernetes mode the difference is reported for the Cilium configuration given', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests, { ...K8S, ciliumAgent: { policyDefaultLocalCluster: true } });
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(a.deviations.map((d) => [d.id, d.differences.map((x) => x.source)])).toEqual([['ip-block-selects-namespace', ['shop/web[Deployment]']]]);
  });
});

describe('the local node and the API server', () => {
  const hostRule = (spec: any) => [...baseCluster(), cnp('shop', 'p', { endpointSelector: api, ...spec })];

  test('allow-localhost (auto, which Kubernetes mode makes always): {host} reaches the pods whatever the ingress rules', () => {
    const a = ConnectivityAnalysis.fromManifests(hostRule({ ingress: [{}], egress: [{ toEntities: ['host'] }] }));
    const e = a.explain({ from: '{host}', to: 'shop/api', port: 5432 });
    expect(e.allowed).toBe(true);
    expect(e.ingress.allowedBy.map((r) => r.rule)).toEqual([expect.stringContaining('allow-localhost')]);
    const policy = ConnectivityAnalysis.fromManifests(hostRule({ ingress: [{}], egress: [{ toEntities: ['host'] }] }), { ciliumAgent: { allowLocalhost: 'policy' } });
    expect(policy.isAllowed({ from: '{host}', to: 'shop/api', port: 5432 }).allowed).toBe(false);
  });

  test('a deny rule still beats allow-localhost (the allow entry does not override denies)', () => {
    const a = ConnectivityAnalysis.fromManifests(hostRule({ ingress: [{}], ingressDeny: [{ fromEntities: ['host'] }] }));
    expect(a.isAllowed({ from: '{host}', to: 'shop/api' }).allowed).toBe(false);
  });

  test('{kube-apiserver} is also a remote node by default, so remote-node and cluster rules admit it; outside the cluster it is world', () => {
    const rule = hostRule({ ingress: [{ fromEntities: ['remote-node'] }, { fromEndpoints: [{ matchLabels: { 'reserved:kube-apiserver': '' } }], toPorts: [{ ports: [{ port: '1' }] }] }] });
    const inCluster = ConnectivityAnalysis.fromManifests(rule);
    expect(inCluster.isAllowed({ from: '{kube-apiserver}', to: 'shop/api', port: 443 }).allowed).toBe(true);
    const outside = ConnectivityAnalysis.fromManifests(rule, { ciliumAgent: { kubeApiserverPlacement: 'world' } });
    expect(outside.isAllowed({ from: '{kube-apiserver}', to: 'shop/api', port: 443 }).allowed).toBe(false);
    expect(outside.isAllowed({ from: '{kube-apiserver}', to: 'shop/api', port: 1 }).allowed).toBe(true);
    const world = ConnectivityAnalysis.fromManifests(hostRule({ ingress: [{ fromEntities: ['world'] }, { fromEndpoints: [{ matchLabels: { 'reserved:kube-apiserver': '' } }], toPorts: [{ ports: [{ port: '1' }] }] }] }), { ciliumAgent: { kubeApiserverPlacement: 'world' } });
    expect(world.isAllowed({ from: '{kube-apiserver}', to: 'shop/api', port: 443 }).allowed).toBe(true);
  });

  test('on the local node the API server is the host, which allow-localhost admits', () => {
    const rule = hostRule({ ingress: [{ fromEndpoints: [{ matchLabels: { 'reserved:kube-apiserver': '' } }], toPorts: [{ ports: [{ port: '1' }] }] }] });
    const a = ConnectivityAnalysis.fromManifests(rule, { ciliumAgent: { kubeApiserverPlacement: 'host' } });
    expect(a.isAllowed({ from: '{kube-apiserver}', to: 'shop/api', port: 443 }).allowed).toBe(true);
  });

  test('cluster-name: the cluster entity selects the pods of this cluster', () => {
    const a = ConnectivityAnalysis.fromManifests(hostRule({ ingress: [{ fromEntities: ['cluster'] }] }), { ciliumAgent: { clusterName: 'prod' } });
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(false);
  });
});

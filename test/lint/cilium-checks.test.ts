// Per Cilium check: a manifest that triggers it and a close one that does not.
import { ccnp, cnp, KUBE_DNS_CILIUM, only } from './helpers';
import { Linter, LintSeverity } from '../../src';

const WEB = { matchLabels: { app: 'web' } };
const FQDN_RULE = { toFQDNs: [{ matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] };

describe('CNP001 fqdn-without-dns-proxy', () => {
  test('toFQDNs with no DNS proxy rule for the same endpoints is an error', () => {
    const f = Linter.lintManifests([cnp('fqdn', { endpointSelector: WEB, egress: [FQDN_RULE] })]).findings.filter(x => x.checkId === 'CNP001');
    expect(f.map(x => `${x.severity} ${x.field}`)).toEqual(['error spec.egress[0].toFQDNs']);
    expect(f[0].fix).toContain('matchPattern');
  });

  test('a DNS proxy rule in the same policy, or in a cluster-wide policy, clears it', () => {
    expect(only('CNP001', [cnp('fqdn', { endpointSelector: WEB, egress: [KUBE_DNS_CILIUM, FQDN_RULE] })])).toEqual([]);
    expect(only('CNP001', [cnp('fqdn', { endpointSelector: WEB, egress: [FQDN_RULE] }), ccnp('dns', { endpointSelector: {}, egress: [KUBE_DNS_CILIUM] })])).toEqual([]);
  });

  test('DNS allowed at L4 only (no rules.dns) does not clear it', () => {
    const l4 = { toEndpoints: KUBE_DNS_CILIUM.toEndpoints, toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] };
    expect(only('CNP001', [cnp('fqdn', { endpointSelector: WEB, egress: [l4, FQDN_RULE] })])).toEqual(['CNP001 spec.egress[1].toFQDNs']);
  });

  test('a DNS proxy rule for other endpoints does not clear it', () => {
    expect(only('CNP001', [cnp('fqdn', { endpointSelector: WEB, egress: [FQDN_RULE] }), cnp('dns', { endpointSelector: { matchLabels: { app: 'api' } }, egress: [KUBE_DNS_CILIUM] })]))
      .toEqual(['CNP001 spec.egress[0].toFQDNs']);
  });
});

describe('CNP002 namespace-plain-labels', () => {
  test('kubernetes.io/metadata.name in fromEndpoints triggers, with the Cilium key in the fix', () => {
    const f = Linter.lintManifests([cnp('p', { endpointSelector: WEB, ingress: [{ fromEndpoints: [{ matchLabels: { 'kubernetes.io/metadata.name': 'frontend' } }] }] })])
      .findings.filter(x => x.checkId === 'CNP002');
    expect(f.map(x => x.field)).toEqual(['spec.ingress[0].fromEndpoints[0].matchLabels["kubernetes.io/metadata.name"]']);
    expect(f[0].fix).toContain('k8s:io.kubernetes.pod.namespace');
  });

  test('io.kubernetes.pod.namespace and namespace labels through io.cilium.k8s.namespace.labels do not', () => {
    expect(only('CNP002', [cnp('p', {
      endpointSelector: WEB,
      ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'frontend' } }, { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'ops' } }] }],
    })])).toEqual([]);
  });

  test('with namespaces and workloads given, a label only namespaces carry triggers (matchExpressions too)', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels: { team: 'ops' } } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const policy = cnp('p', { endpointSelector: WEB, ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'team', operator: 'In', values: ['ops'] }] }] }] });
    expect(only('CNP002', [ns, pod, policy])).toEqual(['CNP002 spec.ingress[0].fromEndpoints[0].matchExpressions[0].key']);
    expect(only('CNP002', [ns, { ...pod, metadata: { ...pod.metadata, labels: { app: 'web', team: 'ops' } } }, policy])).toEqual([]);
  });
});

describe('CNP003 empty-list-semantics', () => {
  test('ingress: [] triggers (Cilium: does not apply; Kubernetes: deny all)', () => {
    const f = Linter.lintManifests([cnp('p', { endpointSelector: WEB, ingress: [], egress: [KUBE_DNS_CILIUM] })]).findings.filter(x => x.checkId === 'CNP003');
    expect(f.map(x => x.field)).toEqual(['spec.ingress']);
    expect(f[0].message).toContain('unlike a Kubernetes policy');
  });

  test('an empty peer list (fromEndpoints: []) triggers; an absent one does not', () => {
    expect(only('CNP003', [cnp('p', { endpointSelector: WEB, ingress: [{ fromEndpoints: [], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] })]))
      .toEqual(['CNP003 spec.ingress[0].fromEndpoints']);
    expect(only('CNP003', [cnp('p', { endpointSelector: WEB, ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] })])).toEqual([]);
  });

  test('specs[] entries are checked with their own path', () => {
    const policy = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'multi', namespace: 'shop' }, specs: [{ endpointSelector: WEB, egress: [KUBE_DNS_CILIUM] }, { endpointSelector: WEB, ingress: [], egress: [KUBE_DNS_CILIUM] }] };
    expect(only('CNP003', [policy])).toEqual(['CNP003 specs[1].ingress']);
  });
});

describe('CNP004 deny-only-default-deny', () => {
  const deny = [{ fromEntities: ['world'] }];

  test('ingressDeny without ingress rules and without enableDefaultDeny triggers', () => {
    const f = Linter.lintManifests([cnp('p', { endpointSelector: WEB, ingressDeny: deny })]).findings.filter(x => x.checkId === 'CNP004');
    expect(f.map(x => x.field)).toEqual(['spec.ingressDeny']);
    expect(f[0].fix).toContain('enableDefaultDeny.ingress: false');
  });

  test('enableDefaultDeny.ingress: false, or allow rules next to the deny, do not', () => {
    expect(only('CNP004', [cnp('p', { endpointSelector: WEB, ingressDeny: deny, enableDefaultDeny: { ingress: false } })])).toEqual([]);
    expect(only('CNP004', [cnp('p', { endpointSelector: WEB, ingressDeny: deny, ingress: [{ fromEntities: ['cluster'] }] })])).toEqual([]);
  });

  test('egressDeny in a cluster-wide policy', () => {
    expect(only('CNP004', [ccnp('meta', { endpointSelector: {}, egressDeny: [{ toCIDR: ['169.254.169.254/32'] }] })])).toEqual(['CNP004 spec.egressDeny']);
  });
});

describe('L7 rules on a port that is not TCP (formerly CNP005)', () => {
  const http = { http: [{ method: 'GET', path: '/' }] };

  test('Cilium rejects the policy, so the lint reports it as an invalid manifest, with Cilium\'s rule', () => {
    for (const protocol of ['UDP', 'ANY']) {
      const f = Linter.lintManifests([cnp('p', { endpointSelector: WEB, ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '80', protocol }], rules: http }] }] })]).findings;
      expect(f.map(x => `${x.checkId} ${x.severity} ${x.field}`)).toEqual([`LINT000 ${LintSeverity.ERROR} spec.ingress[0].toPorts[0].ports[0].protocol`]);
      expect(f[0].message).toContain('is not TCP, and L7 rules other than DNS apply to TCP only');
    }
  });

  test('HTTP on TCP, and DNS rules on UDP, are valid', () => {
    const f = Linter.lintManifests([cnp('p', { endpointSelector: WEB, ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: http }] }], egress: [{ ...KUBE_DNS_CILIUM, toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] }] })]).findings;
    expect(f.filter(x => x.checkId === 'LINT000')).toEqual([]);
  });
});

describe('CNP006 cilium-version-fields (the Cilium version table of src/model/cilium/versions.ts)', () => {
  const kafka = { fromEndpoints: [{ matchLabels: { app: 'client' } }], toPorts: [{ ports: [{ port: '9092', protocol: 'TCP' }], rules: { kafka: [{ role: 'produce', topic: 'orders' }] } }] };

  test('Kafka rules: a warning on 1.18 (deprecated), an error on 1.20 (removed), nothing on 1.17', () => {
    const policy = cnp('k', { endpointSelector: WEB, ingress: [kafka] });
    const at = (v: string) => Linter.lintManifests([policy], { ciliumVersion: v }).findings.filter(f => f.checkId === 'CNP006').map(f => `${f.severity} ${f.field}`);
    expect(at('1.18')).toEqual(['warning spec.ingress[0].toPorts[0].rules.kafka']);
    expect(at('1.20')).toEqual(['error spec.ingress[0].toPorts[0].rules.kafka']);
    expect(at('1.17')).toEqual([]);
  });

  test('fromRequires is removed in 1.19; enableDefaultDeny needs 1.16', () => {
    const policy = cnp('r', { endpointSelector: WEB, enableDefaultDeny: { ingress: false }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'a' } }], fromRequires: [{ matchLabels: { env: 'prod' } }] }] });
    expect(only('CNP006', [policy], { ciliumVersion: '1.19' })).toEqual(['CNP006 spec.ingress[0].fromRequires']);
    expect(only('CNP006', [policy], { ciliumVersion: '1.15' })).toEqual(['CNP006 spec.enableDefaultDeny']);
    const f = Linter.lintManifests([policy], { ciliumVersion: '1.19' }).findings.find(x => x.checkId === 'CNP006')!;
    expect(f.message).toContain('removed in Cilium 1.19');
    expect(f.fix).toMatch(/^use /);
  });

  test('the proxy-visibility annotation on a Deployment pod template is an error from 1.17', () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, annotations: { 'policy.cilium.io/proxy-visibility': '<Ingress/80/TCP/HTTP>' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    };
    expect(only('CNP006', [deploy], { ciliumVersion: '1.17' })).toEqual(['CNP006 spec.template.metadata.annotations["policy.cilium.io/proxy-visibility"]']);
    expect(only('CNP006', [deploy], { ciliumVersion: '1.14' })).toEqual([]);
  });

  test('an invalid target version is an error naming the option', () => {
    expect(() => Linter.lintManifests([], { ciliumVersion: '2' })).toThrow(/LintOptions.ciliumVersion: .*"2" is not a Cilium version/);
  });
});

describe('CNP007 cnp-subject-namespace', () => {
  test('a CNP endpointSelector naming a namespace is an error, in matchLabels or matchExpressions', () => {
    const f = Linter.lintManifests([cnp('p', {
      endpointSelector: { matchLabels: { 'app': 'web', 'k8s:io.kubernetes.pod.namespace': 'other' }, matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }] },
      ingress: [{}],
    })]).findings.filter(x => x.checkId === 'CNP007');
    expect(f.map(x => `${x.severity} ${x.field}`)).toEqual([
      'error spec.endpointSelector.matchExpressions[0].key',
      'error spec.endpointSelector.matchLabels["k8s:io.kubernetes.pod.namespace"]',
    ]);
    expect(f[0].fix).toContain('CiliumClusterwideNetworkPolicy');
  });

  test('peer selectors and CCNP endpoint selectors may name namespaces', () => {
    expect(only('CNP007', [cnp('p', { endpointSelector: WEB, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other' } }] }] })])).toEqual([]);
    expect(only('CNP007', [ccnp('p', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other' } }, ingress: [{}] })])).toEqual([]);
  });
});

describe('CNP008 service-without-namespace', () => {
  test('toServices without a namespace warns with the policy namespace in the fix', () => {
    const f = Linter.lintManifests([cnp('p', {
      endpointSelector: WEB,
      egress: [{ toServices: [{ k8sService: { serviceName: 'db' } }, { k8sServiceSelector: { selector: { matchLabels: { tier: 'cache' } } } }] }],
    })]).findings.filter(x => x.checkId === 'CNP008');
    expect(f.map(x => `${x.severity} ${x.field}`)).toEqual([
      'warning spec.egress[0].toServices[0].k8sService.namespace',
      'warning spec.egress[0].toServices[1].k8sServiceSelector.namespace',
    ]);
    expect(f[0].message).toContain('the Service "db" in every namespace');
    expect(f[0].fix).toContain('set namespace: ');
  });

  test('a namespace clears it', () => {
    expect(only('CNP008', [cnp('p', { endpointSelector: WEB, egress: [{ toServices: [{ k8sService: { serviceName: 'db', namespace: 'data' } }] }] })])).toEqual([]);
  });
});

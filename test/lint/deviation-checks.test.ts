// Lint checks for where Cilium enforces NetworkPolicies unlike the specification
// (src/analysis/semantics.ts NetworkPolicyDeviations). Each case is also run through the analyser
// in both modes: the lint warns exactly where the analyser finds the deviation, and its suggested
// fix removes the difference.
import { only } from './helpers';
import { Lint, Linter, LintFinding, LintOptions, LintSeverity, NetworkPolicy, Pods } from '../../src';
import { ConnectivityAnalysis } from '../../src/analysis';
import { runLintCommand } from '../../src/cli/lint';
import { ccnp, cnp, deploy, netpol, ns } from '../analysis/helpers';
import { newChart } from '../util';

const CILIUM = { cni: 'cilium@1.18' };

function findings(id: string, manifests: any[], options?: LintOptions): LintFinding[] {
  return Linter.lintManifests(manifests, options).findings.filter(f => f.checkId === id);
}

/** The deviations the analyser finds (cilium@1.18 unless told), by id. */
function deviations(manifests: any[], options: any = {}): string[] {
  return ConnectivityAnalysis.fromManifests(manifests, { ...CILIUM, ...options }).deviations.map(d => d.id);
}

describe('egress named ports, resolved once for the whole cluster by Cilium (pkg/types/portmap.go namedPortMultiMap.GetNamedPort)', () => {
  const cluster = [
    ns('a'), ns('b'),
    deploy('a', 'client', { app: 'client' }),
    deploy('b', 's1', { app: 's1' }, [{ name: 'web', containerPort: 8443 }]),
    deploy('b', 's2', { app: 's2' }, [{ name: 'web', containerPort: 443 }]),
    deploy('b', 's3', { app: 's3' }, [{ name: 'api', containerPort: 9000 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
    deploy('b', 's4', { app: 's4' }, [{ name: 'dns', containerPort: 5353, protocol: 'TCP' }]),
  ];
  const client = { matchLabels: { app: 'client' } };
  const toB = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }];
  const egress = (ports: any[], to: any = toB) => netpol('a', 'egress', { podSelector: client, policyTypes: ['Egress'], egress: [{ ...(to ? { to } : {}), ports }] });
  const ciliumEgress = (ports: any[], dir = 'egress') => cnp('a', 'c', {
    endpointSelector: client, [dir]: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }], toPorts: [{ ports }] }],
  });

  describe('NP010 egress-named-port-conflict', () => {
    test('a NetworkPolicy egress name two pods give different numbers: the pods and numbers, what Cilium does, the fix', () => {
      const manifests = [...cluster, egress([{ port: 'web' }])];
      expect(findings('NP010', manifests).map(f => [f.severity, f.field, f.message, f.fix])).toEqual([[
        LintSeverity.WARNING, 'spec.egress[0].ports[0].port',
        'names port "web" (TCP), which the given pods give different numbers (TCP: 443 (b/s2[Deployment]), 8443 (b/s1[Deployment])): Cilium resolves an egress named port once for the whole cluster '
        + 'and drops a name with two numbers as a duplicate named port (pkg/types/portmap.go namedPortMultiMap.GetNamedPort), so the rule allows nothing on it; the specification resolves it on each destination pod',
        'write the port number (443 or 8443) in the rule, or give "web" one number in every pod template that declares it',
      ]]);
      expect(deviations(manifests)).toEqual(['egress-named-ports']);
    });

    test('CNP egress (ANY: per protocol) and egressDeny rules too; a deny rule denies nothing', () => {
      expect(only('NP010', [...cluster, ciliumEgress([{ port: 'web' }])])).toEqual(['NP010 spec.egress[0].toPorts[0].ports[0].port']);
      const deny = findings('NP010', [...cluster, ciliumEgress([{ port: 'web', protocol: 'TCP' }], 'egressDeny')]);
      expect(deny.map(f => f.field)).toEqual(['spec.egressDeny[0].toPorts[0].ports[0].port']);
      expect(deny[0].message).toContain('so the rule denies nothing on it');
      expect(deny[0].message).not.toContain('specification');
    });

    test('numbers of different protocols do not conflict (GetNamedPort skips other protocols); ANY conflicts where one protocol does', () => {
      // dns: UDP 53 (s3) and TCP 5353 (s4)
      expect(only('NP010', [...cluster, egress([{ port: 'dns', protocol: 'UDP' }, { port: 'dns' }])])).toEqual([]);
      expect(only('NP010', [...cluster, ciliumEgress([{ port: 'dns' }])])).toEqual([]);
      const twoUdp = [...cluster, deploy('b', 's5', { app: 's5' }, [{ name: 'dns', containerPort: 1053, protocol: 'UDP' }])];
      const f = findings('NP010', [...twoUdp, ciliumEgress([{ port: 'dns' }])]);
      expect(f.map(x => x.field)).toEqual(['spec.egress[0].toPorts[0].ports[0].port']);
      expect(f[0].message).toMatch(/^names port "dns" \(ANY\), which the given pods give different numbers \(UDP: 53 \(b\/s3\[Deployment\]\), 1053 \(b\/s5\[Deployment\]\)\): /);
    });

    test('a name with one number, ingress named ports (resolved on the subject), and manifests without workloads are not judged', () => {
      expect(only('NP010', [...cluster, egress([{ port: 'api' }])])).toEqual([]);
      expect(only('NP010', [...cluster, netpol('b', 'in', { podSelector: {}, ingress: [{ ports: [{ port: 'web' }] }] })])).toEqual([]);
      expect(only('NP010', [egress([{ port: 'web' }])])).toEqual([]);
    });

    test('rules of a direction policyTypes leaves out are judged: Cilium enforces them (NP013)', () => {
      const manifests = [...cluster, netpol('a', 'e', { podSelector: client, policyTypes: ['Ingress'], egress: [{ to: toB, ports: [{ port: 'web' }] }] })];
      expect(only('NP010', manifests)).toEqual(['NP010 spec.egress[0].ports[0].port']);
    });

    test('the fix (the number) leaves no difference between the enforcers', () => {
      expect(deviations([...cluster, egress([{ port: 8443 }])])).toEqual([]);
      expect(only('NP010', [...cluster, egress([{ port: 8443 }])])).toEqual([]);
    });
  });

  describe('NP011 egress-named-port-cluster-wide (info)', () => {
    test('a NetworkPolicy egress name Cilium also allows towards peers that do not declare it', () => {
      const manifests = [...cluster, egress([{ port: 'api' }], [...toB, { ipBlock: { cidr: '10.0.0.0/8' } }])];
      expect(findings('NP011', manifests).map(f => [f.severity, f.field, f.message, f.fix])).toEqual([[
        LintSeverity.INFO, 'spec.egress[0].ports[0].port',
        'names port "api" (TCP), which Cilium resolves once for the whole cluster to 9000 (declared by b/s3[Deployment]) and allows on TCP 9000 towards every peer of the rule, '
        + 'also towards the addresses of ipBlock 10.0.0.0/8, b/s1[Deployment], b/s2[Deployment], b/s4[Deployment], which do not declare it (pkg/types/portmap.go namedPortMultiMap.GetNamedPort); '
        + 'the specification resolves the name on each destination pod, so nothing reaches those on this port',
        'write port 9000 if it is meant towards all of them, or keep the named port in a rule whose "to" peers all declare "api"',
      ]]);
      expect(deviations(manifests)).toEqual(['egress-named-ports']);
    });

    test('a rule without "to" reaches every destination', () => {
      const [f] = findings('NP011', [...cluster, egress([{ port: 'api' }], null)]);
      expect(f.message).toContain('also towards every destination outside the cluster (the rule has no "to"), a/client[Deployment], b/s1[Deployment]');
    });

    test('peers that all declare the name, a conflicting name (NP010) and Cilium policies (no deviation there) are not reported', () => {
      const toS3 = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: { matchLabels: { app: 's3' } } }];
      const manifests = [...cluster, egress([{ port: 'api' }], toS3)];
      expect(only('NP011', manifests)).toEqual([]);
      expect(deviations(manifests)).toEqual([]);
      expect(only('NP011', [...cluster, egress([{ port: 'web' }])])).toEqual([]);
      expect(only('NP011', [...cluster, ciliumEgress([{ port: 'api' }])])).toEqual([]);
    });
  });

  describe('NP007 on Cilium egress: an undeclared name is resolved from the other pods of the cluster', () => {
    test('the rule allows the number other pods give the name, towards destinations that do not declare it', () => {
      const manifests = [...cluster, cnp('a', 'c', {
        endpointSelector: client, egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b', 'k8s:app': 's1' } }], toPorts: [{ ports: [{ port: 'api', protocol: 'TCP' }] }] }],
      })];
      const f = findings('NP007', manifests);
      expect(f.map(x => [x.field, x.message, x.fix])).toEqual([[
        'spec.egress[0].toPorts[0].ports[0].port',
        'names port "api" (TCP), which no container of the destination workloads (b/s1[Deployment]) declares; Cilium resolves egress named ports once for the whole cluster '
        + '(pkg/types/portmap.go namedPortMultiMap.GetNamedPort), so the rule allows TCP 9000 (declared by b/s3[Deployment]) towards them',
        'write port 9000 if that number is meant, or declare containerPort name "api" in the destination pod templates',
      ]]);
      expect(ConnectivityAnalysis.fromManifests(manifests).isAllowed({ from: 'a/client', to: 'b/s1', port: 9000 }).allowed).toBe(true);
    });

    test('a name no pod declares still allows nothing', () => {
      const manifests = [...cluster, cnp('a', 'c', { endpointSelector: client, egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }], toPorts: [{ ports: [{ port: 'nope' }] }] }] })];
      expect(findings('NP007', manifests).map(x => x.message)).toEqual([
        'names port "nope" (ANY), which no container of the destination workloads (b/s1[Deployment], b/s2[Deployment], b/s3[Deployment], b/s4[Deployment]) declares: the rule allows nothing on it',
      ]);
    });
  });
});

describe('NP012 negative-namespace-selector (cilium/cilium#46949)', () => {
  const cluster = [ns('shop', { team: 'shop' }), ns('other', { team: 'other' }), deploy('shop', 'web', { app: 'web' }), deploy('other', 'client', { app: 'client' })];
  const web = { matchLabels: { app: 'web' } };
  const ingressFrom = (peer: any) => netpol('shop', 'p', { podSelector: web, policyTypes: ['Ingress'], ingress: [{ from: [peer] }] });
  const notShop = { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['shop'] }] };

  test('only NotIn requirements: Cilium also admits identities that are not pods; the message says which, and the fix', () => {
    const manifests = [...cluster, ingressFrom({ namespaceSelector: notShop })];
    expect(findings('NP012', manifests).map(f => [f.severity, f.field, f.message, f.fix])).toEqual([[
      LintSeverity.WARNING, 'spec.ingress[0].from[0].namespaceSelector',
      'has only negative requirements (team NotIn [shop]) and the peer no positive pod requirement: Cilium 1.18 translates it without a namespace requirement '
      + '(pkg/k8s/network_policy.go parseNetworkPolicyPeer; cilium/cilium#46949), so the rule also allows traffic from identities that are not pods: '
      + 'addresses outside the cluster (world, CIDRs) and the entities host, remote-node, init, ingress, health, unmanaged, kube-apiserver; the specification selects only pods of the matching namespaces',
      'add a positive requirement to the namespaceSelector, e.g. {key: kubernetes.io/metadata.name, operator: Exists} (every namespace has that label, so the specification\'s reading is unchanged and Cilium then matches pods only)',
    ]]);
    expect(deviations(manifests)).toEqual(['negative-namespace-selector']);
  });

  test('the suggested fix is a fix under both readings: no deviation, and the specification\'s verdicts are unchanged', () => {
    const fixed = { matchExpressions: [...notShop.matchExpressions, { key: 'kubernetes.io/metadata.name', operator: 'Exists' }] };
    const manifests = [...cluster, ingressFrom({ namespaceSelector: fixed })];
    expect(only('NP012', manifests)).toEqual([]);
    expect(deviations(manifests)).toEqual([]);
    const text = (m: any[], cni: string) => ConnectivityAnalysis.fromManifests(m, { cni }).toText();
    expect(text(manifests, 'kubernetes')).toEqual(text([...cluster, ingressFrom({ namespaceSelector: notShop })], 'kubernetes'));
    expect(text(manifests, 'cilium@1.18')).toEqual(text(manifests, 'kubernetes'));
  });

  test('DoesNotExist too, in egress rules, and with a podSelector of only negative requirements', () => {
    const peer = { namespaceSelector: { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }, podSelector: { matchExpressions: [{ key: 'debug', operator: 'DoesNotExist' }] } };
    const f = findings('NP012', [...cluster, netpol('shop', 'e', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [peer] }] })]);
    expect(f.map(x => x.field)).toEqual(['spec.egress[0].to[0].namespaceSelector']);
    expect(f[0].message).toContain('(legacy DoesNotExist)');
    expect(f[0].message).toContain('the rule also allows traffic to identities that are not pods');
  });

  test.each([
    ['matchLabels', { namespaceSelector: { matchLabels: { team: 'other' } } }],
    ['an In requirement beside the NotIn', { namespaceSelector: { matchExpressions: [...notShop.matchExpressions, { key: 'team', operator: 'In', values: ['other'] }] } }],
    ['an empty namespaceSelector (Cilium adds io.kubernetes.pod.namespace Exists)', { namespaceSelector: {} }],
    ['a positive podSelector requirement', { namespaceSelector: notShop, podSelector: { matchLabels: { app: 'client' } } }],
    ['a podSelector Exists requirement', { namespaceSelector: notShop, podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }],
  ])('not reported: %s', (_what, peer) => {
    const manifests = [...cluster, ingressFrom(peer)];
    expect(only('NP012', manifests)).toEqual([]);
    expect(deviations(manifests)).toEqual([]);
  });

  test('with policy-default-local-cluster (1.19\'s default) only pods carry the required cluster label: not reported', () => {
    const manifests = [...cluster, ingressFrom({ namespaceSelector: notShop })];
    expect(only('NP012', manifests, { ciliumAgent: { policyDefaultLocalCluster: true } })).toEqual([]);
    expect(deviations(manifests, { ciliumAgent: { policyDefaultLocalCluster: true } })).toEqual([]);
    expect(only('NP012', manifests, { ciliumVersion: '1.19' })).toEqual([]);
    expect(deviations(manifests, { cni: 'cilium@1.19' })).toEqual([]);
    expect(only('NP012', manifests, { ciliumVersion: '1.19', ciliumAgent: { policyDefaultLocalCluster: false } })).toEqual(['NP012 spec.ingress[0].from[0].namespaceSelector']);
    expect(deviations(manifests, { cni: 'cilium@1.19', ciliumAgent: { policyDefaultLocalCluster: false } })).toEqual(['negative-namespace-selector']);
  });
});

describe('NP013 rules-outside-policy-types (cilium/cilium#48703)', () => {
  const cluster = [ns('shop'), ns('other'), deploy('shop', 'api', { app: 'api' }), deploy('shop', 'web', { app: 'web' }), deploy('other', 'client', { app: 'client' })];
  const api = { matchLabels: { app: 'api' } };
  const toWeb = [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }];

  test('egress rules with policyTypes [Ingress]: ignored by the specification, enforced by Cilium', () => {
    const manifests = [...cluster, netpol('shop', 'p', { podSelector: api, policyTypes: ['Ingress'], ingress: [{}], egress: toWeb })];
    expect(findings('NP013', manifests).map(f => [f.severity, f.field, f.message, f.fix])).toEqual([[
      LintSeverity.WARNING, 'spec.egress',
      'has 1 rule(s), but policyTypes ["Ingress"] does not list Egress: the specification ignores them (the policy does not isolate egress), '
      + 'while Cilium 1.18 enforces them and isolates egress of the selected pods, dropping all other egress (pkg/k8s/network_policy.go ParseNetworkPolicy; cilium/cilium#48703)',
      'add "Egress" to policyTypes to enforce the rules under every enforcer, or remove spec.egress to leave egress open',
    ]]);
    expect(deviations(manifests)).toEqual(['rules-outside-policy-types']);
  });

  test('ingress rules with policyTypes [Egress]', () => {
    const manifests = [...cluster, netpol('shop', 'p', { podSelector: api, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: {} }] }, { ports: [{ port: 80 }] }], egress: toWeb })];
    const f = findings('NP013', manifests);
    expect(f.map(x => x.field)).toEqual(['spec.ingress']);
    expect(f[0].message).toMatch(/^has 2 rule\(s\), but policyTypes \["Egress"\] does not list Ingress: the specification ignores them \(the policy does not isolate ingress\), while Cilium 1\.18 enforces them and isolates ingress/);
    expect(f[0].fix).toBe('add "Ingress" to policyTypes to enforce the rules under every enforcer, or remove spec.ingress to leave ingress open');
    expect(deviations(manifests)).toEqual(['rules-outside-policy-types']);
  });

  test('both directions listed, or policyTypes left to the defaulting (NP009\'s case, one check per fact): not reported', () => {
    const listed = [...cluster, netpol('shop', 'p', { podSelector: api, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: toWeb })];
    expect(only('NP013', listed)).toEqual([]);
    const defaulted = [...cluster, netpol('shop', 'p', { podSelector: api, egress: toWeb })];
    expect(only('NP013', defaulted)).toEqual([]);
    expect(only('NP009', defaulted)).toEqual(['NP009 spec.policyTypes']);
    expect(deviations(listed)).toEqual([]);
    expect(deviations(defaulted)).toEqual([]);
  });

  test('the fix: the direction added to policyTypes gives the same verdicts under both enforcers', () => {
    const manifests = [...cluster, netpol('shop', 'p', { podSelector: api, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: toWeb })];
    const text = (cni: string) => ConnectivityAnalysis.fromManifests(manifests, { cni }).toText();
    expect(text('cilium@1.18')).toEqual(text('kubernetes'));
  });
});

describe('NP014 identity-filtered-label (src/wire/cilium/identity-labels.ts, pkg/labelsfilter)', () => {
  const cluster = [ns('shop'), deploy('shop', 'db', { 'app': 'db', 'pod-template-hash': 'abc' }), deploy('shop', 'web', { app: 'web' })];
  const fix = (key: string) => `select the pods on a label Cilium keeps (e.g. app or app.kubernetes.io/name from the pod template); if the agent is configured to keep "${key}" (--labels), silence NP014 with a reason`;

  test('a NetworkPolicy podSelector on pod-template-hash: the policy applies to no pod under Cilium', () => {
    const manifests = [...cluster, netpol('shop', 'db', { podSelector: { matchLabels: { 'pod-template-hash': 'abc' } }, ingress: [] })];
    expect(findings('NP014', manifests).map(f => [f.severity, f.field, f.message, f.fix])).toEqual([[
      LintSeverity.WARNING, 'spec.podSelector.matchLabels["pod-template-hash"]',
      'selects on "pod-template-hash", but Cilium\'s default identity label filter leaves it out of security identities (pkg/labelsfilter defaultLabelPrefixCfg), '
      + 'so under Cilium this selector matches no pod: the policy applies to no pod (the specification matches the pod\'s own labels)',
      fix('pod-template-hash'),
    ]]);
    expect(deviations(manifests)).toEqual(['identity-label-filter']);
  });

  test('NetworkPolicy peers, in rules of every direction', () => {
    const manifests = [...cluster, netpol('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'statefulset.kubernetes.io/pod-name', operator: 'In', values: ['db-0'] }] } }] }],
      egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'controller-revision-hash': 'x' } } }] }],
    })];
    expect(findings('NP014', manifests).map(f => `${f.field}: ${/matches no pod: (.*) \(the specification/.exec(f.message)?.[1]}`)).toEqual([
      'spec.egress[0].to[0].podSelector.matchLabels["controller-revision-hash"]: the rule allows nothing to this peer',
      'spec.ingress[0].from[0].podSelector.matchExpressions[0].key: the rule allows nothing from this peer',
    ]);
  });

  test('namespace labels are filtered too: a namespaceSelector on beta.kubernetes.io/arch matches no namespace under Cilium; kubernetes.io/metadata.name is kept', () => {
    const manifests = [...cluster, netpol('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'beta.kubernetes.io/arch': 'amd64' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }],
    })];
    expect(findings('NP014', manifests).map(f => f.field)).toEqual(['spec.ingress[0].from[0].namespaceSelector.matchLabels["beta.kubernetes.io/arch"]']);
    const cnpManifests = [...cluster, cnp('shop', 'c', {
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.beta.kubernetes.io/arch': 'amd64' } }] }],
    })];
    expect(findings('NP014', cnpManifests).map(f => f.field)).toEqual(['spec.ingress[0].fromEndpoints[0].matchLabels["k8s:io.cilium.k8s.namespace.labels.beta.kubernetes.io/arch"]']);
  });

  test('the synth-time lint finds it on constructs', () => {
    const chart = newChart('shop');
    new NetworkPolicy(chart, 'db', { metadata: { name: 'db' }, podSelector: Pods.withLabels({ app: 'db' }) })
      .allowFrom(Pods.withLabels({ 'statefulset.kubernetes.io/pod-name': 'web-0' })).toPort(5432);
    const lint = Lint.enable(chart, { printWarnings: false });
    chart.toJson();
    expect(lint.findings.map(f => `${f.checkId} ${f.field}`)).toEqual(['NP014 spec.ingress[0].from[0].podSelector.matchLabels["statefulset.kubernetes.io/pod-name"]']);
  });

  test('a negative requirement on a dropped label holds for every pod', () => {
    const [f] = findings('NP014', [...cluster, netpol('shop', 'p', { podSelector: { matchExpressions: [{ key: 'pod-template-hash', operator: 'NotIn', values: ['abc'] }] }, ingress: [] })]);
    expect(f.message).toBe('requires "pod-template-hash" NotIn [abc], but Cilium\'s default identity label filter leaves it out of security identities (pkg/labelsfilter defaultLabelPrefixCfg), '
      + 'so under Cilium the requirement holds for every pod and narrows nothing (the specification matches the pod\'s own labels)');
  });

  test('Cilium policies: endpointSelector, fromEndpoints/toEndpoints (k8s: and any: sources), deny rules and toRequires', () => {
    const manifests = [...cluster, cnp('shop', 'c', {
      endpointSelector: { matchLabels: { 'k8s:statefulset.kubernetes.io/pod-name': 'db-0' } },
      ingressDeny: [{ fromEndpoints: [{ matchExpressions: [{ key: 'any:controller-revision-hash', operator: 'DoesNotExist' }] }] }],
      egress: [{ toEndpoints: [{ matchLabels: { app: 'web' } }], toRequires: [{ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }] }],
    }), ccnp('cc', { endpointSelector: { matchLabels: { 'pod-template-generation': '1' } }, ingress: [{}] })];
    expect(findings('NP014', manifests).map(f => `${f.object.name} ${f.field}`)).toEqual([
      'cc spec.endpointSelector.matchLabels["pod-template-generation"]',
      'c spec.egress[0].toRequires[0].matchLabels["batch.kubernetes.io/controller-uid"]',
      'c spec.endpointSelector.matchLabels["k8s:statefulset.kubernetes.io/pod-name"]',
      'c spec.ingressDeny[0].fromEndpoints[0].matchExpressions[0].key',
    ]);
    const byField = (field: string) => findings('NP014', manifests).find(f => f.field === field)!;
    expect(byField('spec.egress[0].toRequires[0].matchLabels["batch.kubernetes.io/controller-uid"]').message)
      .toContain('matches no pod: every allow rule it narrows (of every policy selecting these endpoints) allows nothing to pods');
    expect(byField('spec.endpointSelector.matchLabels["k8s:statefulset.kubernetes.io/pod-name"]').message).not.toContain('specification');
    expect(byField('spec.endpointSelector.matchLabels["k8s:statefulset.kubernetes.io/pod-name"]').fix).toBe(fix('statefulset.kubernetes.io/pod-name'));
  });

  test('a Cilium selector on kubernetes.io/metadata.name is CNP002\'s finding (the namespace was meant), with the filter in its message', () => {
    const f = Linter.lintManifests([cnp('shop', 'c', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'kubernetes.io/metadata.name': 'other' } }] }] })]).findings;
    expect(f.filter(x => x.checkId === 'NP014' || x.checkId === 'CNP002').map(x => [x.checkId, x.message])).toEqual([[
      'CNP002', 'selects on "kubernetes.io/metadata.name", which Cilium reads as a pod label, so the namespace is not selected (and Cilium\'s identity label filter drops it from pods, so it matches no endpoint)',
    ]]);
  });

  test('labels Cilium keeps, reserved: and other sources, namespace labels and host policies are not reported', () => {
    expect(only('NP014', [...cluster, cnp('shop', 'ok', {
      endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'db', 'k8s:io.kubernetes.pod.namespace': 'shop' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'reserved:host': '' } }, { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'x' } }] }],
    }), ccnp('host', { nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'n1' } }, ingress: [{ fromEntities: ['cluster'] }] }),
    netpol('shop', 'np', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }] })])).toEqual([]);
  });
});

describe('NP015 ip-block-selects-namespace-pods (policy-default-local-cluster, Cilium 1.18; cilium/cilium#46305)', () => {
  const cluster = [ns('shop'), deploy('shop', 'web', { app: 'web' }), deploy('shop', 'db', { app: 'db' })];
  const web = { matchLabels: { app: 'web' } };
  const manifests = [...cluster, netpol('shop', 'p', { podSelector: web, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })];
  const local = { policyDefaultLocalCluster: true };

  test('an error: the peer also selects every pod of the namespace', () => {
    const report = Linter.lintManifests(manifests, { ciliumAgent: local });
    expect(report.findings.filter(f => f.checkId === 'NP015').map(f => [f.severity, f.field, f.message, f.fix])).toEqual([[
      LintSeverity.ERROR, 'spec.ingress[0].from[0].ipBlock',
      'is ipBlock 10.0.0.0/8, but with policy-default-local-cluster Cilium 1.18 adds the local cluster requirement to a pod selector this peer does not have '
      + '(pkg/k8s/network_policy.go parseNetworkPolicyPeer), so the peer also selects every pod of namespace shop and the rule allows traffic from all of them (cilium/cilium#46305, fixed in Cilium 1.19 patch releases)',
      'set policy-default-local-cluster to false on the agent (ciliumAgent.policyDefaultLocalCluster), upgrade to a Cilium release with the fix (1.19), or allow the addresses with a CiliumNetworkPolicy toCIDRSet/fromCIDRSet rule instead',
    ]]);
    expect(report.errorCount).toBe(1);
    expect(deviations(manifests, { ciliumAgent: local })).toEqual(['ip-block-selects-namespace']);
  });

  test('egress ipBlock peers too', () => {
    const egress = [...cluster, netpol('shop', 'e', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] })];
    const f = findings('NP015', egress, { ciliumAgent: local });
    expect(f.map(x => x.field)).toEqual(['spec.egress[0].to[0].ipBlock']);
    expect(f[0].message).toContain('the rule allows traffic to all of them');
  });

  test('not reported with the agent default, or on Cilium 1.19 (fixed)', () => {
    expect(only('NP015', manifests)).toEqual([]);
    expect(only('NP015', manifests, { ciliumVersion: '1.19' })).toEqual([]);
    expect(only('NP015', manifests, { ciliumVersion: '1.19', ciliumAgent: local })).toEqual([]);
    expect(deviations(manifests, { cni: 'cilium@1.19' })).toEqual([]);
  });

  test('the suggested CiliumNetworkPolicy fromCIDRSet admits the addresses only', () => {
    const cidr = cnp('shop', 'c', { endpointSelector: web, ingress: [{ fromCIDRSet: [{ cidr: '10.0.0.0/8' }] }] });
    const a = ConnectivityAnalysis.fromManifests([...cluster, cidr], { ...CILIUM, ciliumAgent: local });
    expect(a.isAllowed({ from: 'shop/db', to: 'shop/web' }).allowed).toBe(false);
    expect(a.isAllowed({ from: '10.1.2.3', to: 'shop/web' }).allowed).toBe(true);
    expect(only('NP015', [...cluster, cidr], { ciliumAgent: local })).toEqual([]);
  });
});

describe('CNP006 on fromRequires/toRequires says what they do', () => {
  const policy = cnp('shop', 'r', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'a' } }], fromRequires: [{ matchLabels: { env: 'prod' } }] }] });

  test('they narrow every rule of the direction of every policy selecting the endpoints, and are removed in 1.19', () => {
    const at = (v: string) => findings('CNP006', [policy], { ciliumVersion: v }).map(f => [f.severity, f.message, f.fix]);
    const what = 'fromRequires adds its requirements to the endpoint selectors (fromEndpoints, and NetworkPolicy pod peers) of every ingress allow rule of every policy selecting these endpoints, not only this one, and allows nothing by itself';
    const fix = 'use the required labels in each peer selector (e.g. Endpoints.matching(...) with the extra labels), or a deny rule (cilium/cilium#36649 (deprecated, 1.17), #42615 (removed, 1.19 upgrade notes))';
    expect(at('1.18')).toEqual([[LintSeverity.WARNING, `${what}; fromRequires / toRequires is deprecated since Cilium 1.17 and removed in 1.19`, fix]]);
    expect(at('1.19')).toEqual([[LintSeverity.ERROR, `${what}; fromRequires / toRequires was removed in Cilium 1.19 and the target is Cilium 1.19`, fix]]);
  });
});

describe('the checks are listed', () => {
  test('cdk8s-netpol lint --list names each with its severity and whether it needs workloads', () => {
    const out = runLintCommand([], { list: true }).stdout.split('\n');
    expect(out.filter(l => /^NP01[0-5] /.test(l)).map(l => l.slice(0, l.indexOf(':')))).toEqual([
      'NP010 egress-named-port-conflict (warning, needs workloads)',
      'NP011 egress-named-port-cluster-wide (info, needs workloads)',
      'NP012 negative-namespace-selector (warning)',
      'NP013 rules-outside-policy-types (warning)',
      'NP014 identity-filtered-label (warning)',
      'NP015 ip-block-selects-namespace-pods (error)',
    ]);
  });
});

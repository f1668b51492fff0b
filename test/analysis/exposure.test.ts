// Exposure analysis (src/analysis/exposure.ts): netpol-analyzer's `--exposure` semantics
// (np-guard/netpol-analyzer pkg/netpol/connlist exposure_map.go, pkg/netpol/eval exposure.go) and
// the Cilium extension in our own grammar.
import * as path from 'path';
import { cnp, deploy, netpol, ns } from './helpers';
import { ConnectivityAnalysis, OutputFormat, WorkloadExposure } from '../../src/analysis';

const fixtures = path.join(__dirname, '..', 'cli', 'fixtures', 'exposure');

function exposure(manifests: any[], options = {}): WorkloadExposure[] {
  return ConnectivityAnalysis.fromManifests(manifests, options).exposure();
}

function of(list: WorkloadExposure[], workload: string): WorkloadExposure {
  const w = list.find((e) => e.workload === workload);
  if (!w) throw new Error(`${workload} is not in the exposure report: ${list.map((e) => e.workload).join(', ')}`);
  return w;
}

const shop = () => [ns('shop', { team: 'shop' }), deploy('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]), deploy('shop', 'db', { app: 'db' }, [{ containerPort: 5432 }])];
const WEB = 'shop/web[Deployment]';
const DB = 'shop/db[Deployment]';
const WORLD = '0.0.0.0-255.255.255.255[External]';

describe('NetworkPolicy exposure (netpol-analyzer)', () => {
  test('a workload no policy selects is not protected: open to the entire cluster, its external lines listed', () => {
    const web = of(exposure(shop()), WEB);
    expect(web.ingressProtected).toBe(false);
    expect(web.egressProtected).toBe(false);
    expect(web.ingress).toEqual([
      { peer: WORLD, kind: 'external', connections: 'All Connections' },
      { peer: 'entire-cluster', kind: 'entire-cluster', connections: 'All Connections' },
    ]);
  });

  test('a namespace selector no namespace of the input matches is a representative peer; one a pod of the input matches exactly is not', () => {
    const list = exposure([...shop(), netpol('shop', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { team: 'payments' } } }], ports: [{ port: 5432 }] }],
    })]);
    const db = of(list, DB);
    expect(db.ingressProtected).toBe(true);
    expect(db.ingress).toEqual([{
      peer: '[namespace with {team=payments}]/[all pods]', kind: 'representative', namespaceSelector: '{team=payments}', podSelector: '{}', connections: 'TCP 5432',
    }]);
  });

  test('an empty namespace selector exposes to the entire cluster; named ports stay names on egress and resolve on the workload on ingress', () => {
    const list = exposure([...shop(), netpol('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'http' }] }],
      egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 'http' }] }],
    })]);
    const web = of(list, WEB);
    expect(web.ingress).toEqual([{ peer: 'entire-cluster', kind: 'entire-cluster', connections: 'TCP 8080' }]);
    expect(web.egress).toEqual([{ peer: 'entire-cluster', kind: 'entire-cluster', connections: 'TCP http' }]);
  });

  test('match expressions are written as netpol-analyzer writes them, and never matched away by a pod of the input', () => {
    const list = exposure([...shop(), netpol('shop', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }] }],
    })]);
    expect(of(list, DB).ingress.map((e) => e.peer)).toEqual(['shop/[pod with {{Key:app,Operator:In,Values:[web api],}}]']);
  });

  test('a representative peer that gets what the entire cluster gets is not listed', () => {
    const list = exposure([...shop(), netpol('shop', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: {} }] }, { from: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }] }],
    })]);
    expect(of(list, DB).ingress).toEqual([{ peer: 'entire-cluster', kind: 'entire-cluster', connections: 'All Connections' }]);
  });

  test('an AdminNetworkPolicy deny narrows what a representative peer gets below entire-cluster', () => {
    const anp = {
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'deny-9090' },
      spec: {
        priority: 10,
        subject: { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'web' } } } },
        egress: [
          { name: 'deny', action: 'Deny', to: [{ namespaces: { matchLabels: { team: 'payments' } } }], ports: [{ portNumber: { port: 9090, protocol: 'TCP' } }] },
          { name: 'allow', action: 'Allow', to: [{ namespaces: {} }] },
        ],
      },
    };
    const web = of(exposure([...shop(), anp]), WEB);
    expect(web.egressProtected).toBe(true);
    expect(web.egress.filter((e) => e.kind !== 'external')).toEqual([
      { peer: '[namespace with {team=payments}]/[all pods]', kind: 'representative', namespaceSelector: '{team=payments}', podSelector: '{}', connections: 'SCTP 1-65535,TCP 1-9089,9091-65535,UDP 1-65535' },
      { peer: 'entire-cluster', kind: 'entire-cluster', connections: 'All Connections' },
    ]);
  });
});

describe('ClusterNetworkPolicy (v1alpha2) takes part as AdminNetworkPolicy and BaselineAdminNetworkPolicy do', () => {
  const cnp2 = (name: string, tier: string, priority: number, spec: any) => ({
    apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...spec },
  });

  test('a Baseline Deny protects the workload; the namespaces it names get No Connections, an exception to entire-cluster', () => {
    const db = of(exposure([...shop(), cnp2('baseline', 'Baseline', 10, {
      subject: { pods: { podSelector: { matchLabels: { app: 'db' } } } },
      ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'payments' } } }] }],
    })]), DB);
    expect(db.ingressProtected).toBe(true);
    expect(db.ingress.filter((e) => e.kind !== 'external').map((e) => [e.peer, e.connections])).toEqual([
      ['[namespace with {team=payments}]/[all pods]', 'No Connections'],
      ['entire-cluster', 'All Connections'],
    ]);
  });

  test('an Admin Accept from pods in every namespace, on a named port, under a NetworkPolicy that isolates', () => {
    const db = of(exposure([...shop(), netpol('shop', 'deny', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] }), cnp2('accept', 'Admin', 1, {
      subject: { pods: { podSelector: { matchLabels: { app: 'db' } } } },
      ingress: [{ action: 'Accept', from: [{ pods: { podSelector: { matchLabels: { app: 'client' } } } }], protocols: [{ tcp: { destinationPort: { number: 5432 } } }] }],
    })]), DB);
    expect(db.ingress.map((e) => [e.peer, e.connections])).toEqual([['[all namespaces]/[pod with {app=client}]', 'TCP 5432']]);
  });
});

describe('focus options', () => {
  const manifests = () => [...shop(), netpol('shop', 'db', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }], ports: [{ port: 5432 }] }],
  })];

  test('focus workloads and a direction limit the workloads and the sections', () => {
    const list = exposure(manifests(), { focusWorkloads: ['db'], focusDirection: 'ingress' });
    expect(list.map((e) => e.workload)).toEqual([DB]);
    expect(list[0].egress).toEqual([]);
  });

  test('a focus connection lists the pairs that allow it, under `On TCP 5432`, without unprotected workloads', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests(), { focusConnection: 'tcp-5432' });
    const text = a.formatExposure(OutputFormat.TXT);
    expect(text).toContain('Exposure Analysis Result On TCP 5432:\n');
    expect(text).toContain(`${DB}  \t<= \t[namespace with {team=payments}]/[all pods]\n`);
    expect(text).not.toContain('not protected');
  });

  test('focus workload peers cannot be combined with the exposure analysis (netpol-analyzer would silently drop it)', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests(), { focusWorkloads: ['db'], focusWorkloadPeers: ['web'] });
    expect(() => a.exposure()).toThrow(/exposure: cannot be combined with focusWorkloadPeers/);
  });
});

describe('Cilium policies (our grammar)', () => {
  const analysis = () => ConnectivityAnalysis.fromFiles([path.join(fixtures, 'cilium.yaml')]);

  test('entities, FQDNs and CIDRs of the connection list, and endpoint selectors that reach beyond the input', () => {
    const list = analysis().exposure();
    const web = of(list, WEB);
    expect(web.egress.map((e) => [e.peer, e.kind, e.connections])).toEqual([
      ['api.example.com[FQDN]', 'fqdn', 'TCP 443'],
      ['shop/[endpoints with {app notin (db)}]', 'selector', 'TCP 80'],
      ['{kube-apiserver}', 'entity', 'All Connections'],
    ]);
    expect(web.ingress.map((e) => [e.peer, e.kind, e.connections])).toEqual([
      [WORLD, 'external', 'TCP 443'],
      ['[namespace with {team=payments}]/[all endpoints]', 'selector', 'TCP 8080'],
    ]);
  });

  test('a selector of key=value pairs in one namespace that a pod of the input matches is not exposure; an L4-only rule is the entire cluster', () => {
    const db = of(analysis().exposure(), DB);
    expect(db.ingressProtected).toBe(true);
    expect(db.ingress).toEqual([]);
    expect(db.egress.find((e) => e.peer === 'entire-cluster')).toEqual({ peer: 'entire-cluster', kind: 'entire-cluster', connections: 'UDP 53' });
  });

  test('deny rules are not subtracted from a selector: what it may get is an upper bound, never less', () => {
    const list = exposure([...shop(), cnp('shop', 'web', {
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'payments' } }] }],
      ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'payments', 'role': 'batch' } }], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }],
    })]);
    expect(of(list, WEB).ingress).toEqual([{ peer: '[namespace with {team=payments}]/[all endpoints]', kind: 'selector', connections: 'All Connections' }]);
  });

  test('an ipBlock peer that Cilium 1.18 with policy-default-local-cluster lets select every pod of the policy\'s namespace exposes to them too', () => {
    const policy = netpol('shop', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 5432 }] }],
    });
    const cilium = { cni: 'cilium@1.18', ciliumAgent: { policyDefaultLocalCluster: true } };
    expect(of(exposure([...shop(), policy], cilium), DB).ingress.map((e) => [e.peer, e.connections])).toContainEqual(['shop/[all pods]', 'TCP 5432']);
    expect(of(exposure([...shop(), policy]), DB).ingress.map((e) => e.peer)).toEqual(['10.0.0.0-10.255.255.255[External]']);
  });

  test('a NetworkPolicy analysed as Cilium enforces it still gets netpol-analyzer representative peers', () => {
    const list = exposure([...shop(), netpol('shop', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }] }],
    })], { cni: 'cilium@1.18' });
    expect(of(list, DB).ingress.map((e) => e.peer)).toEqual(['[namespace with {team=payments}]/[all pods]']);
  });
});

describe('formats', () => {
  const a = () => ConnectivityAnalysis.fromFiles([path.join(fixtures, 'kubernetes.yaml')]);

  test('text: the connection list, a blank line, the aligned sections', () => {
    expect(a().formatExposure(OutputFormat.TXT)).toBe([
      'shop/web[Deployment] => shop/db[Deployment] : TCP 5432',
      '',
      'Exposure Analysis Result:',
      'Egress Exposure:',
      'shop/web[Deployment] \t=> \tentire-cluster : UDP 53',
      '',
      'Ingress Exposure:',
      'shop/db[Deployment]  \t<= \t[namespace with {team=payments}]/[all pods] : TCP 5432',
      'shop/web[Deployment] \t<= \tentire-cluster : TCP 8080',
      'shop/web[Deployment] \t<= \tshop/[pod with {{Key:tier,Operator:Exists,Values:[],}}] : All Connections',
      '',
    ].join('\n'));
  });

  test('json: connlist_results and exposure_results; a direction without lines is null, as Go writes a nil list', () => {
    const j = JSON.parse(ConnectivityAnalysis.fromManifests(shop().slice(0, 2).concat([netpol('shop', 'web', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })])).formatExposure(OutputFormat.JSON));
    expect(j).toEqual({ connlist_results: [], exposure_results: { egress_exposure: null, ingress_exposure: null } });
  });

  test('every format, as a snapshot', () => {
    const formats = [OutputFormat.TXT, OutputFormat.JSON, OutputFormat.CSV, OutputFormat.MD, OutputFormat.DOT];
    const out = Object.fromEntries(formats.map((f) => [f, a().formatExposure(f)]));
    expect(out).toMatchSnapshot();
  });

  test('dot: representative peers in a red group of their namespace, entire-cluster a diamond, exposure edges dashed', () => {
    const dot = a().formatExposure(OutputFormat.DOT);
    expect(dot).toContain('\tsubgraph "cluster_namespace with {team=payments}[namespace]" {\n\t\tcolor="red2"\n\t\tfontcolor="red2"\n\t\t"all pods_in_namespace with {team=payments}" [label="all pods" color="red2" fontcolor="red2"]\n');
    expect(dot).toContain('\t"all pods_in_namespace with {team=payments}" -> "shop/db[Deployment]" [label="TCP 5432" color="darkorange2" fontcolor="darkgreen" weight=1 style=dashed]\n');
    expect(dot).toContain('\t"shop/web[Deployment]" -> "entire-cluster" [label="UDP 53" color="darkorange4" fontcolor="darkgreen" weight=0.5 style=dashed]\n');
  });

  test('formats netpol-analyzer has no exposure report for are refused', () => {
    expect(() => a().formatExposure(OutputFormat.MERMAID)).toThrow(/format: "mermaid" has no exposure report; use txt, json, csv, md, dot or svg/);
  });

  test('the exposure is computed only when asked', () => {
    const analysis = a();
    analysis.toText();
    expect((analysis as any).cachedExposure).toBeUndefined();
    analysis.exposure();
    expect((analysis as any).cachedExposure).toBeDefined();
  });
});

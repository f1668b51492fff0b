/**
 * Cilium rules whose peers or subjects are not pods: nodes (`toNodes`/`fromNodes`, host policies),
 * cloud groups (`toGroups`/`fromGroups`), plus `*Requires` and `toServices` namespaces.
 */
import { analyze as analyzeWithDefaults, baseCluster, API, CLIENT, ccnp, cnp, netpol, WEB } from './helpers';
import { ConnectivityAnalysis } from '../../src/analysis';

/** fromNodes/toNodes need the agent's enable-node-selector-labels (off by default). */
const NODE_SELECTOR_LABELS = { ciliumAgent: { enableNodeSelectorLabels: true } };
const analyze = (manifests: any[]) => ConnectivityAnalysis.fromManifests(manifests, NODE_SELECTOR_LABELS);

function node(name: string, labels: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } };
}

const api = { matchLabels: { app: 'api' } };
const nodes = () => [node('cp-1', { 'node-role.kubernetes.io/control-plane': '' }), node('worker-1', { pool: 'general' })];
const messages = (a: ReturnType<typeof analyze>) => a.diagnostics.map((d) => d.message).join('\n');

describe('Cilium toNodes / fromNodes', () => {
  test('toNodes selects Node objects by their labels; other nodes stay denied', () => {
    const a = analyze([...baseCluster(), ...nodes(), cnp('shop', 'p', {
      endpointSelector: api,
      egress: [{ toNodes: [{ matchLabels: { 'node-role.kubernetes.io/control-plane': '' } }], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] }],
    })]);
    expect(a.explain({ from: 'shop/api', to: 'cp-1' }).connections).toBe('TCP 6443');
    expect(a.isAllowed({ from: 'shop/api', to: 'worker-1' }).allowed).toBe(false);
    expect(a.toText()).toContain(`${API} => cp-1[Node] : TCP 6443`);
  });

  test('fromNodes allows ingress from the selected nodes', () => {
    const a = analyze([...baseCluster(), ...nodes(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromNodes: [{ matchLabels: { pool: 'general' } }] }] })]);
    expect(a.isAllowed({ from: 'worker-1', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'cp-1', to: 'shop/api' }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
  });

  test('Node peers are remote nodes: remote-node and cluster match them, host does not (the pod\'s own node stays {host})', () => {
    const remote = analyze([...baseCluster(), ...nodes(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEntities: ['remote-node'] }] })]);
    expect(remote.isAllowed({ from: 'cp-1', to: 'shop/api' }).allowed).toBe(true);
    expect(remote.toText()).not.toContain('{remote-node}'); // the Node peers replace the stand-in
    const host = analyze([...baseCluster(), ...nodes(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEntities: ['host'] }] })]);
    expect(host.isAllowed({ from: 'cp-1', to: 'shop/api' }).allowed).toBe(false);
    expect(host.isAllowed({ from: '{host}', to: 'shop/api' }).allowed).toBe(true);
    const cluster = analyze([...baseCluster(), ...nodes(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEntities: ['cluster'] }] })]);
    expect(cluster.isAllowed({ from: 'worker-1', to: 'shop/api' }).allowed).toBe(true);
    expect(cluster.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(false);
  });

  test('a reserved:remote-node endpoint selector matches Node peers; a plain one does not', () => {
    const a = analyze([...baseCluster(), ...nodes(), ccnp('p', {
      endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { 'reserved:remote-node': '' } }] }, { fromEndpoints: [{ matchLabels: { pool: 'general' } }] }],
    })]);
    expect(a.isAllowed({ from: 'cp-1', to: 'shop/api' }).allowed).toBe(true);
    const plain = analyze([...baseCluster(), ...nodes(), ccnp('p', { endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { pool: 'general' } }] }] })]);
    expect(plain.isAllowed({ from: 'worker-1', to: 'shop/api' }).allowed).toBe(false);
  });

  test('Cilium rejects toNodes unless enable-node-selector-labels is set (rule_validation.go ErrFromToNodesRequiresNodeSelectorOption)', () => {
    const a = analyzeWithDefaults([...baseCluster(), ...nodes(), cnp('shop', 'p', { endpointSelector: api, egress: [{ toNodes: [{}] }] })]);
    expect(messages(a)).toBe('CiliumNetworkPolicy shop/p spec.egress[0].toNodes: 1 toNodes rules need the agent flag --enable-node-selector-labels, which is off by default;'
      + ' set enable-node-selector-labels in Cilium and say so with the ciliumAgent option (enableNodeSelectorLabels: true), or use toEntities: [remote-node]'
      + ' (Cilium rejects this policy and enforces none of it; it is not analysed)');
    expect(a.isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(true); // the policy does not exist
  });

  test('without Node manifests toNodes matches nothing, with a warning', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, egress: [{ toNodes: [{}] }] })]);
    expect(messages(a)).toMatch(/spec.egress\[0\].toNodes: no Node is among the manifests; it matches nothing/);
    expect(a.toText()).not.toMatch(/\[Node\]|remote-node/);
    expect(a.isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(false); // egress is isolated, nothing allowed
  });
});

describe('Cilium host policies (nodeSelector)', () => {
  const hostPolicy = ccnp('ssh', {
    nodeSelector: { matchLabels: { pool: 'general' } },
    ingress: [{ fromCIDR: ['10.0.0.0/8'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }, { fromEntities: ['cluster'] }],
  });

  test('the policy isolates the selected nodes only, and applies its rules to them', () => {
    const a = analyze([...baseCluster(), ...nodes(), hostPolicy]);
    expect(a.explain({ from: '10.1.2.3', to: 'worker-1' }).connections).toBe('TCP 22');
    expect(a.isAllowed({ from: '8.8.8.8', to: 'worker-1' }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'shop/web', to: 'worker-1' }).allowed).toBe(true);
    expect(a.isAllowed({ from: '8.8.8.8', to: 'cp-1' }).allowed).toBe(true); // not selected
    const e = a.explain({ from: '8.8.8.8', to: 'worker-1', port: 22 });
    expect(e.ingress.isolatedBy).toEqual(['CiliumClusterwideNetworkPolicy ssh']);
  });

  test('pairs between a node that a host policy selects and outside peers are listed too', () => {
    const text = analyze([...baseCluster(), ...nodes(), hostPolicy]).toText();
    expect(text).toContain('10.0.0.0-10.255.255.255[External] => worker-1[Node] : TCP 22');
    expect(text).toContain('cp-1[Node] => worker-1[Node] : All Connections');
    expect(text).not.toMatch(/\[External\] => cp-1\[Node\]/); // cp-1 is not selected by a host policy
    const noHost = analyze([...baseCluster(), ...nodes()]).toText();
    expect(noHost).not.toMatch(/\[External\] => cp-1\[Node\]/);
    expect(noHost).not.toContain('[Node]'); // Kubernetes-only input: as netpol-analyzer, no node peers
    const cilium = analyze([...baseCluster(), ...nodes(), cnp('shop', 'p', { endpointSelector: api, ingress: [{}] })]).toText();
    expect(cilium).toContain(`${WEB} => cp-1[Node] : All Connections`);
  });

  test('--focus takes a node name', () => {
    const a = ConnectivityAnalysis.fromManifests([...baseCluster(), ...nodes(), hostPolicy], { focusWorkload: 'worker-1' });
    const text = a.toText().trimEnd().split('\n');
    expect(text).toContain('10.0.0.0-10.255.255.255[External] => worker-1[Node] : TCP 22');
    for (const l of text) expect(l).toContain('worker-1[Node]');
  });

  test('bad host policies are reported with the fix', () => {
    const onCnp = analyze([...baseCluster(), ...nodes(), cnp('shop', 'h', { nodeSelector: {}, ingress: [{}] })]);
    expect(messages(onCnp)).toMatch(/spec.nodeSelector: {} is not allowed in a CiliumNetworkPolicy \("rule cannot have NodeSelector"\); move this rule to a CiliumClusterwideNetworkPolicy/);
    const both = analyze([...baseCluster(), ...nodes(), ccnp('h', { nodeSelector: {}, endpointSelector: {}, ingress: [{}] })]);
    expect(messages(both)).toMatch(/spec: "both selectors" has both endpointSelector and nodeSelector; keep one/);
    const noNodes = analyze([...baseCluster(), hostPolicy]);
    expect(messages(noNodes)).toMatch(/a host policy applies to nodes, and no Node is among the manifests; add the Node manifests/);
  });
});

describe('Cilium toGroups / fromGroups', () => {
  test('groups are named outside peers; world and 0.0.0.0/0 reach them too', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: api,
      egress: [{ toGroups: [{ aws: { securityGroupsIds: ['sg-1', 'sg-2'], region: 'eu-west-1' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }],
      ingress: [{ fromGroups: [{ aws: { labels: { tier: 'lb' } } }] }],
    })]);
    expect(a.toText()).toContain(`${API} => aws:region=eu-west-1,sg-1,sg-2[Group] : TCP 5432`);
    expect(a.isAllowed({ from: 'aws:tier=lb', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/api', to: '8.8.8.8' }).allowed).toBe(false);
    const world = analyze([...baseCluster(),
      cnp('shop', 'p', { endpointSelector: api, egress: [{ toGroups: [{ aws: { securityGroupsNames: ['db'] } }] }] }),
      cnp('shop', 'w', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEntities: ['world'] }] }),
      netpol('other', 'c', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })]);
    expect(world.isAllowed({ from: 'shop/web', to: 'aws:name=db' }).allowed).toBe(true);
    expect(world.isAllowed({ from: 'other/client', to: 'aws:name=db' }).allowed).toBe(false); // a narrower CIDR may not contain it
  });

  test('a group other than aws is an error that says what Cilium supports', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, egress: [{ toGroups: [{ gcp: {} }] }] })]);
    expect(messages(a)).toMatch(/spec.egress\[0\].toGroups\[0\]: only aws groups are supported by Cilium/);
  });
});

describe('Cilium fromRequires / toRequires (Cilium 1.18; removed in 1.19)', () => {
  test('a requirement narrows the endpoint selectors of every rule selecting the endpoint, Kubernetes policies included', () => {
    const a = analyze([...baseCluster(),
      cnp('shop', 'req', { endpointSelector: api, ingress: [{ fromRequires: [{ matchLabels: { app: 'web' } }], fromEndpoints: [{ matchLabels: { app: 'nothing' } }] }] }),
      cnp('shop', 'all', { endpointSelector: api, ingress: [{ fromEntities: ['world'] }, { fromEndpoints: [{}] }] }),
      netpol('shop', 'np', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false); // NetworkPolicy narrowed too
    expect(a.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(true); // entities are not narrowed
    expect(a.explain({ from: 'shop/web', to: 'shop/api' }).ingress.allowedBy.map((r) => r.rule).join('\n'))
      .toMatch(/CiliumNetworkPolicy shop\/all ingress rule #2 \(narrowed by CiliumNetworkPolicy shop\/req ingress rule #1 fromRequires\[0\]\)/);
    expect(messages(a)).toMatch(/spec.ingress\[0\].fromRequires is deprecated since Cilium 1.17 and removed in 1.19/);
  });

  test('requirements allow nothing by themselves and leave unselected endpoints alone', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'req', { endpointSelector: api, ingress: [{ fromRequires: [{ matchLabels: { app: 'web' } }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/web' }).allowed).toBe(true);
  });

  test('a CNP requirement is scoped to the policy namespace like any endpoint selector', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'req', {
      endpointSelector: api, ingress: [{ fromRequires: [{}], fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'other' } }, { matchLabels: { app: 'web' } }] }],
    })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
  });

  test('toRequires narrows egress allow rules; deny requirements narrow deny rules only', () => {
    const eg = analyze([...baseCluster(), cnp('shop', 'req', {
      endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toRequires: [{ matchLabels: { tier: 'backend' } }], toEndpoints: [{}] }],
    })]);
    expect(eg.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(eg.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(false);
    const deny = analyze([...baseCluster(), cnp('shop', 'd', {
      endpointSelector: api,
      ingress: [{ fromEntities: ['all'] }],
      ingressDeny: [{ fromRequires: [{ matchLabels: { app: 'web' } }], fromEndpoints: [{}] }],
    })]);
    expect(deny.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(deny.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
  });
});

describe('Cilium toServices namespaces', () => {
  const svc = (namespace: string, name: string, selector: Record<string, string>) =>
    ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port: 80 }] } });

  test('k8sService without a namespace selects the Service of that name in every namespace', () => {
    const a = analyze([...baseCluster(), svc('other', 'backend', { app: 'client' }), svc('shop', 'backend', { app: 'api' }),
      cnp('shop', 'p', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toServices: [{ k8sService: { serviceName: 'backend' } }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(true);
    const scoped = analyze([...baseCluster(), svc('other', 'backend', { app: 'client' }), svc('shop', 'backend', { app: 'api' }),
      cnp('shop', 'p', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toServices: [{ k8sService: { serviceName: 'backend', namespace: 'shop' } }] }] })]);
    expect(scoped.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(false);
    expect(scoped.toText()).toContain(`${WEB} => ${API} : All Connections`);
    expect(scoped.toText()).not.toContain(`${WEB} => ${CLIENT}`);
  });
});

describe('CiliumNetworkPolicy endpointSelector namespace', () => {
  test('a namespace in the endpointSelector matchLabels is replaced by the policy\'s own, as Cilium does', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: { matchLabels: { 'app': 'api', 'k8s:io.kubernetes.pod.namespace': 'other' } }, ingress: [{}],
    })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(messages(a)).toMatch(/endpointSelector.matchLabels\["k8s:io.kubernetes.pod.namespace"\]: "other" is replaced by the policy's namespace shop/);
  });
});

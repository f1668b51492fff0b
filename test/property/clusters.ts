/**
 * Random small clusters for the oracle property (test/analysis/oracle.test.ts): 2-4 namespaces
 * with random labels, 3-8 workloads (Deployments and bare Pods) with labels and container ports
 * from a small vocabulary (named ports sometimes conflicting across pods), and 1-6 policies mixing
 * NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy from a vocabulary that hits
 * every rule the oracle knows (negative selectors, namespace-label keys, entities, CIDRs with
 * except, deny rules, policyTypes that leave out a direction with rules, ...). Every manifest is
 * valid: the strict reader accepts it (the property checks that it reports nothing).
 *
 * Also: the probes of a cluster (every ordered pair with a workload, external addresses at the edges
 * of every prefix, entities named by policies, x TCP/UDP/SCTP x the ports rules and pods name) and
 * a feature detector over the manifests, for the coverage counter.
 */
import * as fc from 'fast-check';
import { OracleProbe, PROTOCOLS } from './oracle';

/** The seed of the oracle property (set FC_SEED to replay another). */
export const ORACLE_SEED = Number(process.env.FC_SEED ?? 20260611);

const NAMESPACES = ['shop', 'data', 'ops', 'dev'];
const APPS = ['web', 'api', 'db', 'cache'];

/** Container ports: names repeat with different numbers (a conflict when two pods use both). */
const CONTAINER_PORTS = [
  { name: 'http', containerPort: 80 },
  { name: 'http', containerPort: 8080 },
  { name: 'https', containerPort: 443 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'dns-tcp', containerPort: 53 },
  { name: 'metrics', containerPort: 9090 },
  { name: 'db', containerPort: 5432 },
  { name: 'sig', containerPort: 3868, protocol: 'SCTP' },
  { containerPort: 7000 },
  { name: 'metrics', containerPort: 9100 },
];
const PORT_NAMES = ['http', 'https', 'dns', 'dns-tcp', 'metrics', 'db', 'sig', 'grpc'];
const PORT_NUMBERS = [53, 80, 443, 3868, 5432, 7000, 8080, 9090];
const PORT_RANGES: [number, number][] = [[8000, 8100], [9000, 9999], [1, 1024], [30000, 32767]];

/** ipBlock / CIDRSet entries: prefixes with exceptions inside them. */
const CIDR_RULES = [
  { cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] },
  { cidr: '10.0.0.0/8' },
  { cidr: '192.168.0.0/16', except: ['192.168.1.0/24', '192.168.128.0/17'] },
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] },
  { cidr: '0.0.0.0/0' },
  { cidr: '203.0.113.0/24' },
  { cidr: '8.8.8.8/32' },
  { cidr: '172.16.0.0/12', except: ['172.20.0.0/16'] },
];
/** fromCIDR/toCIDR entries (the CRD schema wants a prefix, so no bare address). */
const CIDRS = ['10.0.0.0/8', '192.168.0.0/16', '198.51.100.0/24', '8.8.4.4/32', '0.0.0.0/0'];
const ENTITIES = ['world', 'cluster', 'all', 'host', 'remote-node', 'kube-apiserver'];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
/** `a` or undefined, in the odds value:nil. */
const maybe = <T>(a: fc.Arbitrary<T>, value = 1, nil = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: nil, arbitrary: fc.constant(undefined) }, { weight: value, arbitrary: a });
const some = <T>(a: fc.Arbitrary<T>, max: number, min = 1) => fc.array(a, { minLength: min, maxLength: max });

/** Drops undefined fields, so that manifests show only what is set. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// Selectors. `ns` stands for a namespace name of the cluster, filled in when it is built.
// ---------------------------------------------------------------------------------------------

type Build<T> = (c: { namespaces: string[] }) => T;

const podSelector: fc.Arbitrary<any> = fc.oneof(
  fc.constant({}),
  pick(APPS).map((app) => ({ matchLabels: { app } })),
  pick(['front', 'back']).map((tier) => ({ matchLabels: { tier } })),
  fc.uniqueArray(pick(APPS), { minLength: 1, maxLength: 2 }).map((values) => ({ matchExpressions: [{ key: 'app', operator: 'In', values }] })),
  pick(APPS).map((app) => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app] }] })),
  pick(['Exists', 'DoesNotExist']).map((operator) => ({ matchExpressions: [{ key: 'tier', operator }] })),
  // dropped by Cilium's identity label filter
  fc.constant({ matchLabels: { 'pod-template-hash': 'h1' } }),
  fc.constant({ matchLabels: { 'app.kubernetes.io/part-of': 'shop' } }),
  fc.tuple(pick(APPS), pick(['front', 'back'])).map(([app, tier]) => ({ matchLabels: { app }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [tier] }] })),
);

const namespaceSelector: fc.Arbitrary<Build<any>> = fc.oneof(
  fc.constant(() => ({})),
  pick(['blue', 'red']).map((team) => () => ({ matchLabels: { team } })),
  fc.nat(3).map((i) => (c: { namespaces: string[] }) => ({ matchLabels: { 'kubernetes.io/metadata.name': c.namespaces[i % c.namespaces.length] } })),
  // only negative requirements: Cilium lets these select non-pod identities too
  fc.constant(() => ({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] })),
  fc.constant(() => ({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] })),
  fc.constant(() => ({ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }] })),
  fc.constant(() => ({ matchLabels: { 'beta.kubernetes.io/arch': 'amd64' } })),
);

/** Cilium endpoint selectors of peers (fromEndpoints/toEndpoints). */
const endpointSelector: fc.Arbitrary<Build<any>> = fc.oneof(
  fc.constant(() => ({})),
  podSelector.map((s) => () => s),
  pick(APPS).map((app) => () => ({ matchLabels: { 'k8s:app': app } })),
  fc.tuple(fc.nat(3), pick(['k8s:', ''])).map(([i, src]) => (c: { namespaces: string[] }) => ({ matchLabels: { [`${src}io.kubernetes.pod.namespace`]: c.namespaces[i % c.namespaces.length] } })),
  fc.tuple(fc.nat(3), fc.nat(3)).map(([i, j]) => (c: { namespaces: string[] }) => ({
    matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: [...new Set([c.namespaces[i % c.namespaces.length], c.namespaces[j % c.namespaces.length]])] }],
  })),
  fc.tuple(pick(['blue', 'red']), pick(['k8s:', ''])).map(([team, src]) => () => ({ matchLabels: { [`${src}io.cilium.k8s.namespace.labels.team`]: team } })),
  fc.constant(() => ({ matchExpressions: [{ key: 'io.cilium.k8s.namespace.labels.env', operator: 'NotIn', values: ['prod'] }] })),
  fc.constant(() => ({ matchExpressions: [{ key: 'k8s:io.cilium.k8s.namespace.labels.team', operator: 'DoesNotExist' }] })),
  fc.tuple(pick(APPS), pick(['blue', 'red'])).map(([app, team]) => () => ({ matchLabels: { app, 'io.cilium.k8s.namespace.labels.team': team } })),
  pick(['sa-a', 'default']).map((sa) => () => ({ matchLabels: { 'io.cilium.k8s.policy.serviceaccount': sa } })),
  fc.constant(() => ({ matchLabels: { 'io.cilium.k8s.namespace.labels.beta.kubernetes.io/arch': 'amd64' } })),
  pick(['host', 'remote-node', 'kube-apiserver']).map((e) => () => ({ matchLabels: { [`reserved:${e}`]: '' } })),
);

/** Subjects of CNPs and CCNPs (endpointSelector). */
const subjectSelector = (clusterwide: boolean): fc.Arbitrary<Build<any>> => fc.oneof(
  { weight: 4, arbitrary: podSelector.map((s) => () => s) },
  { weight: 1, arbitrary: pick(APPS).map((app) => () => ({ matchLabels: { 'k8s:app': app } })) },
  {
    weight: 1,
    // a CCNP may name namespaces; a CNP's own namespace match is overwritten by its namespace
    arbitrary: fc.tuple(fc.nat(3), pick(APPS)).map(([i, app]) => (c: { namespaces: string[] }) => ({
      matchLabels: { 'k8s:io.kubernetes.pod.namespace': c.namespaces[i % c.namespaces.length], ...(clusterwide ? {} : { app }) },
    })),
  },
  { weight: 1, arbitrary: pick(['blue', 'red']).map((team) => () => ({ matchLabels: { 'io.cilium.k8s.namespace.labels.team': team } })) },
  // without a source: not the key ParseToCiliumRule sets, so it must match too
  { weight: 1, arbitrary: fc.nat(3).map((i) => (c: { namespaces: string[] }) => ({ matchLabels: { 'io.kubernetes.pod.namespace': c.namespaces[i % c.namespaces.length] } })) },
);

// ---------------------------------------------------------------------------------------------
// NetworkPolicy
// ---------------------------------------------------------------------------------------------

const npPort: fc.Arbitrary<any> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(pick(PORT_NUMBERS), maybe(pick(['TCP', 'UDP', 'SCTP']))).map(([port, protocol]) => compact({ port, protocol })) },
  { weight: 2, arbitrary: fc.tuple(pick(PORT_RANGES), maybe(pick(['TCP', 'UDP']))).map(([[port, endPort], protocol]) => compact({ port, endPort, protocol })) },
  { weight: 3, arbitrary: fc.tuple(pick(PORT_NAMES), maybe(pick(['TCP', 'UDP', 'SCTP']))).map(([port, protocol]) => compact({ port, protocol })) },
  { weight: 1, arbitrary: pick(['TCP', 'UDP', 'SCTP']).map((protocol) => ({ protocol })) },
);

const npPeer: fc.Arbitrary<Build<any>> = fc.oneof(
  { weight: 3, arbitrary: podSelector.map((pods) => () => ({ podSelector: pods })) },
  { weight: 3, arbitrary: namespaceSelector.map((ns) => (c: { namespaces: string[] }) => ({ namespaceSelector: ns(c) })) },
  {
    weight: 2,
    arbitrary: fc.tuple(namespaceSelector, podSelector)
      .map(([ns, pods]) => (c: { namespaces: string[] }) => ({ namespaceSelector: ns(c), podSelector: pods })),
  },
  { weight: 2, arbitrary: pick(CIDR_RULES).map((ipBlock) => () => ({ ipBlock })) },
);

const npRule = (peerField: 'from' | 'to'): fc.Arbitrary<Build<any>> => fc.record({
  peers: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: some(npPeer, 2) }),
  ports: maybe(some(npPort, 2)),
}).map(({ peers, ports }) => (c) => compact({ [peerField]: peers?.map((p) => p(c)), ports }));

const networkPolicy: fc.Arbitrary<Build<any>> = fc.record({
  ns: fc.nat(3),
  podSelector,
  policyTypes: pick([undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']]),
  ingress: maybe(some(npRule('from'), 3, 0)),
  egress: maybe(some(npRule('to'), 3, 0)),
}).map((p) => (c: { namespaces: string[] }) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: '', namespace: c.namespaces[p.ns % c.namespaces.length] },
  spec: compact({ podSelector: p.podSelector, policyTypes: p.policyTypes, ingress: p.ingress?.map((r) => r(c)), egress: p.egress?.map((r) => r(c)) }),
}));

// ---------------------------------------------------------------------------------------------
// CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy
// ---------------------------------------------------------------------------------------------

const ciliumPortProtocol: fc.Arbitrary<any> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(pick(PORT_NUMBERS), maybe(pick(['TCP', 'UDP', 'SCTP', 'ANY']))).map(([port, protocol]) => compact({ port: String(port), protocol })) },
  { weight: 2, arbitrary: fc.tuple(pick(PORT_RANGES), maybe(pick(['TCP', 'UDP', 'ANY']))).map(([[port, endPort], protocol]) => compact({ port: String(port), endPort, protocol })) },
  { weight: 3, arbitrary: fc.tuple(pick(PORT_NAMES), maybe(pick(['TCP', 'UDP', 'SCTP', 'ANY']))).map(([port, protocol]) => compact({ port, protocol })) },
  { weight: 1, arbitrary: maybe(pick(['TCP', 'UDP', 'SCTP', 'ANY'])).map((protocol) => compact({ port: '0', protocol })) },
);

/** One Cilium rule: at most one kind of L3 peer (Cilium rejects combinations), maybe toPorts; or empty. */
const ciliumRule = (dir: 'from' | 'to', deny: boolean): fc.Arbitrary<Build<any>> => fc.record({
  l3: fc.oneof(
    { weight: 3, arbitrary: some(endpointSelector, 2).map((ss) => (c: { namespaces: string[] }) => ({ [`${dir}Endpoints`]: ss.map((s) => s(c)) })) },
    { weight: 2, arbitrary: fc.uniqueArray(pick(ENTITIES), { minLength: 1, maxLength: 2 }).map((es) => () => ({ [`${dir}Entities`]: es })) },
    { weight: 1, arbitrary: fc.uniqueArray(pick(CIDRS), { minLength: 1, maxLength: 2 }).map((cs) => () => ({ [`${dir}CIDR`]: cs })) },
    { weight: 2, arbitrary: some(pick(CIDR_RULES), 2).map((cs) => () => ({ [`${dir}CIDRSet`]: cs })) },
    { weight: 2, arbitrary: fc.constant(() => ({})) },
  ),
  toPorts: maybe(some(fc.oneof(
    { weight: 12, arbitrary: some(ciliumPortProtocol, 2).map((ports) => ({ ports })) },
    // a port rule without ports (see ClusterOptions.emptyPortRules)
    { weight: 1, arbitrary: fc.constantFrom({}, { ports: [] }) },
  ), 2)),
}).map((r) => (c: { namespaces: string[] }) => {
  const l3 = r.l3(c);
  // an empty deny rule denies nothing (the corpus does not cover it): deny rules get a peer or ports
  if (deny && !Object.keys(l3).length && !r.toPorts) return { [`${dir}Entities`]: ['world'] };
  return compact({ ...l3, toPorts: r.toPorts });
});

/** One Cilium rule (a `spec`, or one of `specs`). */
const ciliumSpec = (clusterwide: boolean): fc.Arbitrary<Build<any>> => fc.record({
  endpointSelector: subjectSelector(clusterwide),
  ingress: maybe(some(ciliumRule('from', false), 3), 2, 1),
  ingressDeny: maybe(some(ciliumRule('from', true), 2), 1, 3),
  egress: maybe(some(ciliumRule('to', false), 3)),
  egressDeny: maybe(some(ciliumRule('to', true), 2), 1, 3),
  enableDefaultDeny: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: pick([{ ingress: false }, { egress: false }, { ingress: false, egress: false }, { ingress: true, egress: false }]) },
  ),
}).map((p) => (c: { namespaces: string[] }) => {
  const rules = (key: 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny') => p[key]?.map((r) => r(c));
  const spec: any = compact({
    endpointSelector: p.endpointSelector(c),
    ingress: rules('ingress'),
    ingressDeny: rules('ingressDeny'),
    egress: rules('egress'),
    egressDeny: rules('egressDeny'),
    enableDefaultDeny: p.enableDefaultDeny,
  });
  // Cilium rejects a rule without any ingress/egress rule: give it an empty one (default deny)
  return !spec.ingress && !spec.ingressDeny && !spec.egress && !spec.egressDeny ? { ...spec, ingress: [{}] } : spec;
});

const ciliumPolicy = (clusterwide: boolean): fc.Arbitrary<Build<any>> => fc.record({
  ns: fc.nat(3),
  // mostly `spec`, sometimes `specs` (several rules in one policy)
  specs: fc.oneof({ weight: 6, arbitrary: some(ciliumSpec(clusterwide), 1) }, { weight: 1, arbitrary: some(ciliumSpec(clusterwide), 2, 2) }),
}).map((p) => (c: { namespaces: string[] }) => {
  const specs = p.specs.map((s) => s(c));
  return {
    apiVersion: 'cilium.io/v2',
    kind: clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
    metadata: clusterwide ? { name: '' } : { name: '', namespace: c.namespaces[p.ns % c.namespaces.length] },
    ...(specs.length === 1 ? { spec: specs[0] } : { specs }),
  };
});

const policy: fc.Arbitrary<Build<any>> = fc.oneof(
  { weight: 4, arbitrary: networkPolicy },
  { weight: 4, arbitrary: ciliumPolicy(false) },
  { weight: 2, arbitrary: ciliumPolicy(true) },
);

// ---------------------------------------------------------------------------------------------
// Namespaces and workloads
// ---------------------------------------------------------------------------------------------

const namespaceLabels = fc.record({
  team: maybe(pick(['blue', 'red']), 2, 1),
  env: maybe(pick(['prod', 'dev']), 2, 1),
  arch: maybe(fc.constant('amd64'), 1, 6),
}).map(({ team, env, arch }) => compact({ team, env, 'beta.kubernetes.io/arch': arch }));

const workload = fc.record({
  // OwnedPods: one or two Pods with a ReplicaSet as controller owner (one workload, named by the owner)
  kind: fc.oneof({ weight: 3, arbitrary: pick(['Deployment', 'Pod']) }, { weight: 1, arbitrary: fc.constant('OwnedPods') }),
  copies: fc.integer({ min: 1, max: 2 }),
  // ports in a second container (a pod's named ports span its containers)
  split: fc.boolean(),
  ns: fc.nat(3),
  app: maybe(pick(APPS), 6, 1),
  tier: maybe(pick(['front', 'back'])),
  partOf: maybe(fc.constant('shop'), 1, 3),
  hash: maybe(fc.constant('h1'), 1, 3),
  // a label under io.cilium.k8s (see ClusterOptions.ciliumOwnedPodLabels)
  spoof: maybe(pick(['blue', 'red']), 1, 8),
  ports: fc.uniqueArray(pick(CONTAINER_PORTS), {
    maxLength: 3,
    // a pod's port names are unique, and so are its number/protocol pairs
    comparator: (a, b) => (a.name !== undefined && a.name === b.name) || (a.containerPort === b.containerPort && (a.protocol ?? 'TCP') === (b.protocol ?? 'TCP')),
  }),
  serviceAccount: maybe(pick(['sa-a', 'sa-b']), 1, 2),
});

export interface GeneratedCluster {
  readonly manifests: any[];
}

/** A cluster as a value fast-check shows readably: its manifests, one JSON line each. */
function cluster(manifests: any[]): GeneratedCluster {
  return { manifests, [fc.toStringMethod]: () => `\n${manifests.map((m) => JSON.stringify(m)).join('\n')}\n` } as GeneratedCluster;
}

/** A pod label under Cilium's own prefix, which Cilium drops from pod identities. */
const OWNED_POD_LABEL = 'io.cilium.k8s.namespace.labels.team';
const FILTERED_NAMESPACE_LABEL = 'beta.kubernetes.io/arch';

/**
 * Parts of the vocabulary that hit known analyser bugs (test/analysis/oracle.test.ts, "known
 * analyser bug"): off, the generated value is changed so that they do not occur.
 */
export interface ClusterOptions {
  /**
   * Namespaces may carry `beta.kubernetes.io/arch`, a label Cilium's identity label filter drops
   * from pod identities (`io.cilium.k8s.namespace.labels.beta.kubernetes.io/arch` matches the
   * ignore prefix `.*beta\.kubernetes\.io`). Off: the label is taken off the Namespaces (the
   * selectors naming it stay, and select no namespace).
   */
  readonly filteredNamespaceLabels?: boolean;
  /** Cilium port rules may have no ports (`toPorts: [{}]`). Off: such port rules are left out. */
  readonly emptyPortRules?: boolean;
  /** Pods may carry a label under `io.cilium.k8s`, which Cilium drops. Off: the label is left out. */
  readonly ciliumOwnedPodLabels?: boolean;
}

/** Every part of the vocabulary on (the default); a flag is turned off only while the analyser has a known bug there. */
export const ALL_OF_THE_VOCABULARY: ClusterOptions = { filteredNamespaceLabels: true, emptyPortRules: true, ciliumOwnedPodLabels: true };

/** Random clusters (see the module comment). */
export function clusterArbitrary(options: ClusterOptions = ALL_OF_THE_VOCABULARY): fc.Arbitrary<GeneratedCluster> {
  return clusterShapes.map((manifests) => cluster(manifests.map((m) => withoutKnownBugs(m, options))));
}

function withoutLabel(labels: { [key: string]: string } | undefined, key: string): { [key: string]: string } | undefined {
  if (!labels || !(key in labels)) return labels;
  const { [key]: _dropped, ...rest } = labels;
  return Object.keys(rest).length ? rest : undefined;
}

function withoutKnownBugs(m: any, options: ClusterOptions): any {
  if (m.kind === 'Namespace' && !options.filteredNamespaceLabels) {
    return { ...m, metadata: compact({ name: m.metadata.name, labels: withoutLabel(m.metadata.labels, FILTERED_NAMESPACE_LABEL) }) };
  }
  if (m.kind === 'Pod' && !options.ciliumOwnedPodLabels) {
    return { ...m, metadata: compact({ ...m.metadata, labels: withoutLabel(m.metadata.labels, OWNED_POD_LABEL) }) };
  }
  if (m.kind === 'Deployment' && !options.ciliumOwnedPodLabels) {
    const t = m.spec.template;
    return { ...m, spec: { ...m.spec, template: { ...t, metadata: { labels: withoutLabel(t.metadata.labels, OWNED_POD_LABEL) } } } };
  }
  if (/^Cilium/.test(m.kind) && !options.emptyPortRules) {
    const rule = (r: any) => {
      const toPorts = r.toPorts?.filter((pr: any) => pr.ports?.length);
      return compact({ ...r, toPorts: toPorts?.length ? toPorts : undefined });
    };
    const spec = (sp: any) => compact({
      ...sp,
      ...Object.fromEntries(['ingress', 'ingressDeny', 'egress', 'egressDeny'].filter((k) => sp[k]).map((k) => [k, sp[k].map(rule)])),
    });
    return m.spec ? { ...m, spec: spec(m.spec) } : { ...m, specs: m.specs.map(spec) };
  }
  return m;
}

const clusterShapes: fc.Arbitrary<any[]> = fc.record({
  namespaceCount: fc.integer({ min: 2, max: 4 }),
  namespaceLabels: fc.array(namespaceLabels, { minLength: 4, maxLength: 4 }),
  // the last namespace is sometimes used without a Namespace object (it has only its name label)
  undeclaredLast: fc.boolean(),
  workloads: some(workload, 8, 3),
  policies: some(policy, 6),
}).map((g) => {
  const namespaces = NAMESPACES.slice(0, g.namespaceCount);
  const c = { namespaces };
  const out: any[] = [];
  namespaces.forEach((name, i) => {
    if (g.undeclaredLast && i === namespaces.length - 1) return;
    const labels = g.namespaceLabels[i];
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: compact({ name, labels: Object.keys(labels).length ? labels : undefined }) });
  });
  g.workloads.forEach((w, i) => {
    const labels = compact({ 'app': w.app, 'tier': w.tier, 'app.kubernetes.io/part-of': w.partOf, 'pod-template-hash': w.hash, [OWNED_POD_LABEL]: w.spoof });
    const container = (name: string, ports: typeof w.ports) => compact({ name, image: 'registry.example/app:1', ports: ports.length ? ports.map((p) => ({ ...p })) : undefined });
    const cut = w.split && w.ports.length > 1 ? 1 : w.ports.length;
    const podSpec = compact({
      serviceAccountName: w.serviceAccount,
      containers: cut < w.ports.length ? [container('c', w.ports.slice(0, cut)), container('sidecar', w.ports.slice(cut))] : [container('c', w.ports)],
    });
    const name = `w${i}`;
    const namespace = namespaces[w.ns % namespaces.length];
    const podLabels = Object.keys(labels).length ? labels : undefined;
    if (w.kind === 'Pod') {
      out.push({ apiVersion: 'v1', kind: 'Pod', metadata: compact({ name, namespace, labels: podLabels }), spec: podSpec });
    } else if (w.kind === 'OwnedPods') {
      const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, controller: true };
      for (let k = 0; k < w.copies; k++) {
        out.push({ apiVersion: 'v1', kind: 'Pod', metadata: compact({ name: `${name}-${k}`, namespace, labels: podLabels, ownerReferences: [owner] }), spec: podSpec });
      }
    } else {
      // a Deployment's selector must select its template: the workload's own label
      const templateLabels = { ...labels, workload: name };
      out.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: { selector: { matchLabels: { workload: name } }, template: { metadata: { labels: templateLabels }, spec: podSpec } },
      });
    }
  });
  g.policies.forEach((p, i) => {
    const m = p(c);
    m.metadata.name = `p${i}`;
    out.push(m);
  });
  return out;
});

// ---------------------------------------------------------------------------------------------
// Probes
// ---------------------------------------------------------------------------------------------

function walk(x: unknown, visit: (key: string, value: any, parent: any) => void): void {
  if (Array.isArray(x)) {x.forEach((v) => walk(v, visit));} else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      visit(k, v, x);
      walk(v, visit);
    }
  }
}

const ipText = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
function ipNumber(text: string): number {
  return text.split('.').reduce((v, o) => v * 256 + Number(o), 0);
}

/** Every IPv4 prefix the policies name (ipBlock cidr/except, CIDR, CIDRSet cidr/except). */
export function policyPrefixes(manifests: readonly any[]): string[] {
  const out = new Set<string>();
  for (const m of manifests) {
    if (!/Policy$/.test(m.kind)) continue;
    walk(m.spec, (k, v) => {
      if ((k === 'cidr' && typeof v === 'string') || ((k === 'fromCIDR' || k === 'toCIDR') && Array.isArray(v)) || k === 'except') {
        for (const c of Array.isArray(v) ? v : [v]) if (/^[\d.]+(\/\d+)?$/.test(c)) out.add(c);
      }
    });
  }
  return [...out].sort();
}

/**
 * Addresses outside the cluster to probe: two fixed ones, and per prefix (but 0.0.0.0/0) its first
 * and last address and the addresses just outside it (the golden corpus's choice).
 */
export function probeAddresses(manifests: readonly any[]): string[] {
  const out = new Set(['203.0.113.77', '8.8.8.8']);
  for (const p of policyPrefixes(manifests)) {
    const [addr, len] = p.split('/');
    const bits = len === undefined ? 32 : Number(len);
    if (bits === 0) continue;
    const size = 2 ** (32 - bits);
    const first = Math.floor(ipNumber(addr) / size) * size;
    for (const a of [first - 1, first, first + size - 1, first + size]) if (a >= 0 && a <= 0xffffffff) out.add(ipText(a));
  }
  return [...out].sort();
}

/** Entities the policies name (fromEntities/toEntities, `reserved:` selector keys), as the analyser lists them: not world, cluster, all. */
export function probeEntities(manifests: readonly any[]): string[] {
  const out = new Set<string>();
  for (const m of manifests) {
    if (!/^Cilium/.test(m.kind)) continue;
    walk(m.spec, (k, v) => {
      if ((k === 'fromEntities' || k === 'toEntities') && Array.isArray(v)) for (const e of v) out.add(e);
      if (k === 'matchLabels' && v && typeof v === 'object') for (const key of Object.keys(v)) if (key.startsWith('reserved:')) out.add(key.slice('reserved:'.length));
    });
  }
  for (const e of ['world', 'cluster', 'all']) out.delete(e);
  return [...out].sort();
}

/** Ports to probe: 1, 65535, every port a rule names and its neighbours, range edges and middles, every container port. */
export function probePorts(manifests: readonly any[]): number[] {
  const out = new Set([1, 53, 80, 443, 8080, 65535]);
  const add = (n: number) => {
    if (n >= 1 && n <= 65535) out.add(n);
  };
  for (const m of manifests) {
    if (/Policy$/.test(m.kind)) {
      walk(m.spec, (k, v, parent) => {
        if (k !== 'port') return;
        const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : undefined;
        if (n === undefined || n === 0) return;
        for (const d of [-1, 0, 1]) add(n + d);
        const end = parent.endPort;
        if (typeof end === 'number' && end > n) {
          for (const d of [-1, 0, 1]) add(end + d);
          add(Math.floor((n + end) / 2));
        }
      });
    } else {
      walk(m, (k, v) => {
        if (k === 'containerPort' && typeof v === 'number') add(v);
      });
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** The probe peers of a cluster: ordered pairs of distinct peers with a workload (workloads, addresses, entities). */
export function probePairs(manifests: readonly any[], workloads: readonly string[]): [string, string][] {
  const others = [...probeAddresses(manifests).map((a) => `${a}[External]`), ...probeEntities(manifests).map((e) => `{${e}}`)];
  const pairs: [string, string][] = [];
  for (const a of workloads) {
    for (const b of workloads) if (a !== b) pairs.push([a, b]);
    for (const o of others) pairs.push([a, o], [o, a]);
  }
  return pairs;
}

/** Every probe of a cluster: its pairs x protocol x port. */
export function probesOf(manifests: readonly any[], workloads: readonly string[]): OracleProbe[] {
  const ports = probePorts(manifests);
  const out: OracleProbe[] = [];
  for (const [src, dst] of probePairs(manifests, workloads)) {
    for (const protocol of PROTOCOLS) for (const port of ports) out.push({ src, dst, protocol, port });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Features, for the coverage counter.
// ---------------------------------------------------------------------------------------------

/** The features a generated cluster's manifests use (the property checks each one is hit). */
export const FEATURES = [
  'np', 'cnp', 'ccnp',
  'np-policyTypes-omits-direction-with-rules', 'np-policyTypes-egress-only', 'np-ingress-empty-peers',
  'np-podSelector-peer', 'np-namespaceSelector-peer', 'np-namespace-and-pod-peer', 'np-negative-namespaceSelector', 'np-empty-namespaceSelector',
  'np-ipBlock', 'np-ipBlock-except', 'np-endPort', 'np-named-port', 'np-protocol-only-port', 'np-udp', 'np-sctp',
  'selector-In', 'selector-NotIn', 'selector-Exists', 'selector-DoesNotExist', 'selector-filtered-label',
  'cilium-endpoints', 'cilium-empty-endpoint-selector', 'cilium-peer-namespace-key', 'cilium-peer-namespace-labels', 'cilium-peer-negative-namespace-labels',
  'cilium-peer-serviceaccount', 'cilium-peer-k8s-prefix', 'cilium-peer-reserved', 'ccnp-namespace-subject',
  'cilium-entity-world', 'cilium-entity-cluster', 'cilium-entity-all', 'cilium-entity-host', 'cilium-entity-remote-node', 'cilium-entity-kube-apiserver',
  'cilium-cidr', 'cilium-cidr-host', 'cilium-cidrset', 'cilium-cidrset-except',
  'cilium-port', 'cilium-endPort', 'cilium-port-zero', 'cilium-named-port', 'cilium-protocol-any', 'cilium-protocol-omitted', 'cilium-l4-only-rule', 'cilium-empty-rule',
  'cilium-ingressDeny', 'cilium-egressDeny', 'cilium-enableDefaultDeny-false',
  'cilium-specs', 'cilium-several-port-rules', 'cnp-subject-namespace-any-source',
  'pods-bare', 'pods-deployment', 'pods-owned', 'pods-two-containers', 'named-port-conflict',
  // known analyser bugs (ClusterOptions)
  'namespace-filtered-label', 'pod-cilium-owned-label', 'cilium-empty-port-rule', 'undeclared-namespace', 'service-account',
] as const;
export type Feature = typeof FEATURES[number];

/** The features that only ClusterOptions for known analyser bugs produce. */
export const KNOWN_BUG_FEATURES: readonly Feature[] = [];

export function featuresOf(manifests: readonly any[]): Set<Feature> {
  const f = new Set<Feature>();
  const declared = new Set(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name));
  const portNumbers = new Map<string, Set<number>>();
  const selector = (s: any) => {
    for (const e of s?.matchExpressions ?? []) f.add(`selector-${e.operator}` as Feature);
    const keys = [...Object.keys(s?.matchLabels ?? {}), ...(s?.matchExpressions ?? []).map((e: any) => e.key)];
    if (keys.some((k) => k === 'pod-template-hash')) f.add('selector-filtered-label');
    return keys;
  };
  for (const m of manifests) {
    if (m.kind === 'Pod' || m.kind === 'Deployment') {
      f.add(m.kind === 'Deployment' ? 'pods-deployment' : m.metadata.ownerReferences ? 'pods-owned' : 'pods-bare');
      if (!declared.has(m.metadata.namespace)) f.add('undeclared-namespace');
      const spec = m.kind === 'Pod' ? m.spec : m.spec.template.spec;
      if (spec.serviceAccountName) f.add('service-account');
      if (spec.containers.length > 1) f.add('pods-two-containers');
      if ((m.kind === 'Pod' ? m.metadata.labels : m.spec.template.metadata.labels)?.[OWNED_POD_LABEL]) f.add('pod-cilium-owned-label');
      for (const p of spec.containers.flatMap((c: any) => c.ports ?? [])) {
        if (!p.name) continue;
        const key = `${p.name}/${p.protocol ?? 'TCP'}`;
        if (!portNumbers.has(key)) portNumbers.set(key, new Set());
        portNumbers.get(key)!.add(p.containerPort);
      }
    }
    if (m.kind === 'Namespace' && m.metadata.labels?.[FILTERED_NAMESPACE_LABEL]) f.add('namespace-filtered-label');
    if (m.kind === 'NetworkPolicy') {
      f.add('np');
      const s = m.spec;
      selector(s.podSelector);
      const types: string[] | undefined = s.policyTypes;
      if (types && ((!types.includes('Ingress') && s.ingress?.length) || (!types.includes('Egress') && s.egress?.length))) f.add('np-policyTypes-omits-direction-with-rules');
      if (types && types.length === 1 && types[0] === 'Egress') f.add('np-policyTypes-egress-only');
      for (const r of [...(s.ingress ?? []), ...(s.egress ?? [])]) {
        const peers = r.from ?? r.to;
        if (!peers) f.add('np-ingress-empty-peers');
        for (const p of peers ?? []) {
          if (p.ipBlock) f.add(p.ipBlock.except ? 'np-ipBlock-except' : 'np-ipBlock');
          if (p.podSelector && !p.namespaceSelector) f.add('np-podSelector-peer');
          if (p.namespaceSelector && !p.podSelector) f.add('np-namespaceSelector-peer');
          if (p.namespaceSelector && p.podSelector) f.add('np-namespace-and-pod-peer');
          if (p.podSelector) selector(p.podSelector);
          if (p.namespaceSelector) {
            const ns = p.namespaceSelector;
            selector(ns);
            if (!Object.keys(ns).length) f.add('np-empty-namespaceSelector');
            if (!ns.matchLabels && ns.matchExpressions?.every((e: any) => e.operator === 'NotIn' || e.operator === 'DoesNotExist')) f.add('np-negative-namespaceSelector');
          }
        }
        for (const p of r.ports ?? []) {
          if (p.endPort) f.add('np-endPort');
          if (typeof p.port === 'string') f.add('np-named-port');
          if (p.port === undefined) f.add('np-protocol-only-port');
          if (p.protocol === 'UDP') f.add('np-udp');
          if (p.protocol === 'SCTP') f.add('np-sctp');
        }
      }
    }
    if (m.kind === 'CiliumNetworkPolicy' || m.kind === 'CiliumClusterwideNetworkPolicy') {
      const clusterwide = m.kind === 'CiliumClusterwideNetworkPolicy';
      f.add(clusterwide ? 'ccnp' : 'cnp');
      if (m.specs) f.add('cilium-specs');
      for (const s of m.specs ?? [m.spec]) ciliumFeatures(s, clusterwide);
    }
  }
  if ([...portNumbers.values()].some((s) => s.size > 1)) f.add('named-port-conflict');
  return f;

  function ciliumFeatures(s: any, clusterwide: boolean): void {
    {
      const subjectKeys = selector(s.endpointSelector);
      if (clusterwide && subjectKeys.includes('k8s:io.kubernetes.pod.namespace')) f.add('ccnp-namespace-subject');
      if (!clusterwide && subjectKeys.includes('io.kubernetes.pod.namespace')) f.add('cnp-subject-namespace-any-source');
      if (s.enableDefaultDeny && (s.enableDefaultDeny.ingress === false || s.enableDefaultDeny.egress === false)) f.add('cilium-enableDefaultDeny-false');
      if (s.ingressDeny) f.add('cilium-ingressDeny');
      if (s.egressDeny) f.add('cilium-egressDeny');
      for (const r of [...(s.ingress ?? []), ...(s.egress ?? []), ...(s.ingressDeny ?? []), ...(s.egressDeny ?? [])]) {
        const eps = r.fromEndpoints ?? r.toEndpoints;
        const ents: string[] | undefined = r.fromEntities ?? r.toEntities;
        const cidrs: string[] | undefined = r.fromCIDR ?? r.toCIDR;
        const sets: any[] | undefined = r.fromCIDRSet ?? r.toCIDRSet;
        for (const e of eps ?? []) {
          f.add('cilium-endpoints');
          const keys = selector(e);
          if (!keys.length) f.add('cilium-empty-endpoint-selector');
          if (keys.some((k) => k.endsWith('io.kubernetes.pod.namespace'))) f.add('cilium-peer-namespace-key');
          if (keys.some((k) => k.includes('io.cilium.k8s.namespace.labels.'))) f.add('cilium-peer-namespace-labels');
          if (keys.some((k) => k.includes('io.cilium.k8s.namespace.labels.')) && !e.matchLabels) f.add('cilium-peer-negative-namespace-labels');
          if (keys.includes('io.cilium.k8s.policy.serviceaccount')) f.add('cilium-peer-serviceaccount');
          if (keys.some((k) => k.startsWith('k8s:'))) f.add('cilium-peer-k8s-prefix');
          if (keys.some((k) => k.startsWith('reserved:'))) f.add('cilium-peer-reserved');
        }
        for (const e of ents ?? []) f.add(`cilium-entity-${e}` as Feature);
        for (const c of cidrs ?? []) f.add(c.endsWith('/32') ? 'cilium-cidr-host' : 'cilium-cidr');
        for (const c of sets ?? []) f.add(c.except ? 'cilium-cidrset-except' : 'cilium-cidrset');
        if (!eps && !ents && !cidrs && !sets) f.add(r.toPorts ? 'cilium-l4-only-rule' : 'cilium-empty-rule');
        for (const pr of r.toPorts ?? []) {
          for (const p of pr.ports ?? []) {
            if (p.port === '0') f.add('cilium-port-zero');
            else if (/^\d+$/.test(p.port)) f.add(p.endPort ? 'cilium-endPort' : 'cilium-port');
            else f.add('cilium-named-port');
            if (p.protocol === 'ANY') f.add('cilium-protocol-any');
            if (p.protocol === undefined) f.add('cilium-protocol-omitted');
          }
        }
        if ((r.toPorts?.length ?? 0) > 1) f.add('cilium-several-port-rules');
        if (r.toPorts?.some((pr: any) => !pr.ports?.length)) f.add('cilium-empty-port-rule');
      }
    }
  }
}

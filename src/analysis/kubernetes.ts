/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics.
 *
 * - A pod is isolated for a direction when a policy selecting it lists that direction in
 *   `policyTypes` (default: Ingress, plus Egress when `spec.egress` has rules).
 * - Rules are additive; an empty/absent `from`/`to` matches every peer; an empty/absent `ports`
 *   matches every port and protocol.
 * - A peer with only `podSelector` selects pods in the policy namespace; with only
 *   `namespaceSelector` all pods of the selected namespaces; with both, the pods matching the pod
 *   selector inside the selected namespaces; `ipBlock` (cidr minus except) selects addresses
 *   outside the cluster (netpol-analyzer never matches pods by ipBlock).
 * - Named ports are resolved against the destination pod's container ports with the same protocol.
 * - `endPort` makes a port range; protocols are TCP (default), UDP and SCTP.
 */
import { ownNamedPort, PolicyDoc } from './cluster';
import { fullRange, IpSet } from './ipranges';
import { Diagnostic } from './load';
import { CompileContext, Direction, isNamedOutside, Peer, PeerScope, PeerType, PolicyModel, RuleModel, WrittenRule } from './model';
import { ConnSet, PORT_MAX, PORT_MIN } from './ports';
import { CompiledSelector, compileSelector, Labels, selectorText } from './selectors';
import { LabelSelector } from '../wire/kubernetes/meta';
import { IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from '../wire/kubernetes/network-policy';
import { CILIUM_CLUSTER_KEY, CILIUM_NAMESPACE_LABELS_PREFIX, CILIUM_POD_NAMESPACE_KEY } from '../wire/labels';
import { parsePrefix } from '../wire/net';

interface PortSpec {
  readonly protocol: string;
  readonly start?: number;
  readonly end?: number;
  readonly named?: string;
}

export class PolicyError extends Error {}

/** The ports of a rule (validated and defaulted by the reader: protocol set, port a number or an IANA name). */
function parsePorts(ports: readonly NetworkPolicyPort[] | undefined): PortSpec[] | undefined {
  if (!ports || ports.length === 0) return undefined;
  return ports.map((p) => {
    if (p.port === undefined) return { protocol: p.protocol, start: PORT_MIN, end: PORT_MAX };
    if (typeof p.port === 'string') return { protocol: p.protocol, named: p.port };
    return { protocol: p.protocol, start: p.port, end: p.endPort ?? p.port };
  });
}

/**
 * The connection set of a port list. Named ports resolve on `dst` (the specification: the
 * destination pod's container port of that name and protocol), or, with `clusterWide`, once for
 * the whole cluster as Cilium resolves egress named ports (semantics.ts); unresolved, a named port
 * allows nothing.
 */
export function portsConn(ports: PortSpec[] | undefined, dst: Peer, ctx: CompileContext, clusterWide = false): ConnSet {
  if (!ports) return ctx.all;
  let res = ConnSet.EMPTY;
  for (const p of ports) {
    if (p.named !== undefined) {
      const port = clusterWide ? ctx.clusterNamedPort(p.named, p.protocol) : ownNamedPort(dst, p.named, p.protocol);
      if (port === undefined || port < 1) continue;
      res = res.union(ConnSet.of(p.protocol, [[port, port]]));
    } else {
      res = res.union(ConnSet.of(p.protocol, [[p.start!, p.end!]]));
    }
  }
  return res;
}

type PeerMatcher = (peer: Peer) => boolean;

/** An ipBlock as the API server reads it (ParseCIDRSloppy: leading zeros decimal, host bits masked). */
function ipBlockSet(b: IPBlock): IpSet {
  const range = (text: string) => {
    const p = parsePrefix(text, 'kubernetes');
    if (typeof p === 'string') throw new PolicyError(`ipBlock ${text}: ${p}`); // the reader rejects these
    return { family: p.family, start: p.first, end: p.last };
  };
  return new IpSet([range(b.cidr)]).subtract(new IpSet((b.except ?? []).map(range)));
}

/**
 * A peer with a namespaceSelector as Cilium translates it (pkg/k8s/network_policy.go
 * parseNetworkPolicyPeer): the namespace requirements on `io.cilium.k8s.namespace.labels.*`, the
 * pod requirements beside them, and `io.kubernetes.pod.namespace` Exists only when the namespace
 * selector is empty. A selector of only negative requirements therefore also matches identities
 * that are not pods (semantics.ts, negativeNamespaceSelectorSelectsAll).
 */
function ciliumNamespacePeer(ns: LabelSelector, pods: LabelSelector | undefined, localCluster: string | undefined): CompiledSelector {
  const prefix = (k: string) => CILIUM_NAMESPACE_LABELS_PREFIX + k;
  const nsReqs = compileSelector(ns, 'namespaceSelector', prefix).requirements;
  const podReqs = pods ? compileSelector(pods, 'podSelector').requirements : [];
  const exists = nsReqs.length === 0 ? [{ key: CILIUM_POD_NAMESPACE_KEY, operator: 'Exists' as const, values: [] }] : [];
  // policy-default-local-cluster: the pod selector gets the cluster, unless it names one
  const cluster = localCluster !== undefined && !podReqs.some((r) => r.key === CILIUM_CLUSTER_KEY)
    ? [{ key: CILIUM_CLUSTER_KEY, operator: 'In' as const, values: [localCluster] }] : [];
  const reqs = [...nsReqs, ...exists, ...podReqs, ...cluster];
  return new CompiledSelector(reqs, selectorText(reqs));
}

/**
 * The peers of a rule as one matcher, and the peers it can match (undefined: any peer may match,
 * as for Cilium's reading of a selector with no In requirement).
 */
function compilePeers(list: readonly NetworkPolicyPeer[] | undefined, policyNs: string, ipSets: IpSet[],
  ctx: CompileContext): { match: PeerMatcher; scope: PeerScope | undefined } | undefined {
  if (!list || list.length === 0) return undefined;
  const scopeNamespaces: string[] = [];
  const scopeLabels: ((labels: Labels) => boolean)[] = [];
  const scopeTypes: PeerType[] = [];
  const scopeCiliumLabels: { key: string; values: string[] }[] = [];
  let scoped = true;
  const matchers: PeerMatcher[] = list.map((p) => {
    if (p.ipBlock) {
      const set = ipBlockSet(p.ipBlock);
      ipSets.push(set);
      // FQDN peers (named by Cilium toFQDNs) have unknown addresses: only a block covering a whole
      // address family is sure to contain them
      const coversAll = set.containsRange(fullRange(4)) || set.containsRange(fullRange(6));
      const outside = (peer: Peer) => (peer.type === 'external' && !!peer.range && set.containsRange(peer.range)) || (coversAll && isNamedOutside(peer));
      scopeTypes.push('external');
      if (coversAll) scopeTypes.push('fqdn', 'group');
      if (!ctx.semantics.deviations.ipBlockPeerSelectsNamespacePods) return outside;
      // the pod selector Cilium gives the peer: the cluster, in the policy's namespace (semantics.ts)
      scopeCiliumLabels.push({ key: CILIUM_POD_NAMESPACE_KEY, values: [policyNs] });
      const cluster = ctx.semantics.agent.clusterName;
      const l = (peer: Peer) => peer.ciliumLabels;
      return (peer: Peer) => outside(peer) || (l(peer)[CILIUM_POD_NAMESPACE_KEY] === policyNs && l(peer)[CILIUM_CLUSTER_KEY] === cluster);
    }
    const podSel: CompiledSelector | undefined = p.podSelector ? compileSelector(p.podSelector, 'podSelector') : undefined;
    const nsSel: CompiledSelector | undefined = p.namespaceSelector ? compileSelector(p.namespaceSelector, 'namespaceSelector') : undefined;
    if (nsSel && ctx.semantics.deviations.negativeNamespaceSelectorSelectsAll) {
      // Cilium matches the translated selector against every identity (identity.ts)
      const agent = ctx.semantics.agent;
      const cs = ciliumNamespacePeer(p.namespaceSelector!, p.podSelector, agent.policyDefaultLocalCluster ? agent.clusterName : undefined);
      // a peer it matches has the label of each In requirement (one naming more than the cluster
      // when there is one): the peers carrying it are the scope; without one, any peer may match
      const inReq = cs.requirements.find((r) => r.operator === 'In' && r.key !== CILIUM_CLUSTER_KEY) ?? cs.requirements.find((r) => r.operator === 'In');
      if (inReq) scopeCiliumLabels.push({ key: inReq.key, values: [...inReq.values] });
      else scoped = false;
      return (peer: Peer) => cs.matches(peer.ciliumLabels);
    }
    const identityLabels = ctx.semantics.deviations.selectorsMatchIdentityLabels;
    // the peers of a namespace share one labels object: the namespace selector is matched once per object
    const nsMatches = new Map<object, boolean>();
    const inNamespace = (labels: Readonly<Record<string, string>>) => {
      let m = nsMatches.get(labels);
      if (m === undefined) nsMatches.set(labels, (m = nsSel!.matches(labels)));
      return m;
    };
    // only pods match (below): those of the selected namespaces, or of the policy's
    if (nsSel) scopeLabels.push(inNamespace);
    else scopeNamespaces.push(policyNs);
    return (peer: Peer) => {
      if (peer.type !== 'workload' && peer.type !== 'ingress-controller') return false;
      if (nsSel) {
        if (!inNamespace(peer.nsLabels ?? {})) return false;
      } else if (peer.namespace !== policyNs) {
        return false;
      }
      return podSel ? podSel.matches(identityLabels ? peer.ciliumLabels : peer.labels ?? {}) : true;
    };
  });
  const scope: PeerScope | undefined = scoped
    ? { namespaces: scopeNamespaces, namespaceLabels: scopeLabels, types: scopeTypes, ciliumLabels: scopeCiliumLabels }
    : undefined;
  if (matchers.length === 1) return { match: matchers[0], scope };
  return { match: (peer: Peer) => matchers.some((m) => m(peer)), scope };
}

/**
 * A rule as written, for exposure analysis (exposure.ts): its selector peers (ipBlock peers left
 * out, unless Cilium lets them select every pod of the policy's namespace: then that pod selector).
 */
function writtenRule(peers: readonly NetworkPolicyPeer[] | undefined, ports: PortSpec[] | undefined, policyNamespace: string,
  ctx: CompileContext): WrittenRule {
  const ipBlockPods = ctx.semantics.deviations.ipBlockPeerSelectsNamespacePods;
  return {
    anyPeer: !peers || peers.length === 0,
    selectorPeers: (peers ?? []).filter((p) => !p.ipBlock || ipBlockPods)
      .map((p) => (p.ipBlock ? { podSelector: {} } : { namespaceSelector: p.namespaceSelector, podSelector: p.podSelector })),
    ports,
    policyNamespace,
  };
}

/** Compile a NetworkPolicy the reader accepted (validated and defaulted). */
export function compileNetworkPolicy(doc: PolicyDoc, ctx: CompileContext): PolicyModel {
  const np = doc.object as NetworkPolicy;
  const spec = np.spec;
  const id = `NetworkPolicy ${doc.namespace}/${doc.name}`;
  const podSel = compileSelector(spec.podSelector, 'spec.podSelector');
  const types = spec.policyTypes;
  const dev = ctx.semantics.deviations;
  const ingressIpSets: IpSet[] = [];
  const egressIpSets: IpSet[] = [];
  const rules: RuleModel[] = [];
  const build = (dir: Direction) => {
    const list: readonly (NetworkPolicyIngressRule & NetworkPolicyEgressRule)[] = spec[dir] ?? [];
    const clusterWide = dir === 'egress' && dev.egressNamedPortsClusterWide;
    list.forEach((rule, i) => {
      const match = compilePeers(dir === 'ingress' ? rule.from : rule.to, doc.namespace, dir === 'ingress' ? ingressIpSets : egressIpSets, ctx);
      const ports = parsePorts(rule.ports);
      const hasNamed = !!ports && ports.some((p) => p.named !== undefined);
      const staticConn = hasNamed && !clusterWide ? undefined : portsConn(ports, {} as Peer, ctx, clusterWide);
      rules.push({
        direction: dir,
        deny: false,
        description: `${id} ${dir} rule #${i + 1}`,
        matchPeer: match?.match ?? (() => true),
        peerScope: match?.scope,
        conn: staticConn ? () => staticConn : (dst: Peer) => portsConn(ports, dst, ctx),
        staticConn,
        written: writtenRule(dir === 'ingress' ? rule.from : rule.to, ports, doc.namespace, ctx),
      });
    });
  };
  // The specification: rules of a direction not in policyTypes have no effect, and policyTypes
  // decides isolation. Cilium (ParseNetworkPolicy) converts the rules of both directions; a
  // direction is isolated when it has rules, or policyTypes lists it (Ingress also when
  // policyTypes lists neither).
  let isolatesIngress = types.includes('Ingress');
  let isolatesEgress = types.includes('Egress');
  if (dev.rulesOutsidePolicyTypes) {
    isolatesIngress = !!spec.ingress?.length || isolatesIngress || !isolatesEgress;
    isolatesEgress = !!spec.egress?.length || isolatesEgress;
  }
  if (isolatesIngress) build('ingress');
  if (isolatesEgress) build('egress');
  return {
    kind: 'NetworkPolicy',
    namespace: doc.namespace,
    name: doc.name,
    id,
    source: doc.source,
    selects: dev.selectorsMatchIdentityLabels
      ? (peer: Peer) => peer.type === 'workload' && peer.namespace === doc.namespace && podSel.matches(peer.ciliumLabels)
      : (peer: Peer) => peer.type === 'workload' && peer.namespace === doc.namespace && podSel.matches(peer.labels ?? {}),
    subjectNamespace: doc.namespace,
    isolatesIngress,
    isolatesEgress,
    rules,
    ingressIpSets,
    egressIpSets,
    entities: [],
    fqdns: [],
    services: [],
  };
}

/**
 * A policy the reader accepted but the analyser could not compile: a bug of this tool (the reader
 * decides validity), reported as such instead of a crash, and the policy left out.
 */
export function policyDiagnostic(doc: PolicyDoc, e: any): Diagnostic {
  const where = doc.namespace ? `${doc.namespace}/${doc.name}` : doc.name;
  return {
    ...doc.source,
    severity: 'error',
    code: 'internal-error',
    message: `${doc.kind} ${where}: internal error of cdk8s-netpol while analysing a valid policy (${e?.message ?? e}); the policy is left out, `
      + 'so results for the pods it selects are incomplete; please report this with the manifest',
  };
}

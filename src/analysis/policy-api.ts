/**
 * The network-policy API (kubernetes-sigs/network-policy-api): AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2), compiled into tiered
 * rules. The engine evaluates them around NetworkPolicy (engine.ts, `TieredSide`):
 *
 * - Admin tier (AdminNetworkPolicy, ClusterNetworkPolicy `tier: Admin`): policies in ascending
 *   `priority`, rules in order; the first rule matching a connection decides it: Allow/Accept and
 *   Deny are final, Pass hands it to the NetworkPolicy tier (v1alpha2 clusternetworkpolicy_types.go
 *   `Tier`, `Priority`, `ClusterNetworkPolicyRuleAction`; v1alpha1 adminnetworkpolicy_types.go).
 * - NetworkPolicy tier: a pod a NetworkPolicy isolates in the direction gets what its rules allow.
 * - Baseline tier (the BaselineAdminNetworkPolicy `default`, ClusterNetworkPolicy `tier:
 *   Baseline`), only for pods no NetworkPolicy isolates in that direction: first matching rule.
 * - Otherwise allowed.
 *
 * Subjects and pod/namespace peers select pods (and the ingress controller, a pod as
 * netpol-analyzer models it); `networks` select addresses outside the cluster (pod addresses are
 * not in the manifests, as in netpol-analyzer: adminnetpol.go doesNetworksFieldMatchPeer); `nodes`
 * select Node objects given as manifests; `domainNames` (AdminNetworkPolicy, Allow only) name
 * destinations outside the cluster. A named port resolves on the destination pod's container port
 * of that name, with the protocol that container port has (adminnetpol.go ruleConnections).
 */
import { PolicyDoc } from './cluster';
import { fullRange, IpSet } from './ipranges';
import { CompileContext, Direction, isNamedOutside, Peer, PolicyModel, PolicyTier, RuleModel, TierAction } from './model';
import { ConnSet, PORT_MAX, PORT_MIN } from './ports';
import { CompiledSelector, compileSelector } from './selectors';
import { LabelSelector } from '../wire/kubernetes/meta';
import { parsePrefix } from '../wire/net';
import { AdminPolicyPort, AdminPolicySubject, BANP_NAME } from '../wire/policy-api/v1alpha1';
import { ClusterPolicyProtocol } from '../wire/policy-api/v1alpha2';

export const POLICY_API_KINDS = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'];

/** True for the kinds of the network-policy API. */
export function isPolicyApiKind(kind: string): boolean {
  return POLICY_API_KINDS.includes(kind);
}

/** One port item of a rule: a range of a protocol, or a named port (any protocol, the container port's). */
interface TierPort {
  readonly protocol?: string;
  readonly start?: number;
  readonly end?: number;
  readonly named?: string;
}

function v1alpha1Ports(ports: readonly AdminPolicyPort[] | undefined): TierPort[] | undefined {
  if (!ports) return undefined;
  return ports.map((p) => {
    if (p.portNumber) return { protocol: p.portNumber.protocol || 'TCP', start: p.portNumber.port, end: p.portNumber.port };
    if (p.portRange) return { protocol: p.portRange.protocol || 'TCP', start: p.portRange.start, end: p.portRange.end };
    return { named: p.namedPort };
  });
}

function v1alpha2Ports(protocols: readonly ClusterPolicyProtocol[] | undefined): TierPort[] | undefined {
  if (!protocols) return undefined;
  return protocols.map((p) => {
    if (p.destinationNamedPort !== undefined) return { named: p.destinationNamedPort };
    const [protocol, spec] = p.tcp ? ['TCP', p.tcp] : p.udp ? ['UDP', p.udp] : ['SCTP', p.sctp];
    const dp = spec?.destinationPort;
    if (dp?.range) return { protocol, start: dp.range.start, end: dp.range.end };
    if (dp?.number !== undefined) return { protocol, start: dp.number, end: dp.number };
    return { protocol, start: PORT_MIN, end: PORT_MAX };
  });
}

/** The connections of a port list towards `dst`; undefined ports: every connection. */
function tierPortsConn(ports: TierPort[] | undefined, dst: Peer, ctx: CompileContext): ConnSet {
  if (!ports) return ctx.all;
  let res = ConnSet.EMPTY;
  for (const p of ports) {
    if (p.named !== undefined) {
      // the destination pod's container port of that name, whatever its protocol; none on addresses
      const cp = dst.workload?.ports.find((c) => c.name === p.named);
      if (cp && cp.port >= 1 && ctx.universe.includes(cp.protocol)) res = res.union(ConnSet.of(cp.protocol, [[cp.port, cp.port]]));
    } else if (p.start! <= p.end!) {
      res = res.union(ConnSet.of(p.protocol!, [[p.start!, p.end!]]));
    }
  }
  return res;
}

const isPod = (p: Peer) => p.type === 'workload' || p.type === 'ingress-controller';

/** `pods`: namespace selector (absent: every namespace, v1alpha2) and pod selector. */
function podsMatcher(pods: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector }, field: string): (p: Peer) => boolean {
  const ns = compileSelector(pods.namespaceSelector ?? {}, `${field}.namespaceSelector`);
  const pod = compileSelector(pods.podSelector ?? {}, `${field}.podSelector`);
  return (p) => isPod(p) && ns.matches(p.nsLabels ?? {}) && pod.matches(p.labels ?? {});
}

function namespacesMatcher(sel: LabelSelector, field: string): (p: Peer) => boolean {
  const ns = compileSelector(sel, field);
  return (p) => isPod(p) && ns.matches(p.nsLabels ?? {});
}

function subjectMatcher(subject: AdminPolicySubject, field: string): (p: Peer) => boolean {
  if (subject.namespaces) {
    const m = namespacesMatcher(subject.namespaces, `${field}.namespaces`);
    return (p) => p.type === 'workload' && m(p);
  }
  const m = podsMatcher(subject.pods ?? { podSelector: {} }, `${field}.pods`);
  return (p) => p.type === 'workload' && m(p);
}

/** A `networks` CIDR (CEL isCIDR, Go netip.ParsePrefix) as an address range. */
function networkSet(cidrs: readonly string[], field: string): IpSet {
  return new IpSet(cidrs.map((c, i) => {
    let p = parsePrefix(c, 'netip');
    if (typeof p === 'string') p = parsePrefix(c, 'kubernetes');
    if (typeof p === 'string') throw new Error(`${field}[${i}] ${c}: ${p}`); // the reader rejects these
    return { family: p.family, start: p.first, end: p.last };
  }));
}

/**
 * A `domainNames` entry (v1alpha1 `DomainName`): exact, or `*.` matching one or more leading
 * labels. `name` may itself be a wildcard peer (`*.example.com`, the names some policy's pattern
 * stands for): a pattern matches it when it matches every name it stands for.
 */
export function domainNameMatches(pattern: string, name: string): boolean {
  const pat = pattern.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (!pat.startsWith('*.')) return n === pat;
  const suffix = pat.slice(1); // `.example.com`
  const rest = n.startsWith('*.') ? n.slice(1) : n;
  return rest === suffix ? n.startsWith('*.') : rest.endsWith(suffix);
}

/** A compiled policy-API policy: the policy model with its tier and place in the tier's order. */
export interface TierPolicyModel extends PolicyModel {
  readonly tier: PolicyTier;
  /** `spec.priority`; the BaselineAdminNetworkPolicy has none (undefined). */
  readonly priority?: number;
}

const KIND_ORDER: Record<string, number> = { AdminNetworkPolicy: 0, ClusterNetworkPolicy: 1, BaselineAdminNetworkPolicy: 2 };

/**
 * The order of evaluation within a tier: ascending priority (the API), then, where the API leaves
 * it undefined (equal priorities; a BaselineAdminNetworkPolicy beside Baseline ClusterNetworkPolicies,
 * which has no priority and is placed after them): AdminNetworkPolicy before ClusterNetworkPolicy,
 * then by name.
 */
export function compareTierPolicies(a: TierPolicyModel, b: TierPolicyModel): number {
  const pa = a.priority ?? Number.MAX_SAFE_INTEGER;
  const pb = b.priority ?? Number.MAX_SAFE_INTEGER;
  if (pa !== pb) return pa - pb;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Whether the API defines which of two policies of one tier goes first. */
export function orderDefined(a: TierPolicyModel, b: TierPolicyModel): boolean {
  return a.tier !== b.tier || (a.priority !== undefined && b.priority !== undefined && a.priority !== b.priority);
}

/** How diagnostics and explain name a policy: `AdminNetworkPolicy X (priority 10)`. */
export function tierPolicyTitle(kind: string, name: string, tier: PolicyTier, priority?: number): string {
  if (kind === 'ClusterNetworkPolicy') return `ClusterNetworkPolicy ${name} (${tier === 'admin' ? 'Admin' : 'Baseline'} tier, priority ${priority})`;
  if (kind === 'AdminNetworkPolicy') return `AdminNetworkPolicy ${name} (priority ${priority})`;
  return `BaselineAdminNetworkPolicy ${name}`;
}

function actionOf(action: string): TierAction {
  return action === 'Deny' ? 'deny' : action === 'Pass' ? 'pass' : 'allow';
}

interface AnyTierRule {
  readonly name?: string;
  readonly action: string;
  readonly from?: readonly any[];
  readonly to?: readonly any[];
  readonly ports?: readonly AdminPolicyPort[];
  readonly protocols?: readonly ClusterPolicyProtocol[];
}

/** Compile an AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy the reader accepted. */
export function compilePolicyApi(doc: PolicyDoc, ctx: CompileContext): TierPolicyModel {
  const o = doc.object;
  const spec = o.spec ?? {};
  const v2 = doc.kind === 'ClusterNetworkPolicy';
  const tier: PolicyTier = doc.kind === 'BaselineAdminNetworkPolicy' || (v2 && spec.tier === 'Baseline') ? 'baseline' : 'admin';
  const priority: number | undefined = doc.kind === 'BaselineAdminNetworkPolicy' ? undefined : spec.priority;
  const title = tierPolicyTitle(doc.kind, doc.name, tier, priority);
  const selects = subjectMatcher(spec.subject ?? {}, 'spec.subject');
  const egressIpSets: IpSet[] = [];
  const fqdns: string[] = [];
  let namesNodes = false;
  const rules: RuleModel[] = [];
  for (const dir of ['ingress', 'egress'] as Direction[]) {
    const list: readonly AnyTierRule[] = spec[dir] ?? [];
    list.forEach((rule, i) => {
      const field = `spec.${dir}[${i}]`;
      const peers = (dir === 'ingress' ? rule.from : rule.to) ?? [];
      const matchers = peers.map((peer: any, j: number): ((p: Peer) => boolean) => {
        const pf = `${field}.${dir === 'ingress' ? 'from' : 'to'}[${j}]`;
        if (peer.namespaces) return namespacesMatcher(peer.namespaces, `${pf}.namespaces`);
        if (peer.pods) return podsMatcher(peer.pods, `${pf}.pods`);
        if (peer.nodes) {
          namesNodes = true;
          const sel: CompiledSelector = compileSelector(peer.nodes, `${pf}.nodes`);
          return (p) => p.type === 'node' && sel.matches(p.labels ?? {});
        }
        if (peer.networks) {
          const set = networkSet(peer.networks, `${pf}.networks`);
          // IPv6 ranges are matched, but, as netpol-analyzer, do not split the report's addresses
          const v4 = new IpSet(set.ranges.filter((r) => r.family === 4));
          if (v4.ranges.length) egressIpSets.push(v4);
          const coversFamily = set.containsRange(fullRange(4)) || set.containsRange(fullRange(6));
          return (p) => (p.type === 'external' && !!p.range && set.containsRange(p.range)) || (coversFamily && isNamedOutside(p));
        }
        if (peer.domainNames) {
          const names: string[] = peer.domainNames;
          for (const n of names) fqdns.push(n.toLowerCase().replace(/\.$/, ''));
          return (p) => p.type === 'fqdn' && names.some((n) => domainNameMatches(n, p.fqdn!));
        }
        return () => false;
      });
      const matchPeer = matchers.length === 1 ? matchers[0] : (p: Peer) => matchers.some((m) => m(p));
      const ports = v2 ? v1alpha2Ports(rule.protocols) : v1alpha1Ports(rule.ports);
      const hasNamed = !!ports && ports.some((p) => p.named !== undefined);
      const staticConn = hasNamed ? undefined : tierPortsConn(ports, {} as Peer, ctx);
      const action = actionOf(rule.action);
      rules.push({
        direction: dir,
        deny: false,
        tier,
        action,
        description: `${title} ${dir} rule #${i + 1}${rule.name ? ` "${rule.name}"` : ''}`,
        matchPeer,
        conn: staticConn ? () => staticConn : (dst: Peer) => tierPortsConn(ports, dst, ctx),
        staticConn,
        written: {
          anyPeer: false,
          // namespaces and pods peers (networks, nodes and domain names select nothing in the cluster)
          selectorPeers: peers.filter((peer: any) => peer.namespaces || peer.pods).map((peer: any) => (peer.namespaces
            ? { namespaceSelector: peer.namespaces }
            : { namespaceSelector: peer.pods.namespaceSelector ?? {}, podSelector: peer.pods.podSelector ?? {} })),
          ports,
        },
      });
    });
  }
  return {
    kind: doc.kind,
    namespace: '',
    name: doc.name,
    id: title,
    source: doc.source,
    selects,
    isolatesIngress: false,
    isolatesEgress: false,
    rules,
    ingressIpSets: [],
    egressIpSets,
    entities: [],
    fqdns: [...new Set(fqdns)],
    services: [],
    tier,
    priority,
    namesNodes,
    writtenSubject: spec.subject?.namespaces
      ? { namespaceSelector: spec.subject.namespaces }
      : { namespaceSelector: spec.subject?.pods?.namespaceSelector ?? {}, podSelector: spec.subject?.pods?.podSelector ?? {} },
  };
}

/** The BaselineAdminNetworkPolicy's one valid name (re-exported for diagnostics). */
export { BANP_NAME };

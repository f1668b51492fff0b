/**
 * Cilium 1.18 CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy semantics (cilium.io/v2).
 *
 * - A rule (`spec` or each of `specs`) selecting an endpoint puts it in default-deny for a direction
 *   when it has `ingress`/`ingressDeny` (resp. `egress`/`egressDeny`) rules, unless
 *   `enableDefaultDeny.<direction>` is false ("If omitted or empty, this rule does not apply").
 * - Allow rules are additive; deny rules (`ingressDeny`/`egressDeny`) take precedence over allows.
 * - CNP `endpointSelector` selects endpoints in the policy's namespace only; its peer endpoint
 *   selectors are implicitly scoped to that namespace unless they use `io.kubernetes.pod.namespace`.
 *   CCNP selectors are cluster-wide.
 * - Label keys may carry the `k8s:` or `any:` source prefix; `reserved:<entity>` selects entities;
 *   `io.cilium.k8s.namespace.labels.<key>` matches namespace labels.
 * - A rule with no L3 peer but with `toPorts`/`icmps` applies to every peer (L4-only rule); a rule
 *   with neither (`{}`) allows nothing (it only enables default deny).
 * - Entities: world (world-ipv4, world-ipv6), cluster, host, remote-node, kube-apiserver, init,
 *   health, unmanaged, ingress, all. CIDR rules select addresses outside the cluster; `toFQDNs`
 *   destinations are named external peers; `toServices` selects the pods behind a Service.
 * - L7 rules (`toPorts[].rules`) are reported on the connection, e.g. `TCP 80 [HTTP GET /api]`.
 * - Nodes (Node manifests) are peers of `toNodes`/`fromNodes`, which Cilium narrows to remote nodes
 *   (`reserved:remote-node` Exists is added to each node selector, pkg/k8s/apis/cilium.io/utils
 *   parseToCiliumEgressCommonRule): a Node peer stands for that node as seen from a pod on another
 *   node, and `{host}` stays the pod's own node. Node labels are matched as Cilium does with
 *   `enable-node-selector-labels`. A CCNP with `nodeSelector` (host policy) applies to the Node peers.
 * - `toGroups`/`fromGroups` (AWS security groups) are named outside peers, like FQDNs.
 * - `fromRequires`/`toRequires` (deprecated in 1.17, removed in 1.19, cilium/cilium#42615) narrow the
 *   endpoint selectors of every rule of every policy selecting the same endpoint, allow requirements
 *   the allow rules and deny requirements the deny rules (docs: "always apply fully to all rules that
 *   share the same endpoint selector", cilium/cilium#36644); they allow nothing by themselves.
 * - `toServices` without a namespace selects Services in every namespace (Cilium copies toServices
 *   unchanged in ParseToCiliumRule; pkg/k8s rule_translate serviceMatches accepts any namespace).
 */
import { CidrGroupInfo, Cluster, ownNamedPort, PolicyDoc, ServiceInfo } from './cluster';
import { entitySelects, podIdentity } from './identity';
import { fullRange, IpRange, IpSet } from './ipranges';
import { PolicyError } from './kubernetes';
import { CompileContext, Direction, isNamedOutside, Peer, PeerScope, PolicyModel, RequirementModel, RuleModel } from './model';
import { ConnSet, Interval, L7Restriction, PORT_MAX, PORT_MIN } from './ports';
import { CompiledSelector, compileSelector, Labels, Requirement, selectorText } from './selectors';
import { ciliumAtLeast } from './semantics';
import { CILIUM_AGENT_DEFAULTS } from '../wire/cilium/agent';
import { CIDRRule } from '../wire/cilium/cidr';
import { EntityName } from '../wire/cilium/entity';
import { FQDNSelector } from '../wire/cilium/fqdn';
import { Groups } from '../wire/cilium/groups';
import { ICMPRule, ICMPV4, ICMPV6 } from '../wire/cilium/icmp';
import { CILIUM_ANY_EXPANSION, PortDenyRule, PortRule } from '../wire/cilium/l4';
import { L7Rules } from '../wire/cilium/l7';
import { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy } from '../wire/cilium/objects';
import { EgressRule, IngressRule, Rule } from '../wire/cilium/rule';
import { EndpointSelector } from '../wire/cilium/selector';
import { Service as ServiceRef } from '../wire/cilium/service';
import { parseCiliumPort } from '../wire/cilium/validation';
import { Diagnostic } from '../wire/diagnostic';
import { CILIUM_CLUSTER_KEY, CILIUM_NAMESPACE_LABELS_PREFIX, CILIUM_POD_NAMESPACE_KEY, CILIUM_RESERVED_SOURCE, ciliumKeyWithoutK8sSource } from '../wire/labels';
import { parseIp, parsePrefix } from '../wire/net';

export const CILIUM_NAMESPACE_LABEL = CILIUM_POD_NAMESPACE_KEY;

/** The label set Cilium derives for a pod (the lint matches workloads as the analyser does). */
export function ciliumLabelsFor(labels: Labels, namespace: string, nsLabels: Labels, serviceAccount: string,
  clusterName = CILIUM_AGENT_DEFAULTS.clusterName): Labels {
  return podIdentity(labels, namespace, nsLabels, serviceAccount, clusterName);
}

/** The display name of a `toGroups`/`fromGroups` entry, e.g. `aws:region=eu-west-1,sg-1,sg-2`. */
function groupName(g: Groups): string | undefined {
  const aws = g.aws;
  if (!aws) return undefined;
  const parts: string[] = [];
  if (aws.region) parts.push(`region=${aws.region}`);
  for (const id of aws.securityGroupsIds ?? []) parts.push(id);
  for (const n of aws.securityGroupsNames ?? []) parts.push(`name=${n}`);
  for (const [k, v] of Object.entries(aws.labels ?? {}).sort()) parts.push(`${k}=${v}`);
  return parts.length ? `aws:${parts.join(',')}` : undefined;
}

/** A selector key as a pod label key: the `k8s:`/`any:` sources name pod labels; `reserved:` and others stay. */
export const stripSource = ciliumKeyWithoutK8sSource;

interface PortSpec {
  readonly protocols: string[];
  readonly start?: number;
  readonly end?: number;
  readonly named?: string;
  readonly l7: string[];
}

type Matcher = (peer: Peer) => boolean;

/**
 * A `toFQDNs` matchPattern as Cilium matches names (pkg/fqdn/matchpattern ToAnchoredRegexp): `*`
 * stands for any characters of one DNS label (`[-a-zA-Z0-9_]*`, no dot), so `*.example.com`
 * matches `a.example.com` but not `a.b.example.com`; a pattern of only `*` matches every name.
 * From Cilium 1.19 a leading `**.` matches one or more labels (cilium/cilium commit 4ef872e,
 * "multilevel subdomain prefix wildcard"), and a pattern of only stars matches every name.
 * Names are compared in lower case, without a final dot.
 */
export function fqdnPatternRegExp(pattern: string, ciliumVersion: string): RegExp {
  const p = pattern.trim().toLowerCase().replace(/\.$/, '');
  const v19 = ciliumAtLeast(ciliumVersion, 19);
  // match every name: `*` (from 1.19 also `**`, `***`: dnsWildcardRegex ^[*]{1,}[.]?$)
  if (p === '*' || (v19 && /^\*+$/.test(p))) return /^[-a-z0-9_]+(\.[-a-z0-9_]+)*$/;
  let prefix = '';
  let rest = p;
  const multi = /^\*{2,}\./.exec(p);
  if (multi && v19) {
    prefix = '([-a-z0-9_]+\\.)+';
    rest = p.slice(multi[0].length);
  }
  const body = rest.split('').map((c) => (c === '*' ? '[-a-z0-9_]*' : c === '.' ? '\\.' : c)).join('');
  return new RegExp(`^${prefix}${body}$`);
}

function l7Texts(rules: L7Rules | undefined): string[] {
  if (!rules) return [];
  const out: string[] = [];
  for (const h of rules.http ?? []) {
    const parts = ['HTTP', h.method || '*', h.path || '/*'];
    if (h.host) parts.push(`host=${h.host}`);
    if (h.headers?.length) parts.push(`headers=${h.headers.join('&')}`);
    out.push(parts.join(' '));
  }
  for (const d of rules.dns ?? []) out.push(`DNS ${d.matchName ?? d.matchPattern ?? '*'}`);
  for (const k of rules.kafka ?? []) out.push(`Kafka ${[k.role ?? k.apiKey ?? '*', k.topic ?? '*'].join(' ')}`);
  if (rules.l7proto) out.push(`${rules.l7proto}`);
  return out;
}

const ANY_L4 = [...CILIUM_ANY_EXPANSION];

/**
 * The ports of `toPorts` (the reader accepted them): a port is a number (`0` = every port) or a
 * named port, read as Cilium's PortProtocol.sanitize does (IANA names lowercased; numbers with
 * Go's ParseUint base 0, so `017` is 15); an empty protocol is ANY.
 */
function parseToPorts(list: readonly (PortRule | PortDenyRule)[]): PortSpec[] {
  const out: PortSpec[] = [];
  for (const pr of list) {
    const l7 = l7Texts((pr as PortRule).rules);
    // a port rule without ports adds no L4 filter at all: it allows (or denies) nothing, while its
    // rule still makes the direction default-deny (pkg/policy/rule.go mergeIngress/mergeEgress:
    // only a rule without toPorts is L3-only, and then one filter per listed port)
    const ports = pr.ports ?? [];
    for (const p of ports) {
      const proto = p.protocol ? p.protocol.toUpperCase() : 'ANY';
      const protocols = proto === 'ANY' ? ANY_L4 : [proto];
      const parsed = parseCiliumPort(p.port);
      if (!parsed) throw new PolicyError(`port ${p.port}: not a port Cilium can read`); // the reader rejects these
      if ('name' in parsed) {
        out.push({ protocols, named: parsed.name, l7 });
      } else if (parsed.number === 0) {
        out.push({ protocols, start: PORT_MIN, end: PORT_MAX, l7 });
      } else {
        out.push({ protocols, start: parsed.number, end: p.endPort && p.endPort > parsed.number ? p.endPort : parsed.number, l7 });
      }
    }
  }
  return out;
}

function parseIcmps(list: readonly ICMPRule[]): ConnSet {
  let res = ConnSet.EMPTY;
  for (const ic of list) {
    for (const fl of ic.fields ?? []) {
      const proto = fl.family === 'IPv6' ? 'ICMPv6' : 'ICMP';
      const table = proto === 'ICMP' ? ICMPV4 : ICMPV6;
      const t = typeof fl.type === 'number' || /^\d+$/.test(fl.type) ? Number(fl.type) : table[fl.type];
      if (t === undefined || !(t >= 0 && t <= 255)) throw new PolicyError(`ICMP type ${fl.type}: not a type number or name`); // the reader rejects these
      res = res.union(ConnSet.of(proto, [[t, t]]));
    }
  }
  return res;
}

/**
 * The connections of `toPorts`. A named port resolves on the subject for ingress (the endpoint's
 * own named ports), and once for the whole cluster for egress (semantics.ts
 * egressNamedPortsClusterWide), per protocol (ANY expands to TCP, UDP and SCTP).
 */
function portsConn(ports: PortSpec[], dir: Direction, dst: Peer, clusterNamedPort?: CompileContext['clusterNamedPort']): ConnSet {
  let res = ConnSet.EMPTY;
  for (const p of ports) {
    for (const proto of p.protocols) {
      let iv: Interval;
      if (p.named !== undefined) {
        const port = clusterNamedPort ? clusterNamedPort(p.named, proto) : ownNamedPort(dst, p.named, proto);
        if (port === undefined || port < 1) continue;
        iv = [port, port];
      } else {
        iv = [p.start!, p.end!];
      }
      const l7: L7Restriction[] = p.l7.length ? [{ direction: dir, protocol: proto, start: iv[0], end: iv[1], rules: p.l7 }] : [];
      res = res.union(ConnSet.of(proto, [iv], l7));
    }
  }
  return res;
}

interface SelectorCtx {
  readonly policyNs?: string; // undefined for CCNP
  /** The subject selector names `reserved:init` (getEndpointSelector matchesInit). */
  readonly subjectMatchesInit: boolean;
  readonly clusterName: string;
  /** policy-default-local-cluster: peer selectors are limited to this cluster (clustermesh/types LocalClusterNameForPolicies). */
  readonly localClusterOnly: boolean;
}

const NS_KEY = CILIUM_POD_NAMESPACE_KEY;

/**
 * A peer selector (`fromEndpoints`, `toEndpoints`, `*Requires`) as Cilium applies it
 * (pkg/k8s/apis/cilium.io/utils getEndpointSelector): keys with a `reserved:` source are left as
 * they are (endpoint selectors only); otherwise, unless the selector names the pod namespace, a
 * CiliumClusterwideNetworkPolicy adds `io.kubernetes.pod.namespace` Exists (pods only; not when the
 * subject selects init endpoints), and a CiliumNetworkPolicy adds its own namespace, unless the
 * selector names namespace labels (`io.cilium.k8s.namespace.labels.*`, since 1.16): such a selector
 * selects in every namespace, and, made only of negative requirements, identities that are not pods
 * too. The selector then selects the identities whose labels it matches (identity.ts).
 */
function compileEndpointSelector(sel: EndpointSelector, f: string, sc: SelectorCtx, endpointSelector: boolean, entities?: Set<string>,
  applied?: Requirement[][]): Matcher {
  const cs: CompiledSelector = compileSelector(sel, f, stripSource);
  const keys = cs.keys();
  const reserved = keys.filter((k) => k.startsWith(`${CILIUM_RESERVED_SOURCE}:`));
  // a `reserved:<entity>` label selects that entity, which then becomes a peer of the analysis
  for (const r of cs.requirements) {
    if (r.key.startsWith(`${CILIUM_RESERVED_SOURCE}:`) && (r.operator === 'In' || r.operator === 'Exists')) entities?.add(r.key.slice(CILIUM_RESERVED_SOURCE.length + 1));
  }
  let extra: Requirement[] = [];
  if (!(endpointSelector && reserved.length) && !keys.includes(NS_KEY)) {
    if (sc.policyNs === undefined) {
      if (!sc.subjectMatchesInit) extra = [{ key: NS_KEY, operator: 'Exists', values: [] }];
    } else if (!keys.some((k) => k.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX))) {
      extra = [{ key: NS_KEY, operator: 'In', values: [sc.policyNs] }];
    }
  }
  if (sc.localClusterOnly && !(endpointSelector && reserved.length) && !keys.includes(CILIUM_CLUSTER_KEY)) {
    extra.push({ key: CILIUM_CLUSTER_KEY, operator: 'In', values: [sc.clusterName] });
  }
  const full = extra.length ? new CompiledSelector([...cs.requirements, ...extra], selectorText([...cs.requirements, ...extra])) : cs;
  applied?.push([...full.requirements]);
  const matcher: Matcher = (peer: Peer) => full.matches(peer.ciliumLabels);
  // a peer it matches has the label of an In requirement with one of its values: the rule's scope
  const inReq = full.requirements.find((r) => r.operator === 'In' && r.key === NS_KEY) ?? full.requirements.find((r) => r.operator === 'In');
  if (inReq) matcherScopes.set(matcher, { namespaces: [], namespaceLabels: [], types: [], ciliumLabels: [{ key: inReq.key, values: inReq.values }] });
  return matcher;
}

/** The peers some matchers can match (model.ts PeerScope), for matching rules in bulk; unset: any peer. */
const matcherScopes = new WeakMap<Matcher, PeerScope>();

/** The union of the matchers' scopes, or undefined when one of them may match any peer. */
function scopeOf(matchers: readonly Matcher[]): PeerScope | undefined {
  const scopes: PeerScope[] = [];
  for (const m of matchers) {
    const s = matcherScopes.get(m);
    if (!s) return undefined;
    scopes.push(s);
  }
  return {
    namespaces: scopes.flatMap((s) => s.namespaces),
    namespaceLabels: scopes.flatMap((s) => s.namespaceLabels),
    types: scopes.flatMap((s) => s.types),
    ciliumLabels: scopes.flatMap((s) => s.ciliumLabels),
  };
}

function entityMatcher(entity: EntityName, clusterName: string): Matcher {
  const selects = entitySelects(entity, clusterName);
  return (p) => selects(p.ciliumLabels);
}

/** A CIDR as Cilium reads it (netip: a prefix with host bits allowed, or in fromCIDR/toCIDR a single address). */
function ciliumRange(text: string): IpRange {
  const p = parsePrefix(text, 'netip');
  if (typeof p !== 'string') return { family: p.family, start: p.first, end: p.last };
  const a = parseIp(text, 'netip');
  if (!a) throw new PolicyError(`CIDR ${text}: not a CIDR Cilium can read`); // the reader rejects these
  return { family: a.family, start: a.value, end: a.value };
}

function cidrMatcher(list: readonly string[] | undefined, setList: readonly CIDRRule[] | undefined, f: string, ipSets: IpSet[],
  groups: CidrGroupInfo[], warn: (m: string) => void): Matcher[] {
  const sets: IpSet[] = [];
  for (const c of list ?? []) sets.push(new IpSet([ciliumRange(c)]));
  (setList ?? []).forEach((c, i) => {
    const except = (c.except ?? []).map(ciliumRange);
    if (c.cidr) {
      sets.push(new IpSet([ciliumRange(c.cidr)]).subtract(new IpSet(except)));
      return;
    }
    // A CIDR group stands for the externalCIDRs of the CiliumCIDRGroup(s) it names or selects;
    // a group missing from the manifests matches nothing (Cilium: no addresses yet).
    const selector = c.cidrGroupSelector ? compileSelector(c.cidrGroupSelector, `${f}CIDRSet[${i}].cidrGroupSelector`) : undefined;
    const chosen = groups.filter((g) => (selector ? selector.matches(g.labels) : g.name === c.cidrGroupRef));
    if (chosen.length === 0) warn(`${f}CIDRSet[${i}]: no CiliumCIDRGroup ${selector ? `matches ${selector.text}` : `named "${c.cidrGroupRef}"`} among the manifests; it matches nothing`);
    for (const g of chosen) {
      for (const cidr of g.cidrs) {
        // Exceptions outside a group member are irrelevant to it, not an error.
        const member = ciliumRange(cidr);
        const own = except.filter((e) => e.family === member.family && member.start <= e.start && e.end <= member.end);
        sets.push(new IpSet([member]).subtract(new IpSet(own)));
      }
    }
  });
  ipSets.push(...sets);
  return sets.map((s) => {
    const coversAll = s.containsRange(fullRange(4)) || s.containsRange(fullRange(6));
    // named outside peers have unknown addresses: only a CIDR covering all addresses surely includes them
    return (p: Peer) => (p.type === 'external' && !!p.range && s.containsRange(p.range)) || (coversAll && isNamedOutside(p));
  });
}

type AnyRule = IngressRule & EgressRule & { readonly [key: string]: any };

/** Compile a CNP/CCNP the reader accepted into one policy model per rule (`spec` and each of `specs`). */
export function compileCiliumPolicy(doc: PolicyDoc, ctx: CompileContext, cluster: Cluster, diags: Diagnostic[]): PolicyModel[] {
  const o = doc.object as CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;
  const specs: { spec: Rule; field: string }[] = [];
  if (o.spec) specs.push({ spec: o.spec, field: 'spec' });
  (o.specs ?? []).forEach((s, i) => specs.push({ spec: s, field: `specs[${i}]` }));
  const clusterwide = doc.kind === 'CiliumClusterwideNetworkPolicy';
  const clusterName = ctx.semantics.agent.clusterName;
  const base = `${doc.kind} ${clusterwide ? doc.name : `${doc.namespace}/${doc.name}`}`;
  const warn = (message: string) => diags.push({ ...doc.source, severity: 'warning', message: `${base}: ${message}` });

  return specs.map(({ spec, field }) => {
    const hostPolicy = spec.nodeSelector !== undefined;
    const subjectSel = hostPolicy
      ? compileSelector(spec.nodeSelector!, `${field}.nodeSelector`, stripSource)
      : compileSelector(ownNamespaceSelector(spec.endpointSelector!, clusterwide ? undefined : doc.namespace, `${field}.endpointSelector`, warn), `${field}.endpointSelector`, stripSource);
    if (hostPolicy && !cluster.nodes.length) warn(`${field}.nodeSelector: a host policy applies to nodes, and no Node is among the manifests; add the Node manifests to analyse it`);
    const id = specs.length > 1 ? `${base} ${field}` : base;
    const sc: SelectorCtx = {
      policyNs: clusterwide ? undefined : doc.namespace,
      subjectMatchesInit: !hostPolicy && compileSelector(spec.endpointSelector!, 'endpointSelector', stripSource).keys().includes(`${CILIUM_RESERVED_SOURCE}:init`),
      clusterName,
      localClusterOnly: ctx.semantics.agent.policyDefaultLocalCluster,
    };
    const ingressIpSets: IpSet[] = [];
    const egressIpSets: IpSet[] = [];
    const entities = new Set<string>();
    const fqdns = new Set<string>();
    const services = new Set<string>();
    const groups = { ingress: new Set<string>(), egress: new Set<string>() };
    const requirements: RequirementModel[] = [];
    const rules: RuleModel[] = [];

    const build = (dir: Direction, deny: boolean) => {
      const key = deny ? `${dir}Deny` : dir;
      const list = ((spec as any)[key] ?? []) as AnyRule[];
      const from = dir === 'ingress' ? 'from' : 'to';
      const ipSets = dir === 'ingress' ? ingressIpSets : egressIpSets;
      list.forEach((rule, i) => {
        const f = `${field}.${key}[${i}]`;
        const matchers: Matcher[] = [];
        let hasL3 = false;
        const eps: readonly EndpointSelector[] | undefined = rule[`${from}Endpoints`];
        const endpointMatchers: Matcher[] = [];
        const appliedSelectors: Requirement[][] = [];
        if (eps !== undefined) {
          hasL3 = true;
          eps.forEach((s, j) => endpointMatchers.push(compileEndpointSelector(s, `${f}.${from}Endpoints[${j}]`, sc, true, entities, appliedSelectors)));
          matchers.push(...endpointMatchers);
        }
        const reqs: readonly EndpointSelector[] | undefined = rule[`${from}Requires`];
        if (reqs !== undefined) {
          // Not an L3 peer: requirements narrow endpoint selectors and allow nothing by themselves.
          warn(`${f}.${from}Requires is deprecated since Cilium 1.17 and removed in 1.19; it narrows every ${deny ? 'deny' : 'allow'} rule of every policy that selects the same endpoints`);
          reqs.forEach((s, j) => {
            const description = `${id} ${key} rule #${i + 1} ${from}Requires[${j}]`;
            requirements.push({ direction: dir, deny, description, matches: compileEndpointSelector(s, `${f}.${from}Requires[${j}]`, sc, false) });
          });
        }
        const nodes: readonly EndpointSelector[] | undefined = rule[`${from}Nodes`];
        if (nodes !== undefined) {
          hasL3 = true;
          if (!cluster.nodes.length) warn(`${f}.${from}Nodes: no Node is among the manifests; it matches nothing (add the Node manifests)`);
          nodes.forEach((s, j) => {
            const sel = compileSelector(s, `${f}.${from}Nodes[${j}]`, stripSource);
            matchers.push((p) => p.type === 'node' && sel.matches(p.node!.labels));
          });
        }
        const grps: readonly Groups[] | undefined = rule[`${from}Groups`];
        if (grps !== undefined) {
          hasL3 = true;
          for (const g of grps) {
            const name = groupName(g);
            if (!name) {
              warn(`${f}.${from}Groups: a group that names no AWS security group matches nothing`);
              continue;
            }
            const peerId = `${name}[Group]`;
            groups[dir].add(peerId);
            matchers.push((p) => p.type === 'group' && p.id === peerId);
          }
        }
        const ents: readonly EntityName[] | undefined = rule[`${from}Entities`];
        if (ents !== undefined) {
          hasL3 = true;
          for (const name of ents) {
            if (name !== 'none') entities.add(name);
            matchers.push(entityMatcher(name, clusterName));
          }
        }
        if (rule[`${from}CIDR`] !== undefined || rule[`${from}CIDRSet`] !== undefined) {
          hasL3 = true;
          matchers.push(...cidrMatcher(rule[`${from}CIDR`], rule[`${from}CIDRSet`], `${f}.${from}`, ipSets, cluster.cidrGroups, warn));
        }
        const toFqdns: readonly FQDNSelector[] | undefined = dir === 'egress' && !deny ? rule.toFQDNs : undefined;
        if (toFqdns !== undefined) {
          hasL3 = true;
          const names: string[] = [];
          const patterns: RegExp[] = [];
          for (const q of toFqdns) {
            if (q.matchName) {
              names.push(q.matchName.replace(/\.$/, '').toLowerCase());
              fqdns.add(names[names.length - 1]);
            } else if (q.matchPattern) {
              patterns.push(fqdnPatternRegExp(q.matchPattern, ctx.semantics.ciliumVersion));
              fqdns.add(q.matchPattern.replace(/\.$/, '').toLowerCase());
            }
          }
          matchers.push((p) => p.type === 'fqdn' && (names.includes(p.fqdn!) || patterns.some((re) => re.test(p.fqdn!) && !p.fqdn!.includes('*')) ||
            fqdnPatternCovered(p.fqdn!, toFqdns)));
        }
        const toServices: readonly ServiceRef[] | undefined = dir === 'egress' ? rule.toServices : undefined;
        if (toServices !== undefined) {
          hasL3 = true;
          toServices.forEach((s, j) => {
            // No namespace: Services in every namespace (see the header).
            let svcs: ServiceInfo[];
            if (s.k8sService) {
              const ns: string | undefined = s.k8sService.namespace || undefined;
              svcs = cluster.services.filter((x) => (!ns || x.namespace === ns) && x.name === s.k8sService!.serviceName);
              if (!svcs.length) warn(`${f}.toServices[${j}]: service ${ns ?? '*'}/${s.k8sService.serviceName} not found in the manifests; it matches nothing`);
            } else if (s.k8sServiceSelector) {
              // Cilium selects Services by their own labels (K8sServiceSelectorNamespace.selector).
              const ns: string | undefined = s.k8sServiceSelector.namespace || undefined;
              const svcSelector = compileSelector(s.k8sServiceSelector.selector, `${f}.toServices[${j}].k8sServiceSelector.selector`);
              svcs = cluster.services.filter((x) => (!ns || x.namespace === ns) && svcSelector.matches(x.labels));
              if (!svcs.length) warn(`${f}.toServices[${j}].k8sServiceSelector: selects no Service in the manifests; it matches nothing`);
            } else {
              svcs = [];
            }
            // A Service allows the pods behind it; one without selector is a peer of its own.
            for (const svc of svcs) {
              const sel = svc.selector;
              if (sel) {
                matchers.push((p) => p.type === 'workload' && p.namespace === svc.namespace && sel.matches(p.labels!));
              } else {
                const peerId = `${svc.namespace}/${svc.name}[Service]`;
                services.add(`${svc.namespace}/${svc.name}`);
                matchers.push((p) => p.type === 'service' && p.id === peerId);
              }
            }
          });
        }
        // `toPorts: []` is no port rule (the rule is L3-only, or empty without peers)
        const hasPorts = (rule.toPorts?.length ?? 0) > 0;
        const hasIcmp = (rule.icmps?.length ?? 0) > 0;
        const ports = hasPorts ? parseToPorts(rule.toPorts!) : undefined;
        const icmp = hasIcmp ? parseIcmps(rule.icmps!) : ConnSet.EMPTY;
        let matchPeer: Matcher;
        const otherMatchers = matchers.filter((m) => !endpointMatchers.includes(m));
        if (hasL3) matchPeer = matchers.length === 1 ? matchers[0] : (p) => matchers.some((m) => m(p));
        else if (hasPorts || hasIcmp) matchPeer = () => true; // L4-only rule: any peer
        else matchPeer = () => false; // empty rule: enables default deny, allows nothing
        const hasNamed = !!ports && ports.some((p) => p.named !== undefined);
        // Cilium resolves egress named ports for the whole cluster: the rule's connections do not depend on the peer
        const clusterWide = dir === 'egress' ? ctx.clusterNamedPort : undefined;
        let staticConn: ConnSet | undefined;
        if (!hasPorts && !hasIcmp) staticConn = ctx.all;
        else if (!hasNamed || clusterWide) staticConn = (ports ? portsConn(ports, dir, {} as Peer, clusterWide) : ConnSet.EMPTY).union(icmp);
        rules.push({
          direction: dir,
          deny,
          description: `${id} ${key} rule #${i + 1}`,
          matchPeer,
          peerScope: hasL3 ? scopeOf(matchers) : undefined,
          conn: staticConn ? () => staticConn! : (dst: Peer) => portsConn(ports!, dir, dst).union(icmp),
          staticConn,
          matchEndpoint: (p) => endpointMatchers.some((m) => m(p)),
          matchOther: hasL3 ? (p) => otherMatchers.some((m) => m(p)) : matchPeer,
          ciliumWritten: { endpointSelectors: appliedSelectors, entities: ents ? ents.filter((e) => e !== 'none') : [], anyPeer: !hasL3 && (hasPorts || hasIcmp) },
        });
      });
    };
    build('ingress', false);
    build('ingress', true);
    build('egress', false);
    build('egress', true);

    const dd = spec.enableDefaultDeny ?? {};
    const hasIn = !!spec.ingress?.length || !!spec.ingressDeny?.length;
    const hasEg = !!spec.egress?.length || !!spec.egressDeny?.length;
    const model: PolicyModel = {
      kind: doc.kind,
      namespace: doc.namespace,
      name: doc.name,
      id,
      source: doc.source,
      selects: hostPolicy
        ? (peer: Peer) => peer.type === 'node' && subjectSel.matches(peer.node!.labels)
        : (peer: Peer) => peer.type === 'workload' && (clusterwide || peer.namespace === doc.namespace) && subjectSel.matches(peer.ciliumLabels ?? {}),
      subjectNamespace: hostPolicy || clusterwide ? undefined : doc.namespace,
      isolatesIngress: hasIn && dd.ingress !== false,
      isolatesEgress: hasEg && dd.egress !== false,
      rules,
      ingressIpSets,
      egressIpSets,
      entities: [...entities],
      fqdns: [...fqdns],
      services: [...services],
      ingressGroups: [...groups.ingress],
      egressGroups: [...groups.egress],
      requirements,
    };
    return model;
  });
}

/**
 * A CNP's endpointSelector as Cilium applies it: ParseToCiliumRule sets the matchLabels key
 * `k8s:io.kubernetes.pod.namespace` to the policy's namespace ("illegal namespace match ... removing"),
 * so a namespace named there is dropped (other spellings stay and must match too).
 */
export function ownNamespaceSelector(sel: EndpointSelector, policyNs: string | undefined, f: string, warn?: (m: string) => void): EndpointSelector {
  const key = `k8s:${CILIUM_NAMESPACE_LABEL}`;
  if (policyNs === undefined || !sel?.matchLabels || !(key in sel.matchLabels)) return sel;
  if (sel.matchLabels[key] !== policyNs) warn?.(`${f}.matchLabels["${key}"]: "${sel.matchLabels[key]}" is replaced by the policy's namespace ${policyNs}, as Cilium does`);
  const { [key]: _dropped, ...rest } = sel.matchLabels;
  return { ...sel, matchLabels: rest };
}

function fqdnPatternCovered(name: string, list: readonly FQDNSelector[]): boolean {
  // a pattern peer (e.g. *.example.com) is matched by the rule that declared exactly that pattern
  return list.some((q) => q.matchPattern && q.matchPattern.replace(/\.$/, '').toLowerCase() === name);
}

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
import { CidrGroupInfo, Cluster, PolicyDoc } from './cluster';
import { fullRange, IpSet } from './ipranges';
import { PolicyError } from './kubernetes';
import { Diagnostic } from './load';
import { CompileContext, Direction, isNamedOutside, Peer, PolicyModel, RequirementModel, RuleModel } from './model';
import { ConnSet, Interval, L7Restriction, PORT_MAX, PORT_MIN } from './ports';
import { CompiledSelector, compileSelector, Labels } from './selectors';
import { ICMPV4, ICMPV6 } from '../model/cilium/icmp';

export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const CILIUM_NS_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
export const CILIUM_SA_LABEL = 'io.cilium.k8s.policy.serviceaccount';
export const CILIUM_CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';

export const ENTITIES = ['all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'init', 'health', 'unmanaged', 'ingress'];
/** Entities inside the cluster that `cluster` covers besides pods. */
const CLUSTER_ENTITIES = ['host', 'remote-node', 'kube-apiserver', 'init', 'health', 'unmanaged', 'ingress'];

/** Cilium's reserved label of remote nodes (a Node peer carries it, see nodePeerLabels). */
export const REMOTE_NODE_LABEL = 'reserved:remote-node';

/** The label set Cilium derives for a pod. */
export function ciliumLabelsFor(labels: Labels, namespace: string, nsLabels: Labels, serviceAccount: string): Labels {
  const out: Record<string, string> = { ...labels };
  out[CILIUM_NAMESPACE_LABEL] = namespace;
  for (const [k, v] of Object.entries(nsLabels)) out[CILIUM_NS_LABELS_PREFIX + k] = v;
  out[CILIUM_SA_LABEL] = serviceAccount;
  out[CILIUM_CLUSTER_LABEL] = 'default';
  return out;
}

export function entityPeerLabels(entity: string): Labels {
  return { [`reserved:${entity}`]: '' };
}

/** The labels of a Node peer: its own labels plus `reserved:remote-node` (see the header). */
export function nodePeerLabels(labels: Labels): Labels {
  return { ...labels, [REMOTE_NODE_LABEL]: '' };
}

/** The display name of a `toGroups`/`fromGroups` entry, e.g. `aws:region=eu-west-1,sg-1,sg-2`. */
function groupName(g: any, f: string): string {
  const aws = g?.aws;
  if (!aws || typeof aws !== 'object') throw new PolicyError(`${f}: only aws groups are supported by Cilium; use { aws: { securityGroupsIds: [...] } }`);
  const parts: string[] = [];
  if (aws.region) parts.push(`region=${aws.region}`);
  for (const id of Array.isArray(aws.securityGroupsIds) ? aws.securityGroupsIds : []) parts.push(String(id));
  for (const n of Array.isArray(aws.securityGroupsNames) ? aws.securityGroupsNames : []) parts.push(`name=${n}`);
  for (const [k, v] of Object.entries(aws.labels ?? {}).sort()) parts.push(`${k}=${v}`);
  if (!parts.length) throw new PolicyError(`${f}.aws: names no security group; set securityGroupsIds, securityGroupsNames or labels`);
  return `aws:${parts.join(',')}`;
}

/** A selector key as a pod label key: the `k8s:`/`any:` sources name pod labels; `reserved:` and others stay. */
export function stripSource(key: string): string {
  if (key.startsWith('k8s:')) return key.slice(4);
  if (key.startsWith('any:')) return key.slice(4);
  return key;
}

// ICMP type names: the one table the Cilium constructs validate against (a data table, not construct state).
const ICMP_TYPES = ICMPV4;
const ICMPV6_TYPES = ICMPV6;

interface PortSpec {
  readonly protocols: string[];
  readonly start?: number;
  readonly end?: number;
  readonly named?: string;
  readonly l7: string[];
}

type Matcher = (peer: Peer) => boolean;

function globToRegExp(pattern: string): RegExp {
  const esc = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[-a-zA-Z0-9_.]*');
  return new RegExp(`^${esc}$`, 'i');
}

function l7Texts(rules: any, f: string, deny: boolean): string[] {
  if (!rules || typeof rules !== 'object') return [];
  if (deny) throw new PolicyError(`${f}.rules: L7 rules are not allowed in deny rules`);
  const out: string[] = [];
  for (const h of Array.isArray(rules.http) ? rules.http : []) {
    const parts = ['HTTP', h?.method || '*', h?.path || '/*'];
    if (h?.host) parts.push(`host=${h.host}`);
    if (Array.isArray(h?.headers) && h.headers.length) parts.push(`headers=${h.headers.join('&')}`);
    out.push(parts.join(' '));
  }
  for (const d of Array.isArray(rules.dns) ? rules.dns : []) out.push(`DNS ${d?.matchName ?? d?.matchPattern ?? '*'}`);
  for (const k of Array.isArray(rules.kafka) ? rules.kafka : []) out.push(`Kafka ${[k?.role ?? k?.apiKey ?? '*', k?.topic ?? '*'].join(' ')}`);
  if (rules.l7proto) out.push(`${rules.l7proto}`);
  if (out.length === 0 && Object.keys(rules).length) out.push(`L7 ${Object.keys(rules).join(',')}`);
  return out;
}

function parseToPorts(list: any, f: string, deny: boolean): PortSpec[] {
  if (!Array.isArray(list)) throw new PolicyError(`${f}: expected a list of {ports, rules}`);
  const out: PortSpec[] = [];
  list.forEach((pr: any, i: number) => {
    const ff = `${f}[${i}]`;
    const l7 = l7Texts(pr?.rules, ff, deny);
    const ports = Array.isArray(pr?.ports) ? pr.ports : [];
    if (!ports.length) {
      out.push({ protocols: ['TCP', 'UDP', 'SCTP'], start: PORT_MIN, end: PORT_MAX, l7 });
      return;
    }
    ports.forEach((p: any, j: number) => {
      const pf = `${ff}.ports[${j}]`;
      const proto = String(p?.protocol ?? 'ANY').toUpperCase();
      const protocols = proto === 'ANY' ? ['TCP', 'UDP', 'SCTP'] : [proto];
      if (!['TCP', 'UDP', 'SCTP', 'ANY'].includes(proto)) throw new PolicyError(`${pf}.protocol: "${p?.protocol}" is not TCP, UDP, SCTP or ANY`);
      const raw = p?.port === undefined || p?.port === null ? '0' : String(p.port);
      if (/^\d+$/.test(raw)) {
        const start = Number(raw);
        if (start > 65535) throw new PolicyError(`${pf}.port: ${raw} is not a port number 0-65535`);
        if (start === 0) {
          out.push({ protocols, start: PORT_MIN, end: PORT_MAX, l7 });
          return;
        }
        let end = start;
        if (p.endPort !== undefined && p.endPort !== null) {
          end = Number(p.endPort);
          if (!Number.isInteger(end) || end < start || end > 65535) throw new PolicyError(`${pf}.endPort: ${p.endPort} must be between port (${start}) and 65535`);
        }
        out.push({ protocols, start, end, l7 });
      } else {
        out.push({ protocols, named: raw, l7 });
      }
    });
  });
  return out;
}

function parseIcmps(list: any, f: string): ConnSet {
  if (!Array.isArray(list)) throw new PolicyError(`${f}: expected a list of {fields: [{type, family}]}`);
  let res = ConnSet.EMPTY;
  list.forEach((ic: any, i: number) => {
    const fields = Array.isArray(ic?.fields) ? ic.fields : [];
    fields.forEach((fl: any, j: number) => {
      const fam = String(fl?.family ?? 'IPv4');
      const proto = fam === 'IPv6' ? 'ICMPv6' : 'ICMP';
      const table = proto === 'ICMP' ? ICMP_TYPES : ICMPV6_TYPES;
      const t = typeof fl?.type === 'number' || /^\d+$/.test(String(fl?.type)) ? Number(fl.type) : table[String(fl?.type)];
      if (t === undefined || !(t >= 0 && t <= 255)) {
        throw new PolicyError(`${f}[${i}].fields[${j}].type: "${fl?.type}" is not an ICMP type number or name (e.g. 8 or EchoRequest)`);
      }
      res = res.union(ConnSet.of(proto, [[t, t]]));
    });
  });
  return res;
}

function portsConn(ports: PortSpec[], dst: Peer): ConnSet {
  let res = ConnSet.EMPTY;
  for (const p of ports) {
    for (const proto of p.protocols) {
      let iv: Interval;
      if (p.named !== undefined) {
        const cp = dst.workload?.ports.find((c) => c.name === p.named && (p.protocols.length > 1 || c.protocol === proto));
        if (!cp || cp.port < 1 || cp.protocol !== proto) continue;
        iv = [cp.port, cp.port];
      } else {
        iv = [p.start!, p.end!];
      }
      const l7: L7Restriction[] = p.l7.length ? [{ protocol: proto, start: iv[0], end: iv[1], rules: p.l7 }] : [];
      res = res.union(ConnSet.of(proto, [iv], l7));
    }
  }
  return res;
}

interface SelectorCtx {
  readonly policyNs?: string; // undefined for CCNP
}

function compileEndpointSelector(sel: any, f: string, sc: SelectorCtx, peerSelector: boolean, entities?: Set<string>): Matcher {
  const cs: CompiledSelector = compileSelector(sel ?? {}, f, stripSource);
  const reserved = cs.requirements.filter((r) => r.key.startsWith('reserved:'));
  // a `reserved:<entity>` label selects that entity, which then becomes a peer of the analysis
  for (const r of reserved) if (r.operator === 'In' || r.operator === 'Exists') entities?.add(r.key.slice('reserved:'.length));
  // Selectors on namespace labels are scoped too, as the Cilium docs say ("supported only for a
  // CiliumClusterwideNetworkPolicy", cilium/cilium#26134); newer getEndpointSelector code exempts them,
  // and which release changed that is unconfirmed, so the documented, narrower reading is kept.
  const nsScoped = peerSelector && sc.policyNs !== undefined && !cs.keys().includes(CILIUM_NAMESPACE_LABEL);
  return (peer: Peer) => {
    // entities and nodes carry only reserved labels an endpoint selector can name
    if (peer.type === 'entity' || peer.type === 'node') return reserved.length > 0 && cs.matches(peer.ciliumLabels ?? {});
    if (peer.type !== 'workload' && peer.type !== 'ingress-controller') return false;
    if (reserved.length) return false;
    if (nsScoped && peer.namespace !== sc.policyNs) return false;
    return cs.matches(peer.ciliumLabels ?? {});
  };
}

function entityMatcher(entity: string): Matcher {
  switch (entity) {
    case 'all':
      return () => true;
    case 'world':
      return (p) => p.type === 'external' || isNamedOutside(p) || p.type === 'service';
    case 'world-ipv4':
      return (p) => (p.type === 'external' && p.range?.family === 4) || isNamedOutside(p);
    case 'world-ipv6':
      return (p) => (p.type === 'external' && p.range?.family === 6) || isNamedOutside(p);
    case 'cluster':
      return (p) => p.type === 'workload' || p.type === 'ingress-controller' || p.type === 'node' || (p.type === 'entity' && CLUSTER_ENTITIES.includes(p.entity!));
    case 'remote-node':
      return (p) => p.type === 'node' || (p.type === 'entity' && p.entity === entity);
    default:
      return (p) => p.type === 'entity' && p.entity === entity;
  }
}

function cidrMatcher(list: any, setList: any, f: string, ipSets: IpSet[], groups: CidrGroupInfo[], warn: (m: string) => void): Matcher[] {
  const sets: IpSet[] = [];
  if (list !== undefined) {
    if (!Array.isArray(list)) throw new PolicyError(`${f}CIDR: expected a list of CIDRs`);
    list.forEach((c: any, i: number) => {
      try {
        sets.push(IpSet.fromCidr(String(c)));
      } catch (e: any) {
        throw new PolicyError(`${f}CIDR[${i}]: ${e.message}`);
      }
    });
  }
  if (setList !== undefined) {
    if (!Array.isArray(setList)) throw new PolicyError(`${f}CIDRSet: expected a list of {cidr, except}`);
    setList.forEach((c: any, i: number) => {
      const except = Array.isArray(c?.except) ? c.except.map(String) : [];
      let cidrs: string[];
      if (c?.cidr) {
        cidrs = [String(c.cidr)];
      } else if (c?.cidrGroupRef || c?.cidrGroupSelector) {
        // A CIDR group stands for the externalCIDRs of the CiliumCIDRGroup(s) it names or selects;
        // a group missing from the manifests matches nothing (Cilium: no addresses yet).
        const selector = c.cidrGroupSelector ? compileSelector(c.cidrGroupSelector, `${f}CIDRSet[${i}].cidrGroupSelector`) : undefined;
        const chosen = groups.filter((g) => (selector ? selector.matches(g.labels) : g.name === String(c.cidrGroupRef)));
        if (chosen.length === 0) warn(`${f}CIDRSet[${i}]: no CiliumCIDRGroup ${selector ? `matches ${selector.text}` : `named "${c.cidrGroupRef}"`} among the manifests; it matches nothing`);
        cidrs = chosen.flatMap((g) => g.cidrs);
      } else {
        throw new PolicyError(`${f}CIDRSet[${i}]: needs cidr, cidrGroupRef or cidrGroupSelector`);
      }
      for (const cidr of cidrs) {
        try {
          // Exceptions outside a group member are irrelevant to it, not an error.
          const own = except.filter((e: string) => IpSet.fromCidr(cidr).containsRange(IpSet.fromCidr(e).ranges[0]));
          sets.push(IpSet.fromCidr(cidr, c?.cidr ? except : own));
        } catch (e: any) {
          throw new PolicyError(`${f}CIDRSet[${i}]: ${e.message}`);
        }
      }
    });
  }
  ipSets.push(...sets);
  return sets.map((s) => {
    const coversAll = s.containsRange(fullRange(4)) || s.containsRange(fullRange(6));
    // named outside peers have unknown addresses: only a CIDR covering all addresses surely includes them
    return (p: Peer) => (p.type === 'external' && !!p.range && s.containsRange(p.range)) || (coversAll && isNamedOutside(p));
  });
}

/** Compile a CNP/CCNP document into one policy model per rule (`spec` and each of `specs`). */
export function compileCiliumPolicy(doc: PolicyDoc, ctx: CompileContext, cluster: Cluster, diags: Diagnostic[]): PolicyModel[] {
  const o = doc.object;
  const specs: { spec: any; field: string }[] = [];
  if (o.spec) specs.push({ spec: o.spec, field: 'spec' });
  if (Array.isArray(o.specs)) o.specs.forEach((s: any, i: number) => specs.push({ spec: s, field: `specs[${i}]` }));
  if (!specs.length) throw new PolicyError('spec: a Cilium policy needs spec or specs');
  const clusterwide = doc.kind === 'CiliumClusterwideNetworkPolicy';
  const sc: SelectorCtx = { policyNs: clusterwide ? undefined : doc.namespace };
  const base = `${doc.kind} ${clusterwide ? doc.name : `${doc.namespace}/${doc.name}`}`;
  const warn = (message: string) => diags.push({ ...doc.source, severity: 'warning', message: `${base}: ${message}` });

  return specs.map(({ spec, field }) => {
    if (!spec || typeof spec !== 'object') throw new PolicyError(`${field}: expected a rule object`);
    const hostPolicy = spec.nodeSelector !== undefined && spec.nodeSelector !== null;
    if (hostPolicy && !clusterwide) throw new PolicyError(`${field}.nodeSelector: host policies can only be CiliumClusterwideNetworkPolicies; move this rule to one, or use endpointSelector`);
    if (hostPolicy && spec.endpointSelector !== undefined) throw new PolicyError(`${field}: endpointSelector and nodeSelector are mutually exclusive; keep one`);
    if (!hostPolicy && spec.endpointSelector === undefined) throw new PolicyError(`${field}.endpointSelector: required (use {} to select all endpoints${clusterwide ? '' : ' of the namespace'}, or nodeSelector for a host policy)`);
    const subjectSel = hostPolicy
      ? compileSelector(spec.nodeSelector, `${field}.nodeSelector`, stripSource)
      : compileSelector(ownNamespaceSelector(spec.endpointSelector, clusterwide ? undefined : doc.namespace, `${field}.endpointSelector`, warn), `${field}.endpointSelector`, stripSource);
    if (hostPolicy && !cluster.nodes.length) warn(`${field}.nodeSelector: a host policy applies to nodes, and no Node is among the manifests; add the Node manifests to analyse it`);
    const id = specs.length > 1 ? `${base} ${field}` : base;
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
      const list = spec[key];
      if (list === undefined || list === null) return;
      if (!Array.isArray(list)) throw new PolicyError(`${field}.${key}: expected a list of rules`);
      const from = dir === 'ingress' ? 'from' : 'to';
      const ipSets = dir === 'ingress' ? ingressIpSets : egressIpSets;
      list.forEach((r: any, i: number) => {
        const f = `${field}.${key}[${i}]`;
        const rule = r ?? {};
        const matchers: Matcher[] = [];
        let hasL3 = false;
        const eps = rule[`${from}Endpoints`];
        const endpointMatchers: Matcher[] = [];
        if (eps !== undefined) {
          hasL3 = true;
          if (!Array.isArray(eps)) throw new PolicyError(`${f}.${from}Endpoints: expected a list of label selectors`);
          eps.forEach((s: any, j: number) => endpointMatchers.push(compileEndpointSelector(s, `${f}.${from}Endpoints[${j}]`, sc, true, entities)));
          matchers.push(...endpointMatchers);
        }
        const reqs = rule[`${from}Requires`];
        if (reqs !== undefined) {
          // Not an L3 peer: requirements narrow endpoint selectors and allow nothing by themselves.
          if (!Array.isArray(reqs)) throw new PolicyError(`${f}.${from}Requires: expected a list of label selectors`);
          warn(`${f}.${from}Requires is deprecated since Cilium 1.17 and removed in 1.19; it narrows every ${deny ? 'deny' : 'allow'} rule of every policy that selects the same endpoints`);
          reqs.forEach((s: any, j: number) => {
            const description = `${id} ${key} rule #${i + 1} ${from}Requires[${j}]`;
            requirements.push({ direction: dir, deny, description, matches: compileEndpointSelector(s, `${f}.${from}Requires[${j}]`, sc, true) });
          });
        }
        const nodes = rule[`${from}Nodes`];
        if (nodes !== undefined) {
          hasL3 = true;
          if (!Array.isArray(nodes)) throw new PolicyError(`${f}.${from}Nodes: expected a list of node label selectors`);
          if (!cluster.nodes.length) warn(`${f}.${from}Nodes: no Node is among the manifests; it matches nothing (add the Node manifests)`);
          nodes.forEach((s: any, j: number) => {
            const sel = compileSelector(s ?? {}, `${f}.${from}Nodes[${j}]`, stripSource);
            matchers.push((p) => p.type === 'node' && sel.matches(p.node!.labels));
          });
        }
        const grps = rule[`${from}Groups`];
        if (grps !== undefined) {
          hasL3 = true;
          if (!Array.isArray(grps)) throw new PolicyError(`${f}.${from}Groups: expected a list of { aws: {...} }`);
          grps.forEach((g: any, j: number) => {
            const peerId = `${groupName(g, `${f}.${from}Groups[${j}]`)}[Group]`;
            groups[dir].add(peerId);
            matchers.push((p) => p.type === 'group' && p.id === peerId);
          });
        }
        const ents = rule[`${from}Entities`];
        if (ents !== undefined) {
          hasL3 = true;
          if (!Array.isArray(ents)) throw new PolicyError(`${f}.${from}Entities: expected a list of entity names`);
          ents.forEach((e: any, j: number) => {
            const name = String(e);
            if (!ENTITIES.includes(name)) throw new PolicyError(`${f}.${from}Entities[${j}]: "${name}" is not a Cilium entity; use one of ${ENTITIES.join(', ')}`);
            entities.add(name);
            matchers.push(entityMatcher(name));
          });
        }
        if (rule[`${from}CIDR`] !== undefined || rule[`${from}CIDRSet`] !== undefined) {
          hasL3 = true;
          matchers.push(...cidrMatcher(rule[`${from}CIDR`], rule[`${from}CIDRSet`], `${f}.${from}`, ipSets, cluster.cidrGroups, warn));
        }
        if (dir === 'egress' && rule.toFQDNs !== undefined) {
          hasL3 = true;
          if (deny) throw new PolicyError(`${f}.toFQDNs: FQDN rules are not allowed in deny rules`);
          if (!Array.isArray(rule.toFQDNs)) throw new PolicyError(`${f}.toFQDNs: expected a list of {matchName | matchPattern}`);
          const names: string[] = [];
          const patterns: RegExp[] = [];
          rule.toFQDNs.forEach((q: any, j: number) => {
            if (q?.matchName) {
              names.push(String(q.matchName).replace(/\.$/, '').toLowerCase());
              fqdns.add(names[names.length - 1]);
            } else if (q?.matchPattern) {
              patterns.push(globToRegExp(String(q.matchPattern).replace(/\.$/, '')));
              fqdns.add(String(q.matchPattern).replace(/\.$/, '').toLowerCase());
            } else {
              throw new PolicyError(`${f}.toFQDNs[${j}]: needs matchName or matchPattern`);
            }
          });
          matchers.push((p) => p.type === 'fqdn' && (names.includes(p.fqdn!) || patterns.some((re) => re.test(p.fqdn!) && !p.fqdn!.includes('*')) ||
            fqdnPatternCovered(p.fqdn!, rule.toFQDNs)));
        }
        if (dir === 'egress' && rule.toServices !== undefined) {
          hasL3 = true;
          if (!Array.isArray(rule.toServices)) throw new PolicyError(`${f}.toServices: expected a list of {k8sService | k8sServiceSelector}`);
          rule.toServices.forEach((s: any, j: number) => {
            // No namespace: Services in every namespace (see the header).
            let svcs;
            if (s?.k8sService) {
              const ns: string | undefined = s.k8sService.namespace || undefined;
              svcs = cluster.services.filter((x) => (!ns || x.namespace === ns) && x.name === s.k8sService.serviceName);
              if (!svcs.length) warn(`${f}.toServices[${j}]: service ${ns ?? '*'}/${s.k8sService.serviceName} not found in the manifests; it matches nothing`);
            } else if (s?.k8sServiceSelector) {
              // Cilium selects Services by their own labels (K8sServiceSelectorNamespace.selector).
              const ns: string | undefined = s.k8sServiceSelector.namespace || undefined;
              const svcSelector = compileSelector(s.k8sServiceSelector.selector ?? {}, `${f}.toServices[${j}].k8sServiceSelector.selector`);
              svcs = cluster.services.filter((x) => (!ns || x.namespace === ns) && svcSelector.matches(x.labels));
              if (!svcs.length) warn(`${f}.toServices[${j}].k8sServiceSelector: selects no Service in the manifests; it matches nothing`);
            } else {
              throw new PolicyError(`${f}.toServices[${j}]: needs k8sService or k8sServiceSelector`);
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
        const hasPorts = rule.toPorts !== undefined;
        const hasIcmp = rule.icmps !== undefined;
        const ports = hasPorts ? parseToPorts(rule.toPorts, `${f}.toPorts`, deny) : undefined;
        const icmp = hasIcmp ? parseIcmps(rule.icmps, `${f}.icmps`) : ConnSet.EMPTY;
        let matchPeer: Matcher;
        const otherMatchers = matchers.filter((m) => !endpointMatchers.includes(m));
        if (hasL3) matchPeer = matchers.length === 1 ? matchers[0] : (p) => matchers.some((m) => m(p));
        else if (hasPorts || hasIcmp) matchPeer = () => true; // L4-only rule: any peer
        else matchPeer = () => false; // empty rule: enables default deny, allows nothing
        const hasNamed = !!ports && ports.some((p) => p.named !== undefined);
        let staticConn: ConnSet | undefined;
        if (!hasPorts && !hasIcmp) staticConn = ctx.all;
        else if (!hasNamed) staticConn = (ports ? portsConn(ports, {} as Peer) : ConnSet.EMPTY).union(icmp);
        rules.push({
          direction: dir,
          deny,
          description: `${id} ${key} rule #${i + 1}`,
          matchPeer,
          conn: staticConn ? () => staticConn! : (dst: Peer) => portsConn(ports!, dst).union(icmp),
          staticConn,
          matchEndpoint: (p) => endpointMatchers.some((m) => m(p)),
          matchOther: hasL3 ? (p) => otherMatchers.some((m) => m(p)) : matchPeer,
        });
      });
    };
    build('ingress', false);
    build('ingress', true);
    build('egress', false);
    build('egress', true);

    const dd = spec.enableDefaultDeny ?? {};
    const hasIn = (Array.isArray(spec.ingress) && spec.ingress.length > 0) || (Array.isArray(spec.ingressDeny) && spec.ingressDeny.length > 0);
    const hasEg = (Array.isArray(spec.egress) && spec.egress.length > 0) || (Array.isArray(spec.egressDeny) && spec.egressDeny.length > 0);
    const model: PolicyModel = {
      kind: doc.kind,
      namespace: doc.namespace,
      name: doc.name,
      id,
      source: doc.source,
      selects: hostPolicy
        ? (peer: Peer) => peer.type === 'node' && subjectSel.matches(peer.node!.labels)
        : (peer: Peer) => peer.type === 'workload' && (clusterwide || peer.namespace === doc.namespace) && subjectSel.matches(peer.ciliumLabels ?? {}),
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
export function ownNamespaceSelector(sel: any, policyNs: string | undefined, f: string, warn?: (m: string) => void): any {
  const key = `k8s:${CILIUM_NAMESPACE_LABEL}`;
  if (policyNs === undefined || !sel || typeof sel !== 'object' || !sel.matchLabels || !(key in sel.matchLabels)) return sel;
  if (String(sel.matchLabels[key]) !== policyNs) warn?.(`${f}.matchLabels["${key}"]: "${sel.matchLabels[key]}" is replaced by the policy's namespace ${policyNs}, as Cilium does`);
  const { [key]: _dropped, ...rest } = sel.matchLabels;
  return { ...sel, matchLabels: rest };
}

function fqdnPatternCovered(name: string, list: any[]): boolean {
  // a pattern peer (e.g. *.example.com) is matched by the rule that declared exactly that pattern
  return list.some((q) => q?.matchPattern && String(q.matchPattern).replace(/\.$/, '').toLowerCase() === name);
}

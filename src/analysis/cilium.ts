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
 */
import { CidrGroupInfo, Cluster, PolicyDoc } from './cluster';
import { fullRange, IpSet } from './ipranges';
import { PolicyError } from './kubernetes';
import { Diagnostic } from './load';
import { CompileContext, Direction, Peer, PolicyModel, RuleModel } from './model';
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

function stripSource(key: string): string {
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
  const nsScoped = peerSelector && sc.policyNs !== undefined && !cs.keys().includes(CILIUM_NAMESPACE_LABEL);
  return (peer: Peer) => {
    if (peer.type === 'entity') return reserved.length > 0 && cs.matches(peer.ciliumLabels ?? {});
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
      return (p) => p.type === 'external' || p.type === 'fqdn' || p.type === 'service';
    case 'world-ipv4':
      return (p) => (p.type === 'external' && p.range?.family === 4) || p.type === 'fqdn';
    case 'world-ipv6':
      return (p) => (p.type === 'external' && p.range?.family === 6) || p.type === 'fqdn';
    case 'cluster':
      return (p) => p.type === 'workload' || p.type === 'ingress-controller' || (p.type === 'entity' && CLUSTER_ENTITIES.includes(p.entity!));
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
    return (p: Peer) => (p.type === 'external' && !!p.range && s.containsRange(p.range)) || (coversAll && p.type === 'fqdn');
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
    if (spec.nodeSelector) throw new PolicyError(`${field}.nodeSelector: host policies (nodeSelector) are not analysed; this rule is ignored`);
    if (spec.endpointSelector === undefined) throw new PolicyError(`${field}.endpointSelector: required (use {} to select all endpoints${clusterwide ? '' : ' of the namespace'})`);
    const epSel = compileSelector(spec.endpointSelector, `${field}.endpointSelector`, stripSource);
    const id = specs.length > 1 ? `${base} ${field}` : base;
    const ingressIpSets: IpSet[] = [];
    const egressIpSets: IpSet[] = [];
    const entities = new Set<string>();
    const fqdns = new Set<string>();
    const services = new Set<string>();
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
        if (eps !== undefined) {
          hasL3 = true;
          if (!Array.isArray(eps)) throw new PolicyError(`${f}.${from}Endpoints: expected a list of label selectors`);
          eps.forEach((s: any, j: number) => matchers.push(compileEndpointSelector(s, `${f}.${from}Endpoints[${j}]`, sc, true, entities)));
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
            if (s?.k8sService) {
              const ns = s.k8sService.namespace ?? doc.namespace ?? 'default';
              const svc = cluster.services.find((x) => x.namespace === ns && x.name === s.k8sService.serviceName);
              if (!svc) {
                warn(`${f}.toServices[${j}]: service ${ns}/${s.k8sService.serviceName} not found in the manifests; it matches nothing`);
                return;
              }
              if (!svc.selector) {
                services.add(`${ns}/${svc.name}`);
                matchers.push((p) => p.type === 'service' && p.id === `${ns}/${svc.name}[Service]`);
                return;
              }
              const sel = svc.selector;
              matchers.push((p) => p.type === 'workload' && p.namespace === ns && Object.entries(sel).every(([k, v]) => p.labels?.[k] === v));
            } else if (s?.k8sServiceSelector) {
              // Cilium selects Services by their own labels (K8sServiceSelectorNamespace.selector),
              // then allows the pods behind each selected Service.
              const ns = s.k8sServiceSelector.namespace;
              const svcSelector = compileSelector(s.k8sServiceSelector.selector ?? {}, `${f}.toServices[${j}].k8sServiceSelector.selector`);
              const svcs = cluster.services.filter((x) => (!ns || x.namespace === ns) && svcSelector.matches(x.labels));
              if (svcs.length === 0) warn(`${f}.toServices[${j}].k8sServiceSelector: selects no Service in the manifests; it matches nothing`);
              for (const svc of svcs) {
                if (!svc.selector) continue;
                const sel = svc.selector;
                matchers.push((p) => p.type === 'workload' && p.namespace === svc.namespace && Object.entries(sel).every(([k, v]) => p.labels?.[k] === v));
              }
            } else {
              throw new PolicyError(`${f}.toServices[${j}]: needs k8sService or k8sServiceSelector`);
            }
          });
        }
        for (const unsupported of [`${from}Requires`, `${from}Groups`, `${from}Nodes`]) {
          if (rule[unsupported] !== undefined) {
            warn(`${f}.${unsupported} is not analysed (${unsupported.endsWith('Requires') ? 'removed in newer Cilium releases' : 'unsupported'}); the rule may allow less than shown`);
            hasL3 = true;
          }
        }
        const hasPorts = rule.toPorts !== undefined;
        const hasIcmp = rule.icmps !== undefined;
        const ports = hasPorts ? parseToPorts(rule.toPorts, `${f}.toPorts`, deny) : undefined;
        const icmp = hasIcmp ? parseIcmps(rule.icmps, `${f}.icmps`) : ConnSet.EMPTY;
        let matchPeer: Matcher;
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
      selects: (peer: Peer) => peer.type === 'workload' && (clusterwide || peer.namespace === doc.namespace) && epSel.matches(peer.ciliumLabels ?? {}),
      isolatesIngress: hasIn && dd.ingress !== false,
      isolatesEgress: hasEg && dd.egress !== false,
      rules,
      ingressIpSets,
      egressIpSets,
      entities: [...entities],
      fqdns: [...fqdns],
      services: [...services],
    };
    return model;
  });
}

function fqdnPatternCovered(name: string, list: any[]): boolean {
  // a pattern peer (e.g. *.example.com) is matched by the rule that declared exactly that pattern
  return list.some((q) => q?.matchPattern && String(q.matchPattern).replace(/\.$/, '').toLowerCase() === name);
}

import { Icmp } from '../model/cilium/icmp';
import { CiliumPeerConfig, CiliumPeerKind } from '../model/cilium/peers';
import { CiliumSelectorConfig } from '../model/cilium/selector';
import { Port } from '../model/port';
import { CIDRRule } from '../wire/cilium/cidr';
import { EntityName } from '../wire/cilium/entity';
import { ICMPRule } from '../wire/cilium/icmp';
import { CiliumL4Protocol, Listener, PortDenyRule, PortProtocol, PortRule, TLSContext } from '../wire/cilium/l4';
import { L7Rules, PortRuleDNS, PortRuleHTTP, PortRuleKafka, PortRuleL7 } from '../wire/cilium/l7';
import { EgressCommonRule, EgressDenyRule, EgressRule, IngressCommonRule, IngressDenyRule, IngressRule, Rule } from '../wire/cilium/rule';
import { EndpointSelector } from '../wire/cilium/selector';
import { Service } from '../wire/cilium/service';
import { CILIUM_MAX_ICMP_FIELDS } from '../wire/limits';

/** A direction of a Cilium rule, named as the spec field. @internal */
export type CiliumDirection = 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';

/** The L7 part of a port rule, in wire form. @internal */
export interface CiliumL7Model {
  readonly http?: PortRuleHTTP[];
  readonly dns?: PortRuleDNS[];
  readonly kafka?: PortRuleKafka[];
  readonly l7proto?: string;
  readonly l7?: PortRuleL7[];
}

/** One rule of a direction, as the renderer sees it (already validated). @internal */
export interface CiliumRuleModel {
  readonly direction: CiliumDirection;
  readonly peers: CiliumPeerConfig[];
  readonly requires: CiliumSelectorConfig[];
  readonly ports: Port[];
  readonly l7?: CiliumL7Model;
  readonly serverNames: string[];
  readonly terminatingTls?: TLSContext;
  readonly originatingTls?: TLSContext;
  readonly listener?: Listener;
  readonly authentication: boolean;
  readonly icmps: Icmp[];
}

/** One spec (a Cilium `Rule`), as the renderer sees it. @internal */
export interface CiliumSpecModel {
  readonly endpointSelector?: CiliumSelectorConfig;
  readonly nodeSelector?: CiliumSelectorConfig;
  readonly rules: CiliumRuleModel[];
  readonly denyAllIngress: boolean;
  readonly denyAllEgress: boolean;
  readonly enableDefaultDeny?: { ingress?: boolean; egress?: boolean };
  readonly description?: string;
  readonly labels?: { [key: string]: string };
  readonly log?: string;
}

/** Renders a selector; an empty selector is `{}` (matches everything). @internal */
export function renderCiliumSelector(s: CiliumSelectorConfig): EndpointSelector {
  const out: { -readonly [K in keyof EndpointSelector]: EndpointSelector[K] } = {};
  if (Object.keys(s.matchLabels).length) out.matchLabels = { ...s.matchLabels };
  if (s.matchExpressions.length) {
    // operators are written by LabelExpression, which only makes the four valid ones
    out.matchExpressions = s.matchExpressions.map(e => (e.values
      ? { key: e.key, operator: e.operator as 'In' | 'NotIn', values: [...e.values] }
      : { key: e.key, operator: e.operator as 'Exists' | 'DoesNotExist' }));
  }
  return out;
}

/** Cilium port text: a number, a named port, or "0" for every port of the protocol. @internal */
export function renderCiliumPort(p: Port): PortProtocol {
  const port = p.name ?? (p.number === undefined ? '0' : String(p.number));
  const protocol = p.protocol as CiliumL4Protocol;
  return p.endPort !== undefined ? { port, protocol, endPort: p.endPort } : { port, protocol };
}

function renderIcmps(icmps: Icmp[]): ICMPRule[] {
  const fields = icmps.map(i => ({ family: i.family as 'IPv4' | 'IPv6', type: i.typeName ?? i.type }));
  const out: ICMPRule[] = [];
  for (let i = 0; i < fields.length; i += CILIUM_MAX_ICMP_FIELDS) out.push({ fields: fields.slice(i, i + CILIUM_MAX_ICMP_FIELDS) });
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function renderPortRule(r: CiliumRuleModel): PortRule | undefined {
  const hasExtras = r.l7 || r.serverNames.length || r.terminatingTls || r.originatingTls || r.listener;
  if (!r.ports.length && !hasExtras) return undefined;
  const out: Mutable<PortRule> = {};
  if (r.ports.length) out.ports = r.ports.map(renderCiliumPort);
  if (r.l7) {
    const rules: Mutable<L7Rules> = {};
    if (r.l7.http) rules.http = r.l7.http.map(h => ({ ...h }));
    if (r.l7.dns) rules.dns = r.l7.dns.map(d => ({ ...d }));
    if (r.l7.kafka) rules.kafka = r.l7.kafka.map(k => ({ ...k }));
    if (r.l7.l7proto !== undefined) {
      rules.l7proto = r.l7.l7proto;
      if (r.l7.l7 && r.l7.l7.length) rules.l7 = r.l7.l7.map(x => ({ ...x }));
    }
    out.rules = rules;
  }
  if (r.serverNames.length) out.serverNames = [...r.serverNames];
  if (r.terminatingTls) out.terminatingTLS = JSON.parse(JSON.stringify(r.terminatingTls));
  if (r.originatingTls) out.originatingTLS = JSON.parse(JSON.stringify(r.originatingTls));
  if (r.listener) out.listener = JSON.parse(JSON.stringify(r.listener));
  return out;
}

/** The peer fields of any rule (the prefix says which direction). */
type PeerFields = Mutable<IngressCommonRule & EgressCommonRule & Pick<EgressRule, 'toFQDNs'>>;

function familyOf(p: CiliumPeerConfig): string {
  return p.kind;
}

function renderPeers(kind: CiliumPeerKind, peers: CiliumPeerConfig[], prefix: 'from' | 'to'): PeerFields {
  switch (kind) {
    case CiliumPeerKind.ENDPOINTS:
      return { [`${prefix}Endpoints`]: peers.map(p => renderCiliumSelector(p.selector!)) };
    case CiliumPeerKind.NODES:
      return { [`${prefix}Nodes`]: peers.map(p => renderCiliumSelector(p.selector!)) };
    case CiliumPeerKind.ENTITY:
      return { [`${prefix}Entities`]: peers.map(p => p.entity! as EntityName) };
    case CiliumPeerKind.CIDR: {
      // fromCIDR and fromCIDRSet are distinct L3 members that one rule may not combine
      // (pkg/policy/api: "combining FromCIDR and FromCIDRSet is not supported yet"), so a rule
      // whose CIDR peers need the set form (exceptions, CIDR groups) writes all of them as a set.
      const needsSet = peers.some(p => p.except?.length || p.cidrGroupRef !== undefined || p.cidrGroupSelector !== undefined);
      if (!needsSet) return { [`${prefix}CIDR`]: peers.map(p => p.cidr!) };
      return {
        [`${prefix}CIDRSet`]: peers.map((p): CIDRRule => {
          if (p.cidrGroupRef !== undefined) return { cidrGroupRef: p.cidrGroupRef };
          if (p.cidrGroupSelector !== undefined) return { cidrGroupSelector: renderCiliumSelector(p.cidrGroupSelector) };
          return p.except?.length ? { cidr: p.cidr, except: [...p.except] } : { cidr: p.cidr };
        }),
      };
    }
    case CiliumPeerKind.FQDN:
      return { toFQDNs: peers.map(p => (p.matchName !== undefined ? { matchName: p.matchName } : { matchPattern: p.matchPattern })) };
    case CiliumPeerKind.SERVICE:
      return {
        toServices: peers.map((p): Service => (p.serviceName !== undefined
          ? { k8sService: { serviceName: p.serviceName, ...(p.serviceNamespace ? { namespace: p.serviceNamespace } : {}) } }
          : {
            k8sServiceSelector: {
              selector: renderCiliumSelector(p.serviceSelector!),
              ...(p.serviceNamespace ? { namespace: p.serviceNamespace } : {}),
            },
          })),
      };
  }
}

/**
 * Renders one rule of the model. Cilium accepts only one L3 peer family per rule
 * (pkg/policy/api IngressCommonRule/EgressCommonRule Validate: "combining FromEndpoints and
 * FromEntities is not supported yet"), so a rule naming peers of several families becomes one
 * wire rule per family, each with the same ports, L7, ICMP and authentication. Allow (and deny)
 * rules are a union, so the split keeps the meaning. @internal
 */
export function renderCiliumRule(r: CiliumRuleModel): (IngressRule | IngressDenyRule | EgressRule | EgressDenyRule)[] {
  const prefix = r.direction === 'ingress' || r.direction === 'ingressDeny' ? 'from' : 'to';
  const families: string[] = [];
  const byFamily = new Map<string, CiliumPeerConfig[]>();
  for (const p of r.peers) {
    const f = familyOf(p);
    if (!byFamily.has(f)) {
      byFamily.set(f, []);
      families.push(f);
    }
    byFamily.get(f)!.push(p);
  }
  const deny = r.direction === 'ingressDeny' || r.direction === 'egressDeny';
  const common: Mutable<PeerFields & IngressRule & EgressRule> = {};
  if (r.requires.length) common[`${prefix}Requires`] = r.requires.map(renderCiliumSelector);
  const portRule = renderPortRule(r);
  // a deny rule takes ports only (PortDenyRule): the rule builder refuses L7, TLS and listeners on it
  if (portRule) common.toPorts = [deny ? { ports: portRule.ports } as PortDenyRule : portRule];
  if (r.icmps.length) common.icmps = renderIcmps(r.icmps);
  if (r.authentication && !deny) common.authentication = { mode: 'required' };
  if (families.length === 0) return [{ ...common }];
  return families.map(f => ({ ...renderPeers(f as CiliumPeerKind, byFamily.get(f)!, prefix), ...JSON.parse(JSON.stringify(common)) }));
}

/**
 * Renders one spec. A direction without rules is left out; `denyAll*` writes `[{}]`, the
 * Cilium documentation's default-deny form (an empty rule that selects no peer), because an
 * absent list does not isolate the endpoints. @internal
 */
export function renderCiliumSpec(model: CiliumSpecModel): Rule {
  const out: Mutable<Rule> & { [dir: string]: unknown } = {};
  if (model.endpointSelector) out.endpointSelector = renderCiliumSelector(model.endpointSelector);
  if (model.nodeSelector) out.nodeSelector = renderCiliumSelector(model.nodeSelector);
  for (const dir of ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as CiliumDirection[]) {
    const rules: object[] = model.rules.filter(r => r.direction === dir).flatMap(renderCiliumRule);
    if (dir === 'ingress' && model.denyAllIngress && rules.length === 0) rules.push({});
    if (dir === 'egress' && model.denyAllEgress && rules.length === 0) rules.push({});
    if (rules.length) out[dir] = rules;
  }
  if (model.enableDefaultDeny && (model.enableDefaultDeny.ingress !== undefined || model.enableDefaultDeny.egress !== undefined)) {
    out.enableDefaultDeny = {
      ...(model.enableDefaultDeny.ingress !== undefined ? { ingress: model.enableDefaultDeny.ingress } : {}),
      ...(model.enableDefaultDeny.egress !== undefined ? { egress: model.enableDefaultDeny.egress } : {}),
    };
  }
  if (model.description !== undefined) out.description = model.description;
  if (model.labels && Object.keys(model.labels).length) {
    out.labels = Object.keys(model.labels).sort().map(k => ({ key: k, value: model.labels![k] }));
  }
  if (model.log !== undefined) out.log = { value: model.log };
  return out;
}

/**
 * A Cilium policy rule (pkg/policy/api rule.go, ingress.go, egress.go): the `spec` (or each of
 * `specs`) of a CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy. Allow and deny rules are
 * separate types; deny rules have no L7, TLS, listener, authentication or `toFQDNs`.
 */
import { CIDR, CIDRRule } from './cidr';
import { EntityName } from './entity';
import { FQDNSelector } from './fqdn';
import { Groups } from './groups';
import { ICMPRule } from './icmp';
import { PortDenyRule, PortRule } from './l4';
import { EndpointSelector } from './selector';
import { Service } from './service';

export const AUTHENTICATION_MODES = ['disabled', 'required', 'test-always-fail'] as const;

export interface Authentication {
  readonly mode: typeof AUTHENTICATION_MODES[number];
}

/** The peers of an ingress rule (IngressCommonRule). */
export interface IngressCommonRule {
  readonly fromEndpoints?: readonly EndpointSelector[];
  readonly fromRequires?: readonly EndpointSelector[];
  readonly fromCIDR?: readonly CIDR[];
  readonly fromCIDRSet?: readonly CIDRRule[];
  readonly fromEntities?: readonly EntityName[];
  readonly fromGroups?: readonly Groups[];
  readonly fromNodes?: readonly EndpointSelector[];
}

export interface IngressRule extends IngressCommonRule {
  readonly toPorts?: readonly PortRule[];
  readonly icmps?: readonly ICMPRule[];
  readonly authentication?: Authentication;
}

export interface IngressDenyRule extends IngressCommonRule {
  readonly toPorts?: readonly PortDenyRule[];
  readonly icmps?: readonly ICMPRule[];
}

/** The peers of an egress rule (EgressCommonRule). */
export interface EgressCommonRule {
  readonly toEndpoints?: readonly EndpointSelector[];
  readonly toRequires?: readonly EndpointSelector[];
  readonly toCIDR?: readonly CIDR[];
  readonly toCIDRSet?: readonly CIDRRule[];
  readonly toEntities?: readonly EntityName[];
  readonly toServices?: readonly Service[];
  readonly toGroups?: readonly Groups[];
  readonly toNodes?: readonly EndpointSelector[];
}

export interface EgressRule extends EgressCommonRule {
  readonly toPorts?: readonly PortRule[];
  readonly toFQDNs?: readonly FQDNSelector[];
  readonly icmps?: readonly ICMPRule[];
  readonly authentication?: Authentication;
}

export interface EgressDenyRule extends EgressCommonRule {
  readonly toPorts?: readonly PortDenyRule[];
  readonly icmps?: readonly ICMPRule[];
}

/** `labels.Label` of a rule's `labels` list. */
export interface RuleLabel {
  readonly key: string;
  readonly value?: string;
  readonly source?: string;
}

export interface DefaultDenyConfig {
  readonly ingress?: boolean;
  readonly egress?: boolean;
}

export interface LogConfig {
  readonly value?: string;
}

/** `api.Rule`: exactly one of `endpointSelector` and `nodeSelector` (Rule.Sanitize). */
export interface Rule {
  readonly endpointSelector?: EndpointSelector;
  readonly nodeSelector?: EndpointSelector;
  readonly ingress?: readonly IngressRule[];
  readonly ingressDeny?: readonly IngressDenyRule[];
  readonly egress?: readonly EgressRule[];
  readonly egressDeny?: readonly EgressDenyRule[];
  readonly labels?: readonly RuleLabel[];
  readonly enableDefaultDeny?: DefaultDenyConfig;
  readonly description?: string;
  readonly log?: LogConfig;
}

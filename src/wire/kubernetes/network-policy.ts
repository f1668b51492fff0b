/**
 * networking.k8s.io/v1 NetworkPolicy (k8s.io/api networking/v1 types.go), after the API
 * server's defaulting (SetDefaults_NetworkPolicy / SetDefaults_NetworkPolicyPort): the reader
 * returns objects in this form, so `policyTypes` and every port `protocol` are always set.
 */
import { KubeObject, LabelSelector } from './meta';

export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';

/** `networking.PolicyType` values. */
export const POLICY_TYPES = ['Ingress', 'Egress'] as const;
export type PolicyTypeName = typeof POLICY_TYPES[number];

/** Protocols a NetworkPolicyPort accepts (core/v1 `Protocol`, validation's supported set). */
export const NETWORK_POLICY_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type NetworkPolicyProtocol = typeof NETWORK_POLICY_PROTOCOLS[number];

/** `intstr.IntOrString` on the wire: a number or a string. */
export type IntOrString = number | string;

export interface IPBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  /** Defaulted to TCP by the API server. */
  readonly protocol: NetworkPolicyProtocol;
  /** A port number or an IANA service name of a container port; absent: every port. */
  readonly port?: IntOrString;
  readonly endPort?: number;
}

export interface NetworkPolicyIngressRule {
  readonly ports?: readonly NetworkPolicyPort[];
  readonly from?: readonly NetworkPolicyPeer[];
}

export interface NetworkPolicyEgressRule {
  readonly ports?: readonly NetworkPolicyPort[];
  readonly to?: readonly NetworkPolicyPeer[];
}

export interface NetworkPolicySpec {
  /** Always present after decoding (a missing or null selector is the zero value `{}`). */
  readonly podSelector: LabelSelector;
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
  /** Defaulted: `[Ingress]`, plus `Egress` when there are egress rules. */
  readonly policyTypes: readonly PolicyTypeName[];
}

export interface NetworkPolicy extends KubeObject {
  readonly kind: 'NetworkPolicy';
  readonly spec: NetworkPolicySpec;
}

/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy, policy.networking.k8s.io/v1alpha1
 * (kubernetes-sigs/network-policy-api v0.1.x, apis/v1alpha1: adminnetworkpolicy_types.go,
 * baselineadminnetworkpolicy_types.go, shared_types.go). Cluster-scoped. The fields marked
 * experimental exist only in the experimental-channel CRD (`<network-policy-api:experimental>`).
 */
import { KubeObject, LabelSelector } from '../kubernetes/meta';

export const ADMIN_POLICY_API_VERSION_V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';

/** AdminNetworkPolicyRuleAction (`+kubebuilder:validation:Enum={"Allow", "Deny", "Pass"}`). */
export const ANP_ACTIONS = ['Allow', 'Deny', 'Pass'] as const;
/** BaselineAdminNetworkPolicyRuleAction (`Enum={"Allow", "Deny"}`). */
export const BANP_ACTIONS = ['Allow', 'Deny'] as const;
export type AdminPolicyAction = typeof ANP_ACTIONS[number];
export type BaselineAdminPolicyAction = typeof BANP_ACTIONS[number];

/** The one name the CRD accepts for a BaselineAdminNetworkPolicy (CEL `self.metadata.name == 'default'`). */
export const BANP_NAME = 'default';

/** Protocols of core/v1 `Protocol`; the v1alpha1 CRD itself has no enum (any string, default TCP). */
export const ADMIN_POLICY_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/** Both forms select pods: all pods of the namespaces, or pods by label within them. Both fields required in v1alpha1. */
export interface NamespacedPod {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** `AdminNetworkPolicySubject`: exactly one member. */
export interface AdminPolicySubject {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
}

/** `Port`: protocol is defaulted to TCP by the CRD schema, so it is always present once read. */
export interface AdminPolicyPortNumber {
  readonly protocol: string;
  readonly port: number;
}

/** `PortRange`: start and end inclusive; the CRD does not check start <= end (v0.1.x has no CEL rule for it). */
export interface AdminPolicyPortRange {
  readonly protocol: string;
  readonly start: number;
  readonly end: number;
}

/** `AdminNetworkPolicyPort`: exactly one member. */
export interface AdminPolicyPort {
  readonly portNumber?: AdminPolicyPortNumber;
  /** Experimental channel. */
  readonly namedPort?: string;
  readonly portRange?: AdminPolicyPortRange;
}

/** `AdminNetworkPolicyIngressPeer`: exactly one member. */
export interface AdminPolicyIngressPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
}

/** `AdminNetworkPolicyEgressPeer`: exactly one member. */
export interface AdminPolicyEgressPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
  /** Experimental channel. */
  readonly nodes?: LabelSelector;
  readonly networks?: readonly string[];
  /** Experimental channel; AdminNetworkPolicy only ("only supported for ALLOW rules"). */
  readonly domainNames?: readonly string[];
}

/** `BaselineAdminNetworkPolicyEgressPeer`: as the ANP one, without domainNames. */
export interface BaselineAdminPolicyEgressPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
  /** Experimental channel. */
  readonly nodes?: LabelSelector;
  readonly networks?: readonly string[];
}

export interface AdminPolicyIngressRule {
  readonly name?: string;
  readonly action: AdminPolicyAction;
  readonly from: readonly AdminPolicyIngressPeer[];
  readonly ports?: readonly AdminPolicyPort[];
}

export interface AdminPolicyEgressRule {
  readonly name?: string;
  readonly action: AdminPolicyAction;
  readonly to: readonly AdminPolicyEgressPeer[];
  readonly ports?: readonly AdminPolicyPort[];
}

export interface BaselineAdminPolicyIngressRule {
  readonly name?: string;
  readonly action: BaselineAdminPolicyAction;
  readonly from: readonly AdminPolicyIngressPeer[];
  readonly ports?: readonly AdminPolicyPort[];
}

export interface BaselineAdminPolicyEgressRule {
  readonly name?: string;
  readonly action: BaselineAdminPolicyAction;
  readonly to: readonly BaselineAdminPolicyEgressPeer[];
  readonly ports?: readonly AdminPolicyPort[];
}

export interface AdminNetworkPolicy extends KubeObject {
  readonly kind: 'AdminNetworkPolicy';
  readonly spec: {
    /** 0-1000; lower numbers take precedence. */
    readonly priority: number;
    readonly subject: AdminPolicySubject;
    readonly ingress?: readonly AdminPolicyIngressRule[];
    readonly egress?: readonly AdminPolicyEgressRule[];
  };
}

/** A singleton: the API server accepts only the name `default`. */
export interface BaselineAdminNetworkPolicy extends KubeObject {
  readonly kind: 'BaselineAdminNetworkPolicy';
  readonly spec: {
    readonly subject: AdminPolicySubject;
    readonly ingress?: readonly BaselineAdminPolicyIngressRule[];
    readonly egress?: readonly BaselineAdminPolicyEgressRule[];
  };
}

/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy, policy.networking.k8s.io/v1alpha1
 * (kubernetes-sigs/network-policy-api v0.1.x, apis/v1alpha1). Cluster-scoped.
 */
import { KubeObject, LabelSelector } from '../kubernetes/meta';

export const ADMIN_POLICY_API_VERSION_V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';

export const ANP_ACTIONS = ['Allow', 'Deny', 'Pass'] as const;
export const BANP_ACTIONS = ['Allow', 'Deny'] as const;
export type AdminPolicyAction = typeof ANP_ACTIONS[number];

/** Both forms select pods: all pods of the namespaces, or pods by label within them. */
export interface NamespacedPod {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** `AdminNetworkPolicySubject`: exactly one member. */
export interface AdminPolicySubject {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
}

export interface AdminPolicyPortNumber {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly port: number;
}

export interface AdminPolicyPortRange {
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly start: number;
  readonly end: number;
}

/** `AdminNetworkPolicyPort`: exactly one member. */
export interface AdminPolicyPort {
  readonly portNumber?: AdminPolicyPortNumber;
  readonly namedPort?: string;
  readonly portRange?: AdminPolicyPortRange;
}

export interface AdminPolicyIngressPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
}

export interface AdminPolicyEgressPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
  readonly nodes?: LabelSelector;
  readonly networks?: readonly string[];
  readonly domainNames?: readonly string[];
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
    readonly ingress?: readonly AdminPolicyIngressRule[];
    readonly egress?: readonly AdminPolicyEgressRule[];
  };
}

/**
 * ClusterNetworkPolicy, policy.networking.k8s.io/v1alpha2 (kubernetes-sigs/network-policy-api
 * v0.2.x): AdminNetworkPolicy and BaselineAdminNetworkPolicy merged into one kind with a `tier`.
 * Cluster-scoped.
 */
import { KubeObject, LabelSelector } from '../kubernetes/meta';

export const CLUSTER_NETWORK_POLICY_API_VERSION = 'policy.networking.k8s.io/v1alpha2';

export const CLUSTER_POLICY_TIERS = ['Admin', 'Baseline'] as const;
export type ClusterPolicyTier = typeof CLUSTER_POLICY_TIERS[number];
export const CLUSTER_POLICY_ACTIONS = ['Accept', 'Deny', 'Pass'] as const;
export type ClusterPolicyAction = typeof CLUSTER_POLICY_ACTIONS[number];

/**
 * `NamespacedPod` of v1alpha2: podSelector required; namespaceSelector optional, a value struct
 * whose absence is the empty selector (every namespace).
 */
export interface ClusterPolicyNamespacedPod {
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** Exactly one member. */
export interface ClusterPolicySubject {
  readonly namespaces?: LabelSelector;
  readonly pods?: ClusterPolicyNamespacedPod;
}

/** Exactly one of `number` and `range`; a range needs start < end (CEL `self.start < self.end`). */
export interface ClusterPolicyDestinationPort {
  readonly number?: number;
  readonly range?: { readonly start: number; readonly end: number };
}

/** `minProperties: 1`: destinationPort is in effect required (no "every port of TCP" form). */
export interface ClusterPolicyProtocolPort {
  readonly destinationPort?: ClusterPolicyDestinationPort;
}

/** Exactly one member. */
export interface ClusterPolicyProtocol {
  readonly tcp?: ClusterPolicyProtocolPort;
  readonly udp?: ClusterPolicyProtocolPort;
  readonly sctp?: ClusterPolicyProtocolPort;
  readonly destinationNamedPort?: string;
}

export interface ClusterPolicyIngressPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: ClusterPolicyNamespacedPod;
}

export interface ClusterPolicyEgressPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: ClusterPolicyNamespacedPod;
  readonly networks?: readonly string[];
}

export interface ClusterPolicyIngressRule {
  readonly name?: string;
  readonly action: ClusterPolicyAction;
  readonly from: readonly ClusterPolicyIngressPeer[];
  readonly protocols?: readonly ClusterPolicyProtocol[];
}

export interface ClusterPolicyEgressRule {
  readonly name?: string;
  readonly action: ClusterPolicyAction;
  readonly to: readonly ClusterPolicyEgressPeer[];
  readonly protocols?: readonly ClusterPolicyProtocol[];
}

export interface ClusterNetworkPolicy extends KubeObject {
  readonly kind: 'ClusterNetworkPolicy';
  readonly spec: {
    readonly tier: ClusterPolicyTier;
    /** 0-1000; lower numbers take precedence within a tier. */
    readonly priority: number;
    readonly subject: ClusterPolicySubject;
    readonly ingress?: readonly ClusterPolicyIngressRule[];
    readonly egress?: readonly ClusterPolicyEgressRule[];
  };
}

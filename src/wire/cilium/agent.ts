/**
 * Cilium agent settings that change whether a policy is accepted or what it allows: the one
 * table of them, with Cilium 1.18's defaults (pkg/option config.go and the Helm defaults).
 */

export interface CiliumAgentConfig {
  /** `enable-l7-proxy` (default true): L7 rules need the proxy; without it Sanitize rejects them. */
  readonly enableL7Proxy: boolean;
  /** `enable-icmp-rules` (default true): `icmps` rules. */
  readonly enableIcmpRules: boolean;
  /** `enable-node-selector-labels` (default false): `fromNodes`/`toNodes` are rejected without it. */
  readonly enableNodeSelectorLabels: boolean;
  /** `enable-non-default-deny-policies` (default true): `enableDefaultDeny: false` is honoured. */
  readonly enableNonDefaultDenyPolicies: boolean;
  /** `cluster-name` (default `default`): every pod carries `io.cilium.k8s.policy.cluster=<name>`. */
  readonly clusterName: string;
  /** `policy-default-local-cluster` (default false in 1.18): selectors get a cluster filter when true. */
  readonly policyDefaultLocalCluster: boolean;
  /**
   * `allow-localhost` (default `auto`, which Kubernetes mode turns into `always`): traffic from the
   * local host into its pods is always allowed unless `policy`.
   */
  readonly allowLocalhost: 'auto' | 'always' | 'policy';
  /** Where the Kubernetes API server runs (not an agent flag: the cluster's layout). */
  readonly kubeApiserverPlacement: 'remote-node' | 'host' | 'world';
}

export const CILIUM_AGENT_DEFAULTS: CiliumAgentConfig = {
  enableL7Proxy: true,
  enableIcmpRules: true,
  enableNodeSelectorLabels: false,
  enableNonDefaultDenyPolicies: true,
  clusterName: 'default',
  policyDefaultLocalCluster: false,
  allowLocalhost: 'auto',
  kubeApiserverPlacement: 'remote-node',
};

/**
 * Defaults that changed after 1.18, per minor release (the table above is 1.18's):
 * policy-default-local-cluster is true from 1.19 (pkg/clustermesh/types option.go,
 * "clustermesh: enable policy-default-local-cluster by default").
 */
export const CILIUM_AGENT_DEFAULT_CHANGES: { readonly [minor: string]: Partial<CiliumAgentConfig> } = {
  1.19: { policyDefaultLocalCluster: true },
};

/** The agent defaults of a Cilium minor release (`1.18`, `1.19`). */
export function ciliumAgentDefaults(minor: string): CiliumAgentConfig {
  return { ...CILIUM_AGENT_DEFAULTS, ...(CILIUM_AGENT_DEFAULT_CHANGES[minor] ?? {}) };
}

/** The agent flag of each setting, for messages. */
export const CILIUM_AGENT_FLAGS: { readonly [K in keyof CiliumAgentConfig]: string } = {
  enableL7Proxy: 'enable-l7-proxy',
  enableIcmpRules: 'enable-icmp-rules',
  enableNodeSelectorLabels: 'enable-node-selector-labels',
  enableNonDefaultDenyPolicies: 'enable-non-default-deny-policies',
  clusterName: 'cluster-name',
  policyDefaultLocalCluster: 'policy-default-local-cluster',
  allowLocalhost: 'allow-localhost',
  kubeApiserverPlacement: 'kube-apiserver-placement',
};

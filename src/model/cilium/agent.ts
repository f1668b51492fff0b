/**
 * Cilium agent settings that decide which Cilium policies the agent accepts and what they allow.
 * Each defaults to Cilium 1.18's default (the one table of them is the wire layer's
 * CILIUM_AGENT_DEFAULTS).
 */
export interface CiliumAgentOptions {
  /**
   * `enable-node-selector-labels`: without it Cilium rejects policies with `fromNodes`/`toNodes`.
   * @default false
   */
  readonly enableNodeSelectorLabels?: boolean;
  /**
   * `enable-l7-proxy`: without it Cilium rejects policies with L7 rules.
   * @default true
   */
  readonly enableL7Proxy?: boolean;
  /**
   * `enable-icmp-rules`: without it Cilium rejects policies with `icmps` rules.
   * @default true
   */
  readonly enableIcmpRules?: boolean;
  /**
   * `cluster-name`: every pod of the cluster carries `io.cilium.k8s.policy.cluster=<name>`, which
   * the `cluster` entity selects.
   * @default "default"
   */
  readonly clusterName?: string;
  /**
   * `allow-localhost`: `auto` (which Kubernetes mode turns into `always`) or `always`: traffic from
   * the local host into its pods is always allowed; `policy`: policies decide it.
   * @default "auto"
   */
  readonly allowLocalhost?: string;
  /**
   * Where the Kubernetes API server runs, which decides what the `kube-apiserver` identity also
   * is: `remote-node` (on other nodes of the cluster: also `remote-node`, and so `cluster`), `host`
   * (on the pod's node) or `world` (outside the cluster).
   * @default "remote-node"
   */
  readonly kubeApiserverPlacement?: string;
  /**
   * `policy-default-local-cluster`: peer selectors that do not name a cluster select only this
   * cluster's endpoints (clustermesh).
   * @default - false in Cilium 1.18, true from 1.19
   */
  readonly policyDefaultLocalCluster?: boolean;
}

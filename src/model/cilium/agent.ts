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
}

/**
 * Who enforces the policies, and so what they mean. The analyser answers "what does this cluster
 * do", and the answer depends on the enforcer:
 *
 * - `kubernetes`: NetworkPolicy as the Kubernetes specification defines it (netpol-analyzer's
 *   reading); Cilium policies, which only Cilium enforces, as Cilium does.
 * - `cilium@1.18`: everything as Cilium 1.18 enforces it, including where Cilium's handling of
 *   NetworkPolicy deviates from the specification (the deviations below, each an upstream fact).
 */
import { EnforcementError } from './errors';
import { KubeApiserverPlacement } from './identity';
import { CiliumAgentOptions } from '../model/cilium/agent';
import { ciliumAgentDefaults, CiliumAgentConfig } from '../wire/cilium/agent';

export type EnforcementMode = 'kubernetes' | 'cilium';

/**
 * Where Cilium 1.18.3 enforces a NetworkPolicy differently from the Kubernetes specification. In
 * `cilium` mode all apply; in `kubernetes` mode none (the specification's reading).
 */
export interface NetworkPolicyDeviations {
  /**
   * An egress rule's named port is resolved once against the named ports of all pods of the
   * cluster (pkg/policy/l4.go toMapState, pkg/endpoint getNamedPortEgress, pkg/types/portmap.go
   * namedPortMultiMap.GetNamedPort): a name two pods map to different numbers resolves to nothing,
   * and the number applies towards every peer of the rule, addresses and pods without the name
   * included. (Cilium policies always work so; the specification resolves on each destination pod.)
   */
  readonly egressNamedPortsClusterWide: boolean;
  /**
   * A namespaceSelector of only NotIn/DoesNotExist requirements (and no positive pod
   * requirement) also selects non-pod identities: the outside world, CIDRs, entities
   * (pkg/k8s/network_policy.go parseNetworkPolicyPeer adds no namespace requirement;
   * cilium/cilium#46949).
   */
  readonly negativeNamespaceSelectorSelectsAll: boolean;
  /**
   * Rules of a direction missing from policyTypes are converted and enforced anyway, isolating that
   * direction (pkg/k8s/network_policy.go ParseNetworkPolicy loops over spec.ingress and spec.egress;
   * cilium/cilium#48703).
   */
  readonly rulesOutsidePolicyTypes: boolean;
  /**
   * Pod selectors (the policy's podSelector and its peers') match a pod's security identity, whose
   * labels the identity label filter has thinned: pod-template-hash,
   * statefulset.kubernetes.io/pod-name, controller-revision-hash, other kubernetes.io and k8s.io
   * keys are dropped (pkg/labelsfilter defaultLabelPrefixCfg), so a selector on them matches no
   * pod. (Cilium policies always work so.)
   */
  readonly selectorsMatchIdentityLabels: boolean;
  /**
   * With policy-default-local-cluster, an ipBlock peer also selects every pod of the policy's
   * namespace: the cluster requirement is added to a pod selector the peer does not have
   * (pkg/k8s/network_policy.go parseNetworkPolicyPeer), which then selects the policy's namespace.
   * Fixed in 1.19 patch releases of June 2026 (cilium/cilium#46305, #46456); present in 1.18.3.
   */
  readonly ipBlockPeerSelectsNamespacePods: boolean;
}

export const KUBERNETES_SPEC: NetworkPolicyDeviations = {
  egressNamedPortsClusterWide: false,
  negativeNamespaceSelectorSelectsAll: false,
  rulesOutsidePolicyTypes: false,
  selectorsMatchIdentityLabels: false,
  ipBlockPeerSelectsNamespacePods: false,
};

/** The deviations of a Cilium release with an agent configuration. */
export function ciliumDeviations(ciliumVersion: string, agent: CiliumAgentConfig): NetworkPolicyDeviations {
  return {
    egressNamedPortsClusterWide: true,
    negativeNamespaceSelectorSelectsAll: true,
    rulesOutsidePolicyTypes: true,
    selectorsMatchIdentityLabels: true,
    ipBlockPeerSelectsNamespacePods: agent.policyDefaultLocalCluster && !ciliumAtLeast(ciliumVersion, 19),
  };
}

/** What each deviation is called in diagnostics, with its upstream reference. */
export const DEVIATION_TITLES: { readonly [K in keyof NetworkPolicyDeviations]: string } = {
  egressNamedPortsClusterWide: 'Cilium resolves an egress named port once for the whole cluster (pkg/policy/l4.go, pkg/types/portmap.go) and applies it towards every peer of the rule',
  negativeNamespaceSelectorSelectsAll: 'Cilium lets a namespaceSelector of only NotIn/DoesNotExist requirements select addresses outside the cluster and entities too (cilium/cilium#46949)',
  rulesOutsidePolicyTypes: 'Cilium enforces the rules of a direction that policyTypes does not list (cilium/cilium#48703)',
  ipBlockPeerSelectsNamespacePods: 'with policy-default-local-cluster, Cilium lets an ipBlock peer also select every pod of the policy\'s namespace (cilium/cilium#46305, fixed in 1.19 in June 2026)',
  selectorsMatchIdentityLabels: 'Cilium matches pod selectors against security identities, whose default label filter drops labels such as pod-template-hash and statefulset.kubernetes.io/pod-name (pkg/labelsfilter)',
};

export interface Semantics {
  readonly mode: EnforcementMode;
  /** The Cilium minor release whose semantics apply to Cilium policies (and, in cilium mode, to all). */
  readonly ciliumVersion: string;
  readonly agent: CiliumAgentConfig;
  /** The readings applied: Cilium's in cilium mode, the specification's in kubernetes mode. */
  readonly deviations: NetworkPolicyDeviations;
  /** Cilium's readings for this version and agent configuration, whichever mode applies. */
  readonly ciliumDeviations: NetworkPolicyDeviations;
}

export const DEFAULT_CILIUM_VERSION = '1.18';

/** The versions whose semantics are modelled (only 1.18.3's are checked against Cilium's own engine). */
export const MODELLED_CILIUM_VERSIONS = ['1.18', '1.19'];

export { EnforcementError } from './errors';

/**
 * Parses `kubernetes`, `cilium` or `cilium@1.18` (the CLI's `--cni` and the library's `cni`
 * option). Undefined: chosen from the input (see defaultMode).
 */
export function parseEnforcement(text: string): { mode: EnforcementMode; ciliumVersion: string } {
  const t = String(text).trim();
  if (t === 'kubernetes') return { mode: 'kubernetes', ciliumVersion: DEFAULT_CILIUM_VERSION };
  const m = /^cilium(?:@v?(1\.\d+)(?:\.\d+)?)?$/.exec(t);
  if (!m) throw new EnforcementError(`cni: "${text}" is not an enforcer this tool models; use kubernetes, cilium or cilium@<version> (${MODELLED_CILIUM_VERSIONS.join(', ')})`);
  const v = m[1] ?? DEFAULT_CILIUM_VERSION;
  if (!MODELLED_CILIUM_VERSIONS.includes(v)) throw new EnforcementError(`cni: Cilium ${v} is not modelled; use cilium@${MODELLED_CILIUM_VERSIONS.join(' or cilium@')}`);
  return { mode: 'cilium', ciliumVersion: v };
}

/** The default enforcer: Cilium when Cilium policies are among the manifests (only Cilium enforces them), else Kubernetes. */
export function defaultMode(hasCiliumPolicies: boolean): EnforcementMode {
  return hasCiliumPolicies ? 'cilium' : 'kubernetes';
}

export function semanticsFor(mode: EnforcementMode, ciliumVersion: string, agent: Partial<CiliumAgentConfig> = {}): Semantics {
  const config = { ...ciliumAgentDefaults(ciliumVersion), ...agent };
  const cilium = ciliumDeviations(ciliumVersion, config);
  return { mode, ciliumVersion, agent: config, deviations: mode === 'cilium' ? cilium : KUBERNETES_SPEC, ciliumDeviations: cilium };
}

/**
 * Whether the local node reaches every pod on it whatever the ingress rules: Cilium in Kubernetes
 * mode turns `allow-localhost=auto` into `always` (pkg/option config.go); the Kubernetes
 * specification says the same ("traffic to and from the node where a Pod is running is always
 * allowed", Network Policies, IP blocks). Only `allow-localhost=policy` lets the rules decide.
 */
export function allowsLocalhost(s: Semantics): boolean {
  return s.agent.allowLocalhost !== 'policy';
}

/** The agent options a user gives (strings checked here) as the agent configuration. */
export function agentConfig(options: CiliumAgentOptions = {}): Partial<CiliumAgentConfig> {
  const out: { -readonly [K in keyof CiliumAgentConfig]?: CiliumAgentConfig[K] } = {};
  if (options.enableNodeSelectorLabels !== undefined) out.enableNodeSelectorLabels = options.enableNodeSelectorLabels;
  if (options.enableL7Proxy !== undefined) out.enableL7Proxy = options.enableL7Proxy;
  if (options.enableIcmpRules !== undefined) out.enableIcmpRules = options.enableIcmpRules;
  if (options.policyDefaultLocalCluster !== undefined) out.policyDefaultLocalCluster = options.policyDefaultLocalCluster;
  if (options.clusterName !== undefined) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.clusterName) || options.clusterName.length > 32) {
      throw new EnforcementError(`ciliumAgent.clusterName: "${options.clusterName}" is not a Cilium cluster name; use up to 32 lowercase letters, digits and "-"`);
    }
    out.clusterName = options.clusterName;
  }
  if (options.allowLocalhost !== undefined) {
    if (!['auto', 'always', 'policy'].includes(options.allowLocalhost)) {
      throw new EnforcementError(`ciliumAgent.allowLocalhost: "${options.allowLocalhost}" is not an allow-localhost value; use auto, always or policy`);
    }
    out.allowLocalhost = options.allowLocalhost as CiliumAgentConfig['allowLocalhost'];
  }
  if (options.kubeApiserverPlacement !== undefined) {
    if (!['remote-node', 'host', 'world'].includes(options.kubeApiserverPlacement)) {
      throw new EnforcementError(`ciliumAgent.kubeApiserverPlacement: "${options.kubeApiserverPlacement}" is not a placement; use remote-node, host or world`);
    }
    out.kubeApiserverPlacement = options.kubeApiserverPlacement as KubeApiserverPlacement;
  }
  return out;
}

/** True when `version` (e.g. `1.19`) is at least `minor` of 1.x. */
export function ciliumAtLeast(version: string, minor: number): boolean {
  return Number(version.split('.')[1]) >= minor;
}

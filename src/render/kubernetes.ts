import * as k8s from '../imports/k8s';
import { IpBlockConfig, PeerConfig } from '../model/peers';
import { Port, Protocol } from '../model/port';
import { LabelSelector } from '../model/selector';

/** A direction of traffic a NetworkPolicy can isolate. */
export enum PolicyType {
  /** Traffic into the selected pods. */
  INGRESS = 'Ingress',
  /** Traffic out of the selected pods. */
  EGRESS = 'Egress',
}

/** One rule of a Kubernetes NetworkPolicy, as the renderer sees it. @internal */
export interface KubernetesRuleModel {
  /** The peers; undefined means every peer (the rule has no from/to). */
  readonly peers?: PeerConfig[];
  /** The ports; empty means every port. */
  readonly ports: Port[];
}

/** A Kubernetes NetworkPolicy, as the renderer sees it. @internal */
export interface KubernetesPolicyModel {
  readonly podSelector: LabelSelector;
  readonly ingress: KubernetesRuleModel[];
  readonly egress: KubernetesRuleModel[];
  readonly policyTypes: PolicyType[];
}

// The renderers write the manifest as cdk8s writes it (ApiObject.toJson: keys sorted at every
// level, then the L1's field mapping, whose fields are in the same order): so a NetworkPolicy can
// write its manifest directly (render/manifest.ts) and equal cdk8s's general path key for key.

/** @internal */
export function renderLabelSelector(selector: LabelSelector): k8s.LabelSelector {
  const out: { matchExpressions?: k8s.LabelSelectorRequirement[]; matchLabels?: { [key: string]: string } } = {};
  if (selector.matchExpressions.length) {
    out.matchExpressions = selector.matchExpressions.map(e => (e.values.length
      ? { key: e.key, operator: e.operator, values: [...e.values] }
      : { key: e.key, operator: e.operator }));
  }
  const keys = Object.keys(selector.matchLabels);
  if (keys.length) {
    const labels: { [key: string]: string } = {};
    for (const key of keys.length > 1 ? keys.sort() : keys) labels[key] = selector.matchLabels[key];
    out.matchLabels = labels;
  }
  return out;
}

function renderIpBlock(block: IpBlockConfig): k8s.IpBlock {
  return block.except ? { cidr: block.cidr, except: [...block.except] } : { cidr: block.cidr };
}

function renderPeer(peer: PeerConfig): k8s.NetworkPolicyPeer {
  const out: { ipBlock?: k8s.IpBlock; namespaceSelector?: k8s.LabelSelector; podSelector?: k8s.LabelSelector } = {};
  if (peer.ipBlock) out.ipBlock = renderIpBlock(peer.ipBlock);
  if (peer.namespaceSelector) out.namespaceSelector = renderLabelSelector(peer.namespaceSelector);
  if (peer.podSelector) out.podSelector = renderLabelSelector(peer.podSelector);
  return out;
}

/** A NetworkPolicyPort as written to the manifest (`port` a number or a name). @internal */
export interface NetworkPolicyPortJson {
  readonly endPort?: number;
  readonly port?: number | string;
  readonly protocol: string;
}

/** @internal */
export function renderPort(port: Port): NetworkPolicyPortJson {
  if (port.protocol === Protocol.ANY) {
    // Guarded by the rule builder; kept here so the renderer never emits an invalid protocol.
    throw new Error(`NetworkPolicyPort.protocol: "ANY" is Cilium-only; use Port.tcp/udp/sctp for Kubernetes (port ${port.toString()})`);
  }
  const out: { endPort?: number; port?: number | string; protocol?: string } = {};
  if (port.endPort !== undefined) out.endPort = port.endPort;
  if (port.name !== undefined) out.port = port.name;
  else if (port.number !== undefined) out.port = port.number;
  out.protocol = port.protocol;
  return out as NetworkPolicyPortJson;
}

/** A NetworkPolicy rule as written to the manifest. @internal */
export interface RuleJson {
  from?: k8s.NetworkPolicyPeer[];
  ports?: NetworkPolicyPortJson[];
  to?: k8s.NetworkPolicyPeer[];
}

function renderRule(rule: KubernetesRuleModel, peersKey: 'from' | 'to'): RuleJson {
  const out: RuleJson = {};
  // No peers: the rule has no from/to and matches every peer.
  const peers = rule.peers?.map(renderPeer);
  if (peers && peersKey === 'from') out.from = peers;
  // No ports: every port.
  if (rule.ports.length) out.ports = rule.ports.map(renderPort);
  if (peers && peersKey === 'to') out.to = peers;
  return out;
}

/** A NetworkPolicy spec as written to the manifest. @internal */
export interface NetworkPolicySpecJson {
  readonly egress?: RuleJson[];
  readonly ingress?: RuleJson[];
  readonly podSelector: k8s.LabelSelector;
  readonly policyTypes: string[];
}

/** Renders the spec as it is written to the manifest; the model is already validated. @internal */
export function renderNetworkPolicySpec(model: KubernetesPolicyModel): NetworkPolicySpecJson {
  const spec: { egress?: RuleJson[]; ingress?: RuleJson[]; podSelector?: k8s.LabelSelector; policyTypes?: string[] } = {};
  // A direction with no rules is omitted: with its policyType listed it denies all.
  if (model.egress.length) spec.egress = model.egress.map(r => renderRule(r, 'to'));
  if (model.ingress.length) spec.ingress = model.ingress.map(r => renderRule(r, 'from'));
  spec.podSelector = renderLabelSelector(model.podSelector);
  spec.policyTypes = [...model.policyTypes];
  return spec as NetworkPolicySpecJson;
}

/** The spec as the L1 `KubeNetworkPolicy` takes it (ports as IntOrString), for cdk8s's general path. @internal */
export function l1NetworkPolicySpec(spec: NetworkPolicySpecJson): k8s.NetworkPolicySpec {
  const port = (p: NetworkPolicyPortJson): k8s.NetworkPolicyPort => ({
    ...p,
    port: p.port === undefined ? undefined : typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
  });
  const rule = (r: RuleJson): k8s.NetworkPolicyIngressRule & k8s.NetworkPolicyEgressRule => ({ from: r.from, ports: r.ports?.map(port), to: r.to });
  return { ...spec, egress: spec.egress?.map(rule), ingress: spec.ingress?.map(rule) };
}

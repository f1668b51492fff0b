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

/** @internal */
export function renderLabelSelector(selector: LabelSelector): k8s.LabelSelector {
  const out: { matchLabels?: { [key: string]: string }; matchExpressions?: k8s.LabelSelectorRequirement[] } = {};
  if (Object.keys(selector.matchLabels).length) out.matchLabels = { ...selector.matchLabels };
  if (selector.matchExpressions.length) {
    out.matchExpressions = selector.matchExpressions.map(e => (e.values.length
      ? { key: e.key, operator: e.operator, values: [...e.values] }
      : { key: e.key, operator: e.operator }));
  }
  return out;
}

function renderIpBlock(block: IpBlockConfig): k8s.IpBlock {
  return block.except ? { cidr: block.cidr, except: [...block.except] } : { cidr: block.cidr };
}

function renderPeer(peer: PeerConfig): k8s.NetworkPolicyPeer {
  const out: { podSelector?: k8s.LabelSelector; namespaceSelector?: k8s.LabelSelector; ipBlock?: k8s.IpBlock } = {};
  if (peer.podSelector) out.podSelector = renderLabelSelector(peer.podSelector);
  if (peer.namespaceSelector) out.namespaceSelector = renderLabelSelector(peer.namespaceSelector);
  if (peer.ipBlock) out.ipBlock = renderIpBlock(peer.ipBlock);
  return out;
}

/** @internal */
export function renderPort(port: Port): k8s.NetworkPolicyPort {
  if (port.protocol === Protocol.ANY) {
    // Guarded by the rule builder; kept here so the renderer never emits an invalid protocol.
    throw new Error(`NetworkPolicyPort.protocol: "ANY" is Cilium-only; use Port.tcp/udp/sctp for Kubernetes (port ${port.toString()})`);
  }
  const out: { protocol: string; port?: k8s.IntOrString; endPort?: number } = { protocol: port.protocol };
  if (port.name !== undefined) out.port = k8s.IntOrString.fromString(port.name);
  else if (port.number !== undefined) out.port = k8s.IntOrString.fromNumber(port.number);
  if (port.endPort !== undefined) out.endPort = port.endPort;
  return out;
}

function renderRule(rule: KubernetesRuleModel, peersKey: 'from' | 'to'): k8s.NetworkPolicyIngressRule & k8s.NetworkPolicyEgressRule {
  const out: { from?: k8s.NetworkPolicyPeer[]; to?: k8s.NetworkPolicyPeer[]; ports?: k8s.NetworkPolicyPort[] } = {};
  // No peers: the rule has no from/to and matches every peer.
  if (rule.peers) out[peersKey] = rule.peers.map(renderPeer);
  // No ports: every port.
  if (rule.ports.length) out.ports = rule.ports.map(renderPort);
  return out;
}

/** Renders the spec; the model is already validated. @internal */
export function renderNetworkPolicySpec(model: KubernetesPolicyModel): k8s.NetworkPolicySpec {
  const spec: { -readonly [K in keyof k8s.NetworkPolicySpec]: k8s.NetworkPolicySpec[K] } = {
    podSelector: renderLabelSelector(model.podSelector),
    policyTypes: [...model.policyTypes],
  };
  // A direction with no rules is omitted: with its policyType listed it denies all.
  if (model.ingress.length) spec.ingress = model.ingress.map(r => renderRule(r, 'from'));
  if (model.egress.length) spec.egress = model.egress.map(r => renderRule(r, 'to'));
  return spec;
}

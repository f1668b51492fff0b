import { renderLabelSelector } from './kubernetes';
import * as l1 from '../imports/policy.networking.k8s.io';
import { Port } from '../model/port';
import { LabelSelector } from '../model/selector';

/** Pods selected by namespace and pod labels (`NamespacedPod`). @internal */
export interface ClusterPolicyPodsModel {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** A subject or a peer: exactly one member set (the builders guarantee it). @internal */
export interface ClusterPolicyPeerModel {
  readonly namespaces?: LabelSelector;
  readonly pods?: ClusterPolicyPodsModel;
  /** CIDRs, canonical text (egress only). */
  readonly networks?: string[];
}

/** One rule, as the renderer sees it (already validated). @internal */
export interface ClusterPolicyRuleModel {
  readonly name?: string;
  /** Accept, Deny or Pass. */
  readonly action: string;
  readonly peers: ClusterPolicyPeerModel[];
  /** Empty: every port and protocol (no `protocols`). */
  readonly ports: Port[];
}

/** A ClusterNetworkPolicy spec, as the renderer sees it. @internal */
export interface ClusterPolicyModel {
  readonly tier: string;
  readonly priority: number;
  readonly subject: ClusterPolicyPeerModel;
  readonly ingress: ClusterPolicyRuleModel[];
  readonly egress: ClusterPolicyRuleModel[];
}

function renderPods(pods: ClusterPolicyPodsModel): { namespaceSelector: any; podSelector: any } {
  // namespaceSelector is always written: its absence also means every namespace (a Go value
  // struct, apis/v1alpha2 NamespacedPod), but a reader should not have to know that.
  return { namespaceSelector: renderLabelSelector(pods.namespaceSelector), podSelector: renderLabelSelector(pods.podSelector) };
}

function renderPeer(peer: ClusterPolicyPeerModel): { [key: string]: any } {
  if (peer.namespaces) return { namespaces: renderLabelSelector(peer.namespaces) };
  if (peer.pods) return { pods: renderPods(peer.pods) };
  return { networks: [...(peer.networks ?? [])] };
}

/**
 * A Port as a `ClusterNetworkPolicyProtocol` (apis/v1alpha2): `{tcp|udp|sctp: {destinationPort:
 * {number | range}}}` or `{destinationNamedPort}`. The rule builder has rejected what v1alpha2
 * cannot write (every port of a protocol, ANY, named ports of another protocol than TCP).
 */
function renderProtocol(port: Port): { [key: string]: any } {
  if (port.name !== undefined) return { destinationNamedPort: port.name };
  const destinationPort = port.endPort !== undefined ? { range: { start: port.number, end: port.endPort } } : { number: port.number };
  return { [port.protocol.toLowerCase()]: { destinationPort } };
}

function renderRule(rule: ClusterPolicyRuleModel, peersKey: 'from' | 'to'): { [key: string]: any } {
  const out: { [key: string]: any } = {};
  if (rule.name !== undefined) out.name = rule.name;
  out.action = rule.action;
  out[peersKey] = rule.peers.map(renderPeer);
  if (rule.ports.length) out.protocols = rule.ports.map(renderProtocol);
  return out;
}

/** Renders the spec; the model is already validated. @internal */
export function renderClusterPolicySpec(model: ClusterPolicyModel): l1.ClusterNetworkPolicySpec {
  const spec: { [key: string]: any } = {
    tier: model.tier,
    priority: model.priority,
    subject: renderPeer(model.subject),
  };
  if (model.ingress.length) spec.ingress = model.ingress.map(r => renderRule(r, 'from'));
  if (model.egress.length) spec.egress = model.egress.map(r => renderRule(r, 'to'));
  return spec as l1.ClusterNetworkPolicySpec;
}

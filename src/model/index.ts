// The public model: selectors, peers, ports and CIDR families. Validation helpers and wire-level
// keys stay internal (imported by path inside the package).
export { IpFamily } from './cidr';
export type { ParsedCidr } from './cidr';
export { LabelExpression, LabelOperator, LabelSelector } from './selector';
export type { LabelSelectorOptions } from './selector';
export { Port, Protocol } from './port';
export { IpBlock, NAMESPACE_NAME_LABEL, Namespaces, Pods } from './peers';
export type { INetworkPolicyPeer, IpBlockConfig, PeerConfig } from './peers';

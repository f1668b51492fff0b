// The public Cilium model: versions, peers, entities, ICMP and L7 rules. Validation helpers, wire
// keys and data tables stay internal (imported by path inside the package).
export { CILIUM_FEATURE_LIFECYCLE, CiliumFeature, CiliumVersion, CiliumVersionCheck } from './versions';
export type { CiliumFeatureLifecycle } from './versions';
export type { CiliumSelectorConfig, CiliumSelectorRequirement } from './selector';
export { Cidr, CidrGroup, CiliumPeerKind, Endpoints, Fqdn, Nodes, Service } from './peers';
export type { CiliumPeerConfig, ICiliumPeer } from './peers';
export { Entity } from './entity';
export { Icmp } from './icmp';
export { HeaderMismatchAction, KafkaRole, L7Dns, L7Http, L7Kafka } from './l7';
export type { HeaderMatchOptions, L7KafkaOptions, SecretRef } from './l7';
export type { CiliumAgentOptions } from './agent';
/** The label key of a pod's namespace in Cilium selectors (`io.kubernetes.pod.namespace`). */
export { CILIUM_POD_NAMESPACE_KEY } from '../../wire/labels';

/**
 * Cilium entities: the one table of entity names, for the constructs, the reader, the analyser
 * and the lint.
 *
 * Two sources decide whether an entity name works, and they differ:
 * - the agent (pkg/policy/api entity.go `EntitySelectorMapping`) knows `world-ipv4` and
 *   `world-ipv6` (dual-stack world, since 1.15);
 * - the CRD schema's enum of `fromEntities`/`toEntities` (kubebuilder marker in entity.go; the
 *   1.18 schema in the CRD) does not list them, so the API server rejects a CiliumNetworkPolicy
 *   naming them. A manifest can therefore only use the CRD's names.
 */

/** Every entity name Cilium 1.18's agent maps to identities. */
export const AGENT_ENTITY_NAMES = [
  'all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'init', 'ingress', 'unmanaged',
  'remote-node', 'health', 'none', 'kube-apiserver',
] as const;
export type EntityName = typeof AGENT_ENTITY_NAMES[number];

/** The entity names the 1.18 CRD schema accepts in `fromEntities`/`toEntities` (the API server's enum). */
export const CRD_ENTITY_NAMES: readonly EntityName[] = [
  'all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver',
];

/** Entities `cluster` covers besides the cluster's pods (entity.go InitEntities). */
export const CLUSTER_ENTITY_MEMBERS: readonly EntityName[] = ['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'];

/** Entities that select addresses outside the cluster (the `world` identities). */
export const WORLD_ENTITIES: readonly EntityName[] = ['world', 'world-ipv4', 'world-ipv6'];

export function isCrdEntity(name: string): name is EntityName {
  return (CRD_ENTITY_NAMES as readonly string[]).includes(name);
}

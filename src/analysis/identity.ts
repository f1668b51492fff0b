/**
 * Peers as Cilium sees them: every peer has an identity, a set of labels, and a Cilium selector
 * (endpoint selector, entity) selects the identities whose labels it matches (pkg/policy selector
 * cache). Labels of Kubernetes origin are kept under their plain key (`app`,
 * `io.kubernetes.pod.namespace`); other sources keep theirs (`reserved:world`).
 *
 * - a pod: its labels, `io.kubernetes.pod.namespace`, `io.cilium.k8s.namespace.labels.<key>` of its
 *   namespace, its service account and the cluster name (pkg/k8s/apis/cilium.io const.go);
 * - an address outside the cluster (and FQDN, group and selector-less Service peers, whose
 *   addresses are outside): `reserved:world` (an IPv4-only cluster: the world identity);
 * - an entity: `reserved:<entity>`; the kube-apiserver identity also carries `reserved:remote-node`
 *   when the API server runs on other nodes of the cluster (Cilium's reserved identity 7), or
 *   `reserved:host` on the local node, or `reserved:world` outside the cluster;
 * - a node (seen from a pod on another node): its labels and `reserved:remote-node`.
 */
import { Labels } from './selectors';
import { EntityName } from '../wire/cilium/entity';
import { isCiliumIdentityLabel } from '../wire/cilium/identity-labels';
import {
  CILIUM_CLUSTER_KEY, CILIUM_NAMESPACE_LABELS_PREFIX, CILIUM_OWNED_LABEL_PREFIX, CILIUM_POD_NAMESPACE_KEY,
  CILIUM_RESERVED_SOURCE, CILIUM_SERVICE_ACCOUNT_KEY,
} from '../wire/labels';

/** Where the Kubernetes API server runs, which decides the labels of the kube-apiserver identity. */
export type KubeApiserverPlacement = 'remote-node' | 'host' | 'world';

export function reservedLabel(entity: string): string {
  return `${CILIUM_RESERVED_SOURCE}:${entity}`;
}

/**
 * The identity labels of a pod, as Cilium builds them (pkg/k8s/utils SanitizePodLabels, then the
 * identity label filter over the whole set, daemon fetchK8sMetadataForEndpoint): the pod's labels
 * without those under `io.cilium.k8s` (a pod cannot claim namespace labels), the namespace's labels
 * under `io.cilium.k8s.namespace.labels.`, the namespace, service account and cluster; then only the
 * labels the default filter keeps (a selector on `pod-template-hash`, or on a namespace label
 * `beta.kubernetes.io/arch`, matches no pod).
 */
export function podIdentity(labels: Labels, namespace: string, nsLabels: Labels, serviceAccount: string, clusterName: string): Labels {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (!k.startsWith(CILIUM_OWNED_LABEL_PREFIX)) all[k] = v;
  for (const [k, v] of Object.entries(nsLabels)) all[CILIUM_NAMESPACE_LABELS_PREFIX + k] = v;
  all[CILIUM_POD_NAMESPACE_KEY] = namespace;
  all[CILIUM_SERVICE_ACCOUNT_KEY] = serviceAccount;
  all[CILIUM_CLUSTER_KEY] = clusterName;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (isCiliumIdentityLabel(k)) out[k] = v;
  return out;
}

export const WORLD_IDENTITY: Labels = Object.freeze({ [reservedLabel('world')]: '' });

/** The identity labels of an entity peer. */
export function entityIdentity(entity: string, kubeApiserver: KubeApiserverPlacement): Labels {
  if (entity === 'kube-apiserver') return { [reservedLabel(entity)]: '', [reservedLabel(kubeApiserver)]: '' };
  return { [reservedLabel(entity)]: '' };
}

/** The identity labels of a node seen from a pod on another node (enable-node-selector-labels). */
export function nodeIdentity(labels: Labels): Labels {
  return { ...labels, [reservedLabel('remote-node')]: '' };
}

export const hasLabel = (l: Labels, key: string): boolean => Object.prototype.hasOwnProperty.call(l, key);

/**
 * What an entity selects, by identity labels (pkg/policy/api entity.go EntitySelectorMapping,
 * InitEntities): `cluster` is every reserved identity of the cluster plus the pods of this cluster.
 */
export function entitySelects(entity: EntityName, clusterName: string): (labels: Labels) => boolean {
  switch (entity) {
    case 'all':
      return () => true;
    case 'world':
      return (l) => hasLabel(l, reservedLabel('world')) || hasLabel(l, reservedLabel('world-ipv4')) || hasLabel(l, reservedLabel('world-ipv6'));
    case 'cluster': {
      const members = ['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'].map(reservedLabel);
      return (l) => members.some((m) => hasLabel(l, m)) || l[CILIUM_CLUSTER_KEY] === clusterName;
    }
    default: {
      const key = reservedLabel(entity);
      return (l) => hasLabel(l, key);
    }
  }
}

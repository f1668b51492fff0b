/**
 * The kinds this project reads (and the API groups they belong to): the one table of them.
 */
import { NameRule } from './kubernetes/validation';

export type KindRole = 'policy' | 'workload' | 'namespace' | 'node' | 'service' | 'ingress' | 'cidr-group';

export interface KindInfo {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly role: KindRole;
  /** How the API server validates the name. */
  readonly nameRule: NameRule;
}

function k(apiVersion: string, kind: string, namespaced: boolean, role: KindRole, nameRule: NameRule = 'subdomain'): KindInfo {
  return { apiVersion, kind, namespaced, role, nameRule };
}

export const READ_KINDS: readonly KindInfo[] = [
  k('networking.k8s.io/v1', 'NetworkPolicy', true, 'policy'),
  k('cilium.io/v2', 'CiliumNetworkPolicy', true, 'policy'),
  k('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', false, 'policy'),
  k('cilium.io/v2alpha1', 'CiliumCIDRGroup', false, 'cidr-group'),
  k('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', false, 'policy'),
  k('policy.networking.k8s.io/v1alpha1', 'BaselineAdminNetworkPolicy', false, 'policy'),
  k('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', false, 'policy'),
  k('v1', 'Namespace', false, 'namespace', 'label'),
  k('v1', 'Node', false, 'node'),
  k('v1', 'Pod', true, 'workload'),
  k('v1', 'ReplicationController', true, 'workload'),
  k('apps/v1', 'Deployment', true, 'workload'),
  k('apps/v1', 'ReplicaSet', true, 'workload'),
  k('apps/v1', 'StatefulSet', true, 'workload'),
  k('apps/v1', 'DaemonSet', true, 'workload'),
  k('batch/v1', 'Job', true, 'workload'),
  k('batch/v1', 'CronJob', true, 'workload'),
  k('v1', 'Service', true, 'service', 'dns1035'),
  k('networking.k8s.io/v1', 'Ingress', true, 'ingress'),
  k('route.openshift.io/v1', 'Route', true, 'ingress'),
  // KubeVirt (wire/kubevirt.ts): one pod labelled from spec.template.metadata
  k('kubevirt.io/v1', 'VirtualMachine', true, 'workload'),
  k('kubevirt.io/v1alpha3', 'VirtualMachine', true, 'workload'),
];

/** The workload kinds whose pods come from a pod template. */
export const TEMPLATED_WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];

/**
 * Network policy kinds of other implementations: their traffic rules are not analysed, which a
 * user must be told (the results ignore them).
 */
export const OTHER_POLICY_GROUPS: readonly { readonly group: string; readonly name: string }[] = [
  { group: 'projectcalico.org', name: 'Calico' },
  { group: 'crd.projectcalico.org', name: 'Calico' },
  { group: 'crd.antrea.io', name: 'Antrea' },
  { group: 'security.antrea.io', name: 'Antrea' },
  { group: 'k8s.ovn.org', name: 'OVN-Kubernetes' },
  { group: 'k8s.cni.cncf.io', name: 'Multus' },
];

export function kindInfo(apiVersion: string, kind: string): KindInfo | undefined {
  return READ_KINDS.find((x) => x.kind === kind && x.apiVersion === apiVersion);
}

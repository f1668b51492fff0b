/** The Cilium objects (pkg/k8s/apis/cilium.io/v2, v2alpha1). */
import { Rule } from './rule';
import { KubeObject } from '../kubernetes/meta';

export const CILIUM_API_VERSION = 'cilium.io/v2';
export const CILIUM_CIDR_GROUP_API_VERSION = 'cilium.io/v2alpha1';

/** CiliumNetworkPolicy: `spec` and/or `specs` (at least one rule). */
export interface CiliumNetworkPolicy extends KubeObject {
  readonly kind: 'CiliumNetworkPolicy';
  readonly spec?: Rule;
  readonly specs?: readonly Rule[];
}

/** CiliumClusterwideNetworkPolicy: as a CNP, cluster-scoped. */
export interface CiliumClusterwideNetworkPolicy extends KubeObject {
  readonly kind: 'CiliumClusterwideNetworkPolicy';
  readonly spec?: Rule;
  readonly specs?: readonly Rule[];
}

/** CiliumCIDRGroup (cluster-scoped): the CIDRs a `cidrGroupRef`/`cidrGroupSelector` stands for. */
export interface CiliumCIDRGroup extends KubeObject {
  readonly kind: 'CiliumCIDRGroup';
  readonly spec: { readonly externalCIDRs: readonly string[] };
}

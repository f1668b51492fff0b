/**
 * Cilium endpoint selectors (pkg/policy/api selector.go `EndpointSelector`): a Kubernetes label
 * selector whose keys may carry a label source (`k8s:`, `any:`, `reserved:`, …).
 */
import { LabelSelector } from '../kubernetes/meta';

/** An EndpointSelector / NodeSelector on the wire. */
export type EndpointSelector = LabelSelector;

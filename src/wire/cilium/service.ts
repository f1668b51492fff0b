/** Cilium `toServices` (pkg/policy/api service.go). */
import { EndpointSelector } from './selector';

export interface K8sServiceNamespace {
  readonly serviceName?: string;
  readonly namespace?: string;
}

export interface K8sServiceSelectorNamespace {
  readonly selector: EndpointSelector;
  readonly namespace?: string;
}

export interface Service {
  readonly k8sService?: K8sServiceNamespace;
  readonly k8sServiceSelector?: K8sServiceSelectorNamespace;
}

/**
 * KubeVirt `VirtualMachine` (kubevirt.io/v1; v1alpha3 is served too): a workload whose one pod
 * (the virt-launcher of its VirtualMachineInstance) carries the labels of `spec.template.metadata`
 * (kubevirt/api core/v1 types.go VirtualMachineSpec.Template, VirtualMachineInstanceTemplateSpec).
 * netpol-analyzer reads it so (pkg/netpol/eval/internal/k8s/pod.go PodsFromWorkloadObject): one
 * pod, the template's labels, no container ports.
 */
import { KubeObject } from './kubernetes/meta';

export const KUBEVIRT_API_VERSIONS = ['kubevirt.io/v1', 'kubevirt.io/v1alpha3'] as const;

export interface VirtualMachine extends KubeObject {
  readonly kind: 'VirtualMachine';
  readonly spec: {
    /** `runStrategy` / `running` say whether it runs; it is analysed either way (as netpol-analyzer). */
    readonly running?: boolean;
    readonly runStrategy?: string;
    readonly template: {
      readonly metadata?: { readonly labels?: { readonly [key: string]: string } };
      readonly spec?: unknown;
    };
  };
}

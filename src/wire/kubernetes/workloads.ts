/**
 * The workload and cluster kinds the analyser and the lint read (k8s.io/api core/v1, apps/v1,
 * batch/v1, networking/v1), reduced to the fields that matter for network policy: labels,
 * container ports, service accounts, Services and their selectors, Ingress backends.
 */
import { KubeObject, LabelSelector } from './meta';
import { IntOrString } from './network-policy';

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** Defaulted to TCP. */
  readonly protocol?: string;
  readonly hostPort?: number;
  readonly hostIP?: string;
}

export interface Container {
  readonly name: string;
  readonly ports?: readonly ContainerPort[];
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly serviceAccountName?: string;
  readonly serviceAccount?: string;
  readonly nodeName?: string;
  readonly hostNetwork?: boolean;
}

export interface PodTemplateSpec {
  readonly metadata?: { readonly labels?: { readonly [key: string]: string }; readonly annotations?: { readonly [key: string]: string } };
  readonly spec: PodSpec;
}

export interface Pod extends KubeObject {
  readonly kind: 'Pod';
  readonly spec: PodSpec;
  readonly status?: { readonly podIP?: string; readonly hostIP?: string; readonly podIPs?: readonly { readonly ip: string }[] };
}

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job: a pod template in `spec.template`. */
export interface TemplatedWorkload extends KubeObject {
  readonly spec: {
    readonly template: PodTemplateSpec;
    readonly replicas?: number;
    readonly parallelism?: number;
    readonly selector?: LabelSelector | { readonly [key: string]: string };
  };
}

export interface CronJob extends KubeObject {
  readonly kind: 'CronJob';
  readonly spec: { readonly jobTemplate: { readonly spec: { readonly template: PodTemplateSpec; readonly parallelism?: number } } };
}

export interface Namespace extends KubeObject {
  readonly kind: 'Namespace';
}

export interface Node extends KubeObject {
  readonly kind: 'Node';
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: IntOrString;
  readonly protocol?: string;
}

export interface Service extends KubeObject {
  readonly kind: 'Service';
  readonly spec?: {
    readonly selector?: { readonly [key: string]: string };
    readonly ports?: readonly ServicePort[];
    readonly type?: string;
  };
}

export interface IngressServiceBackend {
  readonly name: string;
  readonly port?: { readonly name?: string; readonly number?: number };
}

export interface IngressBackend {
  readonly service?: IngressServiceBackend;
  readonly resource?: unknown;
}

export interface IngressRule {
  readonly host?: string;
  readonly http?: { readonly paths: readonly { readonly path?: string; readonly backend: IngressBackend }[] };
}

export interface Ingress extends KubeObject {
  readonly kind: 'Ingress';
  readonly spec?: {
    readonly defaultBackend?: IngressBackend;
    readonly rules?: readonly IngressRule[];
  };
}

/** OpenShift route.openshift.io/v1 Route (netpol-analyzer reads it for `{ingress-controller}`). */
export interface Route extends KubeObject {
  readonly kind: 'Route';
  readonly spec: {
    readonly host?: string;
    readonly to: { readonly kind?: string; readonly name: string; readonly weight?: number };
    readonly alternateBackends?: readonly { readonly kind?: string; readonly name: string; readonly weight?: number }[];
    readonly port?: { readonly targetPort: IntOrString };
  };
}

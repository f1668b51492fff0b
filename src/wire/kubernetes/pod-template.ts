/**
 * Where the pods of a workload manifest are described: the pod template (or, for a Pod, the object
 * itself) and the workload's own selector. One reading for the analyser (its cluster model) and the
 * constructs (peers and subjects from workloads, src/model/workload.ts).
 */
import { LabelSelector } from './meta';
import { TEMPLATED_WORKLOAD_KINDS } from '../kinds';
import { Container, PodSpec, PodTemplateSpec } from './workloads';

/** The pods of one workload manifest, as written. */
export interface PodTemplateReading {
  /** Field path of the pod template (`spec.template`, `spec.jobTemplate.spec.template`), or `` for a Pod. */
  readonly templatePath: string;
  /** The pods' labels: the template's `metadata.labels` (a Pod's own labels). */
  readonly labels: { readonly [key: string]: string };
  /**
   * The workload's own selector, in `metav1.LabelSelector` form (a ReplicationController's map is
   * its `matchLabels`); undefined when the manifest has none (a Pod, a Job or CronJob whose
   * selector the API server generates).
   */
  readonly selector?: LabelSelector;
  /** Field path of `selector`. */
  readonly selectorPath?: string;
  /** The pod spec's `containers`. */
  readonly containers: readonly Container[];
}

function isObject(x: unknown): x is { readonly [key: string]: any } {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

const TEMPLATE = ['spec', 'template'] as const;
const CRONJOB_TEMPLATE = ['spec', 'jobTemplate', 'spec', 'template'] as const;

/**
 * Where a kind of k8s.io/api keeps its pod template: `spec.jobTemplate.spec.template` for a CronJob,
 * `spec.template` for the other workload kinds, `[]` for a Pod (its own template); undefined for
 * kinds without pods.
 */
export function podTemplatePath(kind: string): readonly string[] | undefined {
  if (kind === 'Pod') return [];
  if (kind === 'CronJob') return CRONJOB_TEMPLATE;
  return TEMPLATED_WORKLOAD_KINDS.includes(kind) ? TEMPLATE : undefined;
}

/**
 * The pod template of a workload's `spec`: at podTemplatePath for the kinds of k8s.io/api, and at
 * `spec.template` for custom kinds built the same way (an Argo Rollout).
 */
export function podTemplateOf(kind: string, spec: any): { template: PodTemplateSpec | undefined; path: string } {
  const path = kind === 'CronJob' ? CRONJOB_TEMPLATE : TEMPLATE;
  const template = path.slice(1).reduce((node: any, key) => node?.[key], spec);
  return { template: isObject(template) ? template as PodTemplateSpec : undefined, path: path.join('.') };
}

function stringMap(x: unknown): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (isObject(x)) for (const [k, v] of Object.entries(x)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

function containersOf(spec: PodSpec | undefined): readonly Container[] {
  return Array.isArray(spec?.containers) ? spec!.containers : [];
}

/**
 * The pods of `manifest` when it is a Pod or has a pod template; undefined otherwise. A
 * ReplicationController without a selector gets its template labels, as the API server defaults it
 * (k8s.io/kubernetes pkg/apis/core/v1 defaults.go SetDefaults_ReplicationController).
 */
export function readPodTemplate(manifest: any): PodTemplateReading | undefined {
  if (!isObject(manifest)) return undefined;
  const kind = String(manifest.kind ?? '');
  if (kind === 'Pod') {
    return { templatePath: '', labels: stringMap(manifest.metadata?.labels), containers: containersOf(manifest.spec) };
  }
  const { template, path } = podTemplateOf(kind, manifest.spec);
  if (!template) return undefined;
  const labels = stringMap(template.metadata?.labels);
  const containers = containersOf(template.spec);
  const selectorHolder = kind === 'CronJob' ? manifest.spec?.jobTemplate?.spec : manifest.spec;
  const selectorPath = kind === 'CronJob' ? 'spec.jobTemplate.spec.selector' : 'spec.selector';
  const raw = selectorHolder?.selector;
  if (kind === 'ReplicationController') {
    const map = stringMap(raw);
    const matchLabels = Object.keys(map).length ? map : labels;
    return { templatePath: path, labels, selector: { matchLabels }, selectorPath, containers };
  }
  if (!isObject(raw)) return { templatePath: path, labels, containers };
  return { templatePath: path, labels, selector: raw as LabelSelector, selectorPath, containers };
}

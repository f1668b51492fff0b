// Workloads as policy subjects and peers: the pods of a cdk8s-plus workload, an L1 KubeDeployment /
// KubePod / ..., or any ApiObject with a pod template, read from the manifest the object synthesises
// (so JSON patches and labels added after the call count). cdk8s-plus is never imported: every
// cdk8s-plus workload keeps its ApiObject as its default child (id "Resource"), which is what
// cdk8s's own ApiObject.of finds.
//
// The one function every policy kind uses is `resolveWorkloadPods`: the pod selector, and the
// namespace the policy must name (none when the workload is in the policy's own namespace). A
// cluster-scoped policy kind (CiliumClusterwideNetworkPolicy, ClusterNetworkPolicy) passes
// `clusterScoped: true` and gets the namespace always.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from './errors';
import { LabelExpression, LabelOperator, LabelSelector } from './selector';
import { kindInfo } from '../wire/kinds';
import { LabelSelector as WireLabelSelector } from '../wire/kubernetes/meta';
import { readPodTemplate } from '../wire/kubernetes/pod-template';

/** A container port of a workload's pods. @internal */
export interface WorkloadPort {
  readonly container: string;
  readonly name?: string;
  readonly port: number;
  /** As written, defaulted to TCP as the API server does (core/v1 SetDefaults_ContainerPort). */
  readonly protocol: string;
}

/** What a workload's manifest says about its pods at synth. @internal */
export interface ResolvedWorkload {
  /** The namespace of the workload's manifest (its own or its chart's); undefined when none is written. */
  readonly namespace?: string;
  /** The selector of the workload's pods. */
  readonly selector: LabelSelector;
  /** Where the selector comes from: `spec.selector`, `spec.template.metadata.labels`, `metadata.labels`, ... */
  readonly selectorSource: string;
  /** The containers' ports. */
  readonly ports: WorkloadPort[];
}

/** The pods a policy selects for a workload, relative to the policy. @internal */
export interface WorkloadPods {
  readonly selector: LabelSelector;
  /** The namespace the policy must name: undefined when the pods are in the policy's own namespace (namespaced kinds only). */
  readonly namespace?: string;
}

/**
 * A workload named in a policy: the ApiObject is found when the call is made, its pods are read
 * when the policy is synthesised. @internal
 */
export class WorkloadRef {
  /**
   * @param field the API call, for messages (`Pods.of`)
   * @param workload a cdk8s-plus workload, an L1 object, or any construct whose default child is an ApiObject
   */
  public static of(field: string, workload: IConstruct): WorkloadRef {
    const fix = 'pass a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod), an L1 object (KubeDeployment, KubePod, ...) or another ApiObject with a pod template';
    if (!workload || typeof workload !== 'object' || !(workload as any).node) {
      throw invalid(field, workload, 'is not a construct', fix);
    }
    let apiObject: ApiObject;
    try {
      apiObject = ApiObject.of(workload);
    } catch {
      throw invalid(field, workload.node.path, 'has no ApiObject (it is no ApiObject and has no default child "Resource" that is one)', fix);
    }
    const info = kindInfo(apiObject.apiVersion, apiObject.kind);
    if (info && info.role !== 'workload') {
      throw invalid(field, `${apiObject.kind} ${apiObject.name}`, `is a ${apiObject.kind}, which has no pods of its own`, fix);
    }
    return new WorkloadRef(field, apiObject);
  }

  private constructor(private readonly field: string, public readonly apiObject: ApiObject) {}

  /** Stable text for messages, e.g. `Deployment shop/web`. */
  public toString(): string {
    const ns = this.apiObject.metadata.namespace;
    return `${this.apiObject.kind} ${ns ? `${ns}/` : ''}${this.apiObject.name}`;
  }

  /** Reads the workload's manifest now (at synth): its namespace, pod selector and container ports. */
  public resolve(): ResolvedWorkload {
    const where = `${this.field}(${this.toString()})`;
    const manifest = this.apiObject.toJson();
    const reading = readPodTemplate(manifest);
    if (!reading) {
      throw invalid(where, manifest?.kind, 'has no pod template (spec.template or spec.jobTemplate.spec.template) and is not a Pod',
        'pass a workload whose manifest describes its pods, or select the pods with Pods.withLabels / Endpoints.withLabels');
    }
    const labelsPath = reading.templatePath ? `${reading.templatePath}.metadata.labels` : 'metadata.labels';
    let templateSelector: LabelSelector | undefined;
    try {
      templateSelector = Object.keys(reading.labels).length ? LabelSelector.withLabels(reading.labels) : undefined;
    } catch (e) {
      throw new Error(`${where}.${labelsPath}: ${(e as Error).message}`);
    }
    let selector: LabelSelector | undefined;
    let selectorSource = labelsPath;
    if (reading.selector && !isEmptyWireSelector(reading.selector)) {
      // The workload's own selector first: it is what its controller counts as its pods, the API
      // server keeps it matching the template (apps/v1 ValidateDeploymentSpec and friends: "selector
      // does not match template labels") and it is immutable in apps/v1, so a label that changes
      // across a rollout (a version) does not leave the old pods out mid-rollout.
      try {
        selector = toLabelSelector(`${where}.${reading.selectorPath}`, reading.selector);
      } catch (e) {
        throw new Error(`${where}.${reading.selectorPath}: ${(e as Error).message}`);
      }
      selectorSource = reading.selectorPath!;
      const unmatched = unmatchedRequirement(selector, reading.labels);
      if (unmatched !== undefined) {
        throw invalid(`${where}.${reading.selectorPath}`, selector.toString(),
          `does not match the pod labels in ${labelsPath} (${unmatched}), so it selects none of the workload's pods (the API server rejects this for apps/v1 kinds)`,
          `make ${labelsPath} satisfy the selector`);
      }
    } else {
      selector = templateSelector;
    }
    if (!selector) {
      throw invalid(`${where}.${labelsPath}`, reading.labels, 'is empty, so no selector can tell the workload\'s pods from the others',
        'give the pods a label (cdk8s-plus adds one unless select: false), or select them with Pods.withLabels / Endpoints.withLabels');
    }
    const ports: WorkloadPort[] = [];
    for (const c of reading.containers) {
      for (const p of Array.isArray(c?.ports) ? c.ports : []) {
        ports.push({ container: String(c.name), name: p.name || undefined, port: p.containerPort, protocol: String(p.protocol ?? 'TCP') });
      }
    }
    return { namespace: manifest?.metadata?.namespace || undefined, selector, selectorSource, ports };
  }
}

function isEmptyWireSelector(s: WireLabelSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

function toLabelSelector(field: string, s: WireLabelSelector): LabelSelector {
  if (s.matchExpressions !== undefined && !Array.isArray(s.matchExpressions)) {
    throw invalid(`${field}.matchExpressions`, s.matchExpressions, 'is not a list', 'write a list of { key, operator, values }');
  }
  const expressions = (s.matchExpressions ?? [])
    .map(e => LabelExpression.of(e?.key, e?.operator as LabelOperator, e?.values ? [...e.values] : undefined));
  return LabelSelector.of({ matchLabels: { ...(s.matchLabels ?? {}) }, matchExpressions: expressions });
}

/** The first requirement of `selector` that `labels` fail (apimachinery labels.Selector.Matches), undefined when all hold. */
function unmatchedRequirement(selector: LabelSelector, labels: { readonly [key: string]: string }): string | undefined {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return `${k}=${v}`;
  for (const e of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const ok = e.operator === LabelOperator.IN ? has && e.values.includes(labels[e.key])
      : e.operator === LabelOperator.NOT_IN ? !has || !e.values.includes(labels[e.key])
        : e.operator === LabelOperator.EXISTS ? has : !has;
    if (!ok) return e.toString();
  }
  return undefined;
}

/** `ref.resolve()`, its errors prefixed with the policy field that named the workload. */
function resolveIn(ref: WorkloadRef, field: string): ResolvedWorkload {
  try {
    return ref.resolve();
  } catch (e) {
    throw new Error(`${field}: ${(e as Error).message}`);
  }
}

/**
 * The pods of `workload` as a policy selects them (at synth), for a policy in `policyNamespace`.
 *
 * - As a subject of a namespaced policy (NetworkPolicy, CiliumNetworkPolicy), the workload must be
 *   in the policy's namespace: such a policy only selects pods of its own namespace.
 * - As a peer of a namespaced policy, the namespace is named only when it differs from the policy's.
 * - A cluster-scoped policy (`clusterScoped`) always names the namespace.
 *
 * A workload without a namespace lands in kubectl's current namespace, which only a policy without
 * one shares for sure; every other combination is an error rather than a guess.
 * @internal
 */
export function resolveWorkloadPods(ref: WorkloadRef, field: string, policyNamespace: string | undefined,
  role: 'subject' | 'peer', clusterScoped: boolean): WorkloadPods {
  const w = resolveIn(ref, field);
  const where = `${field}: ${ref.toString()}`;
  if (clusterScoped) {
    if (w.namespace === undefined) {
      throw new Error(`${where} has no namespace, and a cluster-scoped policy must name the namespace of its pods; set the workload's metadata.namespace or its chart's namespace`);
    }
    return { selector: w.selector, namespace: w.namespace };
  }
  if (w.namespace === policyNamespace) return { selector: w.selector };
  if (w.namespace === undefined) {
    throw new Error(`${where} has no namespace (kubectl would put it in the current one), but the policy is in namespace "${policyNamespace}"; set the workload's metadata.namespace or its chart's namespace`);
  }
  if (role === 'subject') {
    throw new Error(`${where} is in namespace "${w.namespace}", but the policy ${policyNamespace === undefined ? 'has no namespace' : `is in namespace "${policyNamespace}"`} and only selects pods of its own namespace; create the policy in namespace "${w.namespace}" (metadata.namespace or the chart's namespace)`);
  }
  return { selector: w.selector, namespace: w.namespace };
}

/**
 * Checks that the workload declares container port `name` with `protocol` (ANY: any protocol),
 * at synth. Returns the error message, or undefined.
 * @internal
 */
export function undeclaredWorkloadPort(ref: WorkloadRef, field: string, name: string, protocol: string): string | undefined {
  const ports = resolveIn(ref, field).ports;
  if (ports.some(p => p.name === name && (protocol === 'ANY' || p.protocol === protocol))) return undefined;
  const same = ports.filter(p => p.name === name);
  const declared = ports.filter(p => p.name !== undefined).map(p => `${p.name} (${p.protocol}/${p.port})`);
  if (same.length) {
    return `${field}: Port.namedOf(${ref.toString()}, "${name}") is ${protocol}, but the workload declares "${name}" as ${same.map(p => p.protocol).join(', ')}; pass Protocol.${same[0].protocol} as the protocol`;
  }
  return `${field}: Port.namedOf(${ref.toString()}, "${name}"): the workload declares no container port named "${name}" (${declared.length ? `it declares ${declared.join(', ')}` : 'it declares no named port'}); name the container port "${name}", or use another name or the port number`;
}

/**
 * The API server's validation of workloads and Services, reduced to what decides whether the
 * object exists and what the analyser reads from it (k8s.io/kubernetes pkg/apis/apps/validation
 * ValidateDeploymentSpec / ValidateStatefulSetSpec / ValidateDaemonSetSpec / ValidateReplicaSetSpec,
 * pkg/apis/batch/validation ValidateJob / ValidateCronJob, pkg/apis/core/validation ValidatePodSpec,
 * ValidateReplicationControllerSpec, ValidateService): pod specs need containers with unique
 * DNS-label names; a controller's selector must be non-empty and select its own template; a Job's
 * pods must not restart Always; a Service's ports are 1-65535 with unique names.
 */
import { LabelSelector } from './meta';
import { dns1123LabelProblem, portNameProblem, portNumberProblem } from './names';
import { NETWORK_POLICY_PROTOCOLS } from './network-policy';
import { validateLabels, validateLabelSelector, validatePodSpecPorts } from './validation';
import { PodSpec } from './workloads';
import { FieldPath } from '../source';
import { violation, Violation } from '../violation';

type Out = Violation[];

/** ValidatePodSpec: containers required, each with a unique DNS-1123 label name; container ports. */
export function validatePodSpec(spec: PodSpec | undefined, path: FieldPath, out: Out, restartPolicies?: readonly string[]): void {
  if (!spec || !spec.containers || spec.containers.length === 0) {
    out.push(violation([...path, 'containers'], 'required', spec?.containers, 'is required (a pod needs at least one container)', 'add a container'));
    return;
  }
  const names = new Set<string>();
  const all = [...(spec.initContainers ?? []).map((c, i) => [c, 'initContainers', i] as const), ...spec.containers.map((c, i) => [c, 'containers', i] as const)];
  for (const [c, list, i] of all) {
    const p = [...path, list, i, 'name'];
    if (!c.name) {
      out.push(violation(p, 'required', c.name, 'is required', 'give the container a name'));
      continue;
    }
    const bad = dns1123LabelProblem(c.name);
    if (bad) out.push(violation(p, 'invalid-value', c.name, bad.problem, bad.fix));
    else if (names.has(c.name)) out.push(violation(p, 'duplicate', c.name, 'is the name of another container of this pod', 'give each container its own name'));
    names.add(c.name);
  }
  validatePodSpecPorts(spec, path, out);
  const restart = (spec as { restartPolicy?: string }).restartPolicy;
  if (restartPolicies && !restartPolicies.includes(restart ?? 'Always')) {
    out.push(violation([...path, 'restartPolicy'], restart === undefined ? 'required' : 'not-supported', restart,
      `${restart === undefined ? 'not set (Always by default), a restart policy' : 'is a restart policy'} a Job's pods may not use`, `set restartPolicy to ${restartPolicies.join(' or ')}`));
  }
}

function matches(selector: LabelSelector | { readonly [key: string]: string }, labels: { readonly [key: string]: string }): boolean {
  const s = selector as LabelSelector;
  const ml = s.matchLabels !== undefined || s.matchExpressions !== undefined ? s.matchLabels ?? {} : selector as { readonly [key: string]: string };
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of s.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vs = e.values ?? [];
    if (e.operator === 'In' && !(has && vs.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vs.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];

/** The controllers with a pod template (the kinds of TEMPLATED_WORKLOAD_KINDS). */
export function validateWorkload(kind: string, value: any, out: Out): void {
  const spec = value.spec;
  if (kind === 'CronJob') {
    const tpl = spec?.jobTemplate?.spec?.template;
    validateLabels(tpl?.metadata?.labels, ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], out);
    validatePodSpec(tpl?.spec, ['spec', 'jobTemplate', 'spec', 'template', 'spec'], out, JOB_RESTART_POLICIES);
    return;
  }
  const tpl = spec?.template;
  if (!tpl) {
    out.push(violation(['spec', 'template'], 'required', undefined, 'is required', 'give the pod template (metadata.labels and spec.containers)'));
    return;
  }
  const labels: { [key: string]: string } = tpl.metadata?.labels ?? {};
  validateLabels(labels, ['spec', 'template', 'metadata', 'labels'], out);
  validatePodSpec(tpl.spec, ['spec', 'template', 'spec'], out, kind === 'Job' ? JOB_RESTART_POLICIES : undefined);
  if (kind === 'Job') {
    // a Job's selector is generated unless manualSelector: true
    if (spec.selector) validateLabelSelector(spec.selector, ['spec', 'selector'], out);
    return;
  }
  if (kind === 'ReplicationController') {
    // ValidateReplicationControllerSpec: the selector (a map, defaulted to the template labels) must select the template
    const sel = spec.selector ?? labels;
    if (Object.keys(sel).length === 0) out.push(violation(['spec', 'selector'], 'required', sel, 'is empty', 'give labels that select the template'));
    else if (!matches(sel, labels)) out.push(violation(['spec', 'template', 'metadata', 'labels'], 'invalid-value', labels, 'do not match the selector', 'make the template labels include the selector\'s'));
    return;
  }
  const sel: LabelSelector | undefined = spec.selector;
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
    out.push(violation(['spec', 'selector'], sel ? 'invalid-value' : 'required', sel, sel ? `is empty, which is invalid for a ${kind}` : 'is required',
      'give matchLabels that select the pod template, e.g. {matchLabels: {app: web}}'));
    return;
  }
  validateLabelSelector(sel, ['spec', 'selector'], out);
  if (!matches(sel, labels)) {
    out.push(violation(['spec', 'template', 'metadata', 'labels'], 'invalid-value', labels, '`selector` does not match template `labels`', 'make the template labels match spec.selector'));
  }
}

/** ValidateService, the ports and the selector. */
export function validateService(value: any, out: Out): void {
  const spec = value.spec ?? {};
  validateLabels(spec.selector, ['spec', 'selector'], out);
  const ports: any[] = spec.ports ?? [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = ['spec', 'ports', i];
    if (ports.length > 1 && !p.name) out.push(violation([...pp, 'name'], 'required', p.name, 'is required when a Service has more than one port', 'name every port'));
    if (p.name) {
      const bad = dns1123LabelProblem(p.name);
      if (bad) out.push(violation([...pp, 'name'], 'invalid-value', p.name, bad.problem, bad.fix));
      else if (names.has(p.name)) out.push(violation([...pp, 'name'], 'duplicate', p.name, 'is the name of another port', 'give each port its own name'));
      names.add(p.name);
    }
    const num = portNumberProblem(p.port);
    if (num) out.push(violation([...pp, 'port'], 'invalid-value', p.port ?? null, num.problem, num.fix));
    if (p.protocol !== undefined && !(NETWORK_POLICY_PROTOCOLS as readonly string[]).includes(p.protocol)) {
      out.push(violation([...pp, 'protocol'], 'not-supported', p.protocol, 'is not a supported protocol', `use one of ${NETWORK_POLICY_PROTOCOLS.join(', ')}`));
    }
    const t = p.targetPort;
    if (typeof t === 'number' && t !== 0) {
      const bad = portNumberProblem(t);
      if (bad) out.push(violation([...pp, 'targetPort'], 'invalid-value', t, bad.problem, bad.fix));
    } else if (typeof t === 'string') {
      const bad = portNameProblem(t);
      if (bad) out.push(violation([...pp, 'targetPort'], 'invalid-value', t, bad.problem, bad.fix));
    }
  });
}

/**
 * The strict reader: documents in, typed objects or diagnostics out, deciding as the API server
 * with strict field validation (`kubectl apply`) and, for Cilium policies, as the Cilium agent
 * would. The analyser and the lint read manifests only through it, so they agree on validity.
 *
 * Per document: apiVersion and kind must name a kind we read (other kinds are counted and
 * skipped; policies of other implementations get a warning, since their rules are not analysed);
 * the schema layer decodes it as the API server stores it (unknown fields, types, enums,
 * required fields, nulls) and the semantic rules follow (Kubernetes validation after defaulting;
 * Cilium's Parse/Sanitize). An object with an error is rejected: reported, never analysed.
 * Objects with the same kind, namespace and name: the last valid one wins, as with `kubectl
 * apply` of the files in order, with a warning naming both places.
 */
import { CILIUM_AGENT_DEFAULTS, CiliumAgentConfig } from './cilium/agent';
import { validateCiliumPolicy } from './cilium/validation';
import { Diagnostic } from './diagnostic';
import { KindInfo, kindInfo, OTHER_POLICY_GROUPS, TEMPLATED_WORKLOAD_KINDS } from './kinds';
import { defaultNetworkPolicy, validateNetworkPolicy, validateObjectMeta } from './kubernetes/validation';
import { validatePodSpec, validateService, validateWorkload } from './kubernetes/workload-validation';
import { validateAdminPolicy, validateClusterPolicy } from './policy-api/validation';
import { kindViolation, SchemaViolation, validateObject } from './schema';
import { FieldPath, formatFieldPath, SourceDoc } from './source';
import { violation, Violation } from './violation';

/** The schema layer: the object as the API server would store it, and what it rejects. */
export type SchemaCheck = (object: any) => { readonly value: any; readonly violations: readonly Violation[] } | undefined;

export interface ReadOptions {
  /** Cilium agent settings that decide which Cilium policies the agent accepts. @default CILIUM_AGENT_DEFAULTS */
  readonly ciliumAgent?: Partial<CiliumAgentConfig>;
  /** The namespace of namespaced objects without one (kubectl's current namespace). @default default */
  readonly defaultNamespace?: string;
  /** The schema layer. @default - the generated validators */
  readonly schema?: SchemaCheck;
  /**
   * Read what the API server would reject as netpol-analyzer does, where the meaning is not in
   * doubt, with warnings instead of errors: workloads, namespaces, nodes and services as written,
   * and policies whose spec is valid despite problems elsewhere (e.g. a `status` field that
   * Kubernetes 1.33 no longer has, from a dump of an older cluster). A policy whose spec the API
   * server or Cilium rejects is never read: it has no meaning to analyse.
   * @default false
   */
  readonly lenient?: boolean;
  /**
   * NetworkPolicy specs known to be their own decoding: written by a NetworkPolicy construct from
   * its validated model (test/lint/synth-fast-path.test.ts checks this for every generated policy),
   * so only plain JSON of the schema's fields and types, without nulls. Such a spec is taken as
   * the decoded value itself instead of being copied by the schema layer; the rest of the object
   * (metadata) is decoded, and defaulting and validation run as for any object. Used only when
   * `spec` is the object's last key and defaulting would not change it (see isDefaultedSpec), so
   * that the reading is the one the schema layer gives, key order included.
   * @default - every spec is decoded by the schema layer
   */
  readonly decodedSpecs?: { has(spec: object): boolean };
}

/**
 * Whether SetDefaults_NetworkPolicy / SetDefaults_NetworkPolicyPort (defaultNetworkPolicy) leave
 * `spec` unchanged: policyTypes listed and every port with a protocol.
 */
function isDefaultedSpec(spec: any): boolean {
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0 || !spec.podSelector) return false;
  for (const dir of ['ingress', 'egress']) {
    const rules = spec[dir];
    if (rules === undefined) continue;
    if (!Array.isArray(rules)) return false;
    for (const rule of rules) {
      if (rule?.ports === undefined) continue;
      if (!Array.isArray(rule.ports)) return false;
      for (const port of rule.ports) if (!port || port.protocol === undefined || port.protocol === '') return false;
    }
  }
  return true;
}

/** The last own enumerable key of `o` (for-in order, which JSON and the schema layer follow). */
function lastKey(o: object): string | undefined {
  let last: string | undefined;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) last = k;
  return last;
}

/**
 * The schema layer's reading of a NetworkPolicy whose spec is in `decodedSpecs`: the object
 * without its spec decoded (the schema gives the zero spec then, in the last place), and the spec
 * as it is. Undefined when the spec cannot be taken so (the schema layer then reads all of it).
 */
function readWithDecodedSpec(o: any, schema: SchemaCheck, decodedSpecs: ReadOptions['decodedSpecs']): ReturnType<SchemaCheck> {
  const spec = o.spec;
  if (!decodedSpecs || !spec || typeof spec !== 'object' || !decodedSpecs.has(spec) || lastKey(o) !== 'spec' || !isDefaultedSpec(spec)) return undefined;
  const rest: any = {};
  for (const k in o) if (k !== 'spec' && Object.prototype.hasOwnProperty.call(o, k)) rest[k] = o[k];
  const checked = schema(rest);
  if (!checked || !checked.value || typeof checked.value !== 'object') return undefined;
  checked.value.spec = spec;
  return checked;
}

/** One object as the cluster would store it. */
export interface ReadObject {
  readonly info: KindInfo;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  /** The namespace (defaulted); undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  /** `NetworkPolicy shop/db`, `CiliumClusterwideNetworkPolicy allow-dns`. */
  readonly id: string;
  /** Decoded and defaulted, as the API server stores it. */
  readonly value: any;
  /** As written. */
  readonly raw: any;
  readonly doc: SourceDoc;
}

export interface ReadResult {
  /** Valid objects of the kinds we read, in input order (a replaced duplicate keeps the later one's place). */
  readonly objects: ReadObject[];
  /** Objects the API server or Cilium would reject (each has error diagnostics). */
  readonly rejected: ReadObject[];
  /** Documents of other kinds, per kind. */
  readonly skipped: ReadonlyMap<string, number>;
  readonly diagnostics: Diagnostic[];
}

export const DEFAULT_NAMESPACE = 'default';

/**
 * A schema violation as a reader violation. The schema layer writes "problem: fix"; the fix is
 * split off at the first ": " outside a quoted value.
 */
export function schemaViolation(v: SchemaViolation | Violation): Violation {
  if ('problem' in v && v.problem !== undefined) return v as Violation;
  let inQuote = false;
  for (let i = 0; i < v.message.length - 1; i++) {
    const c = v.message[i];
    if (c === '\\' && inQuote) {i++;} else if (c === '"') {inQuote = !inQuote;} else if (!inQuote && c === ':' && v.message[i + 1] === ' ') {
      return { path: v.path, code: v.code, message: v.message, problem: v.message.slice(0, i), fix: v.message.slice(i + 2) };
    }
  }
  return { path: v.path, code: v.code, message: v.message, problem: v.message };
}

/** The generated validators of the official schemas. */
export const generatedSchemaCheck: SchemaCheck = (o) => {
  const r = validateObject(o);
  return r && { value: r.value, violations: r.violations.map(schemaViolation) };
};

function objectId(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function at(doc: SourceDoc, path: FieldPath): { file: string; line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const p = doc.locate?.(path.slice(0, n));
    if (p) return { file: doc.file, line: p.line, column: p.column };
  }
  return { file: doc.file, line: doc.line, column: doc.column };
}

function diag(doc: SourceDoc, severity: Diagnostic['severity'], object: string | undefined, v: Violation, consequence?: string): Diagnostic {
  const field = formatFieldPath(v.path);
  const where = [object, field ? `${field}:` : ''].filter((x) => x).join(' ');
  return {
    ...at(doc, v.path),
    severity,
    message: `${where}${where.endsWith(':') ? '' : ':'} ${v.message}${consequence ? ` (${consequence})` : ''}`,
    object,
    field: field || undefined,
    code: v.code,
    problem: `${v.problem ?? v.message}${consequence ? ` (${consequence})` : ''}`,
    fix: v.fix,
  };
}

/** Keys that differ from `wanted` only in case (`apiversion` for `apiVersion`). */
function caseTwin(o: any, wanted: string): string | undefined {
  return Object.keys(o).find((k) => k !== wanted && k.toLowerCase() === wanted.toLowerCase());
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** KubeVirt's CRD requires `spec.template` (VirtualMachineSpec.Template); the pod's labels come from it. */
function virtualMachineChecks(o: any): Violation[] {
  const t = o?.spec?.template;
  if (t && typeof t === 'object' && !Array.isArray(t)) return [];
  return [violation(['spec', 'template'], 'required', t, 'is required', 'give the VirtualMachine its VirtualMachineInstance template (spec.template, with metadata.labels)')];
}

/** Checks of the kinds without an official schema here (OpenShift Route). */
function routeChecks(o: any): Violation[] {
  const out: Violation[] = [];
  const to = o?.spec?.to;
  if (!to || typeof to !== 'object' || typeof to.name !== 'string' || !to.name) {
    out.push(violation(['spec', 'to', 'name'], 'required', to?.name, 'is required', 'name the Service the Route sends traffic to'));
  }
  return out;
}

function semantic(info: KindInfo, value: any, config: CiliumAgentConfig): { violations: Violation[]; cilium: Violation[]; warnings: Violation[] } {
  const violations: Violation[] = [];
  const cilium: Violation[] = [];
  const warnings: Violation[] = [];
  switch (info.kind) {
    case 'NetworkPolicy':
      violations.push(...validateNetworkPolicy(value));
      break;
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      cilium.push(...validateCiliumPolicy(value, config));
      break;
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'ClusterNetworkPolicy': {
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      const checks = info.kind === 'ClusterNetworkPolicy' ? validateClusterPolicy(value) : validateAdminPolicy(info.kind, value);
      violations.push(...checks.errors);
      warnings.push(...checks.warnings);
      break;
    }
    case 'Pod':
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      validatePodSpec(value.spec, ['spec'], violations);
      break;
    case 'Service':
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      validateService(value, violations);
      break;
    default: {
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      if (TEMPLATED_WORKLOAD_KINDS.includes(info.kind)) validateWorkload(info.kind, value, violations);
    }
  }
  return { violations, cilium, warnings };
}

/**
 * Read leniently, an AdminNetworkPolicy or BaselineAdminNetworkPolicy whose `pods` lacks
 * `podSelector` or `namespaceSelector` (required by every v0.1.x CRD, apis/v1alpha1
 * shared_types.go NamespacedPod) has one meaning: the Go zero value of the value struct, the
 * empty selector, as Go code decoding the object reads it (netpol-analyzer's inputs rely on it).
 * Those violations are taken out of `errors`, the selector is set to `{}`, and they are returned.
 */
function takeZeroValueSelectors(kind: string, value: any, errors: Violation[]): Violation[] {
  if (kind !== 'AdminNetworkPolicy' && kind !== 'BaselineAdminNetworkPolicy') return [];
  const taken: Violation[] = [];
  for (let i = errors.length - 1; i >= 0; i--) {
    const v = errors[i];
    const field = v.path[v.path.length - 1];
    if (v.code !== 'required' || v.path[0] !== 'spec' || v.path[v.path.length - 2] !== 'pods' || (field !== 'podSelector' && field !== 'namespaceSelector')) continue;
    let pods = value;
    for (const k of v.path.slice(0, -1)) pods = pods?.[k];
    if (!pods || typeof pods !== 'object' || Array.isArray(pods)) continue;
    pods[field] = {};
    taken.unshift(v);
    errors.splice(i, 1);
  }
  return taken;
}

/** The API server's defaulting of the policy kinds (before validation, as the API server runs them). */
function defaultPolicy(kind: string, value: any): void {
  if (kind !== 'NetworkPolicy') return;
  if (!value.spec || typeof value.spec !== 'object') value.spec = {};
  if (!value.spec.podSelector) value.spec.podSelector = {};
  defaultNetworkPolicy(value);
}

/** Reads documents strictly; see the module comment. */
export function readDocuments(docs: readonly SourceDoc[], options: ReadOptions = {}): ReadResult {
  const config: CiliumAgentConfig = { ...CILIUM_AGENT_DEFAULTS, ...(options.ciliumAgent ?? {}) };
  const defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
  const diagnostics: Diagnostic[] = [];
  const skipped = new Map<string, number>();
  const rejected: ReadObject[] = [];
  const valid = new Map<string, ReadObject>();
  const order: string[] = [];

  for (const doc of docs) {
    const o = doc.object;
    const apiVersion: unknown = o.apiVersion;
    const kind: unknown = o.kind;
    const name = typeof o.metadata?.name === 'string' ? o.metadata.name : undefined;
    const info = typeof apiVersion === 'string' && typeof kind === 'string' ? kindInfo(apiVersion, kind) : undefined;
    if (!info) {
      // an empty apiVersion or kind is as missing as an absent one
      const v = kindViolation({ ...o, apiVersion: apiVersion === '' ? undefined : apiVersion, kind: kind === '' ? undefined : kind })
        ?? violation(['kind'], 'unknown-kind', kind, 'is not a kind this tool reads');
      const id = typeof kind === 'string' && kind ? objectId(kind, o.metadata?.namespace, name ?? '<unnamed>') : undefined;
      const group = typeof apiVersion === 'string' ? groupOf(apiVersion) : '';
      const other = OTHER_POLICY_GROUPS.find((g) => g.group === group || group.endsWith(`.${g.group}`));
      if (v.code === 'required' || v.code === 'type') {
        const twin = caseTwin(o, v.path[0] === 'kind' ? 'kind' : 'apiVersion');
        const hint = twin ? { ...v, message: `${v.message} ("${twin}" must be spelt "${v.path[0]}": field names are case-sensitive)` } : v;
        diagnostics.push(diag(doc, 'error', id ?? (name ? `object ${name}` : undefined), schemaViolation(hint), 'the API server rejects a manifest without them; it is not analysed'));
      } else if (other) {
        diagnostics.push(diag(doc, 'warning', id, violation(['apiVersion'], 'not-analysed', apiVersion, `is ${other.name}'s API, whose policies this tool does not analyse`,
          `the results ignore this ${String(kind)}; check it with ${other.name}'s own tools`)));
        skipped.set(String(kind), (skipped.get(String(kind)) ?? 0) + 1);
      } else if (/did you mean|case-sensitive|use apiVersion/.test(v.message)) {
        // a kind of ours in a version that does not serve it, or a misspelt kind: the API server rejects it
        diagnostics.push(diag(doc, 'error', id, schemaViolation(v), 'the API server rejects it; it is not analysed'));
      } else {
        skipped.set(String(kind), (skipped.get(String(kind)) ?? 0) + 1);
      }
      continue;
    }
    const kindName = info.kind;
    const namespace = info.namespaced ? (typeof o.metadata?.namespace === 'string' && o.metadata.namespace !== '' ? o.metadata.namespace : defaultNamespace) : undefined;
    const id = objectId(kindName, namespace, name ?? '<unnamed>');
    const schema = options.schema ?? generatedSchemaCheck;
    const checked = (kindName === 'NetworkPolicy' && readWithDecodedSpec(o, schema, options.decodedSpecs)) || schema(o);
    // the schema layer returns a decoded copy; without one, work on a copy too (defaulting writes)
    const value = checked ? checked.value : JSON.parse(JSON.stringify(o));
    const errors: Violation[] = [...(checked?.violations ?? [])];
    if (kindName === 'Route') errors.push(...routeChecks(value));
    if (kindName === 'VirtualMachine') errors.push(...virtualMachineChecks(value));
    const zeroValued = options.lenient && checked ? takeZeroValueSelectors(kindName, value, errors) : [];
    if (!errors.length) defaultPolicy(kindName, value);
    let cilium: Violation[] = [];
    let warnings: Violation[] = [];
    if (!errors.length) {
      const s = semantic(info, value, config);
      errors.push(...s.violations);
      cilium = s.cilium;
      warnings = s.warnings;
    }
    const policy = info.role === 'policy';
    const outsideSpec = (v: Violation) => v.path[0] !== 'spec' && v.path[0] !== 'specs';
    const lenient = errors.length > 0 && !cilium.length && !!options.lenient && (!policy || errors.every(outsideSpec));
    // read leniently, a workload is taken as written (its decoding may have failed); a policy keeps
    // its decoded, valid spec
    const taken = lenient && !policy ? JSON.parse(JSON.stringify(o)) : value;
    if (lenient && policy) defaultPolicy(kindName, taken);
    const obj: ReadObject = { info, kind: kindName, apiVersion: info.apiVersion, name: name ?? '', namespace, id, value: taken, raw: o, doc };
    if (lenient) {
      for (const v of errors) diagnostics.push(diag(doc, 'warning', id, v, `the API server rejects this ${kindName}; read anyway because of the lenient option`));
    } else if (errors.length || cilium.length) {
      for (const v of errors) diagnostics.push(diag(doc, 'error', id, v, `the API server rejects this ${kindName}; it is not analysed`));
      for (const v of cilium) diagnostics.push(diag(doc, 'error', id, v, 'Cilium rejects this policy and enforces none of it; it is not analysed'));
      rejected.push(obj);
      continue;
    }
    for (const v of zeroValued) {
      diagnostics.push(diag(doc, 'warning', id, v, `the API server rejects this ${kindName}; read anyway because of the lenient option, as the empty selector (every ${v.path[v.path.length - 1] === 'podSelector' ? 'pod' : 'namespace'}), which is how Go code decoding it (netpol-analyzer) reads an absent selector`));
    }
    // accepted by the API server, but not applied as written by implementations (see each warning)
    for (const v of warnings) diagnostics.push(diag(doc, 'warning', id, v));
    const key = `${kindName}\u0000${namespace ?? ''}\u0000${name}`;
    const earlier = valid.get(key);
    if (earlier) {
      diagnostics.push({
        file: doc.file,
        line: doc.line,
        column: doc.column,
        severity: 'warning',
        message: `${id} is defined twice: ${earlier.doc.file}:${earlier.doc.line} and here; this later one replaces the earlier (as kubectl apply does)`,
        object: id,
        code: 'duplicate-object',
      });
      order.splice(order.indexOf(key), 1);
    }
    valid.set(key, obj);
    order.push(key);
  }
  return { objects: order.map((k) => valid.get(k)!), rejected, skipped, diagnostics };
}

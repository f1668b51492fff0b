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
import { KindInfo, kindInfo, OTHER_POLICY_GROUPS, READ_KINDS, REMOVED_API_VERSIONS, TEMPLATED_WORKLOAD_KINDS } from './kinds';
import { defaultNetworkPolicy, validateNetworkPolicy, validateObjectMeta, validatePodSpecPorts } from './kubernetes/validation';
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
   * Read workloads, namespaces, nodes and services that the API server would reject anyway, as
   * written, with a warning instead of an error (netpol-analyzer reads them so). Policies are
   * always read strictly: an invalid policy has no meaning to analyse.
   * @default false
   */
  readonly lenientWorkloads?: boolean;
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

/** Checks of the kinds without an official schema here (OpenShift Route). */
function routeChecks(o: any): Violation[] {
  const out: Violation[] = [];
  const to = o?.spec?.to;
  if (!to || typeof to !== 'object' || typeof to.name !== 'string' || !to.name) {
    out.push(violation(['spec', 'to', 'name'], 'required', to?.name ?? null, 'is required', 'name the Service the Route sends traffic to'));
  }
  return out;
}

function semantic(info: KindInfo, value: any, config: CiliumAgentConfig): { violations: Violation[]; cilium: Violation[] } {
  const violations: Violation[] = [];
  const cilium: Violation[] = [];
  switch (info.kind) {
    case 'NetworkPolicy':
      violations.push(...validateNetworkPolicy(value));
      break;
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      cilium.push(...validateCiliumPolicy(value, config));
      break;
    case 'Pod':
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      if (value.spec) validatePodSpecPorts(value.spec, ['spec'], violations);
      break;
    default: {
      validateObjectMeta(value.metadata ?? {}, info.nameRule, info.namespaced, violations);
      if (TEMPLATED_WORKLOAD_KINDS.includes(info.kind)) {
        const cron = info.kind === 'CronJob';
        const template = cron ? value.spec?.jobTemplate?.spec?.template : value.spec?.template;
        const base: FieldPath = cron ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
        if (template?.spec) validatePodSpecPorts(template.spec, [...base, 'spec'], violations);
      }
    }
  }
  return { violations, cilium };
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
    const header: Violation[] = [];
    if (typeof o.apiVersion !== 'string' || o.apiVersion === '') {
      const twin = caseTwin(o, 'apiVersion');
      header.push(violation(['apiVersion'], 'required', o.apiVersion ?? null, 'is missing', twin ? `"${twin}" is spelt "apiVersion" (field names are case-sensitive)` : 'every manifest needs apiVersion and kind, e.g. apiVersion: networking.k8s.io/v1'));
    }
    if (typeof o.kind !== 'string' || o.kind === '') {
      const twin = caseTwin(o, 'kind');
      header.push(violation(['kind'], 'required', o.kind ?? null, 'is missing', twin ? `"${twin}" is spelt "kind" (field names are case-sensitive)` : 'every manifest needs apiVersion and kind, e.g. kind: NetworkPolicy'));
    }
    const name = typeof o.metadata?.name === 'string' ? o.metadata.name : undefined;
    if (header.length) {
      for (const v of header) diagnostics.push(diag(doc, 'error', name ? `object ${name}` : undefined, v, 'the API server rejects a manifest without them; it is not analysed'));
      continue;
    }
    const apiVersion: string = o.apiVersion;
    const kind: string = o.kind;
    const info = kindInfo(apiVersion, kind);
    if (!info) {
      const sameKind = READ_KINDS.filter((x) => x.kind === kind);
      const caseKind = READ_KINDS.find((x) => x.kind.toLowerCase() === kind.toLowerCase() && x.kind !== kind && x.apiVersion === apiVersion);
      const group = groupOf(apiVersion);
      const other = OTHER_POLICY_GROUPS.find((g) => g.group === group || group.endsWith(`.${g.group}`));
      const id = objectId(kind, o.metadata?.namespace, name ?? '<unnamed>');
      if (caseKind) {
        diagnostics.push(diag(doc, 'error', id, violation(['kind'], 'unknown-kind', kind, `is not a kind of ${apiVersion}`, `write "${caseKind.kind}" (kinds are case-sensitive)`), 'the API server rejects it; it is not analysed'));
      } else if (other) {
        diagnostics.push(diag(doc, 'warning', id, violation(['apiVersion'], 'not-analysed', apiVersion, `is ${other.name}'s API, whose policies this tool does not analyse`,
          `the results ignore this ${kind}; check it with ${other.name}'s own tools`)));
        skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
      } else if (sameKind.length) {
        const removed = REMOVED_API_VERSIONS[`${apiVersion}/${kind}`];
        diagnostics.push(diag(doc, 'error', id, violation(['apiVersion'], 'unknown-api-version', apiVersion, `does not serve ${kind}`,
          `use ${removed ?? sameKind.map((x) => x.apiVersion).join(' or ')}`), 'the API server rejects it; it is not analysed'));
      } else {
        skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
      }
      continue;
    }
    const namespace = info.namespaced ? (typeof o.metadata?.namespace === 'string' && o.metadata.namespace !== '' ? o.metadata.namespace : defaultNamespace) : undefined;
    const id = objectId(kind, namespace, name ?? '<unnamed>');
    const checked = options.schema?.(o);
    // the schema layer returns a decoded copy; without one, work on a copy too (defaulting writes)
    const value = checked ? checked.value : JSON.parse(JSON.stringify(o));
    const errors: Violation[] = [...(checked?.violations ?? [])];
    if (kind === 'Route') errors.push(...routeChecks(value));
    if (!errors.length && kind === 'NetworkPolicy') {
      if (!value.spec || typeof value.spec !== 'object') value.spec = {};
      if (!value.spec.podSelector) value.spec.podSelector = {};
      defaultNetworkPolicy(value);
    }
    let cilium: Violation[] = [];
    if (!errors.length) {
      const s = semantic(info, value, config);
      errors.push(...s.violations);
      cilium = s.cilium;
    }
    const lenient = errors.length > 0 && !cilium.length && !!options.lenientWorkloads && info.role !== 'policy';
    // read leniently, an object is taken as written (its decoding may have failed)
    const obj: ReadObject = { info, kind, apiVersion, name: name ?? '', namespace, id, value: lenient ? JSON.parse(JSON.stringify(o)) : value, raw: o, doc };
    if (lenient) {
      for (const v of errors) diagnostics.push(diag(doc, 'warning', id, v, `the API server rejects this ${kind}; read as written because of the lenient-workloads option`));
    } else if (errors.length || cilium.length) {
      for (const v of errors) diagnostics.push(diag(doc, 'error', id, v, `the API server rejects this ${kind}; it is not analysed`));
      for (const v of cilium) diagnostics.push(diag(doc, 'error', id, v, 'Cilium rejects this policy and enforces none of it; it is not analysed'));
      rejected.push(obj);
      continue;
    }
    const key = `${kind}\u0000${namespace ?? ''}\u0000${name}`;
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

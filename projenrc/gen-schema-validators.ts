// Generates src/wire/schema/tables.generated.ts from the official schemas in ../shared/schemas:
// one compact node table (see src/wire/schema/table.ts) the interpreter in src/wire/schema reads.
// Run by `npx projen gen:schemas`; conformance/schema-tables.test.ts regenerates in memory and
// fails when the committed file is stale. Upstream descriptions are dropped: the table carries
// structure and checks only.
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import {
  CelCheck, SchemaAlternatives, SchemaFormat, SchemaKind, SchemaNode, SchemaTable, UncheckedRule,
  TYPE_ARRAY, TYPE_BOOLEAN, TYPE_INTEGER, TYPE_NUMBER, TYPE_OBJECT, TYPE_STRING,
} from '../src/wire/schema/table';

export const OUTPUT = path.join('src', 'wire', 'schema', 'tables.generated.ts');

const K8S_DEFINITIONS = 'kubernetes-v1.33/_definitions.json';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Built-in kinds: apiVersion, kind, definition. */
const BUILTIN_KINDS: readonly [string, string, string][] = [
  ['networking.k8s.io/v1', 'NetworkPolicy', 'io.k8s.api.networking.v1.NetworkPolicy'],
  ['v1', 'Namespace', 'io.k8s.api.core.v1.Namespace'],
  ['v1', 'Pod', 'io.k8s.api.core.v1.Pod'],
  ['v1', 'Service', 'io.k8s.api.core.v1.Service'],
  ['v1', 'Node', 'io.k8s.api.core.v1.Node'],
  ['v1', 'ReplicationController', 'io.k8s.api.core.v1.ReplicationController'],
  ['apps/v1', 'Deployment', 'io.k8s.api.apps.v1.Deployment'],
  ['apps/v1', 'ReplicaSet', 'io.k8s.api.apps.v1.ReplicaSet'],
  ['apps/v1', 'StatefulSet', 'io.k8s.api.apps.v1.StatefulSet'],
  ['apps/v1', 'DaemonSet', 'io.k8s.api.apps.v1.DaemonSet'],
  ['batch/v1', 'Job', 'io.k8s.api.batch.v1.Job'],
  ['batch/v1', 'CronJob', 'io.k8s.api.batch.v1.CronJob'],
  ['networking.k8s.io/v1', 'Ingress', 'io.k8s.api.networking.v1.Ingress'],
];

/**
 * Custom resources: apiVersion, kind, schema file, whether the CRD has a status subresource.
 * The Cilium files are bare openAPIV3Schema documents; the CRDs upstream declare
 * `subresources: status: {}` for CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy and none for
 * CiliumCIDRGroup (cilium/cilium pkg/k8s/apis/cilium.io/client/crds/, v2 and v2alpha1).
 */
const CRD_KINDS: readonly { apiVersion: string; kind: string; file: string; statusSubresource?: boolean; committed?: true }[] = [
  { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', file: 'cilium-v1.18/ciliumnetworkpolicy_v2.json', statusSubresource: true },
  { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', file: 'cilium-v1.18/ciliumclusterwidenetworkpolicy_v2.json', statusSubresource: true },
  { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', file: 'cilium-v1.18/ciliumcidrgroup_v2alpha1.json', statusSubresource: false },
  // A real CRD: its subresources are read from the file.
  { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', file: 'network-policy-api-v1alpha2/policy.networking.k8s.io_clusternetworkpolicies.yaml' },
  // No schema of these in ../shared: the experimental-channel CRDs of network-policy-api v0.1.8,
  // committed under projenrc/crds (see its README). The experimental channel is the standard one
  // plus egress `nodes`/`domainNames` and `namedPort`; the reader warns where a manifest needs it.
  { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', file: 'policy.networking.k8s.io_adminnetworkpolicies.experimental.yaml', committed: true },
  { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', file: 'policy.networking.k8s.io_baselineadminnetworkpolicies.experimental.yaml', committed: true },
];

/** The CRDs committed with the project (CRD_KINDS entries with `committed`). */
export const COMMITTED_CRDS_DIR = path.join('projenrc', 'crds');

/**
 * Built-in types are decoded into Go structs, so the API server enforces no OpenAPI `required` and no
 * enum at decode time: absent fields get the Go zero value, which the type's validation then judges.
 * These are the Go validation rules the schema layer owns (create), for the NetworkPolicy family,
 * label selectors and owner references: each rejects every value outside the list, or the zero
 * value of an absent field.
 */
const GO_VALIDATION: readonly { def: string; field?: string; items?: boolean; add: Partial<Record<'enum' | 'maxItems' | 'r', unknown>> }[] = [
  // kubernetes pkg/apis/networking/validation/validation.go ValidateNetworkPolicyPort: protocol TCP, UDP or SCTP
  { def: 'io.k8s.api.networking.v1.NetworkPolicyPort', field: 'protocol', add: { enum: ['TCP', 'UDP', 'SCTP'] } },
  // ValidateNetworkPolicySpec: "may not specify more than two policyTypes", each Ingress or Egress
  { def: 'io.k8s.api.networking.v1.NetworkPolicySpec', field: 'policyTypes', add: { maxItems: 2 } },
  { def: 'io.k8s.api.networking.v1.NetworkPolicySpec', field: 'policyTypes', items: true, add: { enum: ['Ingress', 'Egress'] } },
  // ValidateIPBlock: cidr Required
  { def: 'io.k8s.api.networking.v1.IPBlock', add: { r: ['cidr'] } },
  // apimachinery pkg/apis/meta/v1/validation ValidateLabelSelectorRequirement: a known operator, a qualified-name key
  { def: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement', add: { r: ['key', 'operator'] } },
  { def: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement', field: 'operator', add: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] } },
  // apimachinery pkg/api/validation/objectmeta.go validateOwnerReference: version, kind, name and uid must not be empty
  { def: 'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference', add: { r: ['apiVersion', 'kind', 'name', 'uid'] } },
];

/**
 * Struct-valued fields of the built-in types, by their Go type in k8s.io/api v0.33: a value struct
 * decodes `null` (and absence) to its zero value, which the encoder always writes (`{}` here); a
 * pointer decodes it to nil. Every required struct field reached must be listed in one of the two;
 * of the optional value structs, NetworkPolicy.spec is listed because its zero value means
 * something: a policy selecting every pod of its namespace and allowing no ingress.
 */
const GO_VALUE_STRUCT_FIELDS = new Set([
  'io.k8s.api.networking.v1.NetworkPolicy.spec',
  'io.k8s.api.networking.v1.NetworkPolicySpec.podSelector',
  'io.k8s.api.networking.v1.HTTPIngressPath.backend',
  'io.k8s.api.apps.v1.DeploymentSpec.template',
  'io.k8s.api.apps.v1.StatefulSetSpec.template',
  'io.k8s.api.apps.v1.DaemonSetSpec.template',
  'io.k8s.api.batch.v1.JobSpec.template',
  'io.k8s.api.batch.v1.CronJobSpec.jobTemplate',
  'io.k8s.api.core.v1.PersistentVolumeClaimTemplate.spec',
  'io.k8s.api.core.v1.PreferredSchedulingTerm.preference',
  'io.k8s.api.core.v1.WeightedPodAffinityTerm.podAffinityTerm',
]);
const GO_POINTER_FIELDS = new Set([
  'io.k8s.api.apps.v1.DeploymentSpec.selector',
  'io.k8s.api.apps.v1.ReplicaSetSpec.selector',
  'io.k8s.api.apps.v1.StatefulSetSpec.selector',
  'io.k8s.api.apps.v1.DaemonSetSpec.selector',
  'io.k8s.api.core.v1.ScaleIOVolumeSource.secretRef',
]);

/**
 * String formats the API server validates in CRD schemas at Kubernetes 1.33
 * (apiextensions-apiserver pkg/apiserver/validation/formats.go supportedVersionedFormats; names are
 * compared with dashes removed). Others (e.g. Cilium's `idn-hostname`) are stripped, i.e. not checked.
 */
const CRD_VALIDATED_FORMATS = new Set(['bsonobjectid', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uuid3', 'uuid4',
  'uuid5', 'isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn', 'hexcolor', 'rgbcolor', 'byte', 'password', 'date', 'duration', 'datetime']);
/** Of those, the ones the interpreter implements (the generator fails on any other, so none is skipped silently). */
const CRD_IMPLEMENTED_FORMATS: { [normalised: string]: SchemaFormat | undefined } = { cidr: 'cidr', ipv4: 'ipv4', ipv6: 'ipv6', datetime: 'date-time', password: undefined };

const TYPE_BITS: { [t: string]: number } = {
  object: TYPE_OBJECT, array: TYPE_ARRAY, string: TYPE_STRING, integer: TYPE_INTEGER, number: TYPE_NUMBER, boolean: TYPE_BOOLEAN,
};

type MutableNode = { -readonly [K in keyof SchemaNode]: SchemaNode[K] };

/** Builds the node table, storing each distinct node once. */
class NodeTable {
  readonly nodes: SchemaNode[] = [];
  private readonly index = new Map<string, number>();

  add(node: MutableNode): number {
    const key = canonical(node);
    const found = this.index.get(key);
    if (found !== undefined) return found;
    this.nodes.push(node);
    this.index.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }
}

/** JSON with sorted keys, so equal nodes have equal keys and the output is stable. */
function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as any)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function fail(where: string, message: string): never {
  throw new Error(`gen-schema-validators: ${where}: ${message}`);
}

function shortName(def: string): string {
  return def.slice(def.lastIndexOf('.') + 1);
}

/** Built-in definitions (Go structs). */
class GoSchemas {
  private readonly byDef = new Map<string, number>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly table: NodeTable, private readonly defs: { [name: string]: any }) {}

  def(name: string): number {
    const done = this.byDef.get(name);
    if (done !== undefined) return done;
    if (this.inProgress.has(name)) fail(name, 'recursive definition; the table format has no forward references');
    const schema = this.defs[name];
    if (!schema) fail(name, 'definition not found');
    this.inProgress.add(name);
    const index = this.table.add(this.defNode(name, schema));
    this.inProgress.delete(name);
    this.byDef.set(name, index);
    return index;
  }

  private defNode(name: string, schema: any): MutableNode {
    switch (name) {
      // Types with their own JSON decoding (UnmarshalJSON) in apimachinery.
      case 'io.k8s.apimachinery.pkg.util.intstr.IntOrString':
        return { go: 1, name: 'IntOrString', t: TYPE_STRING | TYPE_INTEGER, f: 'int-or-string' };
      case 'io.k8s.apimachinery.pkg.api.resource.Quantity':
        return { go: 1, name: 'Quantity', t: TYPE_STRING | TYPE_NUMBER, f: 'quantity' };
      case 'io.k8s.apimachinery.pkg.apis.meta.v1.Time':
        return { go: 1, name: 'Time', t: TYPE_STRING, f: 'date-time' };
      case 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1':
        // Raw JSON kept as bytes: any object.
        return { go: 1, name: 'FieldsV1', t: TYPE_OBJECT, u: 1 };
    }
    if (schema.type !== 'object' || !schema.properties) fail(name, `unexpected definition shape ${JSON.stringify(Object.keys(schema))}`);
    return this.struct(name, schema);
  }

  private struct(def: string, schema: any): MutableNode {
    const p: { [field: string]: number } = {};
    const z: string[] = [];
    const overlays = GO_VALIDATION.filter(o => o.def === def);
    for (const field of Object.keys(schema.properties).sort()) {
      const prop = schema.properties[field];
      const fieldOverlays = overlays.filter(o => o.field === field);
      p[field] = this.property(`${def}.${field}`, prop, fieldOverlays);
      const key = `${def}.${field}`;
      if (GO_VALUE_STRUCT_FIELDS.has(key)) {
        z.push(field);
      } else if ((schema.required ?? []).includes(field) && prop.$ref) {
        const target = this.defs[refName(prop.$ref)];
        if (target?.type === 'object' && target.properties && !GO_POINTER_FIELDS.has(key)) {
          fail(key, 'required struct field: add it to GO_VALUE_STRUCT_FIELDS or GO_POINTER_FIELDS from its Go type');
        }
      }
    }
    const required = overlays.flatMap(o => (o.add.r as string[] | undefined) ?? []);
    for (const r of required) if (p[r] === undefined) fail(def, `overlay requires unknown field ${r}`);
    return { go: 1, name: shortName(def), t: TYPE_OBJECT, p, r: required.length ? required : undefined, z: z.length ? z : undefined };
  }

  private property(where: string, schema: any, overlays: readonly (typeof GO_VALIDATION)[number][]): number {
    const own = overlays.filter(o => !o.items);
    const items = overlays.filter(o => o.items);
    if (schema.$ref) {
      if (overlays.length) fail(where, 'overlay on a referenced definition');
      return this.def(refName(schema.$ref));
    }
    const known = new Set(['description', 'type', 'format', 'items', 'additionalProperties', 'enum',
      'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key', 'x-kubernetes-map-type']);
    for (const k of Object.keys(schema)) if (!known.has(k)) fail(where, `unexpected keyword ${k}`);
    const node: MutableNode = { go: 1 };
    const t = TYPE_BITS[schema.type];
    if (!t) fail(where, `unexpected type ${schema.type}`);
    node.t = t;
    if (schema.format === 'int32' || schema.format === 'int64') node.f = schema.format;
    else if (schema.format !== undefined) fail(where, `unexpected format ${schema.format}`);
    // The cdk8s copy of the definitions adds `kind` enums; upstream has none and the kind selects the schema anyway.
    if (schema.type === 'array') {
      node.i = this.property(`${where}[]`, schema.items, items.map(o => ({ ...o, items: false })));
    } else if (schema.type === 'object') {
      if (schema.additionalProperties) node.a = this.property(`${where}{}`, schema.additionalProperties, []);
      else node.u = 1;
    }
    for (const o of own) Object.assign(node, o.add);
    return this.table.add(node);
  }
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

const CRD_KNOWN_KEYWORDS = new Set(['description', 'type', 'properties', 'additionalProperties', 'items', 'required', 'enum', 'format',
  'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'nullable', 'default', 'oneOf', 'anyOf', 'allOf', 'not', 'example', 'title',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type', 'x-kubernetes-validations']);

/** Custom-resource schemas (structural schemas, apiextensions-apiserver semantics). */
class CrdSchemas {
  constructor(
    private readonly table: NodeTable,
    private readonly go: GoSchemas,
    private readonly kind: { apiVersion: string; kind: string },
    private readonly unchecked: UncheckedRule[],
  ) {}

  root(schema: any): number {
    if (!schema.properties) fail(this.kind.kind, 'schema has no properties');
    // metadata is decoded into metav1.ObjectMeta, strictly, whatever the schema says
    // (apiextensions-apiserver pkg/apiserver/schema/objectmeta GetObjectMetaWithOptions).
    return this.node('', schema, { metadata: this.go.def(OBJECT_META) });
  }

  node(where: string, schema: any, fieldOverrides: { [field: string]: number } = {}): number {
    for (const k of Object.keys(schema)) {
      if (!CRD_KNOWN_KEYWORDS.has(k)) fail(`${this.kind.kind} ${where}`, `unsupported keyword ${k}`);
    }
    const node: MutableNode = {};
    const intOrString = schema['x-kubernetes-int-or-string'] === true;
    if (intOrString) node.t = TYPE_INTEGER | TYPE_STRING;
    else if (schema.type) node.t = TYPE_BITS[schema.type] ?? fail(where, `unexpected type ${schema.type}`);
    if (schema.properties) {
      const p: { [field: string]: number } = {};
      for (const field of Object.keys(schema.properties).sort()) {
        p[field] = fieldOverrides[field] ?? this.node(`${where}.${field}`.replace(/^\./, ''), schema.properties[field]);
      }
      node.p = p;
    }
    const ap = schema.additionalProperties;
    if (ap && typeof ap === 'object') node.a = this.node(`${where}{}`, ap);
    else if (ap === true) node.u = 1;
    // `additionalProperties: false` (added to every object by the Cilium schemas' JSON-schema
    // conversion) closes the object, as structural pruning does anyway.
    if (schema['x-kubernetes-preserve-unknown-fields'] === true) node.u = 1;
    if (schema.items) node.i = this.node(`${where}[]`, schema.items);
    if (schema.required?.length) node.r = [...schema.required];
    if (schema.enum) node.enum = [...schema.enum];
    if (schema.format !== undefined) {
      const normalised = String(schema.format).replace(/-/g, '');
      const type = intOrString ? 'int-or-string' : (schema.type ?? '');
      // formats.go StripUnsupportedFormatsPostProcessorForVersion: string formats only; int32/int64 and
      // float/double are type hints (kube-openapi checks no range); everything else is stripped.
      if ((type === 'string' || type === '') && CRD_VALIDATED_FORMATS.has(normalised)) {
        if (!(normalised in CRD_IMPLEMENTED_FORMATS)) fail(`${this.kind.kind} ${where}`, `format ${schema.format} is validated by the API server but not implemented`);
        const f = CRD_IMPLEMENTED_FORMATS[normalised];
        if (f) node.f = f;
      }
    }
    if (schema.pattern !== undefined) node.re = schema.pattern;
    for (const k of ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'multipleOf'] as const) {
      if (schema[k] !== undefined) (node as any)[k] = schema[k];
    }
    if (schema.exclusiveMinimum === true) node.exclusiveMinimum = 1;
    if (schema.exclusiveMaximum === true) node.exclusiveMaximum = 1;
    if (schema.nullable === true) node.nullable = 1;
    if (schema.default !== undefined) node.d = schema.default;
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set' || listType === 'map') node.listType = listType;
    if (schema['x-kubernetes-list-map-keys']) node.listMapKeys = [...schema['x-kubernetes-list-map-keys']];
    // An int-or-string node's anyOf [integer, string] says what the type bits already say.
    const anyOf = intOrString && isIntOrStringAnyOf(schema.anyOf) ? undefined : schema.anyOf;
    if (schema.oneOf) node.oneOf = this.alternatives(`${where}(oneOf)`, schema.oneOf);
    if (anyOf) node.anyOf = this.alternatives(`${where}(anyOf)`, anyOf);
    if (schema.allOf) node.allOf = schema.allOf.map((s: any, i: number) => this.node(`${where}(allOf ${i})`, s));
    if (schema.not) node.not = this.node(`${where}(not)`, schema.not);
    const rules = schema['x-kubernetes-validations'];
    if (rules) {
      const cel: CelCheck[] = [];
      for (const r of rules) {
        const check = celCheck(r.rule);
        if (check) cel.push(check);
        else this.unchecked.push({ apiVersion: this.kind.apiVersion, kind: this.kind.kind, path: where, rule: r.rule });
      }
      if (cel.length) node.cel = cel;
    }
    return this.table.add(node);
  }

  private alternatives(where: string, branches: any[]): SchemaAlternatives {
    const fields = branches.map(presenceField);
    return {
      branches: branches.map((b, i) => this.node(`${where} ${i}`, b)),
      fields: fields.every((f): f is string => f !== undefined) ? fields : undefined,
    };
  }
}

/** The field a branch `{properties: {f: {}}, required: [f]}` requires, or undefined for other branches. */
function presenceField(branch: any): string | undefined {
  const keys = Object.keys(branch).filter(k => k !== 'description');
  if (!branch.required || branch.required.length !== 1) return undefined;
  const f = branch.required[0];
  if (!keys.every(k => k === 'required' || k === 'properties')) return undefined;
  const props = branch.properties ?? {};
  const propKeys = Object.keys(props);
  if (propKeys.some(k => k !== f) || (props[f] && Object.keys(props[f]).some(k => k !== 'description'))) return undefined;
  return f;
}

function isIntOrStringAnyOf(anyOf: any): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const types = anyOf.map(b => (Object.keys(b).length === 1 ? b.type : undefined)).sort();
  return types[0] === 'integer' && types[1] === 'string';
}

/** The CEL rules the interpreter implements, recognised by their exact text. */
function celCheck(rule: string): CelCheck | undefined {
  const lt = /^self\.([A-Za-z_][A-Za-z0-9_]*) < self\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(rule.trim());
  if (lt) return { op: 'lt', a: lt[1], b: lt[2], rule };
  if (rule.trim() === 'isCIDR(self)') return { op: 'isCIDR', rule };
  return undefined;
}

/** Builds the table from the schemas under `schemasDir` (../shared/schemas). */
export function buildSchemaTable(schemasDir: string): SchemaTable {
  const table = new NodeTable();
  const defs = JSON.parse(fs.readFileSync(path.join(schemasDir, K8S_DEFINITIONS), 'utf8')).definitions;
  const go = new GoSchemas(table, defs);
  const kinds: SchemaKind[] = [];
  for (const [apiVersion, kind, def] of BUILTIN_KINDS) {
    const gvk = defs[def]?.['x-kubernetes-group-version-kind']?.[0];
    const expected = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`;
    if (!gvk || `${gvk.group}/${gvk.version}` !== expected || gvk.kind !== kind) fail(def, `is not ${apiVersion} ${kind}`);
    kinds.push({ apiVersion, kind, root: go.def(def), mode: 'go' });
  }
  const unchecked: UncheckedRule[] = [];
  for (const k of CRD_KINDS) {
    const file = k.committed ? path.join(COMMITTED_CRDS_DIR, k.file) : path.join(schemasDir, k.file);
    let schema: any;
    let statusSubresource = k.statusSubresource;
    if (file.endsWith('.yaml')) {
      const crd = parseYaml(fs.readFileSync(file, 'utf8'));
      const [group, version] = k.apiVersion.split('/');
      if (crd?.spec?.group !== group || crd.spec.names?.kind !== k.kind) fail(k.file, `is not the CRD of ${k.apiVersion} ${k.kind}`);
      const v = (crd.spec.versions ?? []).find((x: any) => x.name === version && x.served);
      if (!v) fail(k.file, `serves no version ${version}`);
      schema = v.schema?.openAPIV3Schema;
      statusSubresource = !!v.subresources?.status;
    } else {
      schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    }
    const crd = new CrdSchemas(table, go, k, unchecked);
    kinds.push({ apiVersion: k.apiVersion, kind: k.kind, root: crd.root(schema), mode: 'crd', statusSubresource: statusSubresource || undefined });
  }
  kinds.sort((a, b) => (a.apiVersion + ' ' + a.kind).localeCompare(b.apiVersion + ' ' + b.kind));
  return {
    sources: ['kubernetes-v1.33', 'cilium-v1.18', 'network-policy-api-v1alpha2', 'network-policy-api-v0.1.8-experimental'],
    nodes: table.nodes,
    kinds,
    uncheckedRules: unchecked,
  };
}

/** The text of src/wire/schema/tables.generated.ts. */
export function generateSchemaModule(schemasDir: string): string {
  const table = sortKeys(buildSchemaTable(schemasDir)) as SchemaTable;
  // JSON text parses faster than the same object literal; one node a line keeps diffs readable.
  const lines = [
    `{"sources":${JSON.stringify(table.sources)},`,
    `"uncheckedRules":${JSON.stringify(table.uncheckedRules)},`,
    '"kinds":[',
    table.kinds.map(k => JSON.stringify(k)).join(',\n'),
    '],"nodes":[',
    table.nodes.map(n => JSON.stringify(n)).join(',\n'),
    ']}',
  ];
  const literal = lines.join('\n').replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return [
    '// Generated by projenrc/gen-schema-validators.ts from ../shared/schemas; do not edit.',
    '// Regenerate with `npx projen gen:schemas`.',
    "import type { SchemaTable } from './table';",
    '',
    `export const SCHEMA_TABLE: SchemaTable = JSON.parse(\`${literal}\`);`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const schemasDir = path.resolve(process.argv[2] ?? path.join('..', 'shared', 'schemas'));
  const text = generateSchemaModule(schemasDir);
  fs.writeFileSync(OUTPUT, text);
  const table = buildSchemaTable(schemasDir);
  process.stdout.write(`${OUTPUT}: ${table.nodes.length} nodes, ${table.kinds.length} kinds, ${Buffer.byteLength(text)} bytes; ` +
    `${table.uncheckedRules.length} CEL rules not checked\n`);
}

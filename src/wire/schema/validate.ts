/**
 * The interpreter of the schema table: decides about a manifest as the API server does on create
 * with strict field validation, and returns the object as the server reads it.
 *
 * Built-in kinds are decoded into Go structs (k8s.io/apimachinery runtime/serializer/json with
 * sigs.k8s.io/json, case-sensitive, unknown fields reported):
 * - `null` into a pointer, slice or map leaves it nil, into a struct or a scalar it does nothing
 *   (sigs.k8s.io/json internal/golang/encoding/json/decode.go literalStore): either way the field
 *   reads as absent, except that a required value struct (NetworkPolicySpec.podSelector) is its
 *   zero value, `{}`;
 * - a `null` list item or map value becomes the zero value of the item type (`{}`, `""`, `0`);
 * - integers must fit the Go width (int32/int64), IntOrString is a string or an int32
 *   (intstr.IntOrString.UnmarshalJSON), Quantity must parse (resource.ParseQuantity), Time must be
 *   RFC 3339 (metav1.Time.UnmarshalJSON).
 *
 * Custom resources are unstructured (apiextensions-apiserver pkg/apiserver/customresource_handler.go
 * unstructuredSchemaCoercer.apply, then the codec's defaulter, then the strategy's Validate):
 * 1. metadata is decoded into metav1.ObjectMeta like a built-in type;
 * 2. unknown fields are pruned and reported (schema/pruning PruneWithOptions; apiVersion, kind and
 *    metadata at the root are exempt);
 * 3. `null` fields that are neither nullable nor defaulted are removed
 *    (schema/defaulting PruneNonNullableNullsWithoutDefaults) — null list items are not;
 * 4. defaults are applied to absent fields, and to null fields and null list items that are not
 *    nullable (schema/defaulting Default);
 * 5. the object is validated (kube-openapi validate: types, enums, patterns with Go regexp
 *    MatchString, formats, bounds, oneOf/anyOf), list-type set/map uniqueness
 *    (schema/listtype ValidateListSetsAndMaps), then x-kubernetes-validations unless an error
 *    blocks them (registry/customresource strategy.go hasBlockingErr);
 * 6. with a status subresource, `status` is dropped on create (strategy.go PrepareForCreate).
 */
import {
  INT32_MAX, INT32_MIN, INT64_LIMIT, isCelCIDR, isGoRFC3339, isOpenAPIDateTime, isQuantity, isSloppyCIDR, isSloppyIP, isSloppyIPv4,
} from './formats';
import { closest } from './suggest';
import {
  CelCheck, SchemaAlternatives, SchemaKind, SchemaNode, SchemaTable,
  TYPE_ARRAY, TYPE_BOOLEAN, TYPE_INTEGER, TYPE_NUMBER, TYPE_OBJECT, TYPE_STRING,
} from './table';

/** What kind of problem a violation is. */
export type SchemaViolationCode =
  | 'unknown-field'
  | 'type'
  | 'enum'
  | 'required'
  | 'pattern'
  | 'format'
  | 'range'
  | 'length'
  | 'items'
  | 'properties'
  | 'one-of'
  | 'any-of'
  | 'all-of'
  | 'not'
  | 'duplicate'
  | 'rule'
  | 'unknown-kind';

export interface SchemaViolation {
  /** Field path, e.g. `['spec', 'ingress', 0, 'from']` (format it with formatFieldPath). */
  readonly path: readonly (string | number)[];
  readonly code: SchemaViolationCode;
  /** What is wrong, naming the value and the fix (not the path). */
  readonly message: string;
}

export interface SchemaResult {
  /**
   * The object as the API server reads it: nulls resolved, unknown and ill-typed fields left out,
   * custom-resource defaults applied, a subresource `status` dropped.
   */
  readonly value: any;
  readonly violations: SchemaViolation[];
}

/** A value that is left out of the result (ill-typed, or pruned). */
const DROP = Symbol('drop');
type Out = unknown | typeof DROP;

const MAX_LISTED_FIELDS = 12;

function isPlainObject(v: unknown): v is { [k: string]: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** out[k] = v, also for a key named `__proto__` (a JSON key like any other). */
function put(out: { [k: string]: unknown }, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/** The type bits of a JSON value (integers also count as numbers). */
function typeBits(v: unknown): number {
  switch (typeof v) {
    case 'string': return TYPE_STRING;
    case 'boolean': return TYPE_BOOLEAN;
    case 'number':
      if (!Number.isFinite(v)) return 0;
      return Number.isInteger(v) ? TYPE_INTEGER | TYPE_NUMBER : TYPE_NUMBER;
    case 'object':
      if (Array.isArray(v)) return TYPE_ARRAY;
      return isPlainObject(v) ? TYPE_OBJECT : 0;
    default: return 0;
  }
}

/** How to write a value of type `t` instead of `v`. */
function typeFix(t: number, v: unknown): string {
  // YAML reads `1.0`, `true` or `yes`-like words unquoted as numbers and booleans.
  if (t === TYPE_STRING && (typeof v === 'number' || typeof v === 'boolean')) return `quote it ("${v}")`;
  if (t === TYPE_BOOLEAN && (v === 'true' || v === 'false')) return `write ${v} without quotes`;
  if ((t & (TYPE_INTEGER | TYPE_NUMBER)) && typeof v === 'string' && /^-?\d+$/.test(v) && !(t & TYPE_STRING)) return `write ${v} without quotes`;
  if (t === TYPE_ARRAY && v !== null && typeof v !== 'object') return `write it as a list, e.g. [${JSON.stringify(v)}]`;
  if (t === TYPE_ARRAY) return 'write it as a list ("- item" lines or [a, b])';
  if (t === TYPE_OBJECT) return 'write it as a mapping of fields (key: value lines, or {key: value}); check the indentation';
  return `write ${typeNames(t)} here`;
}

function typeNames(t: number): string {
  const names: string[] = [];
  if (t & TYPE_OBJECT) names.push('an object (a mapping of fields)');
  if (t & TYPE_ARRAY) names.push('a list');
  if (t & TYPE_STRING) names.push('a string');
  if (t & TYPE_INTEGER) names.push('an integer');
  if (t & TYPE_NUMBER) names.push('a number');
  if (t & TYPE_BOOLEAN) names.push('true or false');
  return names.join(' or ');
}

const SHOWN_LENGTH = 60;

/** A value as a message shows it: JSON, shortened. */
export function showValue(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH - 1)}…` : text;
}

/** "the string \"80\"", "the object {…}", "null". */
function describe(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return `the string ${showValue(v)}`;
    case 'number': return Number.isFinite(v) ? `the number ${v}` : `${v} (not a JSON number)`;
    case 'boolean': return `${v}`;
    case 'undefined': return 'undefined';
    case 'object':
      if (Array.isArray(v)) return `the list ${showValue(v)}`;
      return isPlainObject(v) ? `the object ${showValue(v)}` : `a ${(v as object).constructor?.name ?? 'non-JSON'} value`;
    default: return `a ${typeof v}`;
  }
}

function quoteList(values: readonly unknown[]): string {
  return values.map(v => JSON.stringify(v)).join(', ');
}

/** Code points, as Go's utf8.RuneCountInString counts them for maxLength/minLength. */
function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

interface GoRegExp { matcher(input: string): { find(): boolean } }
let re2: { compile(pattern: string): GoRegExp } | undefined;
/** A compiled pattern and the verdicts on the values it has seen (manifests repeat ports, CIDRs, names). */
interface CompiledPattern { readonly re: GoRegExp; readonly seen: Map<string, boolean> }
const patterns = new Map<string, CompiledPattern>();
/** Values remembered per pattern; the memo starts again past it, so memory stays bounded. */
const PATTERN_MEMO_SIZE = 4096;

/** Go regexp.MatchString: RE2 syntax, matched anywhere unless the pattern anchors itself. */
function matchesPattern(pattern: string, s: string): boolean {
  let p = patterns.get(pattern);
  if (!p) {
    // Loaded on first use: most kinds have no pattern, and the CLI should start fast. re2js ships
    // ESM types with a CommonJS build, which node16 resolution will not import typed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    re2 ??= (require('re2js') as { RE2JS: { compile(pattern: string): GoRegExp } }).RE2JS;
    p = { re: re2.compile(pattern), seen: new Map() };
    patterns.set(pattern, p);
  }
  let m = p.seen.get(s);
  if (m === undefined) {
    m = p.re.matcher(s).find();
    if (p.seen.size >= PATTERN_MEMO_SIZE) p.seen.clear();
    p.seen.set(s, m);
  }
  return m;
}

/** Deep copy of a JSON value (schema defaults are shared by every object they default). */
function cloneJson<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** Go json.Marshal of a decoded JSON value: object keys sorted, as listtype compares compound items. */
function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${goJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** The fields of a node without any (no prototype, so `constructor` is no field either). */
const NO_FIELDS: { readonly [field: string]: number } = Object.freeze(Object.create(null));

const DEFAULTED = new WeakMap<SchemaNode, readonly string[]>();

interface PendingCel {
  readonly path: (string | number)[];
  readonly checks: readonly CelCheck[];
  readonly value: unknown;
}

/** One validation: the violations of one object. */
class Walk {
  readonly violations: SchemaViolation[] = [];
  private readonly path: (string | number)[] = [];
  /** An error that stops the API server from running x-kubernetes-validations was found. */
  private blocking = false;
  private readonly cel: PendingCel[] = [];

  /**
   * @param branch evaluating a oneOf/anyOf/allOf/not branch: only value checks, so fields the
   * branch does not name are fine and nothing is defaulted.
   */
  constructor(private readonly nodes: readonly SchemaNode[], private readonly branch = false) {}

  private report(code: SchemaViolationCode, message: string, blocking = false, field?: string | number): void {
    const path = field === undefined ? this.path.slice() : [...this.path, field];
    this.violations.push({ path, code, message });
    if (blocking) this.blocking = true;
  }

  private typeError(node: SchemaNode, v: unknown): typeof DROP {
    const t = node.t ?? 0;
    this.report('type', `must be ${typeNames(t)}, not ${describe(v)}: ${typeFix(t, v)}`, true);
    return DROP;
  }

  private unknownField(field: string, node: SchemaNode): void {
    const fields = Object.keys(node.p ?? {});
    const guess = closest(field, fields);
    const where = node.name ? `${node.name} fields` : 'fields here';
    const message = guess !== undefined
      ? `unknown field ${JSON.stringify(field)}: did you mean ${JSON.stringify(guess)}?`
      : fields.length === 0
        ? `unknown field ${JSON.stringify(field)}: no fields are allowed here; remove it`
        : fields.length <= MAX_LISTED_FIELDS
          ? `unknown field ${JSON.stringify(field)}: remove it (${where}: ${fields.join(', ')})`
          : `unknown field ${JSON.stringify(field)}: remove it or correct its spelling`;
    this.report('unknown-field', message, false, field);
  }

  private checkEnum(node: SchemaNode, v: unknown): void {
    if (!node.enum || node.enum.some(e => e === v)) return;
    const guess = typeof v === 'string' ? closest(v, node.enum.filter((e): e is string => typeof e === 'string')) : undefined;
    const hint = guess !== undefined ? ` (did you mean ${JSON.stringify(guess)}?)` : '';
    this.report('enum', `unsupported value ${showValue(v)}: use one of ${quoteList(node.enum)}${hint}`, true);
  }

  private checkItemCount(node: SchemaNode, length: number): void {
    if (node.maxItems !== undefined && length > node.maxItems) {
      this.report('items', `has ${length} items: at most ${node.maxItems} allowed`, true);
    }
    if (node.minItems !== undefined && length < node.minItems) {
      this.report('items', length === 0 ? `is empty: at least ${node.minItems} item${node.minItems === 1 ? '' : 's'} required`
        : `has ${length} items: at least ${node.minItems} required`);
    }
  }

  // ---------------------------------------------------------------- built-in types (Go structs)

  go(v: unknown, node: SchemaNode): Out {
    if (node.p) return this.goStruct(v, node);
    const t = node.t ?? 0;
    if (node.a !== undefined) {
      if (!isPlainObject(v)) return this.typeError(node, v);
      const child = this.nodes[node.a];
      const out: { [k: string]: unknown } = {};
      // for-in over own keys (Object.keys order), without the array Object.keys makes per object
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const item = v[k];
        if (item === undefined) continue;
        this.path.push(k);
        const r = item === null ? this.goZero(child) : this.go(item, child);
        this.path.pop();
        if (r !== DROP) put(out, k, r);
      }
      return out;
    }
    if (node.i !== undefined) {
      if (!Array.isArray(v)) return this.typeError(node, v);
      const child = this.nodes[node.i];
      // sized up front: a list grown by push keeps spare capacity, which adds up over thousands of objects
      const out: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        this.path.push(i);
        const r = v[i] === null || v[i] === undefined ? this.goZero(child) : this.go(v[i], child);
        this.path.pop();
        // Out-of-order indexes would misname later items, so an ill-typed item stays as null.
        out[i] = r === DROP ? null : r;
      }
      this.checkItemCount(node, v.length);
      return out;
    }
    // FieldsV1 keeps any JSON as raw bytes.
    if (node.u) return v;
    return this.goScalar(v, node, t);
  }

  private goStruct(v: unknown, node: SchemaNode): Out {
    if (!isPlainObject(v)) return this.typeError(node, v);
    const props = node.p!;
    const out: { [k: string]: unknown } = {};
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      const item = v[k];
      if (item === undefined) continue;
      const index = props[k];
      if (index === undefined) {
        // Case-sensitive, strict: sigs.k8s.io/json UnmarshalStrict / UnmarshalCaseSensitivePreserveInts.
        this.unknownField(k, node);
        continue;
      }
      // null leaves the Go field as it was: nil or the zero value, which reads as absent.
      if (item === null) continue;
      this.path.push(k);
      const r = this.go(item, this.nodes[index]);
      this.path.pop();
      if (r !== DROP) put(out, k, r);
    }
    if (node.z) {
      for (const f of node.z) {
        if (out[f] === undefined && (v[f] === undefined || v[f] === null)) out[f] = this.goZero(this.nodes[props[f]], f);
      }
    }
    if (node.r) {
      for (const f of node.r) {
        if (v[f] === undefined || v[f] === null) this.report('required', `missing required field ${JSON.stringify(f)}: add it`, true, f);
      }
    }
    return out;
  }

  /** The Go zero value of a type as the encoder writes it, checked as Go validation sees it (e.g. `""` for an enum). */
  private goZero(node: SchemaNode, field?: string): Out {
    let zero: unknown;
    if (node.p) zero = {};
    else if (node.a !== undefined || node.u) zero = {};
    else if (node.i !== undefined) zero = [];
    else if (node.f === 'date-time') return null;
    else if (node.f === 'quantity') zero = '0';
    else if ((node.t ?? 0) & TYPE_STRING && !(node.t! & TYPE_INTEGER)) zero = '';
    else if ((node.t ?? 0) & (TYPE_INTEGER | TYPE_NUMBER)) zero = 0;
    else if ((node.t ?? 0) & TYPE_BOOLEAN) zero = false;
    else return null;
    if (field !== undefined) this.path.push(field);
    const r = this.go(zero, node);
    if (field !== undefined) this.path.pop();
    return r;
  }

  private goScalar(v: unknown, node: SchemaNode, t: number): Out {
    switch (node.f) {
      case 'int-or-string':
        if (typeof v === 'string') return v;
        if (typeof v === 'number' && Number.isInteger(v)) return this.goIntRange(v, 'int32', 'IntOrString') ? v : DROP;
        return this.typeError(node, v);
      case 'quantity':
        // resource.Quantity.UnmarshalJSON: a JSON number is parsed from its text like a string.
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        if (typeof v !== 'string') return this.typeError(node, v);
        if (!isQuantity(v.trim())) {
          this.report('format', `${showValue(v)} is not a quantity: write a number with an optional suffix, e.g. "500m", "2", "1.5Gi"`, true);
          return DROP;
        }
        return v;
      case 'date-time':
        if (typeof v !== 'string') return this.typeError(node, v);
        if (!isGoRFC3339(v)) {
          this.report('format', `${showValue(v)} is not an RFC 3339 time: write e.g. "2024-01-31T12:00:00Z"`, true);
          return DROP;
        }
        return v;
    }
    const bits = typeBits(v);
    if (t & TYPE_INTEGER && !(t & TYPE_NUMBER)) {
      if (!(bits & TYPE_INTEGER)) return this.typeError(node, v);
      if (!this.goIntRange(v as number, node.f === 'int32' ? 'int32' : 'int64')) return DROP;
    } else if (!(bits & t)) {
      return this.typeError(node, v);
    }
    this.checkEnum(node, v);
    return v;
  }

  /** encoding/json rejects numbers that overflow the Go field ("cannot unmarshal number … of type int32"). */
  private goIntRange(v: number, width: 'int32' | 'int64', what: string = width): boolean {
    const ok = width === 'int32' ? v >= INT32_MIN && v <= INT32_MAX : v >= -INT64_LIMIT && v < INT64_LIMIT;
    if (!ok) {
      const range = width === 'int32' ? `${INT32_MIN}..${INT32_MAX}` : '-2^63..2^63-1';
      this.report('range', `${v} does not fit ${what === width ? `a ${width}` : `${what} (${width})`}: use a value in ${range}`, true);
    }
    return ok;
  }

  // ---------------------------------------------------------------- custom resources (structural schemas)

  /** Validates and normalises `v` (not null) against a custom-resource node. */
  crd(v: unknown, node: SchemaNode, root = false, statusSubresource = false): Out {
    if (node.go) return this.go(v, node);
    const t = node.t ?? 0;
    const bits = typeBits(v);
    if (t !== 0 && !(bits & t)) return this.typeError(node, v);
    if (bits === 0) return this.typeError({ t: t || (TYPE_OBJECT | TYPE_ARRAY | TYPE_STRING | TYPE_NUMBER | TYPE_BOOLEAN) }, v);
    let out: unknown = v;
    let present: ReadonlySet<string> | undefined;
    if (bits & TYPE_OBJECT) {
      const o = this.crdObject(v as { [k: string]: unknown }, node, root, statusSubresource);
      out = o.out;
      present = o.present;
    } else if (bits & TYPE_ARRAY) {
      out = this.crdArray(v as unknown[], node);
    } else if (typeof v === 'string') {
      this.crdString(v, node);
    } else if (typeof v === 'number') {
      this.crdNumber(v, node);
    }
    this.checkEnum(node, out);
    this.alternatives(out, node, present);
    if (node.cel) this.cel.push({ path: this.path.slice(), checks: node.cel, value: out });
    return out;
  }

  /** A null where a custom-resource node is expected, after pruning: kept if nullable, else defaulted, else an error. */
  private crdNull(node: SchemaNode): Out {
    if (node.nullable) {
      if (node.enum && !node.enum.includes(null)) this.checkEnum(node, null);
      return null;
    }
    if (node.d !== undefined) return this.crd(cloneJson(node.d), node);
    this.report('type', `must be ${typeNames(node.t ?? 0) || 'a value'}, not null: remove the item or give a value`, true);
    return DROP;
  }

  private crdObject(v: { [k: string]: unknown }, node: SchemaNode, root: boolean, statusSubresource: boolean):
  { out: { [k: string]: unknown }; present: Set<string> } {
    const props = node.p ?? NO_FIELDS;
    const out: { [k: string]: unknown } = {};
    /** Fields the API server sees after pruning (including ill-typed ones, which it would report, not remove). */
    const present = new Set<string>();
    for (const k of Object.keys(v)) {
      const item = v[k];
      if (item === undefined) continue;
      if (root && (k === 'apiVersion' || k === 'kind')) {
        put(out, k, item);
        present.add(k);
        continue;
      }
      if (root && k === 'metadata' && props.metadata !== undefined) {
        this.path.push(k);
        const r = this.go(item === null ? {} : item, this.nodes[props.metadata]);
        this.path.pop();
        present.add(k);
        if (r !== DROP) put(out, k, r);
        continue;
      }
      const index: number | undefined = props[k] ?? node.a;
      if (index === undefined) {
        if (node.u || this.branch) {
          put(out, k, item);
          present.add(k);
        } else {
          this.unknownField(k, node);
        }
        continue;
      }
      const child = this.nodes[index];
      this.path.push(k);
      if (root && k === 'status' && statusSubresource) {
        // Pruned (unknown fields reported) when decoded, then dropped on create without validation.
        this.pruneOnly(item, child);
        this.path.pop();
        continue;
      }
      let r: Out;
      if (item === null) {
        if (!child.nullable && child.d === undefined) {
          // PruneNonNullableNullsWithoutDefaults: the field is removed, as if absent.
          this.path.pop();
          continue;
        }
        r = this.crdNull(child);
      } else {
        r = this.crd(item, child);
      }
      this.path.pop();
      present.add(k);
      if (r !== DROP) put(out, k, r);
    }
    // Default: absent fields with a schema default.
    for (const k of this.defaulted(node)) {
      const child = this.nodes[props[k]];
      if (v[k] !== undefined || this.branch) continue;
      if (root && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      this.path.push(k);
      const r = this.crd(cloneJson(child.d), child);
      this.path.pop();
      present.add(k);
      if (r !== DROP) put(out, k, r);
    }
    if (node.r) {
      for (const f of node.r) {
        if (!present.has(f) && !(root && f === 'status' && statusSubresource)) {
          this.report('required', `missing required field ${JSON.stringify(f)}: add it`, true, f);
        }
      }
    }
    const count = present.size;
    if (node.maxProperties !== undefined && count > node.maxProperties) {
      this.report('properties', this.propertiesMessage(node, present), true);
    } else if (node.minProperties !== undefined && count < node.minProperties) {
      this.report('properties', this.propertiesMessage(node, present));
    }
    return { out, present };
  }

  /** The fields of a node that have a schema default (computed once per node). */
  private defaulted(node: SchemaNode): readonly string[] {
    let fields = DEFAULTED.get(node);
    if (!fields) {
      const props = node.p ?? {};
      fields = Object.keys(props).filter(k => this.nodes[props[k]].d !== undefined);
      DEFAULTED.set(node, fields);
    }
    return fields;
  }

  private propertiesMessage(node: SchemaNode, present: Set<string>): string {
    const fields = Object.keys(node.p ?? {});
    const set = [...present];
    if (node.minProperties === 1 && node.maxProperties === 1 && fields.length) {
      return set.length ? `sets ${set.join(' and ')}: set exactly one of ${fields.join(', ')}` : `is empty: set exactly one of ${fields.join(', ')}`;
    }
    if (node.maxProperties !== undefined && set.length > node.maxProperties) {
      return `sets ${set.length} fields (${set.join(', ')}): at most ${node.maxProperties} allowed`;
    }
    return set.length === 0 && fields.length
      ? `is empty: set at least ${node.minProperties} of ${fields.join(', ')}`
      : `sets ${set.length} fields: at least ${node.minProperties} required`;
  }

  private crdArray(v: unknown[], node: SchemaNode): unknown[] {
    const out: unknown[] = new Array(v.length);
    const child = node.i === undefined ? undefined : this.nodes[node.i];
    for (let i = 0; i < v.length; i++) {
      const item = v[i] === undefined ? null : v[i];
      if (!child) {
        out[i] = item;
        continue;
      }
      this.path.push(i);
      // Null items are not pruned: Default gives them the item default unless nullable, else they fail the type check.
      const r = item === null ? this.crdNull(child) : this.crd(item, child);
      this.path.pop();
      out[i] = r === DROP ? null : r;
    }
    this.checkItemCount(node, v.length);
    if (node.listType === 'set') this.uniqueSet(out);
    else if (node.listType === 'map') this.uniqueMapKeys(out, node.listMapKeys ?? []);
    return out;
  }

  /** listtype validateListSet: the second occurrence of a value is reported (once). */
  private uniqueSet(items: readonly unknown[]): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = goJson(item);
      const times = seen.get(key) ?? 0;
      seen.set(key, times + 1);
      if (times === 1) this.report('duplicate', `duplicate value ${showValue(item)}: each value may appear once; remove it`, false, i);
    });
  }

  /** listtype validateListMap: items are objects and their key fields unique. */
  private uniqueMapKeys(items: readonly unknown[], keys: readonly string[]): void {
    for (let i = 0; i < items.length; i++) {
      if (items[i] !== null && !isPlainObject(items[i])) {
        this.report('type', `must be an object, not ${describe(items[i])}: every item of this list is keyed by ${keys.join(', ')}`, false, i);
        return;
      }
    }
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const entry = (item ?? {}) as { [k: string]: unknown };
      const key = goJson(keys.map(k => (k in entry ? entry[k] : { unspecified: true })));
      const times = seen.get(key) ?? 0;
      seen.set(key, times + 1);
      if (times === 1) {
        const named = keys.map(k => `${k} ${k in entry ? showValue(entry[k]) : '(unset)'}`).join(', ');
        this.report('duplicate', `duplicate entry with ${named}: keys must be unique; merge or remove it`, false, i);
      }
    });
  }

  private crdString(v: string, node: SchemaNode): void {
    if (node.maxLength !== undefined || node.minLength !== undefined) {
      const n = runeCount(v);
      if (node.maxLength !== undefined && n > node.maxLength) {
        this.report('length', `${showValue(v)} is ${n} characters long: at most ${node.maxLength} allowed`, true);
      }
      if (node.minLength !== undefined && n < node.minLength) {
        this.report('length', n === 0 ? `is empty: at least ${node.minLength} character${node.minLength === 1 ? '' : 's'} required`
          : `${showValue(v)} is ${n} characters long: at least ${node.minLength} required`);
      }
    }
    if (node.re !== undefined && !matchesPattern(node.re, v)) this.report('pattern', patternMessage(node.re, v));
    if (node.f) this.crdFormat(v, node);
  }

  private crdFormat(v: string, node: SchemaNode): void {
    let ok = true;
    let example = '';
    switch (node.f) {
      case 'cidr': ok = isSloppyCIDR(v); example = 'an address and a prefix length, e.g. "10.0.0.0/16" or "2001:db8::/64"'; break;
      case 'ipv4': ok = isSloppyIPv4(v); example = 'an IPv4 address, e.g. "10.0.0.1"'; break;
      case 'ipv6': ok = isSloppyIP(v) && v.includes(':'); example = 'an IPv6 address, e.g. "2001:db8::1"'; break;
      case 'date-time': ok = isOpenAPIDateTime(v); example = 'an RFC 3339 time, e.g. "2024-01-31T12:00:00Z"'; break;
    }
    if (!ok) this.report('format', `${showValue(v)} is not a valid ${node.f}: write ${example}`);
  }

  private crdNumber(v: number, node: SchemaNode): void {
    if (node.maximum !== undefined && (node.exclusiveMaximum ? v >= node.maximum : v > node.maximum)) {
      this.report('range', `${v} is ${node.exclusiveMaximum ? 'not below' : 'above'} the maximum ${node.maximum}`);
    }
    if (node.minimum !== undefined && (node.exclusiveMinimum ? v <= node.minimum : v < node.minimum)) {
      this.report('range', `${v} is ${node.exclusiveMinimum ? 'not above' : 'below'} the minimum ${node.minimum}`);
    }
    if (node.multipleOf !== undefined && !Number.isInteger(v / node.multipleOf)) {
      this.report('range', `${v} is not a multiple of ${node.multipleOf}`);
    }
  }

  private alternatives(v: unknown, node: SchemaNode, present: ReadonlySet<string> | undefined): void {
    if (node.oneOf) {
      const matched = this.matchingBranches(v, node.oneOf, present);
      if (matched.length !== 1) this.report('one-of', this.alternativesMessage(v, node.oneOf, matched, 'exactly one'));
    }
    if (node.anyOf) {
      const matched = this.matchingBranches(v, node.anyOf, present);
      if (matched.length === 0) this.report('any-of', this.alternativesMessage(v, node.anyOf, matched, 'at least one'));
    }
    if (node.allOf) {
      for (const b of node.allOf) {
        if (!this.matches(v, this.nodes[b])) this.report('all-of', `${showValue(v)} does not satisfy every constraint here`);
      }
    }
    if (node.not !== undefined && this.matches(v, this.nodes[node.not])) {
      this.report('not', `${showValue(v)} is a value not allowed here`);
    }
  }

  private matchingBranches(v: unknown, alt: SchemaAlternatives, present: ReadonlySet<string> | undefined): number[] {
    return alt.branches
      .map((b, i) => (alt.fields && present ? present.has(alt.fields[i]) : this.matches(v, this.nodes[b])) ? i : -1)
      .filter(i => i >= 0);
  }

  private alternativesMessage(v: unknown, alt: SchemaAlternatives, matched: number[], howMany: string): string {
    if (alt.fields) {
      const all = alt.fields.join(', ');
      const set = matched.map(i => alt.fields![i]);
      return set.length === 0 ? `sets none of ${all}: set ${howMany} of them` : `sets ${set.join(' and ')}: set ${howMany} of ${all}`;
    }
    return `${showValue(v)} matches ${matched.length} of the ${alt.branches.length} alternatives: it must match ${howMany}`;
  }

  /** Whether `v` satisfies a node, without reporting, pruning or defaulting (oneOf/anyOf/allOf/not branches). */
  private matches(v: unknown, node: SchemaNode): boolean {
    const inner = new Walk(this.nodes, true);
    inner.crd(v, node);
    return inner.violations.length === 0;
  }

  /** Pruning only (status with a subresource): reports unknown fields as the decoder does, validates nothing. */
  private pruneOnly(v: unknown, node: SchemaNode | undefined): void {
    if (node?.go) {
      this.go(v, node);
      return;
    }
    if (isPlainObject(v)) {
      for (const k of Object.keys(v)) {
        const index = node?.p?.[k] ?? node?.a;
        if (index === undefined) {
          if (!node?.u) this.unknownField(k, node ?? {});
          continue;
        }
        this.path.push(k);
        this.pruneOnly(v[k], this.nodes[index]);
        this.path.pop();
      }
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        this.path.push(i);
        this.pruneOnly(item, node?.i === undefined ? undefined : this.nodes[node.i]);
        this.path.pop();
      });
    }
  }

  /** x-kubernetes-validations, unless a blocking error was found (strategy.go hasBlockingErr). */
  finishCel(): void {
    if (this.blocking) return;
    for (const pending of this.cel) {
      for (const check of pending.checks) {
        const message = celViolation(check, pending.value);
        if (message) this.violations.push({ path: pending.path, code: 'rule', message });
      }
    }
  }
}

const SHOWN_PATTERN_LENGTH = 160;

/** Names the pattern (shortened) and, when the pattern lists words (Cilium's ICMP types), the closest one. */
function patternMessage(pattern: string, v: string): string {
  const shown = pattern.length > SHOWN_PATTERN_LENGTH ? `${pattern.slice(0, SHOWN_PATTERN_LENGTH - 1)}…` : pattern;
  const words = pattern.match(/(?<=[(|])[A-Za-z][A-Za-z0-9]*(?=[|)])/g) ?? [];
  const guess = words.length ? closest(v, words) : undefined;
  return `${showValue(v)} does not match the pattern ${shown}${guess !== undefined ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`;
}

function celViolation(check: CelCheck, v: unknown): string | undefined {
  switch (check.op) {
    case 'lt': {
      if (!isPlainObject(v)) return undefined;
      const a = v[check.a];
      const b = v[check.b];
      if (typeof a !== 'number' || typeof b !== 'number' || a < b) return undefined;
      return `${check.a} ${a} is not less than ${check.b} ${b}: make ${check.a} smaller than ${check.b} (rule ${check.rule})`;
    }
    case 'isCIDR':
      if (typeof v !== 'string' || isCelCIDR(v)) return undefined;
      return `${showValue(v)} is not a valid CIDR: write an address and a prefix length, e.g. "10.0.0.0/16" (rule ${check.rule})`;
  }
}

/** Validates one object of a known kind against the table. */
export function validateKind(table: SchemaTable, kind: SchemaKind, object: unknown): SchemaResult {
  const walk = new Walk(table.nodes);
  const root = table.nodes[kind.root];
  let value: Out;
  if (kind.mode === 'go') {
    value = walk.go(object, root);
  } else {
    value = walk.crd(object, root, true, !!kind.statusSubresource);
    walk.finishCel();
  }
  return { value: value === DROP ? undefined : value, violations: walk.violations };
}

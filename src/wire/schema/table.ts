/**
 * The compact schema table: what the generator (projenrc/gen-schema-validators.ts) writes from the
 * official schemas and what the interpreter (validate.ts) reads. Nodes refer to each other by index,
 * so shared definitions (ObjectMeta, LabelSelector, Cilium's four rule lists) are stored once.
 */

/** Type bits of `SchemaNode.t`; several bits mean "any of these". No bits: any JSON value. */
export const TYPE_OBJECT = 1;
export const TYPE_ARRAY = 2;
export const TYPE_STRING = 4;
export const TYPE_INTEGER = 8;
export const TYPE_NUMBER = 16;
export const TYPE_BOOLEAN = 32;

/**
 * Checks with their own meaning in each decoding mode:
 * - built-in types (Go structs): `int32`/`int64` are the Go integer widths (out of range fails to
 *   decode), `int-or-string` is intstr.IntOrString (a string, or an integer that fits int32),
 *   `quantity` is resource.Quantity, `date-time` is metav1.Time (RFC 3339).
 * - custom resources: the string formats the API server validates for CRD schemas (`cidr`,
 *   `date-time`, `ipv4`, `ipv6`); the generator drops the formats it ignores.
 */
export type SchemaFormat = 'int32' | 'int64' | 'int-or-string' | 'quantity' | 'date-time' | 'cidr' | 'ipv4' | 'ipv6';

/** An `x-kubernetes-validations` rule the interpreter implements. */
export type CelCheck =
  /** `self.<a> < self.<b>` */
  | { readonly op: 'lt'; readonly a: string; readonly b: string; readonly rule: string }
  /** `isCIDR(self)`: Kubernetes CEL library, netip.ParsePrefix without IPv4-mapped IPv6. */
  | { readonly op: 'isCIDR'; readonly rule: string };

/** oneOf / anyOf: the branches are nodes evaluated without pruning (structural schemas allow only value checks there). */
export interface SchemaAlternatives {
  readonly branches: readonly number[];
  /** When every branch only requires one field: those fields, for a clear message. */
  readonly fields?: readonly string[];
}

export interface SchemaNode {
  /** Type bits (TYPE_*); absent: any value. */
  readonly t?: number;
  /** 1: a built-in type, decoded as a Go struct; absent: a custom-resource (structural) schema node. */
  readonly go?: 1;
  /** Go definition name (e.g. `NetworkPolicySpec`), for messages. */
  readonly name?: string;
  /** Properties: field name to node index. */
  readonly p?: { readonly [field: string]: number };
  /** Map values (additionalProperties): node index. */
  readonly a?: number;
  /** Fields not in `p` are kept as they are (x-kubernetes-preserve-unknown-fields, Go FieldsV1). */
  readonly u?: 1;
  /** Required fields. */
  readonly r?: readonly string[];
  /**
   * Go only: fields holding a non-pointer struct the encoder always writes, materialised as `{}`
   * when absent or null (e.g. NetworkPolicySpec.podSelector).
   */
  readonly z?: readonly string[];
  /** List items: node index. */
  readonly i?: number;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly f?: SchemaFormat;
  /** Go (RE2) regular expression, matched unanchored as regexp.MatchString does. */
  readonly re?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: 1;
  readonly exclusiveMaximum?: 1;
  readonly multipleOf?: number;
  /** Custom resources: `nullable: true`. */
  readonly nullable?: 1;
  /** Custom resources: the schema default (applied when the field is absent, or null and not nullable). */
  readonly d?: unknown;
  /** Custom resources: x-kubernetes-list-type `set` or `map`. */
  readonly listType?: 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  readonly oneOf?: SchemaAlternatives;
  readonly anyOf?: SchemaAlternatives;
  readonly allOf?: readonly number[];
  readonly not?: number;
  readonly cel?: readonly CelCheck[];
}

export interface SchemaKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** Root node index. */
  readonly root: number;
  /** `go`: a built-in type; `crd`: a custom resource (pruning, nulls, defaults, CEL as apiextensions-apiserver does). */
  readonly mode: 'go' | 'crd';
  /** Custom resources with a status subresource: the API server ignores `status` on create. */
  readonly statusSubresource?: boolean;
}

/** An x-kubernetes-validations rule the interpreter does not evaluate. */
export interface UncheckedRule {
  readonly apiVersion: string;
  readonly kind: string;
  /** Schema path, e.g. `spec.ingress[].from[]`. */
  readonly path: string;
  readonly rule: string;
}

export interface SchemaTable {
  /** Where the schemas came from, e.g. `kubernetes-v1.33`. */
  readonly sources: readonly string[];
  readonly nodes: readonly SchemaNode[];
  readonly kinds: readonly SchemaKind[];
  readonly uncheckedRules: readonly UncheckedRule[];
}

/**
 * Schema validation of manifests, generated from the official schemas (Kubernetes 1.33, Cilium
 * 1.18, network-policy-api v1alpha2): an object of a known kind in, the object as the API server
 * reads it and the violations out, decided as the server decides on create with strict field
 * validation (`kubectl apply`). See validate.ts for the decoding rules and their upstream sources.
 */
import { closest } from './suggest';
import { SchemaKind } from './table';
import { SCHEMA_TABLE } from './tables.generated';
import { SchemaResult, SchemaViolation, showValue, validateKind } from './validate';

export type { SchemaResult, SchemaViolation, SchemaViolationCode } from './validate';

/** An apiVersion and kind. */
export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
}

// Field maps without a prototype, so that a field named like an Object.prototype member is unknown.
for (const node of SCHEMA_TABLE.nodes) {
  if (node.p) (node as { p: object }).p = Object.assign(Object.create(null), node.p);
}

const KINDS = new Map<string, SchemaKind>(SCHEMA_TABLE.kinds.map(k => [`${k.apiVersion} ${k.kind}`, k]));

/** The kinds this tool reads, sorted by apiVersion then kind. */
export function knownKinds(): KindRef[] {
  return SCHEMA_TABLE.kinds.map(k => ({ apiVersion: k.apiVersion, kind: k.kind }));
}

function kindOf(object: unknown): SchemaKind | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return KINDS.get(`${apiVersion} ${kind}`);
}

/**
 * Validates an object by its apiVersion and kind. Undefined when there is no schema for them
 * (kindViolation says why). When violations is not empty the API server would reject the object
 * and `value` is a best effort.
 */
export function validateObject(object: unknown): SchemaResult | undefined {
  const kind = kindOf(object);
  return kind ? validateKind(SCHEMA_TABLE, kind, object) : undefined;
}

/** Groups whose old versions served kinds this tool reads in a newer version (Kubernetes removed them). */
const MOVED_GROUPS: { [group: string]: readonly string[] } = {
  extensions: ['apps', 'networking.k8s.io'],
};

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Why an object is not one this tool reads, or undefined when it is: not an object, a missing or
 * non-string apiVersion or kind, a kind in the wrong case, an apiVersion not served for that kind
 * (e.g. `apps/v1beta1`), or a kind of another API (e.g. Calico `projectcalico.org/v3`).
 */
export function kindViolation(object: unknown): SchemaViolation | undefined {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return { path: [], code: 'type', message: `a manifest must be an object with apiVersion and kind, not ${showValue(object)}` };
  }
  if (kindOf(object)) return undefined;
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  const kinds = SCHEMA_TABLE.kinds;
  if (kind === undefined || kind === null) {
    return { path: ['kind'], code: 'required', message: 'missing kind: add the kind, e.g. kind: NetworkPolicy' };
  }
  if (typeof kind !== 'string') {
    return { path: ['kind'], code: 'type', message: `kind must be a string, not ${showValue(kind)}` };
  }
  const sameKind = kinds.filter(k => k.kind === kind);
  if (apiVersion === undefined || apiVersion === null) {
    const hint = sameKind.length ? `apiVersion: ${sameKind.map(k => k.apiVersion).join(' or ')}` : 'e.g. apiVersion: networking.k8s.io/v1';
    return { path: ['apiVersion'], code: 'required', message: `missing apiVersion: add ${hint}` };
  }
  if (typeof apiVersion !== 'string') {
    return { path: ['apiVersion'], code: 'type', message: `apiVersion must be a string, not ${showValue(apiVersion)}` };
  }
  const what = `${apiVersion} ${kind}`;
  const inVersion = kinds.filter(k => k.apiVersion === apiVersion);
  const caseGuess = inVersion.find(k => k.kind.toLowerCase() === kind.toLowerCase());
  if (caseGuess) {
    return { path: ['kind'], code: 'unknown-kind', message: `${what} is not a kind this tool reads: kinds are case-sensitive, did you mean ${caseGuess.kind}?` };
  }
  const group = groupOf(apiVersion);
  const versionGuess = kinds.find(k => k.apiVersion.toLowerCase() === apiVersion.toLowerCase() && k.kind === kind);
  if (versionGuess) {
    return { path: ['apiVersion'], code: 'unknown-kind', message: `${what} is not a kind this tool reads: apiVersion is case-sensitive, use ${versionGuess.apiVersion}` };
  }
  const served = sameKind.filter(k => groupOf(k.apiVersion) === group || (MOVED_GROUPS[group] ?? []).includes(groupOf(k.apiVersion)));
  if (served.length) {
    // Built-in groups have no dot or end in .k8s.io; the others are the CRDs' own schema versions.
    const builtin = !group.includes('.') || group.endsWith('.k8s.io');
    const why = builtin ? `${apiVersion} does not serve ${kind} in Kubernetes 1.33` : `it reads the ${kind} schema of ${served.map(k => k.apiVersion).join(', ')}`;
    return {
      path: ['apiVersion'],
      code: 'unknown-kind',
      message: `${what} is not a kind this tool reads (${why}): use apiVersion ${served.map(k => k.apiVersion).join(' or ')}`,
    };
  }
  const kindGuess = inVersion.length ? closest(kind, inVersion.map(k => k.kind)) : undefined;
  if (kindGuess) {
    return { path: ['kind'], code: 'unknown-kind', message: `${what} is not a kind this tool reads: did you mean ${kindGuess}?` };
  }
  const elsewhere = sameKind.length ? ` (it reads ${kind} of ${sameKind.map(k => k.apiVersion).join(', ')})` : '';
  return { path: ['kind'], code: 'unknown-kind', message: `${what} is not a kind this tool reads${elsewhere}` };
}

// A policy construct's manifest written directly, as cdk8s's ApiObject.toJson would write it.
//
// cdk8s renders an object (lib/api-object.ts ApiObject.toJson) by resolving every value through
// the app's resolvers (lib/resolve.ts resolve: a context object, a key path and three resolver
// calls per value), copying it with sorted keys (lib/_util.ts sanitizeValue), applying the JSON
// patches, and then mapping it through the L1's toJson_* functions (which copy every object again).
// For a policy whose spec is rendered from the model, that is most of synth, and the synth-time lint
// renders every object once more. When nothing can change the result on the way — only cdk8s's
// default resolvers, which leave plain values as they are, no JSON patch, keys sorted — the same
// manifest is the metadata (already resolved by ApiObjectMetadataDefinition.toJson) with sorted
// keys through the L1 ObjectMeta mapping, and the spec as the renderer writes it (sorted keys, the
// L1's fields only). test/kubernetes/direct-manifest.test.ts checks both paths give the same text.
import { ApiObject, App, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { toJson_ObjectMeta } from '../imports/k8s';

/** Whether cdk8s's general path would give `obj` exactly what the direct path writes. */
function writesDirectly(obj: ApiObject): boolean {
  if (process.env.CDK8S_DISABLE_SORT) return false;
  // addJsonPatch operations: cdk8s keeps them in ApiObject's private `patches` list; when that is
  // not a list (another cdk8s), it cannot be told, so the general path is taken.
  const patches = (obj as any).patches;
  if (!Array.isArray(patches) || patches.length > 0) return false;
  const resolvers = (App.of(obj) as App).resolvers;
  return Array.isArray(resolvers) && resolvers.length === 3 && resolvers[0] instanceof LazyResolver
    && resolvers[1] instanceof ImplicitTokenResolver && resolvers[2] instanceof NumberStringUnionResolver;
}

/** A copy with sorted keys, as sanitizeValue makes it; throws where it would (objects of a class). */
function sortedCopy(value: any): any {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value.constructor?.name !== 'Object') throw new Error('not a plain object');
  const out: { [key: string]: any } = {};
  const keys = Object.keys(value);
  // (a sort allocates, even of one key; metadata maps are small)
  for (const key of keys.length > 1 ? keys.sort() : keys) {
    const v = sortedCopy(value[key]);
    if (v !== null && v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * The ObjectMeta fields the L1 mapping (imports/k8s.ts toJson_ObjectMeta) copies as they are
 * (strings, numbers, maps and lists of strings), in its order (which is sorted).
 * test/kubernetes/direct-manifest.test.ts checks that the mapping leaves them unchanged.
 */
export const PLAIN_OBJECT_META_FIELDS: readonly string[] = [
  'annotations', 'deletionGracePeriodSeconds', 'finalizers', 'generateName', 'generation', 'labels', 'name', 'namespace',
  'resourceVersion', 'selfLink', 'uid',
];

function isPlainValue(v: any): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && v !== undefined;
  if (Array.isArray(v)) return v.every(x => x !== null && typeof x !== 'object' && typeof x !== 'function' && x !== undefined);
  if (v.constructor?.name !== 'Object') return false;
  for (const k in v) if (!Object.prototype.hasOwnProperty.call(v, k) || !isPlainValue(v[k]) || typeof v[k] === 'object') return false;
  return true;
}

/**
 * The metadata as the L1 mapping writes it. ApiObjectMetadataDefinition.toJson returns it
 * resolved, without empty values, keys sorted: with only the plain fields (checked, sorted order
 * included) the mapping would copy it unchanged, so it is used as it is; else it is mapped.
 */
function objectMeta(meta: any): any {
  let previous = '';
  for (const key in meta) {
    if (!Object.prototype.hasOwnProperty.call(meta, key) || key <= previous || !PLAIN_OBJECT_META_FIELDS.includes(key) || !isPlainValue(meta[key])) {
      return toJson_ObjectMeta(sortedCopy(meta));
    }
    previous = key;
  }
  return meta;
}

/**
 * The manifest of a policy construct `obj` of kind `gvk` whose spec is `renderSpec()` (as written,
 * keys sorted), or undefined when cdk8s's general path must render it (a JSON patch, a custom
 * resolver, unsorted keys, or an error, which the general path then reports as cdk8s does).
 * @internal
 */
export function directManifest(obj: ApiObject, gvk: { apiVersion: string; kind: string }, renderSpec: () => any): any {
  if (!writesDirectly(obj)) return undefined;
  try {
    return { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata: objectMeta(obj.metadata.toJson()), spec: renderSpec() };
  } catch {
    return undefined;
  }
}

/**
 * What the synth-time lint recognises a policy construct's manifest by, and the manifest itself
 * when `withManifest`: the manifest `directManifest` writes. The fingerprint is the metadata's
 * JSON text and `specToken`, a text the construct keeps for its spec while the spec is unchanged
 * (so the spec is rendered only when the manifest is wanted). The token holds a NUL, which no JSON
 * text does, so a fingerprint never equals the JSON text of a manifest. Undefined when cdk8s's
 * general path must render.
 * @internal
 */
export function directLintInput(obj: ApiObject, gvk: { apiVersion: string; kind: string }, specToken: string,
  renderSpec: (() => any) | undefined): { readonly fingerprint: string; readonly manifest?: any } | undefined {
  if (!writesDirectly(obj)) return undefined;
  try {
    const metadata = objectMeta(obj.metadata.toJson());
    const fingerprint = `${gvk.apiVersion} ${gvk.kind} ${JSON.stringify(metadata) ?? ''}\u0000${specToken}`;
    if (!renderSpec) return { fingerprint };
    return { fingerprint, manifest: { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata, spec: renderSpec() } };
  } catch {
    return undefined;
  }
}

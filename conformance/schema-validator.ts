// Validates manifests against the official schemas in ../shared/schemas (Kubernetes 1.33
// OpenAPI definitions, Cilium 1.18 CRD schemas). Unknown fields are errors, as with the
// API server's strict field validation and CRD pruning, so a typo cannot pass.
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { goRegExpMatcher } from '../src/wire/goregexp';

export const SHARED = path.resolve(__dirname, '..', '..', 'shared');

// Branches of oneOf/anyOf/allOf/not only add constraints, so they are left open.
const COMBINATORS = new Set(['oneOf', 'anyOf', 'allOf', 'not']);

export function closeObjects(schema: any, isBranch = false): any {
  if (Array.isArray(schema)) return schema.map(s => closeObjects(s, isBranch));
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description') continue;
    out[k] = k === 'properties' || k === 'definitions'
      ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, closeObjects(pv)]))
      : closeObjects(v, COMBINATORS.has(k));
  }
  if (!isBranch && out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

// Schema patterns are Go (RE2) regular expressions, e.g. `^\\PC*$`; evaluate them with RE2 semantics.
function goRegExp(pattern: string): { test: (s: string) => boolean; toString: () => string } {
  const matches = goRegExpMatcher(pattern);
  // ajv caches compiled patterns by toString(), so it must name the pattern.
  return { test: matches, toString: () => `re2:${pattern}` };
}
goRegExp.code = 'goRegExp';

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { regExp: goRegExp as any } });
  addFormats(ajv);
  // idn-hostname: any non-blank name without spaces or slashes (ajv-formats has no IDN check).
  ajv.addFormat('idn-hostname', /^[^\s/]{1,253}$/);
  for (const f of ['cidr', 'int32', 'int64', 'int-or-string', 'byte', 'double', 'float']) ajv.addFormat(f, true);
  return ajv;
}

const KUBE_KINDS: { [gvk: string]: string } = {
  'networking.k8s.io/v1/NetworkPolicy': 'io.k8s.api.networking.v1.NetworkPolicy',
  'v1/Namespace': 'io.k8s.api.core.v1.Namespace',
  'v1/Pod': 'io.k8s.api.core.v1.Pod',
  'apps/v1/Deployment': 'io.k8s.api.apps.v1.Deployment',
  'v1/ConfigMap': 'io.k8s.api.core.v1.ConfigMap',
};
const CILIUM_KINDS: { [gvk: string]: string } = {
  'cilium.io/v2/CiliumNetworkPolicy': 'cilium-v1.18/ciliumnetworkpolicy_v2.json',
  'cilium.io/v2/CiliumClusterwideNetworkPolicy': 'cilium-v1.18/ciliumclusterwidenetworkpolicy_v2.json',
  'cilium.io/v2alpha1/CiliumCIDRGroup': 'cilium-v1.18/ciliumcidrgroup_v2alpha1.json',
};
/** CRD files: the served version's openAPIV3Schema (CEL rules are checked by the generated tables in schema-setup.ts). */
const CRD_KINDS: { [gvk: string]: string } = {
  'policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy': 'network-policy-api-v1alpha2/policy.networking.k8s.io_clusternetworkpolicies.yaml',
};

export class SchemaValidator {
  private readonly validators = new Map<string, ValidateFunction>();
  private kubeAjv?: Ajv;

  constructor(private readonly schemasDir = path.join(SHARED, 'schemas')) {
    if (!fs.existsSync(schemasDir)) {
      throw new Error(`schema validation needs ${schemasDir}; clone the project beside ../shared`);
    }
  }

  /** Returns error strings; empty when the manifest is valid. Unknown kinds are an error. */
  validate(manifest: any): string[] {
    const gvk = `${manifest?.apiVersion}/${manifest?.kind}`;
    const fn = this.validatorFor(gvk);
    if (!fn) return [`no official schema known for ${gvk}; add it to conformance/schema-validator.ts`];
    if (fn(manifest)) return [];
    return (fn.errors ?? []).map(e => `${gvk} ${manifest?.metadata?.name ?? ''}: ${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
  }

  private validatorFor(gvk: string): ValidateFunction | undefined {
    const cached = this.validators.get(gvk);
    if (cached) return cached;
    let fn: ValidateFunction | undefined;
    if (KUBE_KINDS[gvk]) {
      if (!this.kubeAjv) {
        this.kubeAjv = newAjv();
        const defs = JSON.parse(fs.readFileSync(path.join(this.schemasDir, 'kubernetes-v1.33', '_definitions.json'), 'utf8'));
        this.kubeAjv.addSchema({ $id: 'k8s', definitions: closeObjects(defs.definitions) });
      }
      fn = this.kubeAjv.compile({ $ref: `k8s#/definitions/${KUBE_KINDS[gvk]}` });
    } else if (CILIUM_KINDS[gvk]) {
      const schema = JSON.parse(fs.readFileSync(path.join(this.schemasDir, CILIUM_KINDS[gvk]), 'utf8'));
      fn = newAjv().compile(closeObjects(schema));
    } else if (CRD_KINDS[gvk]) {
      const crd = parseYaml(fs.readFileSync(path.join(this.schemasDir, CRD_KINDS[gvk]), 'utf8'));
      const version = gvk.split('/')[1];
      const schema = crd.spec.versions.find((v: any) => v.name === version).schema.openAPIV3Schema;
      // metadata is ObjectMeta, whatever the CRD says (`type: object`); status is a subresource.
      fn = newAjv().compile(closeObjects({ ...schema, properties: { ...schema.properties, metadata: { type: 'object', additionalProperties: true } } }));
    }
    if (fn) this.validators.set(gvk, fn);
    return fn;
  }
}

/**
 * Writes the part of the Kubernetes OpenAPI definitions that the library's public API reaches:
 * the NetworkPolicy object and every definition it refers to ($ref, transitively).
 *
 * `cdk8s import k8s` turns every API object into an L1 class; re-exported from the package, the
 * 721 generated types of the full schema made up most of the API reference while our API reaches
 * about twenty of them (NetworkPolicy extends KubeNetworkPolicy). Importing from this subset keeps
 * the `k8s` namespace to exactly what jsii needs.
 *
 * Usage: ts-node projenrc/k8s-schema-subset.ts <_definitions.json> <out.json> <definition>...
 */
import * as fs from 'fs';
import * as path from 'path';

interface Schema {
  readonly definitions: Record<string, unknown>;
}

/** The definition names a schema node refers to. */
function refsOf(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) refsOf(n, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.add(value.replace(/^#\/definitions\//, ''));
      else refsOf(value, out);
    }
  }
  return out;
}

/** The named definitions and everything they reach, in the schema's own order. */
export function schemaSubset(schema: Schema, roots: readonly string[]): Schema {
  const keep = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (keep.has(name)) continue;
    if (!(name in schema.definitions)) {
      throw new Error(`k8s-schema-subset: definition "${name}" is not in the schema; use a full name such as io.k8s.api.networking.v1.NetworkPolicy`);
    }
    keep.add(name);
    queue.push(...refsOf(schema.definitions[name], new Set()));
  }
  const definitions: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(schema.definitions)) if (keep.has(name)) definitions[name] = def;
  return { ...schema, definitions };
}

if (require.main === module) {
  const [input, output, ...roots] = process.argv.slice(2);
  if (!input || !output || roots.length === 0) {
    console.error('usage: k8s-schema-subset.ts <_definitions.json> <out.json> <definition>...');
    process.exit(2);
  }
  const subset = schemaSubset(JSON.parse(fs.readFileSync(input, 'utf8')), roots);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, JSON.stringify(subset));
  console.error(`k8s-schema-subset: ${Object.keys(subset.definitions).length} definitions reachable from ${roots.join(', ')}`);
}

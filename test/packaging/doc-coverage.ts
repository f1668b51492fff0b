/**
 * Which public API members of the jsii assembly lack documentation: a summary on every type,
 * member, enum member and parameter, `@default` on every optional property of a struct, and an
 * `@example` on every construct class. (jsii keeps no `@default` per parameter: an optional
 * parameter says its default in its `@param` text.) jsii-docgen renders what the doc comments hold, so each
 * gap here is an empty cell in API.md / API.python.md.
 *
 * Also a command: `ts-node --project test/tsconfig.json test/packaging/doc-coverage.ts [src/dir...]`
 * lists the gaps (all of src/ when no folder is given).
 */
import * as fs from 'fs';
import * as path from 'path';

interface Docs {
  readonly summary?: string;
  readonly default?: string;
  readonly example?: string;
}
interface Located {
  readonly locationInModule?: { readonly filename: string; readonly line: number };
}
interface Parameter {
  readonly name: string;
  readonly docs?: Docs;
}
interface Callable extends Located {
  readonly name?: string;
  readonly docs?: Docs;
  readonly parameters?: readonly Parameter[];
  readonly protected?: boolean;
}
interface Property extends Located {
  readonly name: string;
  readonly docs?: Docs;
  readonly optional?: boolean;
  readonly protected?: boolean;
}
interface Type extends Located {
  readonly fqn: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly base?: string;
  readonly docs?: Docs;
  readonly initializer?: Callable;
  readonly methods?: readonly Callable[];
  readonly properties?: readonly Property[];
  readonly members?: ReadonlyArray<{ readonly name: string; readonly docs?: Docs }>;
}
export interface Assembly {
  readonly types: Record<string, Type>;
}

/** One documentation gap: the API element, where it is declared, and what is missing. */
export interface DocGap {
  readonly element: string;
  readonly file: string;
  readonly missing: string;
}

const root = path.join(__dirname, '..', '..');

export function readAssembly(): Assembly {
  const file = path.join(root, '.jsii');
  if (!fs.existsSync(file)) throw new Error('.jsii not found: run `npx projen compile` first (npm test does)');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// Construct classes of the dependencies our classes extend (their assemblies are not read).
const CONSTRUCT_BASES = new Set(['constructs.Construct', 'cdk8s.ApiObject', 'cdk8s.Chart']);

function isConstruct(assembly: Assembly, type: Type): boolean {
  for (let base = type.base; base; base = assembly.types[base]?.base) {
    if (CONSTRUCT_BASES.has(base)) return true;
  }
  return false;
}

/** The gaps of every type declared in one of the folders (paths relative to the project root). */
export function docGaps(assembly: Assembly, folders: readonly string[]): DocGap[] {
  const gaps: DocGap[] = [];
  const inScope = (file: string) => folders.some((f) => file === f || file.startsWith(f.endsWith('/') ? f : `${f}/`));
  for (const type of Object.values(assembly.types).sort((a, b) => a.fqn.localeCompare(b.fqn))) {
    const file = type.locationInModule?.filename ?? '';
    if (!inScope(file)) continue;
    const name = type.fqn.replace(/^[^.]+\./, '');
    const gap = (element: string, missing: string) => gaps.push({ element, file, missing });
    if (!type.docs?.summary) gap(name, 'summary');
    if (type.kind === 'class' && isConstruct(assembly, type) && !type.docs?.example) gap(name, '@example');
    const callable = (label: string, c: Callable) => {
      if (!c.docs?.summary) gap(label, 'summary');
      for (const p of c.parameters ?? []) if (!p.docs?.summary) gap(`${label} parameter ${p.name}`, 'summary');
    };
    if (type.initializer) callable(`${name} constructor`, type.initializer);
    for (const m of type.methods ?? []) callable(`${name}.${m.name}()`, m);
    for (const p of type.properties ?? []) {
      if (!p.docs?.summary) gap(`${name}.${p.name}`, 'summary');
      if (p.optional && type.datatype && p.docs?.default === undefined) gap(`${name}.${p.name}`, '@default');
    }
    for (const m of type.members ?? []) if (!m.docs?.summary) gap(`${name}.${m.name}`, 'summary');
  }
  return gaps;
}

if (require.main === module) {
  const folders = process.argv.slice(2);
  const gaps = docGaps(readAssembly(), folders.length ? folders : ['src']);
  for (const g of gaps) console.log(`${g.file}\t${g.element}\tmissing ${g.missing}`);
  console.error(`${gaps.length} documentation gap(s)`);
}

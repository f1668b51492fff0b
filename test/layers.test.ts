// The import graph of src/: no cycle, every folder imports only the folders below it, and the
// compiled constructs (lib/kubernetes, lib/cilium) load neither the analyser, the lint, the
// `yaml` package nor (for lib/kubernetes) the 18k-line Cilium L1 when they are required alone.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const LIB = path.join(ROOT, 'lib');

const BASE = ['imports', 'wire', 'model', 'render'];
const CONSTRUCTS = ['kubernetes', 'cilium'];
/**
 * Folder of src/ → the folders its modules may import (besides their own folder). Lower layers
 * never import higher ones; within the analysis/lint/patterns/testing tier the allowed sibling
 * imports are listed explicitly (the lint reads manifests through the analyser, patterns enable
 * the lint, the jest matchers run the analyser).
 */
const LAYERS: Record<string, string[]> = {
  imports: [],
  wire: ['imports'],
  model: ['imports', 'wire'],
  render: ['imports', 'wire', 'model'],
  kubernetes: BASE,
  cilium: BASE,
  analysis: [...BASE, ...CONSTRUCTS],
  lint: [...BASE, ...CONSTRUCTS, 'analysis'],
  patterns: [...BASE, ...CONSTRUCTS, 'lint'],
  testing: [...BASE, ...CONSTRUCTS, 'analysis'],
  plugin: [...BASE, ...CONSTRUCTS, 'analysis', 'lint'],
  cli: [...BASE, ...CONSTRUCTS, 'analysis', 'lint', 'patterns', 'testing'],
};
/** The package entry point sits on top and may import every folder. */
const ENTRY = 'index.ts';

interface Module {
  /** Path relative to src/, e.g. `model/cilium/l7.ts`. */
  readonly file: string;
  /** Imported modules of src/ (relative paths), every kind of import: value, type-only, re-export, require(). */
  readonly imports: string[];
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveModule(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return path.relative(SRC, candidate).split(path.sep).join('/');
  }
  throw new Error(`${path.relative(SRC, fromFile)} imports "${specifier}", which is no module of src/`);
}

function readGraph(): Module[] {
  return sourceFiles(SRC).sort().map(abs => {
    // preProcessFile lists import/export-from specifiers (type-only ones too), import() and require() calls.
    const info = ts.preProcessFile(fs.readFileSync(abs, 'utf8'), true, true);
    const imports = info.importedFiles
      .map(f => f.fileName)
      .filter(s => s.startsWith('.'))
      .map(s => resolveModule(abs, s));
    return { file: path.relative(SRC, abs).split(path.sep).join('/'), imports: Array.from(new Set(imports)).sort() };
  });
}

function folderOf(file: string): string {
  return file.includes('/') ? file.split('/')[0] : file;
}

/** The first cycle found by depth-first search, as a module path ending where it started; undefined when there is none. */
function findCycle(modules: Module[]): string[] | undefined {
  const edges = new Map(modules.map(m => [m.file, m.imports]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const m of modules) {
    if (!state.has(m.file)) {
      const cycle = visit(m.file);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

describe('import graph of src/', () => {
  const modules = readGraph();

  test('the graph was read (every folder of the table has modules, and imports were found)', () => {
    for (const folder of Object.keys(LAYERS)) expect(modules.some(m => folderOf(m.file) === folder)).toBe(true);
    expect(modules.find(m => m.file === 'cilium/policy.ts')?.imports).toContain('model/policy-hooks.ts');
  });

  test('every module is in a folder of the layer table (or is the entry point)', () => {
    const unknown = modules.map(m => m.file).filter(f => f !== ENTRY && !(folderOf(f) in LAYERS));
    expect(unknown).toEqual([]);
  });

  test('has no import cycle (type-only imports included)', () => {
    expect(findCycle(modules)).toBeUndefined();
  });

  test('the cycle finder finds a cycle when there is one', () => {
    expect(findCycle([
      { file: 'a.ts', imports: ['b.ts'] },
      { file: 'b.ts', imports: ['c.ts'] },
      { file: 'c.ts', imports: ['a.ts'] },
    ])).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  test('every folder imports only the folders below it', () => {
    const violations = modules.flatMap(m => {
      if (m.file === ENTRY) return [];
      const from = folderOf(m.file);
      return m.imports
        .filter(i => folderOf(i) !== from && !LAYERS[from].includes(folderOf(i)))
        .map(i => `${m.file} imports ${i}: ${from}/ may import ${LAYERS[from].join(', ') || 'no other folder'}`);
    });
    expect(violations).toEqual([]);
  });

  test('nothing imports the entry point', () => {
    expect(modules.filter(m => m.imports.includes(ENTRY)).map(m => m.file)).toEqual([]);
  });

  test('the layer table is itself a strict order (no two folders may import each other, directly or not)', () => {
    const cycle = findCycle(Object.entries(LAYERS).map(([folder, allowed]) => ({ file: folder, imports: allowed })));
    expect(cycle).toBeUndefined();
  });
});

/**
 * What a fresh node process loads when it requires `targets` (their exports merged, as a deep-importing
 * program would use them), and whether the synth-time lint was then enabled on a chart with one policy.
 */
function loadInChild(targets: string[], policy: 'NetworkPolicy' | 'CiliumNetworkPolicy'): { modules: string[]; lintOnChart: boolean } {
  const script = `
    const { Chart, Testing } = require('cdk8s');
    const lib = Object.assign({}, ...${JSON.stringify(targets)}.map(t => require(t)));
    const loaded = Object.keys(require.cache);
    const chart = new Chart(Testing.app(), 'c');
    if (${JSON.stringify(policy)} === 'NetworkPolicy') {
      new lib.NetworkPolicy(chart, 'p', { podSelector: lib.Pods.all() }).denyAllIngress();
    } else {
      new lib.CiliumNetworkPolicy(chart, 'p', { endpointSelector: lib.Endpoints.all() }).denyFrom(lib.Entity.WORLD);
    }
    const lintOnChart = chart.node.tryFindChild('cdk8s-netpol-lint') !== undefined;
    process.stdout.write(JSON.stringify({ modules: loaded.map(f => require('path').relative(${JSON.stringify(ROOT)}, f)), lintOnChart }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

const LOADS_ANALYSIS = /^lib[\\/]analysis[\\/]/;
const LOADS_LINT = /^lib[\\/]lint[\\/]/;
// The `yaml` package this library depends on (cdk8s loads its own nested copy, which is not ours).
const OWN_YAML = path.relative(ROOT, path.dirname(require.resolve('yaml/package.json', { paths: [ROOT] }))) + path.sep;
const LOADS_YAML = { test: (f: string) => f.startsWith(OWN_YAML) };
const LOADS_CILIUM_L1 = /^lib[\\/]imports[\\/]cilium\.io\.js$/;

describe('compiled constructs required alone (a fresh node process, lib/ from npm test\'s compile step)', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(LIB, 'index.js'))) throw new Error(`${LIB}/index.js is missing: run "npx projen compile" (npm test does) before jest`);
  });

  test('lib/kubernetes (with lib/model) loads neither lib/analysis, lib/lint, yaml nor lib/imports/cilium.io, and enables no lint', () => {
    const child = loadInChild([path.join(LIB, 'kubernetes'), path.join(LIB, 'model')], 'NetworkPolicy');
    expect(child.modules.some(f => f.startsWith(`lib${path.sep}kubernetes`))).toBe(true);
    expect(child.modules.filter(f => LOADS_ANALYSIS.test(f) || LOADS_LINT.test(f) || LOADS_YAML.test(f) || LOADS_CILIUM_L1.test(f))).toEqual([]);
    expect(child.lintOnChart).toBe(false);
  });

  test('lib/cilium (with lib/model/cilium) loads neither lib/analysis, lib/lint nor yaml, and enables no lint', () => {
    const child = loadInChild([path.join(LIB, 'cilium'), path.join(LIB, 'model', 'cilium')], 'CiliumNetworkPolicy');
    expect(child.modules.some(f => LOADS_CILIUM_L1.test(f))).toBe(true);
    expect(child.modules.filter(f => LOADS_ANALYSIS.test(f) || LOADS_LINT.test(f) || LOADS_YAML.test(f))).toEqual([]);
    expect(child.lintOnChart).toBe(false);
  });

  test('the package entry point loads the lint, which then enables itself on every chart with a policy', () => {
    for (const policy of ['NetworkPolicy', 'CiliumNetworkPolicy'] as const) {
      const child = loadInChild([LIB], policy);
      expect(child.modules.some(f => LOADS_LINT.test(f))).toBe(true);
      expect(child.lintOnChart).toBe(true);
    }
  });
});

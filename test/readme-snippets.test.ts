import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The README's code blocks are what users copy: the ```ts blocks must typecheck against the
// package, and the ```python blocks must be Python.
//
// A ```ts block is compiled as a module of its own, as written. A block that is intentionally a
// fragment is marked with the line `<!-- snippet: partial -->` right before its fence; it is
// compiled with a prelude that imports every export of cdk8s-netpol (and App, Chart from cdk8s)
// it does not import itself and declares `app`, `chart` and `workloads`.

const root = path.join(__dirname, '..');
const README = path.join(root, 'README.md');
const PARTIAL = '<!-- snippet: partial -->';

interface Snippet {
  readonly language: string;
  readonly line: number; // line of the first code line in README.md (1-based)
  readonly code: string;
  readonly partial: boolean;
}

function snippets(markdown: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i]);
    if (!open) {
      if (/^```/.test(lines[i])) i = lines.indexOf('```', i + 1); // a fence without language: skip its body
      continue;
    }
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: code block is not closed`);
    out.push({ language: open[1], line: i + 2, code: lines.slice(i + 1, end).join('\n'), partial: lines[i - 1] === PARTIAL });
    i = end;
  }
  return out;
}

const all = snippets(fs.readFileSync(README, 'utf8'));

/** The names the package exports at its root (from src/index.ts, as users import them). */
function packageExports(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(root, 'src', 'index.ts'))!;
  return checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map((s) => s.name).sort();
}

function importedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from/g)) for (const n of m[1].split(',')) if (n.trim()) names.add(n.trim().split(/\s+as\s+/).pop()!);
  return names;
}

function prelude(code: string, exported: string[]): string {
  const own = importedNames(code);
  const lines: string[] = [];
  const cdk8s = ['App', 'Chart'].filter((n) => !own.has(n));
  if (cdk8s.length) lines.push(`import { ${cdk8s.join(', ')} } from 'cdk8s';`);
  const ours = exported.filter((n) => !own.has(n));
  if (ours.length) lines.push(`import { ${ours.join(', ')} } from 'cdk8s-netpol';`);
  lines.push('declare const app: App;', 'declare const chart: Chart;', 'declare const workloads: any[];');
  return lines.join(' ') + '\n'; // one line, so README line numbers stay right after subtracting it
}

describe('README code blocks', () => {
  const tsBlocks = all.filter((s) => s.language === 'ts');
  const pyBlocks = all.filter((s) => s.language === 'python');

  test('the README has TypeScript and Python examples', () => {
    expect(tsBlocks.length).toBeGreaterThan(0);
    expect(pyBlocks.length).toBeGreaterThan(0);
  });

  test('every ```ts block typechecks against the package', () => {
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['jest', 'node'],
      baseUrl: root,
      paths: { 'cdk8s-netpol': ['src/index.ts'], 'cdk8s-netpol/lib/*': ['src/*'] },
    };
    const base = ts.createProgram([path.join(root, 'src', 'index.ts')], options);
    const exported = packageExports(base);
    const files = new Map<string, { snippet: Snippet; offset: number }>();
    const sources = new Map<string, string>();
    tsBlocks.forEach((s, i) => {
      const file = path.join(root, `README.snippet-${i}.ts`);
      const head = s.partial ? prelude(s.code, exported) : '';
      sources.set(file, `${head}${s.code}\nexport {};\n`);
      files.set(file, { snippet: s, offset: head ? 1 : 0 });
    });
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    const getSource = host.getSourceFile.bind(host);
    host.readFile = (f) => sources.get(f) ?? read(f);
    host.fileExists = (f) => sources.has(f) || exists(f);
    host.getSourceFile = (f, v, onError, create) =>
      (sources.has(f) ? ts.createSourceFile(f, sources.get(f)!, v) : getSource(f, v, onError, create));
    const program = ts.createProgram([...sources.keys()], options, host, base);
    const errors: string[] = [];
    for (const [file, { snippet, offset }] of files) {
      for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(file))) {
        if (d.file?.fileName !== file) continue;
        const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
        const where = line < offset ? `${snippet.line - 1} (partial-snippet prelude)` : `${snippet.line + line - offset}`;
        errors.push(`README.md:${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    expect(errors).toEqual([]);
  }, 120_000);

  test('every ```python block is Python', () => {
    // ast.parse in a child process: the syntax of the python3 on PATH, no package needed.
    const check = [
      'import ast, json, sys',
      'for s in json.load(sys.stdin):',
      '    try: ast.parse(s["code"])',
      '    except SyntaxError as e: print(f"README.md:{s[\'line\'] + (e.lineno or 1) - 1}: {e.msg}")',
    ].join('\n');
    const out = execFileSync('python3', ['-c', check], { input: JSON.stringify(pyBlocks), encoding: 'utf8' });
    expect(out.split('\n').filter(Boolean)).toEqual([]);
  });
});

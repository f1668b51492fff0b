/**
 * Manifest lint benchmark: `cdk8s-netpol lint` on the analysis benchmark's generated clusters.
 *
 *   npx projen compile && npx ts-node --project bench/tsconfig.json bench/lint.ts [--sizes 1000,5000,10000,20000] [--runs 3] [--policy-api] [--lib DIR]
 *
 * (--lib: the compiled library to run, default lib/; e.g. a build of another commit, for a before/after.)
 * Each size is written once as one YAML file (bench/analysis.ts generateCluster; with --policy-api,
 * network-policy API objects in place of the Cilium policies). Every run is a fresh child process
 * running the lint command as the CLI does (lib/cli/lint.js runLintCommand, text report, loading
 * the lint included) in two ways, interleaved round by round so that load from other processes
 * hits both alike: with every check disabled (the anchor: reading the YAML, the strict reader's
 * validation, the context and the report) and with every check (the default). The median of the
 * runs is shown; "checks" is the difference, the cost of the checks themselves.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// yaml is a root dev dependency; bench/package.json lists only the bench's own ones.
// eslint-disable-next-line import/no-extraneous-dependencies
import { stringify } from 'yaml';
import { generateCluster, generatePolicyApi } from './analysis';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** The compiled library: lib/, or --lib. */
const LIB = path.resolve(arg('lib') ?? path.join(__dirname, '..', 'lib'));

type Mode = 'read only' | 'lint';
const MODES: Mode[] = ['read only', 'lint'];

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly peakMiB: number;
  readonly findings: number;
  readonly bytes: number;
}

function child(file: string, mode: Mode): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runLintCommand } = require(path.join(LIB, 'cli', 'lint.js'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Linter } = require(path.join(LIB, 'lint'));
  const disable = mode === 'read only'
    ? (Linter.checks() as { id: string }[]).map(c => c.id).filter(id => !id.startsWith('LINT')).join(',')
    : undefined;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = runLintCommand([file], { format: 'text', ...(disable ? { disable } : {}) });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  const summary = /(\d+) error\(s\), (\d+) warning\(s\), (\d+) info/.exec(r.stdout);
  const findings = summary ? Number(summary[1]) + Number(summary[2]) + Number(summary[3]) : -1;
  process.stdout.write(JSON.stringify({
    cpuMs: (cpu.user + cpu.system) / 1000, wallMs, peakMiB: process.resourceUsage().maxRSS / 1024, findings, bytes: r.stdout.length,
  } satisfies Sample) + '\n');
}

function runChild(file: string, mode: Mode): Sample {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--child', file, mode, '--lib', LIB], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`lint (${mode}) of ${file} failed:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  if (!fs.existsSync(path.join(LIB, 'cli', 'lint.js'))) throw new Error(`${LIB} is missing: run \`npx projen compile\` first`);
  const sizes = (arg('sizes') ?? '1000,5000,10000,20000').split(',').map(Number);
  const runs = Number(arg('runs') ?? '3');
  const policyApi = process.argv.includes('--policy-api');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-bench-'));
  const files = new Map<number, { file: string; policies: number; workloads: number; documents: number }>();
  for (const pods of sizes) {
    const docs = policyApi
      ? [...generateCluster(pods).filter(d => !String(d.apiVersion).startsWith('cilium.io/')), ...generatePolicyApi(pods)]
      : generateCluster(pods);
    const file = path.join(dir, `cluster-${pods}.yaml`);
    fs.writeFileSync(file, docs.map(d => stringify(d, { aliasDuplicateObjects: false })).join('---\n'));
    files.set(pods, {
      file,
      policies: docs.filter(d => /Policy$/.test(d.kind)).length,
      workloads: Math.round(pods / 5),
      documents: docs.length,
    });
  }
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}; median of ${runs} runs, each in a fresh process, `
    + 'sizes and modes interleaved round by round');
  console.log('lint = `cdk8s-netpol lint FILE` (lib/cli/lint.js runLintCommand, text report); read only = the same with every check disabled;');
  console.log('CPU = user+system of the process (robust to load from other processes), wall = elapsed, peak RSS of the process\n');
  const samples = new Map<string, Sample[]>();
  for (let r = 0; r < runs; r++) {
    for (const pods of sizes) {
      for (const mode of MODES) {
        const key = `${pods}|${mode}`;
        const s = runChild(files.get(pods)!.file, mode);
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key)!.push(s);
        process.stderr.write(`  ${pods} pods, ${mode}: CPU ${s.cpuMs.toFixed(0)} ms, wall ${s.wallMs.toFixed(0)} ms, ${s.peakMiB.toFixed(0)} MiB, ${s.findings} findings\n`);
      }
    }
  }
  const fmt = (n: number) => n.toLocaleString('en-US');
  const sec = (ms: number) => (ms / 1000).toFixed(2);
  console.log('| pods | policies | workloads | findings | read only CPU (s) | lint CPU (s) | lint wall (s) | checks CPU (s) | lint vs read only | peak RSS (MiB) | lint CPU per policy (ms) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const pods of sizes) {
    const f = files.get(pods)!;
    const read = samples.get(`${pods}|read only`)!;
    const lint = samples.get(`${pods}|lint`)!;
    const readCpu = median(read.map(s => s.cpuMs));
    const lintCpu = median(lint.map(s => s.cpuMs));
    console.log(`| ${fmt(pods)} | ${fmt(f.policies)} | ${fmt(f.workloads)} | ${fmt(median(lint.map(s => s.findings)))} | ${sec(readCpu)} | ${sec(lintCpu)} | `
      + `${sec(median(lint.map(s => s.wallMs)))} | ${sec(lintCpu - readCpu)} | ${(lintCpu / readCpu).toFixed(2)}x | ${median(lint.map(s => s.peakMiB)).toFixed(0)} | `
      + `${(lintCpu / f.policies).toFixed(2)} |`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4] as Mode);
} else {
  main();
}

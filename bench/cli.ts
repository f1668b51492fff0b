// CLI benchmark: wall time of whole command-line runs, as CI runs them, against `node -e 0` (the
// anchor: starting Node alone) measured in the same run, interleaved, median of runs.
//
// - `cdk8s-netpol --help` and `--version`: start-up (the CLI loads the analyser and the lint only
//   for the commands that need them);
// - `cdk8s-netpol analyze` and `lint` of every case of ../shared/conformance/netpol-analyzer*
//   (a dozen workloads each): start-up plus reading and analysing a small input.
//
// Usage (from the project root, after `npx projen compile`):
//   npx ts-node --project bench/tsconfig.json bench/cli.ts [--runs 7] [--cases 5]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const SHARED = path.resolve(ROOT, '..', 'shared', 'conformance');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Case folders (`input/`) of the netpol-analyzer suites in ../shared. */
function cases(limit: number): { name: string; input: string }[] {
  const out: { name: string; input: string }[] = [];
  for (const suite of ['netpol-analyzer', 'netpol-analyzer-admin', 'netpol-analyzer-exposure']) {
    const dir = path.join(SHARED, suite);
    if (!fs.existsSync(dir)) continue;
    for (const c of fs.readdirSync(dir).sort()) {
      const input = path.join(dir, c, 'input');
      if (fs.existsSync(input)) out.push({ name: `${suite}/${c}`, input });
    }
  }
  return Number.isFinite(limit) ? out.slice(0, limit) : out;
}

function wallMs(cmd: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'ignore'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx projen compile\` first`);
  const runs = arg('runs', 7);
  const list = cases(arg('cases', Infinity));
  const commands: { name: string; cmd: string[] }[] = [
    { name: '`node -e 0` (anchor)', cmd: [process.execPath, '-e', '0'] },
    { name: '`cdk8s-netpol --help`', cmd: [process.execPath, CLI, '--help'] },
    { name: '`cdk8s-netpol --version`', cmd: [process.execPath, CLI, '--version'] },
    ...list.map((c) => ({ name: `analyze ${c.name}`, cmd: [process.execPath, CLI, 'analyze', c.input, '-q'] })),
    ...list.slice(0, 3).map((c) => ({ name: `lint ${c.name}`, cmd: [process.execPath, CLI, 'lint', c.input] })),
  ];
  const samples = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  for (let r = 0; r < runs; r++) {
    // interleaved: every command once per round, so load on the machine hits all alike
    for (const c of commands) samples.get(c.name)!.push(wallMs(c.cmd));
  }
  const anchor = median(samples.get(commands[0].name)!);
  console.log(`Node ${process.version}, ${runs} runs each (median wall ms), interleaved\n`);
  console.log('| command | wall ms | × `node -e 0` |');
  console.log('|---|---:|---:|');
  for (const c of commands) {
    const m = median(samples.get(c.name)!);
    console.log(`| ${c.name} | ${m.toFixed(0)} | ${(m / anchor).toFixed(2)} |`);
  }
  const analyses = commands.filter((c) => c.name.startsWith('analyze ')).map((c) => median(samples.get(c.name)!));
  if (analyses.length) {
    console.log(`\nanalyze over ${analyses.length} cases: median ${median(analyses).toFixed(0)} ms, max ${Math.max(...analyses).toFixed(0)} ms, `
      + `sum ${(analyses.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s (anchor ${anchor.toFixed(0)} ms)`);
  }
}

main();

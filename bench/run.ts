// Constructs benchmark: synthesise N NetworkPolicies (3 rules each) with cdk8s-netpol, with
// the raw L1 KubeNetworkPolicy, and with cdk8s-plus, N = 1,000 and 10,000.
//
// All three run precompiled JavaScript: this library from lib/ (jsii output), the L1 from
// lib/imports/k8s.js, cdk8s-plus from its package.
// Each library x size x repetition runs in its own child process, so peak memory (maxRSS)
// and time are not polluted by the other runs. Time covers building the constructs and
// `app.synthYaml()` (resolution, validation, YAML); module loading is excluded.
//
// Usage (from the project root): npm ci --prefix bench && npm run bench
// Options by environment: BENCH_SIZES=1000,10000 (policies per run), BENCH_RUNS=5 (median of:
// single runs vary by 15% and raw's peak memory is bimodal),
// BENCH_LIB=<folder> (the compiled library to measure; default lib/).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';

/**
 * The compiled library (jsii output of `npx projen compile`, which `npm run bench` runs first);
 * BENCH_LIB names another copy of it (e.g. a build of an earlier commit, to compare in one run).
 */
const LIB = process.env.BENCH_LIB ? path.resolve(process.env.BENCH_LIB) : path.resolve(__dirname, '..', 'lib');

type Lib = 'cdk8s-netpol' | 'cdk8s-netpol, lint off' | 'raw KubeNetworkPolicy' | 'cdk8s-plus-33';
const LIBS: Lib[] = ['cdk8s-netpol', 'cdk8s-netpol, lint off', 'raw KubeNetworkPolicy', 'cdk8s-plus-33'];

interface Sample {
  /** Wall-clock milliseconds to build and synthesise. */
  readonly ms: number;
  /** CPU milliseconds (user + system, all threads incl. GC) to build and synthesise. */
  readonly cpuMs: number;
  /** Peak resident set size of the child, MiB. */
  readonly peakMiB: number;
  /** Resident set size after loading modules and before building, MiB. */
  readonly baseMiB: number;
  /** Length of the YAML produced (sanity check). */
  readonly yamlBytes: number;
  readonly documents: number;
}

/** The spec every library must produce for policy i (cdk8s-plus splits multi-peer rules, see README). */
function expectedSpec(i: number): any {
  return {
    podSelector: { matchLabels: { app: `app-${i}` } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: { role: 'frontend' } } }, { namespaceSelector: { matchLabels: { project: 'myproject' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
      {
        from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }],
        ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'UDP', port: 53 }],
      },
    ],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
  };
}

function child(lib: Lib, n: number): void {
  if (!fs.existsSync(path.join(LIB, 'index.js'))) throw new Error(`${LIB} is missing: run \`npx projen compile\` (npm run bench does)`);
  // Load everything before the clock starts; each child loads only the library it measures.
  let build: (chart: any, i: number) => void;
  if (lib === 'cdk8s-netpol' || lib === 'cdk8s-netpol, lint off') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { NetworkPolicy, Pods, Namespaces, IpBlock, Port, Lint } = require(LIB);
    build = (chart, i) => {
      const np = new NetworkPolicy(chart, `np${i}`, { metadata: { name: `np-${i}` }, podSelector: Pods.withLabels({ app: `app-${i}` }) });
      // The synth-time lint (on by default) checks all policies together; off, synth costs only the policies.
      if (i === 0 && lib === 'cdk8s-netpol, lint off') Lint.disable(chart);
      np.allowFrom(Pods.withLabels({ role: 'frontend' }), Namespaces.withLabels({ project: 'myproject' })).toPort(8080);
      np.allowFrom(IpBlock.cidr('172.17.0.0/16', ['172.17.1.0/24'])).toPorts(Port.tcp(443), Port.udp(53));
      np.allowTo(IpBlock.cidr('10.0.0.0/24')).toPort(5978);
    };
  } else if (lib === 'raw KubeNetworkPolicy') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KubeNetworkPolicy, IntOrString } = require(path.join(LIB, 'imports', 'k8s'));
    build = (chart, i) => {
      new KubeNetworkPolicy(chart, `np${i}`, {
        metadata: { name: `np-${i}` },
        spec: {
          podSelector: { matchLabels: { app: `app-${i}` } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { role: 'frontend' } } }, { namespaceSelector: { matchLabels: { project: 'myproject' } } }],
              ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(8080) }],
            },
            {
              from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }],
              ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(443) }, { protocol: 'UDP', port: IntOrString.fromNumber(53) }],
            },
          ],
          egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(5978) }] }],
        },
      });
    };
  } else {
    const plusPath = require.resolve('cdk8s-plus-33');
    // cdk8s-plus must use the project's cdk8s, or its constructs would not belong to our App.
    if (require.resolve('cdk8s', { paths: [path.dirname(plusPath)] }) !== require.resolve('cdk8s')) {
      throw new Error('cdk8s-plus-33 resolves a second copy of cdk8s; install bench deps with `npm ci --prefix bench` (legacy-peer-deps)');
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const kplus = require('cdk8s-plus-33');
    build = (chart, i) => {
      const np = new kplus.NetworkPolicy(chart, `np${i}`, {
        metadata: { name: `np-${i}` },
        selector: kplus.Pods.select(chart, `sel${i}`, { labels: { app: `app-${i}` } }),
      });
      const ports8080 = [kplus.NetworkPolicyPort.tcp(8080)];
      np.addIngressRule(kplus.Pods.select(chart, `fe${i}`, { labels: { role: 'frontend' } }), ports8080);
      np.addIngressRule(kplus.Namespaces.select(chart, `ns${i}`, { labels: { project: 'myproject' } }), ports8080);
      np.addIngressRule(kplus.NetworkPolicyIpBlock.ipv4(chart, `ipi${i}`, '172.17.0.0/16', ['172.17.1.0/24']),
        [kplus.NetworkPolicyPort.tcp(443), kplus.NetworkPolicyPort.udp(53)]);
      np.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(chart, `ipe${i}`, '10.0.0.0/24'), [kplus.NetworkPolicyPort.tcp(5978)]);
    };
  }
  // Correctness first: the library and the raw L1 must write exactly the expected spec.
  if (!lib.startsWith('cdk8s-plus')) {
    const probe = new cdk8s.App({ outdir: '/tmp/unused' });
    build(new cdk8s.Chart(probe, 'probe'), 7);
    const got = probe.charts[0].toJson()[0].spec;
    if (JSON.stringify(sortDeep(got)) !== JSON.stringify(sortDeep(expectedSpec(7)))) {
      throw new Error(`${lib} does not produce the expected spec:\n${JSON.stringify(got)}`);
    }
  }
  const baseMiB = process.memoryUsage().rss / 1048576;

  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const app = new cdk8s.App({ outdir: '/tmp/unused' });
  const chart = new cdk8s.Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) build(chart, i);
  const yaml: string = app.synthYaml();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);

  const documents = yaml.split('\n---\n').length;
  process.stdout.write(JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    baseMiB,
    yamlBytes: yaml.length,
    documents,
  } satisfies Sample) + '\n');
}

function sortDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortDeep(v[k])]));
  return v;
}

function runChild(lib: Lib, n: number): Sample {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--child', lib, String(n)], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${lib} x ${n} failed:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? '5');
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}; median of ${runs} runs, each in a fresh process, libraries interleaved`);
  console.log('time = build constructs + app.synthYaml() (CPU = user+system of the process, robust to load from other processes; wall = elapsed);');
  console.log('memory = peak RSS of the process, and peak RSS above the RSS after module load ("work"); ratios are against raw KubeNetworkPolicy\n');
  const rows: string[][] = [['policies', 'library', 'CPU (ms)', 'wall (ms)', 'peak RSS (MiB)', 'work RSS (MiB)', 'CPU vs raw', 'wall vs raw', 'work RSS vs raw']];
  for (const n of sizes) {
    // Round-robin over the libraries, so load from other processes hits all of them alike.
    const samples = new Map<Lib, Sample[]>(LIBS.map(lib => [lib, []]));
    for (let r = 0; r < runs; r++) {
      for (const lib of LIBS) {
        const sample = runChild(lib, n);
        if (sample.documents !== n) throw new Error(`${lib} x ${n}: expected ${n} documents, got ${sample.documents}`);
        samples.get(lib)!.push(sample);
      }
    }
    const results = new Map<Lib, { ms: number; cpu: number; peak: number; delta: number }>();
    for (const lib of LIBS) {
      const s = samples.get(lib)!;
      results.set(lib, {
        ms: median(s.map(x => x.ms)),
        cpu: median(s.map(x => x.cpuMs)),
        peak: median(s.map(x => x.peakMiB)),
        delta: median(s.map(x => x.peakMiB - x.baseMiB)),
      });
      process.stderr.write(`  ${lib} x ${n}: CPU ${s.map(x => x.cpuMs.toFixed(0)).join(', ')} ms; wall ${s.map(x => x.ms.toFixed(0)).join(', ')} ms; `
        + `${s.map(x => x.peakMiB.toFixed(0)).join(', ')} MiB peak\n`);
    }
    const raw = results.get('raw KubeNetworkPolicy')!;
    for (const lib of LIBS) {
      const x = results.get(lib)!;
      rows.push([
        n.toLocaleString('en-US'), lib, x.cpu.toFixed(0), x.ms.toFixed(0), x.peak.toFixed(0), x.delta.toFixed(0),
        `${(x.cpu / raw.cpu).toFixed(2)}x`, `${(x.ms / raw.ms).toFixed(2)}x`, `${(x.delta / raw.delta).toFixed(2)}x`,
      ]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w, c) => (c < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  rows.slice(1).forEach(r => console.log(line(r)));
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as Lib, Number(process.argv[4]));
} else {
  main();
}

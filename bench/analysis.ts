/**
 * Connectivity analysis benchmark.
 *
 *   npx ts-node --project test/tsconfig.json bench/analysis.ts [--sizes 1000,5000,20000] [--runs 3] [--policy-api] [--src DIR[,DIR...]] [--anchor COMMIT] [--whole-text] [--hash]
 *
 * Generates synthetic clusters deterministically (seeded) with workloads of 5 pods (half as
 * Deployments with 5 replicas, half as 5 owner-referenced Pods), mixed selectors, ipBlocks, named
 * ports, Kubernetes and Cilium policies (one policy per 5 pods), writes them as YAML, and measures
 * the full connectivity of all workload pairs (load + analysis + the text report, streamed as the
 * CLI writes it). With --policy-api,
 * the Cilium policies are replaced by network-policy API objects (generatePolicyApi), analysed in
 * kubernetes mode. Each size runs in
 * its own child process so peak memory (maxRSS) is per size.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// yaml is a root dev dependency; bench/package.json lists only the bench's own ones.
// eslint-disable-next-line import/no-extraneous-dependencies
import { stringify } from 'yaml';

const PODS_PER_WORKLOAD = 5;
const TIERS = ['web', 'api', 'db', 'cache', 'worker'];
const CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '203.0.113.0/24', '198.51.100.0/24', '0.0.0.0/0', '100.64.0.0/10', '8.8.8.0/24'];
/** An exception strictly inside each of CIDRS (the API server and Cilium reject one outside). */
const EXCEPT: { [cidr: string]: string } = {
  '10.0.0.0/8': '10.1.0.0/16',
  '172.16.0.0/12': '172.17.0.0/16',
  '192.168.0.0/16': '192.168.1.0/24',
  '203.0.113.0/24': '203.0.113.128/25',
  '198.51.100.0/24': '198.51.100.0/26',
  '0.0.0.0/0': '10.1.0.0/16',
  '100.64.0.0/10': '100.65.0.0/16',
  '8.8.8.0/24': '8.8.8.8/32',
};

/** A small seeded PRNG (mulberry32), so generated clusters are the same on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCluster(pods: number, seed = 42, maxClusterwide = Infinity): any[] {
  const r = rng(seed + pods);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const workloads = Math.round(pods / PODS_PER_WORKLOAD);
  const policies = Math.round(pods / 5);
  const namespaces = Math.max(2, Math.round(workloads / 25));
  const out: any[] = [];
  for (let n = 0; n < namespaces; n++) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${n}`, labels: { team: `team${n % 7}`, env: n % 3 === 0 ? 'prod' : 'dev' } } });
  }
  for (let w = 0; w < workloads; w++) {
    const ns = `ns${w % namespaces}`;
    const tier = TIERS[w % TIERS.length];
    const labels = { app: `app${w}`, tier, group: `g${w % 11}` };
    const ports = [
      { name: 'http', containerPort: 8000 + (w % 50) },
      { name: 'metrics', containerPort: 9100 },
      ...(tier === 'db' ? [{ name: 'sql', containerPort: 5432 }] : []),
      ...(tier === 'cache' ? [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] : []),
    ];
    const spec = { containers: [{ name: 'main', image: `img${w}`, ports }] };
    if (w % 2 === 0) {
      out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `w${w}`, namespace: ns }, spec: { replicas: PODS_PER_WORKLOAD, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } } });
    } else {
      for (let p = 0; p < PODS_PER_WORKLOAD; p++) {
        out.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `w${w}-${p}`, namespace: ns, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `w${w}-rs`, uid: `uid-w${w}-rs`, controller: true }] },
          spec,
        });
      }
    }
  }
  const sel = (): any => {
    const k = r();
    if (k < 0.4) return { matchLabels: { tier: pick(TIERS) } };
    if (k < 0.7) return { matchLabels: { app: `app${Math.floor(r() * workloads)}` } };
    if (k < 0.9) return { matchExpressions: [{ key: 'group', operator: 'In', values: [`g${Math.floor(r() * 11)}`, `g${Math.floor(r() * 11)}`] }] };
    return {};
  };
  const port = () => (r() < 0.3 ? { port: pick(['http', 'metrics', 'sql']) } : r() < 0.5 ? { port: 8000, endPort: 8049 } : { port: pick([80, 443, 5432, 9100]) });
  for (let i = 0; i < policies; i++) {
    const ns = `ns${i % namespaces}`;
    if (i % 5 === 4) {
      // Cilium
      const clusterwide = i % 25 === 24 && i / 25 < maxClusterwide;
      const spec: any = { endpointSelector: sel() };
      const k = r();
      if (k < 0.5) {
        spec.ingress = [
          { fromEndpoints: [sel()], toPorts: [{ ports: [{ port: String(pick([80, 8080, 9100])), protocol: 'TCP' }], ...(r() < 0.3 ? { rules: { http: [{ method: 'GET', path: '/api/.*' }] } } : {}) }] },
          ...(r() < 0.3 ? [{ fromEntities: [pick(['world', 'cluster', 'host'])] }] : []),
        ];
        if (r() < 0.2) spec.ingressDeny = [{ fromCIDRSet: [{ cidr: pick(CIDRS) }] }];
      } else {
        spec.egress = [
          { toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': `ns${Math.floor(r() * namespaces)}`, 'tier': pick(TIERS) } }] },
          ((c: string) => ({ toCIDRSet: [{ cidr: c, except: [EXCEPT[c]] }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }))(pick(CIDRS)),
          ...(r() < 0.3 ? [{ toFQDNs: [{ matchName: `svc${Math.floor(r() * 20)}.example.com` }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] : []),
        ];
      }
      out.push(clusterwide
        ? { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: `ccnp${i}` }, spec }
        : { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: `cnp${i}`, namespace: ns }, spec });
      continue;
    }
    const peer = (): any => {
      const k = r();
      if (k < 0.35) return { podSelector: sel() };
      if (k < 0.6) return { namespaceSelector: { matchLabels: { team: `team${Math.floor(r() * 7)}` } } };
      if (k < 0.8) return { namespaceSelector: { matchLabels: { env: pick(['prod', 'dev']) } }, podSelector: sel() };
      const cidr = pick(CIDRS);
      return { ipBlock: { cidr, except: r() < 0.5 ? [EXCEPT[cidr]] : [] } };
    };
    const spec: any = { podSelector: sel(), ingress: [{ from: [peer(), peer()], ports: [port(), port()] }] };
    if (r() < 0.4) {
      spec.policyTypes = ['Ingress', 'Egress'];
      spec.egress = [{ to: [peer()], ports: [port()] }, { ports: [{ port: 53, protocol: 'UDP' }] }];
    }
    out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: ns }, spec });
  }
  return out;
}

/**
 * Network-policy API objects for a generated cluster of `pods` pods (one per 25 pods, 4 to 60):
 * AdminNetworkPolicies (some at equal priorities), ClusterNetworkPolicies of both tiers and the
 * BaselineAdminNetworkPolicy, with namespace and pod subjects, pod, namespace and networks peers,
 * port numbers, ranges and named ports, and every action.
 */
export function generatePolicyApi(pods: number, seed = 42): any[] {
  const r = rng(seed * 31 + pods);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const workloads = Math.round(pods / PODS_PER_WORKLOAD);
  // cluster-wide admin policies are few in practice: one per 25 pods, at most 60
  const count = Math.max(4, Math.min(60, Math.round(pods / 25)));
  const podSel = (): any => {
    const k = r();
    return k < 0.5 ? { matchLabels: { tier: pick(TIERS) } } : k < 0.8 ? { matchLabels: { app: `app${Math.floor(r() * workloads)}` } } : {};
  };
  const nsSel = (): any => {
    const k = r();
    return k < 0.4 ? { matchLabels: { team: `team${Math.floor(r() * 7)}` } } : k < 0.8 ? { matchLabels: { env: pick(['prod', 'dev']) } } : {};
  };
  // v1alpha2 `pods` may leave out namespaceSelector (every namespace)
  const podsPeer = (v2: boolean): any => ({
    pods: v2 && r() < 0.3 ? { podSelector: podSel() } : { namespaceSelector: nsSel(), podSelector: podSel() },
  });
  const subject = (v2: boolean): any => (r() < 0.4 ? { namespaces: nsSel() } : podsPeer(v2));
  const ingressPeer = (v2: boolean): any => (r() < 0.5 ? { namespaces: nsSel() } : podsPeer(v2));
  const networks = () => [pick(CIDRS), pick(CIDRS)].filter((c, i, a) => a.indexOf(c) === i);
  const egressPeer = (v2: boolean): any => (r() < 0.3 ? { networks: networks() } : ingressPeer(v2));
  const v1Ports = (named: boolean): any[] | undefined => {
    if (r() < 0.3) return undefined;
    return [0, 1].slice(0, 1 + Math.floor(r() * 2)).map(() => {
      const k = r();
      if (named && k < 0.25) return { namedPort: pick(['http', 'sql', 'dns', 'metrics']) };
      if (k < 0.6) return { portNumber: { protocol: pick(['TCP', 'TCP', 'UDP', 'SCTP']), port: pick([53, 80, 443, 5432, 8000, 9100]) } };
      return { portRange: { protocol: pick(['TCP', 'UDP']), start: 8000, end: 8000 + Math.floor(r() * 60) } };
    });
  };
  const v2Protocols = (named: boolean): any[] | undefined => {
    if (r() < 0.3) return undefined;
    return [0, 1].slice(0, 1 + Math.floor(r() * 2)).map(() => {
      const k = r();
      if (named && k < 0.25) return { destinationNamedPort: pick(['http', 'sql', 'dns', 'metrics']) };
      const dp = k < 0.6 ? { number: pick([53, 80, 443, 5432, 8000, 9100]) } : { range: { start: 8000, end: 8001 + Math.floor(r() * 60) } };
      return { [pick(['tcp', 'tcp', 'udp', 'sctp'])]: { destinationPort: dp } };
    });
  };
  const rules = (v2: boolean, baseline: boolean, dir: 'ingress' | 'egress'): any[] => {
    const n = Math.floor(r() * 4);
    const out: any[] = [];
    for (let i = 0; i < n; i++) {
      const to = [egressPeer(v2), ...(r() < 0.3 ? [egressPeer(v2)] : [])];
      const peers = dir === 'ingress' ? [ingressPeer(v2), ...(r() < 0.3 ? [ingressPeer(v2)] : [])] : to;
      // named ports only towards pods (the CRDs reject them beside networks peers)
      const named = !peers.some((p) => p.networks);
      const actions = baseline ? (v2 ? ['Accept', 'Deny'] : ['Allow', 'Deny']) : (v2 ? ['Accept', 'Deny', 'Pass'] : ['Allow', 'Deny', 'Pass']);
      const rule: any = { name: `${dir}-${i}`, action: pick(actions), [dir === 'ingress' ? 'from' : 'to']: peers };
      const ports = v2 ? v2Protocols(named) : v1Ports(named);
      if (ports) rule[v2 ? 'protocols' : 'ports'] = ports;
      out.push(rule);
    }
    return out;
  };
  const spec = (v2: boolean, baseline: boolean): any => {
    const s: any = { subject: subject(v2) };
    const ing = rules(v2, baseline, 'ingress');
    const eg = rules(v2, baseline, 'egress');
    if (ing.length) s.ingress = ing;
    if (eg.length) s.egress = eg;
    return s;
  };
  const out: any[] = [];
  for (let i = 0; i < count; i++) {
    const k = i % 4;
    // priorities from a small set, so that some are equal (the order is then undefined, and warned about)
    const priority = pick([5, 10, 20, 30, 40, 50]);
    if (k === 0 || k === 1) {
      out.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `anp${i}` }, spec: { priority, ...spec(false, false) } });
    } else {
      const tier = k === 2 ? 'Admin' : 'Baseline';
      out.push({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: `cnp${i}` }, spec: { tier, priority, ...spec(true, tier === 'Baseline') } });
    }
  }
  out.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: spec(false, true) });
  return out;
}

/** Writes the cluster as YAML; the generated objects are not kept (they would stay in the measured heap). */
function writeCluster(dir: string, pods: number, maxClusterwide: number, policyApi: boolean): { file: string; policies: number } {
  // with --policy-api: the network-policy API objects too, and no Cilium policies (whose presence
  // would make the default mode cilium, which does not enforce them)
  const docs = policyApi
    ? [...generateCluster(pods, 42, maxClusterwide).filter((d) => !String(d.apiVersion).startsWith('cilium.io/')), ...generatePolicyApi(pods, 42)]
    : generateCluster(pods, 42, maxClusterwide);
  const file = path.join(dir, 'cluster.yaml');
  fs.writeFileSync(file, docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join('---\n'));
  return { file, policies: docs.filter((d) => /Policy$/.test(d.kind)).length };
}

/**
 * One measured analysis of a cluster file the parent wrote: the child starts as `cdk8s-netpol
 * analyze` does, with a heap that holds nothing but the loaded modules (the generator's objects
 * would otherwise be collected during the measured time).
 */
function child(file: string, pods: number, policies: number, src: string) {
  // loaded lazily so the parent does not pay for it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConnectivityAnalysis, OutputFormat } = require(path.join(src, 'analysis'));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const a = ConnectivityAnalysis.fromFiles([file]);
  const t1 = process.hrtime.bigint();
  // the text report as `cdk8s-netpol analyze` writes it: chunk by chunk (each chunk is counted and
  // dropped, as once written); toText() would hold the whole report (225 MB at 20,000 pods) at once
  let lines = 0;
  let bytes = 0;
  // --hash: a digest of the report, so that before/after runs (--src) show the same verdicts
  // (off by default: hashing 225 MB would count in the measured time)
  const digest = process.argv.includes('--hash') ? createHash('sha256') : undefined;
  // --whole-text: the report as one string (toText()), as the library API returns it
  const chunks: Iterable<string> = process.argv.includes('--whole-text') ? [a.toText()] : a._formatChunks(OutputFormat.TXT);
  for (const chunk of chunks) {
    bytes += chunk.length;
    digest?.update(chunk);
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
  }
  const t2 = process.hrtime.bigint();
  const cpu = process.cpuUsage(c0);
  const workloads = a.workloads.length;
  const res = {
    reportMB: bytes / 1048576,
    pods,
    policies,
    workloads,
    pairs: workloads * workloads,
    lines,
    loadMs: Number(t1 - t0) / 1e6,
    analyseMs: Number(t2 - t1) / 1e6,
    totalMs: Number(t2 - t0) / 1e6,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    diagnostics: a.diagnostics.length,
    reportSha256: digest ? digest.digest('hex').slice(0, 16) : '-',
  };
  process.stdout.write(JSON.stringify(res) + '\n');
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const SRC = path.join(__dirname, '..', 'src');

/** The src/ of a commit of this repository, extracted once under bench/results/anchor-COMMIT. */
function anchorSrc(commit: string): string {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new Error(`--anchor ${commit}: give a commit hash (e.g. 2b65d1e)`);
  const root = path.join(__dirname, '..');
  const dir = path.join(__dirname, 'results', `anchor-${commit}`);
  if (!fs.existsSync(path.join(dir, 'src'))) {
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync('sh', ['-c', `git -C "${root}" archive ${commit} src | tar -x -C "${dir}"`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`--anchor ${commit}: cannot extract its src/ (${r.stderr.trim()}); the clone needs that commit`);
  }
  return path.join(dir, 'src');
}

function parent() {
  const sizes = (argValue('--sizes') ?? '1000,5000,20000').split(',').map(Number);
  const maxCw = Number(argValue('--max-clusterwide') ?? Infinity);
  const runs = Number(argValue('--runs') ?? 1);
  // --src DIR[,DIR...]: analyse with other checkouts' src/ too (before/after in one interleaved run)
  const srcs = (argValue('--src') ?? SRC).split(',').map((d) => path.resolve(d));
  // --anchor COMMIT: that commit's src/ as a second checkout (extracted with git under bench/results,
  // so that it resolves the project's node_modules), measured in the same run
  const anchor = argValue('--anchor');
  if (anchor) srcs.push(anchorSrc(anchor));
  const policyApi = process.argv.includes('--policy-api');
  const key = (src: string, s: number) => `${src}\u0000${s}`;
  const results = new Map<string, any[]>();
  // each size written once, before any measurement; every child reads the same file
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-bench-'));
  const clusters = new Map(sizes.map((s) => {
    const sizeDir = path.join(dir, String(s));
    fs.mkdirSync(sizeDir);
    return [s, writeCluster(sizeDir, s, maxCw, policyApi)] as const;
  }));
  // runs interleaved (every size and source once per round), so that load from other processes
  // spreads over all of them
  for (let round = 0; round < runs; round++) {
    for (const s of sizes) {
      for (const src of srcs) {
        const flags = [...(process.argv.includes('--whole-text') ? ['--whole-text'] : []), ...(process.argv.includes('--hash') ? ['--hash'] : [])];
        const { file, policies } = clusters.get(s)!;
        const r = spawnSync(process.execPath, ['-r', 'ts-node/register', __filename, '--child', file, String(s), String(policies), '--src', src, ...flags], {
          env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        });
        if (r.status !== 0) {
          process.stderr.write(r.stderr);
          throw new Error(`benchmark child for ${s} pods failed`);
        }
        const row = JSON.parse(r.stdout.trim().split('\n').pop()!);
        const l = results.get(key(src, s)) ?? [];
        l.push(row);
        results.set(key(src, s), l);
        process.stdout.write(`${s} pods, ${srcs.length > 1 ? `${src}, ` : ''}run ${round + 1}/${runs}: ${row.totalMs.toFixed(0)} ms, CPU ${row.cpuMs.toFixed(0)} ms, ${row.maxRssMB.toFixed(0)} MB, report ${row.reportSha256}\n`);
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // the median of each figure over the runs
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[(a.length - 1) >> 1];
  const fmt = (n: number) => n.toLocaleString('en-US');
  for (const src of srcs) {
    process.stdout.write(`\n${srcs.length > 1 ? `${src}: ` : ''}${runs} run(s) per size, medians\n`);
    process.stdout.write('\n| pods | policies | workloads | workload pairs | connections | load (s) | analysis (s) | total (s) | CPU (s) | peak RSS (MB) | µs per pair |\n');
    process.stdout.write('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n');
    for (const s of sizes) {
      const l = results.get(key(src, s))!;
      const r: any = { ...l[0] };
      for (const k of ['loadMs', 'analyseMs', 'totalMs', 'cpuMs', 'maxRssMB']) r[k] = median(l.map((x) => x[k]));
      process.stdout.write(`| ${fmt(r.pods)} | ${fmt(r.policies)} | ${fmt(r.workloads)} | ${fmt(r.pairs)} | ${fmt(r.lines)} | ${(r.loadMs / 1000).toFixed(2)} | ${(r.analyseMs / 1000).toFixed(2)} | ${(r.totalMs / 1000).toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} | ${r.maxRssMB.toFixed(0)} | ${((r.totalMs * 1000) / r.pairs).toFixed(2)} |\n`);
    }
  }
}

if (require.main === module) {
  const c = process.argv.indexOf('--child');
  if (c > 0) child(process.argv[c + 1], Number(process.argv[c + 2]), Number(process.argv[c + 3]), argValue('--src') ?? SRC);
  else parent();
}

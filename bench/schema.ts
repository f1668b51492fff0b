/**
 * Schema validation benchmark: the generated schema tables and their interpreter (src/wire/schema,
 * compiled in lib/) against the alternative technique, ajv standalone code generated from the same
 * schemas (objects closed as in conformance/schema-validator.ts, patterns on RE2).
 *
 *   npx projen compile && npx ts-node -T --project test/tsconfig.json bench/schema.ts [--pods 20000]
 *
 * Measures the size of each technique's code, its `require` time (a fresh process each time,
 * median of 7), and the time to validate a synthetic cluster (bench/analysis.ts generateCluster:
 * Pods, Deployments, Namespaces, NetworkPolicies, Cilium policies; median of 5 after a warm-up).
 * Needs ../shared (the ajv code is generated from the schema files).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// ajv is a dev dependency of the project root; bench/package.json lists only bench-only ones.
// eslint-disable-next-line import/no-extraneous-dependencies
import Ajv, { _ } from 'ajv';
// eslint-disable-next-line import/no-extraneous-dependencies
import standaloneCode from 'ajv/dist/standalone';
import { generateCluster } from './analysis';
import { closeObjects, SHARED } from '../conformance/schema-validator';

const ROOT = path.resolve(__dirname, '..');
const LIB_SCHEMA = path.join(ROOT, 'lib', 'wire', 'schema');
const RUNS = 7;

const KUBE: { [gvk: string]: string } = {
  'networking.k8s.io/v1 NetworkPolicy': 'io.k8s.api.networking.v1.NetworkPolicy',
  'v1 Namespace': 'io.k8s.api.core.v1.Namespace',
  'v1 Pod': 'io.k8s.api.core.v1.Pod',
  'v1 Service': 'io.k8s.api.core.v1.Service',
  'v1 Node': 'io.k8s.api.core.v1.Node',
  'v1 ReplicationController': 'io.k8s.api.core.v1.ReplicationController',
  'apps/v1 Deployment': 'io.k8s.api.apps.v1.Deployment',
  'apps/v1 ReplicaSet': 'io.k8s.api.apps.v1.ReplicaSet',
  'apps/v1 StatefulSet': 'io.k8s.api.apps.v1.StatefulSet',
  'apps/v1 DaemonSet': 'io.k8s.api.apps.v1.DaemonSet',
  'batch/v1 Job': 'io.k8s.api.batch.v1.Job',
  'batch/v1 CronJob': 'io.k8s.api.batch.v1.CronJob',
  'networking.k8s.io/v1 Ingress': 'io.k8s.api.networking.v1.Ingress',
};
const CILIUM: { [gvk: string]: string } = {
  'cilium.io/v2 CiliumNetworkPolicy': 'cilium-v1.18/ciliumnetworkpolicy_v2.json',
  'cilium.io/v2 CiliumClusterwideNetworkPolicy': 'cilium-v1.18/ciliumclusterwidenetworkpolicy_v2.json',
  'cilium.io/v2alpha1 CiliumCIDRGroup': 'cilium-v1.18/ciliumcidrgroup_v2alpha1.json',
};

/** Writes the ajv standalone module (and the RE2/format shim it requires) into `dir`; returns its path. */
function writeAjvStandalone(dir: string): string {
  const shim = path.join(dir, 'shim.js');
  fs.writeFileSync(shim, [
    `const { RE2JS } = require(${JSON.stringify(require.resolve('re2js'))});`,
    'exports.goRegExp = (p) => { const re = RE2JS.compile(p); return { test: (s) => re.matcher(s).find() }; };',
    `const f = require(${JSON.stringify(path.join(LIB_SCHEMA, 'formats.js'))});`,
    "exports.formats = { cidr: f.isSloppyCIDR, 'date-time': f.isOpenAPIDateTime };",
  ].join('\n'));
  const goRegExp: any = (p: string) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const { RE2JS } = require('re2js');
    const re = RE2JS.compile(p);
    return { test: (s: string) => re.matcher(s).find(), toString: () => `re2:${p}` };
  };
  goRegExp.code = `require(${JSON.stringify(shim)}).goRegExp`;
  const ajv = new Ajv({ strict: false, allErrors: true, code: { source: true, regExp: goRegExp, formats: _`require(${shim}).formats` } });
  // The formats the API server checks; the rest are accepted as it accepts them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const formats = require(path.join(LIB_SCHEMA, 'formats.js'));
  ajv.addFormat('cidr', formats.isSloppyCIDR);
  ajv.addFormat('date-time', formats.isOpenAPIDateTime);
  for (const f of ['idn-hostname', 'int32', 'int64', 'int-or-string', 'byte', 'double', 'float']) ajv.addFormat(f, true);
  const defs = JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas', 'kubernetes-v1.33', '_definitions.json'), 'utf8'));
  ajv.addSchema({ $id: 'k8s', definitions: closeObjects(defs.definitions) });
  const exportsMap: { [name: string]: string } = {};
  let i = 0;
  for (const [gvk, def] of Object.entries(KUBE)) {
    ajv.addSchema({ $ref: `k8s#/definitions/${def}` }, `kind${i}`);
    exportsMap[gvk] = `kind${i++}`;
  }
  for (const [gvk, file] of Object.entries(CILIUM)) {
    ajv.addSchema(closeObjects(JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas', file), 'utf8'))), `kind${i}`);
    exportsMap[gvk] = `kind${i++}`;
  }
  const file = path.join(dir, 'ajv-standalone.js');
  fs.writeFileSync(file, standaloneCode(ajv, exportsMap));
  return file;
}

/** Median wall time of `require(file)` in fresh processes, in ms. */
function requireMs(file: string, call?: string): number {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const script = `const t=process.hrtime.bigint();const m=require(${JSON.stringify(file)});${call ?? ''};process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    times.push(Number(out.stdout));
  }
  return median(times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeMs(fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

/** Bytes of JavaScript, without the inline source maps the compiler appends. */
function bytes(files: string[]): number {
  return files.reduce((n, f) => n + Buffer.byteLength(fs.readFileSync(f, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/s, '')), 0);
}

function main(): void {
  if (!fs.existsSync(path.join(LIB_SCHEMA, 'index.js'))) throw new Error(`${LIB_SCHEMA} is missing: run \`npx projen compile\` first`);
  const p = process.argv.indexOf('--pods');
  const pods = p > 0 ? Number(process.argv[p + 1]) : 20000;
  // Inside the project (bench/results is ignored), so the generated code resolves ajv's runtime.
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(__dirname, 'results', 'schema-'));
  const ajvFile = writeAjvStandalone(dir);

  const libFiles = fs.readdirSync(LIB_SCHEMA).filter(f => f.endsWith('.js')).map(f => path.join(LIB_SCHEMA, f));
  const objects = generateCluster(pods);
  const byKind = new Map<string, number>();
  for (const o of objects) byKind.set(o.kind, (byKind.get(o.kind) ?? 0) + 1);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tables = require(path.join(LIB_SCHEMA, 'index.js'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ajvModule = require(ajvFile);
  let tableViolations = 0;
  let ajvErrors = 0;
  const tablesMs = timeMs(() => {
    tableViolations = 0;
    for (const o of objects) tableViolations += tables.validateObject(o).violations.length;
  });
  const ajvMs = timeMs(() => {
    ajvErrors = 0;
    for (const o of objects) {
      const fn = ajvModule[`${o.apiVersion} ${o.kind}`];
      if (!fn(o)) ajvErrors += fn.errors.length;
    }
  });

  const rows = [
    ['generated tables + interpreter (src/wire/schema)', bytes(libFiles), requireMs(path.join(LIB_SCHEMA, 'index.js')),
      requireMs(path.join(LIB_SCHEMA, 'index.js'), "m.validateObject({apiVersion:'cilium.io/v2',kind:'CiliumNetworkPolicy',metadata:{name:'a'},spec:{endpointSelector:{},egress:[{toPorts:[{ports:[{port:'80'}]}]}]}})"),
      tablesMs, tableViolations],
    ['ajv standalone code', bytes([ajvFile]), requireMs(ajvFile),
      requireMs(ajvFile, "m['cilium.io/v2 CiliumNetworkPolicy']({apiVersion:'cilium.io/v2',kind:'CiliumNetworkPolicy',metadata:{name:'a'},spec:{endpointSelector:{},egress:[{toPorts:[{ports:[{port:'80'}]}]}]}})"),
      ajvMs, ajvErrors],
  ] as const;
  process.stdout.write(`${objects.length} objects (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}), ${os.cpus().length} CPUs, node ${process.version}\n\n`);
  process.stdout.write('| technique | code (KB) | require (ms) | require + first CNP (ms) | validate all (ms) | µs per object | violations found |\n|---|---:|---:|---:|---:|---:|---:|\n');
  for (const [name, size, req, first, ms, found] of rows) {
    process.stdout.write(`| ${name} | ${(size / 1024).toFixed(0)} | ${req.toFixed(1)} | ${first.toFixed(1)} | ${ms.toFixed(0)} | ${((ms * 1000) / objects.length).toFixed(1)} | ${found} |\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main();

/**
 * Fuzz (seeded, a fixed number of inputs): valid manifests are mutated field by field (wrong types,
 * nulls, removed and misspelt fields, unknown siblings, odd values) and as text (truncated,
 * characters inserted or flipped, tabs, quotes, deep nesting, alias bombs). For every input the
 * library and the CLI must give a clear diagnostic or a correct result, never an internal error:
 * nothing throws, no diagnostic is an internal error, every diagnostic has a position and a message,
 * and whatever the reader accepts is analysed exactly as the naive per-pair reference does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { engineLines, engineOf, referenceLines } from './analysis/reference';
import { rng } from '../bench/analysis';
import { ConnectivityAnalysis } from '../src/analysis';
import { main } from '../src/cli/main';
import { Linter } from '../src/lint';
import { Diagnostic } from '../src/wire/diagnostic';
import { fromObjects } from '../src/wire/files';
import { loadText } from '../src/wire/yaml';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const OBJECT_MUTATIONS = 1200;
const TEXT_MUTATIONS = 500;
const AGENT = { ciliumAgent: { enableNodeSelectorLabels: true } };

const SEEDS: any[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }] }] } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db-0', namespace: 'shop', labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] },
    spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'sql', containerPort: 5432, protocol: 'TCP' }] }] },
  },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { pool: 'a' } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 'sql' }] } },
  { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', metadata: { name: 'partners' }, spec: { externalCIDRs: ['192.0.2.0/24'] } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
        ports: [{ protocol: 'TCP', port: 'sql' }, { protocol: 'TCP', port: 8000, endPort: 8100 }],
      }],
      egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }],
    },
  },
  {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [
        { fromEndpoints: [{ matchLabels: { 'k8s:app': 'db' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/api/.*' }] } }] },
        { fromEntities: ['world', 'cluster'] },
        { icmps: [{ fields: [{ type: 8, family: 'IPv4' }, { type: 'EchoRequest', family: 'IPv6' }] }] },
      ],
      ingressDeny: [{ fromCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.2.0.0/16'] }, { cidrGroupRef: 'partners' }] }],
      egress: [
        { toFQDNs: [{ matchName: 'api.example.com' }, { matchPattern: '*.cdn.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
        { toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }] },
        { toServices: [{ k8sService: { serviceName: 'db', namespace: 'shop' } }] },
        { toNodes: [{ matchLabels: { pool: 'a' } }] },
      ],
      egressDeny: [{ toCIDR: ['169.254.169.254/32'] }],
      enableDefaultDeny: { egress: true },
    },
  },
  {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumClusterwideNetworkPolicy',
    metadata: { name: 'hosts' },
    specs: [
      { nodeSelector: { matchLabels: { pool: 'a' } }, ingress: [{ fromCIDR: ['10.0.0.0/8'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }] },
      { endpointSelector: {}, egress: [{ toEntities: ['kube-apiserver'] }] },
    ],
  },
];

type Path = (string | number)[];

function paths(v: any, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...prefix, k], out);
  return out;
}

const ODD_VALUES: unknown[] = [null, '', 'x', 'In', 'tcp', 'TCP ', '0', '01', '65536', '10/8', '*', '-1', 0, -1, 1.5, 65536, 2 ** 31, 1e300, true, false,
  [], [null], ['x'], {}, { x: 1 }, 'a'.repeat(300), '\u0000', 'ünïcödé', '010.0.0.0/8', '::ffff:10.0.0.0/104'];

/** One mutation of an object at a path, described for the failure message. */
function mutate(seed: any, r: () => number): { object: any; what: string } {
  const object = JSON.parse(JSON.stringify(seed));
  const all = paths(object).filter((p) => p.length > 0);
  const p = all[Math.floor(r() * all.length)];
  const parent = p.slice(0, -1).reduce((o: any, k) => o[k], object);
  const key = p[p.length - 1];
  const op = Math.floor(r() * 6);
  if (op <= 1) {
    const value = ODD_VALUES[Math.floor(r() * ODD_VALUES.length)];
    parent[key] = value;
    return { object, what: `${p.join('.')} = ${JSON.stringify(value)}` };
  }
  if (op === 2) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return { object, what: `delete ${p.join('.')}` };
  }
  if (op === 3 && !Array.isArray(parent)) {
    const renamed = r() < 0.5 ? String(key).toLowerCase() : `${String(key)}s`;
    parent[renamed] = parent[key];
    if (renamed !== key) delete parent[key];
    return { object, what: `rename ${p.join('.')} to ${renamed}` };
  }
  if (op === 4 && Array.isArray(parent)) {
    parent.push(JSON.parse(JSON.stringify(parent[Number(key)] ?? null)));
    return { object, what: `duplicate ${p.join('.')}` };
  }
  const target = parent[key];
  if (target && typeof target === 'object' && !Array.isArray(target)) {
    target[r() < 0.5 ? 'extra' : 'Ingress'] = ODD_VALUES[Math.floor(r() * ODD_VALUES.length)];
    return { object, what: `unknown field under ${p.join('.')}` };
  }
  parent[key] = [target, target];
  return { object, what: `${p.join('.')} wrapped in a list` };
}

function toYaml(v: any, indent = ''): string {
  // a small emitter: block mappings and sequences, JSON scalars (valid YAML)
  if (Array.isArray(v)) return v.length ? v.map((x) => `${indent}- ${toYaml(x, `${indent}  `).trimStart()}`).join('\n') : `${indent}[]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (!keys.length) return `${indent}{}`;
    return keys.map((k) => {
      const x = v[k];
      const nested = x && typeof x === 'object' && (Array.isArray(x) ? x.length : Object.keys(x).length);
      return nested ? `${indent}${JSON.stringify(k)}:\n${toYaml(x, `${indent}  `)}` : `${indent}${JSON.stringify(k)}: ${toYaml(x, '').trim()}`;
    }).join('\n');
  }
  return `${indent}${JSON.stringify(v)}`;
}

const TEXT = SEEDS.map((s) => toYaml(s)).join('\n---\n') + '\n';

function textMutation(r: () => number): { text: string; what: string } {
  const at = Math.floor(r() * TEXT.length);
  const op = Math.floor(r() * 9);
  switch (op) {
    case 0: return { text: TEXT.slice(0, at), what: `truncated at ${at}` };
    case 1: {
      const c = ['\t', '"', '\'', ':', '-', '[', '{', '&a', '*a', '!!str ', '\n', ' ', '#', '\\', '\u0000', '\ufeff', '<<: ', '? '][Math.floor(r() * 18)];
      return { text: TEXT.slice(0, at) + c + TEXT.slice(at), what: `inserted ${JSON.stringify(c)} at ${at}` };
    }
    case 2: return { text: TEXT.slice(0, at) + TEXT.slice(at + 1 + Math.floor(r() * 20)), what: `cut at ${at}` };
    case 3: {
      const lines = TEXT.split('\n');
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[i]);
      return { text: lines.join('\n'), what: `line ${i + 1} repeated (duplicate key)` };
    }
    case 4: {
      const depth = 100 + Math.floor(r() * 20000);
      return { text: `${TEXT}---\n${'['.repeat(depth)}${']'.repeat(depth)}\n`, what: `nesting ${depth} deep` };
    }
    case 5: {
      const levels = 3 + Math.floor(r() * 8);
      let bomb = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
      for (let i = 1; i < levels; i++) bomb += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
      return { text: `${TEXT}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${bomb.split('\n').join('\n  ')}\n`, what: `alias bomb of ${levels} levels` };
    }
    case 6: return { text: TEXT.replace(/"/g, (q) => (r() < 0.02 ? '' : q)), what: 'quotes dropped' };
    case 7: return { text: `${TEXT}---\n&x [*x]\n`, what: 'recursive alias' };
    default: {
      const bytes = Buffer.from(TEXT, 'utf8');
      bytes[at % bytes.length] ^= 1 << Math.floor(r() * 8);
      return { text: bytes.toString('latin1'), what: `bit flipped at ${at}` };
    }
  }
}

function checkDiagnostics(diagnostics: readonly Diagnostic[], what: string): void {
  for (const d of diagnostics) {
    if (d.code === 'internal-error') throw new Error(`${what}: internal error: ${d.message}`);
    if (!d.message || !['error', 'warning', 'info'].includes(d.severity)) throw new Error(`${what}: malformed diagnostic ${JSON.stringify(d)}`);
    if (/TypeError|Cannot read prop|undefined is not|is not a function|Maximum call stack/.test(d.message)) throw new Error(`${what}: leaked internal error: ${d.message}`);
  }
}

describe('fuzz: a clear diagnostic or a correct result for every input', () => {
  test(`${OBJECT_MUTATIONS} object mutations (seed ${SEED})`, () => {
    const r = rng(SEED);
    let accepted = 0;
    for (let i = 0; i < OBJECT_MUTATIONS; i++) {
      const target = Math.floor(r() * SEEDS.length);
      const { object, what } = mutate(SEEDS[target], r);
      const manifests = SEEDS.map((s, j) => (j === target ? object : s));
      const label = `mutation #${i} of ${SEEDS[target].kind}: ${what} (FUZZ_SEED=${SEED})`;
      const loaded = fromObjects(manifests);
      const engine = engineOf(loaded, AGENT);
      checkDiagnostics(engine.diagnostics, label);
      if (!engine.diagnostics.some((d) => d.severity === 'error')) {
        accepted++;
        if (process.env.FUZZ_PRINT) process.stdout.write(`ACCEPTED ${label}\n`);
        // accepted: the engine's answer equals the naive reference's
        expect([label, engineLines(engine)]).toEqual([label, referenceLines(engine)]);
      }
      checkDiagnostics([], label);
      const lint = Linter.lintManifests(manifests, AGENT);
      for (const f of lint.findings) if (!f.message || !f.field) throw new Error(`${label}: lint finding without message or field`);
    }
    // the mutations hit both sides
    expect(accepted).toBeGreaterThan(OBJECT_MUTATIONS / 10);
    expect(accepted).toBeLessThan(OBJECT_MUTATIONS);
  }, 120_000);

  test(`${TEXT_MUTATIONS} text mutations (seed ${SEED})`, () => {
    const r = rng(SEED + 1);
    for (let i = 0; i < TEXT_MUTATIONS; i++) {
      const { text, what } = textMutation(r);
      const label = `text mutation #${i}: ${what} (FUZZ_SEED=${SEED})`;
      const loaded = loadText(text, 'fuzz.yaml');
      checkDiagnostics(loaded.diagnostics, label);
      for (const d of loaded.diagnostics) {
        if (d.file !== 'fuzz.yaml' || !(d.line >= 1)) throw new Error(`${label}: diagnostic without a position: ${JSON.stringify(d)}`);
      }
      const analysis = ConnectivityAnalysis.fromManifests(loaded.documents.map((d) => d.object), AGENT);
      checkDiagnostics(analysis.diagnostics as Diagnostic[], label);
      analysis.toText();
    }
  }, 120_000);

  test('the CLI on mutated files: exit code 0 or 3, never a stack trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-fuzz-'));
    const r = rng(SEED + 2);
    for (let i = 0; i < 40; i++) {
      const { text, what } = textMutation(r);
      const file = path.join(dir, `m${i}.yaml`);
      fs.writeFileSync(file, text, 'latin1');
      for (const command of [['analyze', file, '--cilium-agent', 'enable-node-selector-labels'], ['lint', file, '--cilium-agent', 'enable-node-selector-labels']]) {
        let err = '';
        const code = await main(command, { stdout: () => undefined, stderr: (t) => (err += t) });
        if (![0, 1, 3].includes(code) || /\n\s+at /.test(err)) throw new Error(`${command[0]} on ${what}: exit ${code}\n${err}`);
      }
    }
  }, 120_000);
});

// The review commands in-process: diff, check, explain --expect, lint --format sarif, --output,
// progress, and the exit-code table of README "Command line".
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { CliIo } from '../../src/cli/output';

const review = path.join(__dirname, 'fixtures', 'review');
const base = path.join(review, 'base');
const head = path.join(review, 'head');
const expectations = path.join(review, 'expectations.yaml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-commands-'));

async function run(args: string[], extra: Partial<CliIo> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, ...extra });
  return { code, out, err };
}

describe('diff', () => {
  test('OLD NEW: the text report, exit 0 (1 with --exit-code)', async () => {
    const r = await run(['diff', base, head, '-q']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Connectivity diff:');
    expect(r.out).toContain('diff-type: added, source: shop/web[Deployment], destination: shop/db[Deployment], ref1: No Connections, ref2: TCP 5432\n');
    expect((await run(['diff', base, head, '-q', '--exit-code'])).code).toBe(1);
    expect((await run(['diff', base, base, '-q', '--exit-code'])).code).toBe(0);
  });

  test('no difference: nothing on stdout, an info line on stderr', async () => {
    const r = await run(['diff', base, base]);
    expect(r).toEqual({ code: 0, out: '', err: 'info: no connectivity diff\n' });
  });

  test('--old/--new take several paths; --format md and csv; --ref-names', async () => {
    const r = await run(['diff', '--old', base, '--new', head, '--format', 'md', '--ref-names', 'main,pr', '-q']);
    expect(r.out.split('\n').slice(0, 2)).toEqual(['| diff-type | source | destination | main | pr | workloads-diff-info |', '|-----------|--------|-------------|------|------|---------------------|']);
    const csv = await run(['diff', base, head, '--format', 'csv', '-q']);
    expect(csv.out.split('\n')[0]).toBe('diff-type,source,destination,ref1,ref2,workloads-diff-info');
    const json = JSON.parse((await run(['diff', base, head, '--format', 'json', '-q'])).out);
    expect(json.find((d: any) => d.destination === 'shop/db[Deployment]')).toMatchObject({ diffType: 'added', source: 'shop/web[Deployment]', ref2: 'TCP 5432' });
  });

  test('focus options apply to both sides', async () => {
    const r = await run(['diff', base, head, '--focusworkload', 'db', '-q']);
    expect(r.out).toBe('Connectivity diff:\n'
      + 'diff-type: added, source: shop/db[Deployment], destination: shop/cache[Deployment], ref1: No Connections, ref2: All Connections, workloads-diff-info: workload shop/cache[Deployment] added\n'
      + 'diff-type: added, source: shop/web[Deployment], destination: shop/db[Deployment], ref1: No Connections, ref2: TCP 5432\n');
  });

  test.each([
    [['diff', base], 'diff: give the old and the new manifests'],
    [['diff', base, head, '--format', 'mermaid'], '--format "mermaid" is not supported for diff; use one of txt, md, csv, json, dot, svg'],
    [['diff', base, head, '--ref-names', 'one'], '--ref-names "one" is not two names'],
    [['diff', base, path.join(tmp, 'missing')], 'path not found'],
    [['diff', base, head, '--focus-direction', 'ingress'], 'error: --focus-direction: applies only with --focusworkload; name the workloads'],
    [['analyze', base, '--focusworkload', 'db', '--focus-direction', 'in'], 'error: --focus-direction: "in" is not a direction; use ingress or egress'],
    [['analyze', base, '--focus-conn', 'tcp80'], 'error: --focus-conn: "tcp80" is not <protocol>-<port>; write e.g. tcp-8080 or udp-53'],
    [['analyze', base, '--focusworkload', 'dbb'], 'error: --focusworkload: workload "dbb" not found; close names: shop/db[Deployment]'],
  ])('%j is a usage error', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe('check and explain --expect', () => {
  test('check: every expectation met is exit 0 with a summary', async () => {
    const r = await run(['check', expectations, base, '-q']);
    expect(r).toEqual({ code: 0, out: '2 of 2 expectation(s) met\n', err: '' });
  });

  test('check: each mismatch is reported with its line, then exit 1', async () => {
    const r = await run(['check', expectations, head, '-q']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${expectations}:7: shop/web -> shop/db: expected denied, got allowed (TCP 5432): allowed by NetworkPolicy shop/db ingress rule #1 [only the API reads the database]\n`
      + '1 of 2 expectation(s) met, 1 not met\n');
  });

  test.each([
    ['expectations: [{from: shop/web, to: shop/db, expect: maybe}]', /expectations\[0\]\.expect: "maybe" is not allowed or denied/],
    ['expectations: [{from: shop/web, expect: denied}]', /expectations\[0\]\.to: required/],
    ['expectations: [{from: shop/web, to: shop/db, prot: 80, expect: denied}]', /expectations\[0\]\.prot: unknown field; use from, to, port, protocol, expect, description/],
    ['expectations: [{from: shop/wbe, to: shop/db, expect: denied}]', /bad\.yaml:1: from: workload "shop\/wbe" not found; close names: .*shop\/web\[Deployment\]/],
    ['checks: []', /the file must be a mapping with an "expectations:" list/],
  ])('a bad expectations file is a usage error: %s', async (text, message) => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, text);
    const r = await run(['check', file, base, '-q']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('explain --expect: exit 1 and a message when the verdict differs', async () => {
    const ok = await run(['explain', head, '--from', 'shop/web', '--to', 'shop/api', '--port', '9090', '--expect', 'allowed', '-q']);
    expect(ok.code).toBe(0);
    const bad = await run(['explain', head, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432', '--expect', 'denied', '-q']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('verdict: ALLOWED');
    expect(bad.err).toBe('--expect: shop/web -> shop/db TCP 5432: expected denied, got allowed (TCP 5432): allowed by NetworkPolicy shop/db ingress rule #1\n');
    expect((await run(['explain', head, '--from', 'shop/web', '--to', 'shop/db', '--expect', 'no'])).code).toBe(2);
  });
});

describe('--output, progress, formats', () => {
  test('--output writes the report to the file and nothing to stdout', async () => {
    const file = path.join(tmp, 'report.csv');
    const r = await run(['analyze', base, '--format', 'csv', '--output', file, '-q']);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toBe('src,dst,conn');
  });

  test('--output into a folder that does not exist: exit 4 naming the file', async () => {
    const file = path.join(tmp, 'no', 'such', 'report.txt');
    const r = await run(['analyze', base, '--output', file, '-q']);
    expect(r.code).toBe(4);
    expect(r.err).toBe(`error: --output ${file}: cannot create the file (ENOENT: no such file or directory, open '${file}'); check that the folder exists and is writable\n`);
  });

  test('progress: status lines on a terminal once the run takes over 2 s, cleared before the report', async () => {
    let clock = 0;
    const now = () => (clock += 1500); // every look at the clock is 1.5 s later
    const r = await run(['analyze', base, '-q'], { stderrIsTTY: true, now });
    expect(r.err).toContain('\r\x1b[Kcdk8s-netpol: reading ');
    expect(r.err).toContain('\r\x1b[Kcdk8s-netpol: computing connections');
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    expect(r.out).toContain('shop/web[Deployment] => shop/api[Deployment] : TCP 9090');
    // not on a pipe or file, and not for a short run
    expect((await run(['analyze', base, '-q'], { stderrIsTTY: false, now })).err).toBe('');
    expect((await run(['analyze', base, '-q'], { stderrIsTTY: true, now: () => 0 })).err).toBe('');
  });

  test('analyze --format svg writes an SVG drawing', async () => {
    const r = await run(['analyze', base, '--format', 'svg', '-q']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*>api\[Deployment\]<\/text>[\s\S]*<\/svg>\n?$/);
  });
});

describe('exit codes (README "Command line")', () => {
  const invalid = path.join(tmp, 'invalid.yaml');
  fs.writeFileSync(invalid, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: shop}\nspec: {policyTypes: [Sideways]}\n');
  test.each([
    ['0: done', ['analyze', base, '-q'], 0],
    ['1: check failed (diff --exit-code)', ['diff', base, head, '--exit-code', '-q'], 1],
    ['1: check failed (check)', ['check', expectations, head, '-q'], 1],
    ['1: check failed (lint error finding)', ['lint', path.join(__dirname, '..', 'lint', 'fixtures', 'mistakes.yaml')], 1],
    ['2: usage error (unknown option)', ['analyze', base, '--colour'], 2],
    ['2: usage error (unknown workload)', ['analyze', base, '--focusworkload', 'nope'], 2],
    ['2: usage error (missing path)', ['lint', path.join(tmp, 'missing')], 2],
    ['3: invalid input', ['analyze', base, invalid, '-q'], 3],
    ['3: invalid input (diff)', ['diff', base, invalid, '-q'], 3],
    ['4: output failed', ['lint', base, '--output', path.join(tmp, 'missing', 'x.sarif')], 4],
  ])('%s', async (_name, args, code) => {
    expect((await run(args as string[])).code).toBe(code);
  });
});

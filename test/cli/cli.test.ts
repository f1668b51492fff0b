import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';

const app = path.join(__dirname, '..', 'analysis', 'fixtures', 'app');

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('cdk8s-netpol CLI', () => {
  test.each(['--version', '-V'])('%s prints the package version', async (flag) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const r = await run(flag);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${pkg.version}\n`);
  });

  test('analyze prints the sorted connlist and reports skipped kinds on stderr', async () => {
    const r = await run('analyze', app);
    expect(r.code).toBe(0);
    expect(r.out).toContain('shop/web[Deployment] => shop/api[Deployment] : TCP 9090\n');
    expect(r.err).toContain('info: skipped 1 document(s) of unrelated kinds: ConfigMap (1)');
  });

  test.each(['json', 'md', 'dot', 'mermaid'])('analyze --format %s', async (f) => {
    const r = await run('analyze', app, '--format', f, '-q');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatchSnapshot();
  });

  test('analyze --focus', async () => {
    const r = await run('analyze', app, '--focus', 'shop/web', '-q');
    expect(r.out.trim().split('\n').every((l) => l.includes('shop/web[Deployment]'))).toBe(true);
  });

  test('an unknown format is a usage error', async () => {
    const r = await run('analyze', app, '--format', 'xml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--format "xml" is not supported; use one of txt, json, md, dot, mermaid');
  });

  test('explain names the deciding rules', async () => {
    const r = await run('explain', app, '--from', 'shop/web', '--to', 'shop/api', '--port', '9090', '-q');
    expect(r.code).toBe(0);
    expect(r.out).toContain('verdict: ALLOWED (TCP 9090)');
    expect(r.out).toContain('allowed by NetworkPolicy shop/api ingress rule #1: TCP 9090');
  });

  test('explain with an unknown workload lists close names', async () => {
    const r = await run('explain', app, '--from', 'shop/wbe', '--to', 'shop/api');
    expect(r.code).toBe(1);
    expect(r.err).toContain('from: workload "shop/wbe" not found; close names: shop/web[Deployment]');
  });

  test('explain with a bad port', async () => {
    const r = await run('explain', app, '--from', 'shop/web', '--to', 'shop/api', '--port', 'http');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--port "http" is not a port number 1-65535');
  });

  test('missing arguments are usage errors', async () => {
    const r = await run('explain', app);
    expect(r.code).toBe(1);
    expect(r.err).toContain("required option '--from <peer>' not specified");
  });
});

// `analyze --exposure` in-process: the report, its formats and the usage errors (exit 2).
import * as path from 'path';
import { main } from '../../src/cli/main';

const fixture = path.join(__dirname, 'fixtures', 'exposure', 'kubernetes.yaml');

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

test('analyze --exposure: the connection list then the exposure sections, exit 0', async () => {
  const r = await run(['analyze', fixture, '--exposure']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('\nExposure Analysis Result:\nEgress Exposure:\n');
  expect(r.out).toContain('shop/db[Deployment]  \t<= \t[namespace with {team=payments}]/[all pods] : TCP 5432\n');
});

test.each([['json', '"exposure_results"'], ['csv', 'Exposure Analysis Result:,,\n'], ['md', '## Exposure Analysis Result:\n'], ['dot', '"entire-cluster" [label="entire-cluster" color="red2" fontcolor="red2" shape=diamond]']])('--exposure --format %s', async (format, marker) => {
  const r = await run(['analyze', fixture, '--exposure', '--format', format]);
  expect(r.code).toBe(0);
  expect(r.out).toContain(marker);
});

test('--exposure with the focus options: workloads, direction, connection', async () => {
  const r = await run(['analyze', fixture, '--exposure', '--focusworkload', 'db', '--focus-direction', 'ingress', '--focus-conn', 'tcp-5432']);
  expect(r.code).toBe(0);
  expect(r.out).toBe('Permitted connections on TCP 5432:\nshop/web[Deployment] => shop/db[Deployment]\n\n'
    + 'Exposure Analysis Result On TCP 5432:\nIngress Exposure:\nshop/db[Deployment] \t<= \t[namespace with {team=payments}]/[all pods]\n');
});

test('--exposure --format mermaid is a usage error (exit 2): netpol-analyzer has no mermaid output', async () => {
  const r = await run(['analyze', fixture, '--exposure', '--format', 'mermaid']);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toBe('error: --format "mermaid" has no exposure report; with --exposure use one of txt, json, md, csv, dot, svg\n');
});

test('--exposure --format svg draws the exposure graph', async () => {
  const r = await run(['analyze', fixture, '--exposure', '--format', 'svg']);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^<\?xml|^<svg/);
  expect(r.out).toContain('entire&#45;cluster');
});

test('--exposure with --focusworkload-peer is a usage error (exit 2): netpol-analyzer would drop the exposure silently', async () => {
  const r = await run(['analyze', fixture, '--exposure', '--focusworkload', 'db', '--focusworkload-peer', 'web']);
  expect(r.code).toBe(2);
  expect(r.err).toBe('error: exposure: cannot be combined with --focusworkload-peer (netpol-analyzer ignores the exposure analysis then); focus on workloads only\n');
});

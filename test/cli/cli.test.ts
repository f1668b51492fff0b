import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPORT_LIMITS } from '../../src/analysis/format/size';
import { main } from '../../src/cli/main';

const app = path.join(__dirname, '..', 'analysis', 'fixtures', 'app');

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
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
    expect(r.code).toBe(2);
    expect(r.err).toContain('--format "xml" is not supported; use one of txt, json, md, csv, dot, mermaid, svg');
  });

  test('explain names the deciding rules', async () => {
    const r = await run('explain', app, '--from', 'shop/web', '--to', 'shop/api', '--port', '9090', '-q');
    expect(r.code).toBe(0);
    expect(r.out).toContain('verdict: ALLOWED (TCP 9090)');
    expect(r.out).toContain('allowed by NetworkPolicy shop/api ingress rule #1: TCP 9090');
  });

  test('explain with an unknown workload lists close names', async () => {
    const r = await run('explain', app, '--from', 'shop/wbe', '--to', 'shop/api');
    expect(r.code).toBe(2);
    expect(r.err).toContain('from: workload "shop/wbe" not found; close names: shop/web[Deployment]');
  });

  test('explain with a bad port', async () => {
    const r = await run('explain', app, '--from', 'shop/web', '--to', 'shop/api', '--port', 'http');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--port "http" is not a port number 1-65535');
  });

  test('missing arguments are usage errors', async () => {
    const r = await run('explain', app);
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '--from <peer>' not specified");
  });

  describe('exit codes (0 done, 1 check failed, 2 usage error, 3 invalid input)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cli-'));
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, [
      'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: db, namespace: shop}',
      'spec:', '  podSelector: {matchExpressions: [{key: app, operator: in, values: [db]}]}', '  policyTypes: [Ingress]', '',
    ].join('\n'));

    test('analyze and explain print what they could read, report the rejected policy and exit 3', async () => {
      const r = await run('analyze', app, bad, '-q');
      expect(r.code).toBe(3);
      expect(r.out).toContain('shop/web[Deployment] => shop/api[Deployment] : TCP 9090\n');
      expect(r.err).toContain('bad.yaml:5:47: error: NetworkPolicy shop/db spec.podSelector.matchExpressions[0].operator: unsupported value "in": use one of "In"');
      const e = await run('explain', app, bad, '--from', 'shop/web', '--to', 'shop/api', '-q');
      expect(e.code).toBe(3);
      expect(e.out).toContain('verdict: ALLOWED');
    });

    test('lint exits 3 on an invalid manifest, before its findings', async () => {
      const r = await run('lint', bad);
      expect(r.code).toBe(3);
      expect(r.out).toContain('error LINT000 NetworkPolicy shop/db spec.podSelector.matchExpressions[0].operator');
    });

    test('--cilium-agent: an unknown setting is a usage error', async () => {
      const r = await run('analyze', app, '--cilium-agent', 'enable-bgp');
      expect(r.code).toBe(2);
      expect(r.err).toContain('--cilium-agent: "enable-bgp" is not a setting this tool models; use enable-node-selector-labels, enable-l7-proxy, enable-icmp-rules');
    });
  });
});

describe('--cni and --cilium-agent', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cni-'));
  fs.writeFileSync(path.join(dir, 'all.yaml'), `
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: a}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}
`);

  test('kubernetes and cilium@1.18 give their verdicts, each warning of the other', async () => {
    const k = await run('explain', dir, '--from', '8.8.8.8', '--to', 'a/api', '--cni', 'kubernetes');
    expect(k.code).toBe(0);
    expect(k.out).toContain('verdict: DENIED');
    expect(k.err).toContain('warning: NetworkPolicy a/p: Cilium lets a namespaceSelector of only NotIn/DoesNotExist requirements select addresses outside the cluster');
    const c = await run('explain', dir, '--from', '8.8.8.8', '--to', 'a/api', '--cni', 'cilium@1.18');
    expect(c.code).toBe(0);
    expect(c.out).toContain('verdict: ALLOWED');
    expect(c.err).toContain('this analysis follows Cilium 1.18');
  });

  test('a bad --cni is a usage error naming the choices', async () => {
    const r = await run('analyze', dir, '--cni', 'calico');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cni: "calico" is not an enforcer this tool models; use kubernetes, cilium or cilium@<version>');
  });

  test.each([
    ['allow-localhost=never', '--cilium-agent: allow-localhost=never: use auto, always or policy'],
    ['cluster-name', '--cilium-agent: cluster-name needs a value, e.g. cluster-name=prod'],
    ['enable-l7-proxy=maybe', '--cilium-agent: enable-l7-proxy=maybe: the value must be true or false'],
    ['hubble', '--cilium-agent: "hubble" is not a setting this tool models'],
    ['cluster-name=Prod_1', 'ciliumAgent.clusterName: "Prod_1" is not a Cilium cluster name'],
  ])('--cilium-agent %s is a usage error', async (setting, message) => {
    const r = await run('analyze', dir, '--cilium-agent', setting);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  test('--cilium-agent settings with values reach the analysis', async () => {
    const r = await run('analyze', dir, '--cni', 'cilium', '--cilium-agent', 'policy-default-local-cluster,cluster-name=prod', '-q');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).not.toContain('[External] => a/api');
  });
  test('analyze --format dot larger than one string may hold: exit 2 and what to use instead (the limit lowered)', async () => {
    const limits = REPORT_LIMITS.maxLength;
    REPORT_LIMITS.maxLength = 100;
    try {
      const r = await run('analyze', app, '--format', 'dot');
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/error: format dot: the report is \d+ characters, more than one string can hold \(100 characters\); narrow it with --focusworkload.*or use --format txt, csv, md or json, which the CLI streams a chunk at a time/);
      // the streamed formats are written whatever their size
      const txt = await run('analyze', app, '-q');
      expect(txt.code).toBe(0);
      expect(txt.out.length).toBeGreaterThan(100);
    } finally {
      REPORT_LIMITS.maxLength = limits;
    }
  });
});

// The GitHub Action (action.yml, composite) run as GitHub runs it, on a fixture repository with two
// commits: each step's `run` script with its `env`, the `${{ ... }}` expressions it uses filled in,
// GITHUB_STEP_SUMMARY and GITHUB_OUTPUT pointing at files. No network: the action finds this
// project's build (lib/) at its action path.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { fixtureRepository } from '../cli/fixture-repo';

const root = path.resolve(__dirname, '..', '..');
const action = YAML.parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8'));

// toFQDNs without a DNS rule through Cilium's DNS proxy: lint error CNP001
const FQDN_POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toFQDNs: [{matchName: api.example.com}]
    toPorts: [{ports: [{port: "443", protocol: TCP}]}]
`;

/** The value of a `${{ ... }}` expression the action uses; anything else fails the test. */
function expression(expr: string, inputs: Record<string, string>): string {
  const e = expr.trim();
  const input = /^inputs\.([\w-]+)$/.exec(e);
  if (input) {
    if (!(input[1] in action.inputs)) throw new Error(`action.yml uses an undeclared input: ${input[1]}`);
    return inputs[input[1]] ?? (String(action.inputs[input[1]].default ?? '').includes('${{') ? '' : String(action.inputs[input[1]].default ?? ''));
  }
  if (e === 'github.action_path') return root;
  throw new Error(`the test does not know the expression \${{ ${e} }}`);
}

function fill(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, e) => expression(e, inputs));
}

/** Runs every step of the composite action in `repo`; returns the last exit code, the summary and the outputs. */
function runAction(repo: string, inputs: Record<string, string>) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-action-run-'));
  const summary = path.join(work, 'summary.md');
  const output = path.join(work, 'output.txt');
  fs.writeFileSync(summary, '');
  fs.writeFileSync(output, '');
  let status: number | null = 0;
  let log = '';
  for (const step of action.runs.steps) {
    const env: Record<string, string> = { ...process.env as Record<string, string>, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = fill(String(v), inputs);
    expect(step.shell).toBe('bash');
    const r = spawnSync('bash', ['-e', '-c', fill(step.run, inputs)], { cwd: repo, env, encoding: 'utf8', timeout: 240000 });
    log += `${r.stdout}${r.stderr}`;
    status = r.status;
    if (status !== 0) break;
  }
  const outputs = Object.fromEntries(fs.readFileSync(output, 'utf8').trim().split('\n').filter((l) => l).map((l) => l.split('=')));
  return { status, log, summary: fs.readFileSync(summary, 'utf8'), outputs };
}

const SYNTH = { synth: 'node synth.js', base: 'HEAD~1', head: 'HEAD' };

describe('GitHub Action', () => {
  test('action.yml is a composite action whose inputs and outputs are documented', () => {
    expect(action.runs.using).toBe('composite');
    for (const i of Object.values<any>(action.inputs)) expect(i.description).toBeTruthy();
    for (const o of Object.values<any>(action.outputs)) expect(o.description).toBeTruthy();
  });

  test('a pull request with a lint error: the summary has the diff and the findings, the SARIF file is written, the step fails', () => {
    const repo = fixtureRepository(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-action-')), 'repo'), { 'egress.yaml': FQDN_POLICY });
    const r = runAction(repo, SYNTH);
    expect(r.status).toBe(1);
    expect(r.log).toContain('::error::cdk8s-netpol lint found problems at error or above (exit code 1)');
    expect(r.summary).toMatch(/^## Network policy review\n\n### Connectivity changes \([0-9a-f]{12} → [0-9a-f]{12}\)\n\n\| diff-type \| source \| destination \| base \| head \| workloads-diff-info \|\n/);
    // the new CiliumNetworkPolicy limits web's egress to api.example.com on TCP 443
    expect(r.summary).toContain('| added | shop/web[Deployment] | api.example.com[FQDN] | No Connections | TCP 443 |  |\n');
    expect(r.summary).toContain('| removed | shop/web[Deployment] | shop/api[Deployment] | TCP 9090 | No Connections |  |\n');
    expect(r.summary).toContain('### Lint (fails on error)\n');
    expect(r.summary).toMatch(/\| error \| CNP001 \| CiliumNetworkPolicy shop\/web-egress \| spec\.egress\[0\]\.toFQDNs \| .* \| dist\/egress\.yaml:1 \|\n/);
    expect(r.outputs).toEqual({ 'diff-count': expect.stringMatching(/^[1-9]\d*$/), 'lint-exit-code': '1' });
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'cdk8s-netpol.sarif'), 'utf8'));
    const cnp001 = sarif.runs[0].results.find((x: any) => x.ruleId === 'CNP001');
    expect(cnp001.locations[0].physicalLocation.artifactLocation.uri).toBe('dist/egress.yaml'); // relative to the repository root
    // the revisions were checked out apart from the work tree, and removed again
    expect(spawnSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).stdout.trim().split('\n')).toHaveLength(1);
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }).stdout).toBe('?? cdk8s-netpol.sarif\n');
  });

  test('a clean pull request passes; committed manifests need no synth', () => {
    const repo = fixtureRepository(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-action-')), 'repo'));
    const r = runAction(repo, { 'manifests': 'app', 'base': 'HEAD~1', 'head': 'HEAD', 'sarif-file': '' });
    expect(r.status).toBe(0);
    expect(r.summary).toContain('| added | shop/web[Deployment] | shop/db[Deployment] | No Connections | TCP 5432 |  |\n');
    expect(r.summary).toContain('0 error(s), 0 warning(s), 0 info, 0 suppressed\n');
    expect(r.outputs['lint-exit-code']).toBe('0');
    expect(fs.existsSync(path.join(repo, 'cdk8s-netpol.sarif'))).toBe(false);
  });

  test('working-directory: the manifests are found inside it, and the lint names them from the repository root', () => {
    const repo = fixtureRepository(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-action-')), 'repo'), { 'egress.yaml': FQDN_POLICY });
    const r = runAction(repo, { 'working-directory': 'app', 'manifests': '.', 'base': 'HEAD~1', 'head': 'HEAD' });
    expect(r.status).toBe(1);
    expect(r.summary).toContain('| added | shop/web[Deployment] | api.example.com[FQDN] | No Connections | TCP 443 |  |\n');
    expect(r.summary).toMatch(/\| error \| CNP001 \| .* \| app\/egress\.yaml:1 \|\n/);
  });

  test('no connection changed: the summary says so', () => {
    const repo = fixtureRepository(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-action-')), 'repo'));
    const r = runAction(repo, { manifests: 'app', base: 'HEAD', head: 'HEAD' });
    expect(r.status).toBe(0);
    expect(r.summary).toContain('No connection is added, removed or changed.\n');
    expect(r.outputs['diff-count']).toBe('0');
  });
});

// The cdk8s validation plugin, run by a real `cdk8s synth` (cdk8s-cli, a dev dependency) of a
// fixture app made here: cdk8s.yaml lists the package (this project, a local path, as cdk8s-cli
// loads local plugins without npm) under `validations:`. No network: --no-check-upgrade.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const cdk8sCli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: name }] } },
  },
});
const apiPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 9090 }] }] },
};
// toFQDNs without a DNS rule that goes through Cilium's DNS proxy: CNP001, an error
const fqdnPolicy = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'web-egress', namespace: 'shop' },
  spec: { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toFQDNs: [{ matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] },
};

/** An app whose chart holds these objects, validated by the plugin with these properties. */
function app(objects: any[], properties: any, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cdk8s-app-'));
  fs.writeFileSync(path.join(dir, 'main.js'), [
    `const { App, Chart, ApiObject } = require(${JSON.stringify(path.join(root, 'node_modules', 'cdk8s'))});`,
    'const app = new App();',
    "const chart = new Chart(app, 'shop');",
    `for (const [i, o] of ${JSON.stringify(objects)}.entries()) new ApiObject(chart, 'o' + i, o);`,
    'app.synth();',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), JSON.stringify({
    language: 'typescript',
    app: 'node main.js',
    validations: [{ package: root, version: '0.0.0', class: 'NetworkPolicyValidation', properties }],
  }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function synth(dir: string) {
  const r = spawnSync('node', [cdk8sCli, 'synth', '--no-check-upgrade'], { cwd: dir, encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: dir } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('cdk8s validation plugin (cdk8s synth)', () => {
  test('clean policies: the validation passes and the manifests are written', () => {
    const dir = app([deployment('web'), deployment('api'), apiPolicy], {});
    const r = synth(dir);
    expect(r.out).toContain('Validation Report (');
    expect(r.out).toMatch(/Status\s*│\s*success/);
    expect(r.out).toContain('Validations ended succesfully'); // cdk8s-cli's own words
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'dist'))).toContain('shop.k8s.yaml');
  });

  test('an error finding fails the synth, naming the rule, the resource and the fix', () => {
    const r = synth(app([deployment('web'), fqdnPolicy], {}));
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/Status\s*│\s*failure/);
    expect(r.out).toContain('CNP001 fqdn-without-dns-proxy (error)');
    expect(r.out).toContain('Resource Name: web-egress');
    expect(r.out).toContain('Validation failed. See above reports for details');
  });

  test('failOn: warning fails on warnings; an unmet expectation fails too', () => {
    const warn = synth(app([deployment('web'), { ...apiPolicy, spec: { podSelector: {}, policyTypes: ['Egress'] } }], { failOn: 'warning' }));
    expect(warn.out).toContain('NP001 egress-without-dns (warning)');
    expect(warn.status).toBe(2);
    const expect1 = 'expectations:\n  - {from: shop/web, to: shop/api, port: 9090, expect: denied}\n';
    const e = synth(app([deployment('web'), deployment('api'), apiPolicy], { expectations: 'expected.yaml' }, { 'expected.yaml': expect1 }));
    expect(e.status).toBe(2);
    expect(e.out).toContain('expected verdicts');
    expect(e.out).toContain('shop/web -> shop/api TCP 9090: expected denied, got allowed (TCP 9090)');
  });
});

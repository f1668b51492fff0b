import * as path from 'path';
import { ApiObject } from 'cdk8s';
import {
  CiliumNetworkPolicy, CiliumVersion, Endpoints, Entity, LINT_IGNORE_ANNOTATION, Lint, Linter, LintSeverity,
  NetworkPolicy, NetworkPolicyPatterns, Pods,
} from '../../src';
import { runLintCommand } from '../../src/cli/lint';
import { main } from '../../src/cli/main';
import { newChart, expectError } from '../util';
import { cnp, np } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const DENY_EGRESS = { podSelector: {}, policyTypes: ['Egress'] };

describe('check registry', () => {
  test('ids are unique, stable and documented', () => {
    const checks = Linter.checks();
    expect(checks.map(c => c.id)).toEqual([
      'ANP001', 'ANP002', 'ANP003', 'ANP004', 'ANP005', 'CNP001', 'CNP002', 'CNP003', 'CNP004', 'CNP006', 'CNP007', 'CNP008', 'LINT000', 'LINT001', 'LINT002', 'LINT003', 'LINT004',
      'NP001', 'NP002', 'NP003', 'NP004', 'NP005', 'NP006', 'NP007', 'NP008', 'NP009', 'NP010', 'NP011', 'NP012', 'NP013', 'NP014', 'NP015',
    ]);
    for (const c of checks) {
      expect(c.name).toMatch(/^[a-z0-9-]+$/);
      expect(c.description.length).toBeGreaterThan(20);
    }
  });

  test('disabledChecks skips a check; an unknown id is an error naming the fix', () => {
    expect(Linter.lintManifests([np('d', DENY_EGRESS)], { disabledChecks: ['NP001'] }).findings).toEqual([]);
    expectError(() => Linter.lintManifests([], { disabledChecks: ['NP999'] }), 'LintOptions.disabledChecks', 'NP999', 'NP001');
    expectError(() => Linter.lintManifests('x' as any), 'Linter.lintManifests.manifests', 'array');
  });

  test('findings are sorted and deterministic', () => {
    const manifests = [np('b', DENY_EGRESS), np('a', DENY_EGRESS, { namespace: 'zoo' }), np('a', DENY_EGRESS)];
    const first = Linter.lintManifests(manifests).findings.map(f => `${f.object.namespace}/${f.object.name}`);
    expect(first).toEqual(['shop/a', 'shop/b', 'zoo/a']);
    expect(Linter.lintManifests([...manifests].reverse()).findings.map(f => `${f.object.namespace}/${f.object.name}`)).toEqual(first);
  });
});

describe('suppressions (annotation cdk8s-netpol.io/lint-ignore)', () => {
  test('an entry with a reason silences that check on that policy only', () => {
    const r = Linter.lintManifests([
      np('quiet', DENY_EGRESS, { annotations: { [LINT_IGNORE_ANNOTATION]: 'NP001: DNS goes through a node-local cache allowed elsewhere' } }),
      np('loud', DENY_EGRESS),
    ]);
    expect(r.findings.map(f => `${f.checkId} ${f.object.name}`)).toEqual(['NP001 loud']);
    expect(r.suppressed.map(f => `${f.checkId} ${f.object.name}`)).toEqual(['NP001 quiet']);
  });

  test('several entries, separated by ";" or newlines', () => {
    const annotations = { [LINT_IGNORE_ANNOTATION]: 'NP001: dns elsewhere; CNP003: kept for Cilium 1.16 tooling' };
    const r = Linter.lintManifests([cnp('c', { endpointSelector: {}, egress: [{ toEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }], ingress: [] }, { annotations })]);
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map(f => `${f.checkId} ${f.field}`)).toEqual(['NP001 spec.egress', 'CNP003 spec.ingress']);
  });

  test('an entry without a reason is itself an error (LINT001) and silences nothing', () => {
    const r = Linter.lintManifests([np('p', DENY_EGRESS, { annotations: { [LINT_IGNORE_ANNOTATION]: 'NP001' } })]);
    expect(r.findings.map(f => `${f.checkId} ${f.severity}`)).toEqual(['LINT001 error', 'NP001 warning']);
    expect(Linter.lintManifests([np('p', DENY_EGRESS, { annotations: { [LINT_IGNORE_ANNOTATION]: 'NP001' } })], { disabledChecks: ['LINT001'] })
      .findings.map(f => f.checkId)).toEqual(['NP001']);
    expect(r.findings[0].field).toBe(`metadata.annotations["${LINT_IGNORE_ANNOTATION}"]`);
    expect(r.findings[0].fix).toContain('NP001: <why');
  });

  test('unknown ids and garbage are LINT002; an entry that silences nothing is LINT003', () => {
    const r = Linter.lintManifests([np('p', { podSelector: {}, policyTypes: ['Ingress'] }, { annotations: { [LINT_IGNORE_ANNOTATION]: 'NP999: x\nplease be quiet\nNP002: not needed any more' } })]);
    expect(r.findings.map(f => f.checkId)).toEqual(['LINT002', 'LINT002', 'LINT003']);
  });

  test('Lint.suppress writes the annotation; it rejects missing reasons and bad ids', () => {
    const chart = newChart('shop');
    const deny = NetworkPolicyPatterns.defaultDenyEgress(chart, 'deny');
    Lint.enable(chart, { printWarnings: false });
    Lint.suppress(deny.apiObject, 'NP001', 'DNS via hostNetwork resolver');
    Lint.suppress(deny.apiObject, 'NP003', 'kept for clarity');
    expect(chart.toJson()[0].metadata.annotations[LINT_IGNORE_ANNOTATION]).toBe('NP001: DNS via hostNetwork resolver\nNP003: kept for clarity');
    expectError(() => Lint.suppress(deny.apiObject, 'NP001', ' '), 'Lint.suppress.reason', 'say why NP001');
    expectError(() => Lint.suppress(deny.apiObject, 'dns', 'x'), 'Lint.suppress.checkId', '"dns"', 'NP001');
    expectError(() => Lint.suppress({ metadata: {} } as any, 'NP001', 'x'), 'Lint.suppress.apiObject', 'policy.apiObject');
  });
});

describe('synth-time lint', () => {
  function fqdnWithoutDns(chart: ReturnType<typeof newChart>) {
    new ApiObject(chart, 'fqdn', cnp('to-github', { endpointSelector: { matchLabels: { app: 'ci' } }, egress: [{ toFQDNs: [{ matchName: 'api.github.com' }] }] }));
  }

  test('an error finding fails synth with the check id, object, field and fix', () => {
    const chart = newChart('shop');
    Lint.enable(chart, { printWarnings: false });
    fqdnWithoutDns(chart);
    expectError(() => chart.toJson(), 'Validation failed', 'error CNP001 CiliumNetworkPolicy shop/to-github spec.egress[0].toFQDNs', 'fix: add an egress rule to kube-dns');
  });

  test('warnings are printed to stderr and collected, not fatal; failOn: warning makes them fatal', () => {
    const chart = newChart('shop');
    const lint = Lint.enable(chart);
    NetworkPolicyPatterns.defaultDenyEgress(chart, 'deny', { metadata: { name: 'deny' } });
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      chart.toJson();
      chart.toJson(); // cdk8s validates once per synthesised chart: each warning is printed once
      const printed = spy.mock.calls.map(c => String(c[0])).join('');
      expect(printed).toContain('[cdk8s-netpol lint] warning NP001 NetworkPolicy shop/deny spec.policyTypes');
      expect(printed.split('NP001').length).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(lint.findings.map(f => f.checkId)).toEqual(['NP001']);
    Lint.enable(chart, { failOn: LintSeverity.WARNING });
    expectError(() => chart.toJson(), 'NP001');
  });

  test("the synth lint targets the scope's Cilium version (CiliumVersion.setForScope)", () => {
    const kafka = (chart: ReturnType<typeof newChart>) => new ApiObject(chart, 'kafka', cnp('kafka', {
      endpointSelector: { matchLabels: { app: 'broker' } },
      ingress: [{ toPorts: [{ ports: [{ port: '9092', protocol: 'TCP' }], rules: { kafka: [{ topic: 'orders' }] } }] }],
    }));
    const old = newChart('shop');
    CiliumVersion.setForScope(old, CiliumVersion.V1_17);
    Lint.enable(old, { printWarnings: false });
    kafka(old);
    expect(old.toJson()).toHaveLength(1);
    const removed = newChart('shop');
    CiliumVersion.setForScope(removed, CiliumVersion.V1_20);
    Lint.enable(removed, { printWarnings: false });
    kafka(removed);
    expectError(() => removed.toJson(), 'error CNP006', 'spec.ingress[0].toPorts[0].rules.kafka', 'removed in Cilium 1.20');
  });

  test('a synth after a change lints the changed manifests (the report is reused only for equal ones)', () => {
    const chart = newChart('shop');
    const lint = Lint.enable(chart, { printWarnings: false });
    new ApiObject(chart, 'deny', np('deny', DENY_EGRESS));
    chart.toJson();
    expect(lint.findings.map(f => f.checkId)).toEqual(['NP001']);
    chart.toJson();
    expect(lint.findings.map(f => f.checkId)).toEqual(['NP001']);
    NetworkPolicyPatterns.allowDnsEgress(chart, 'dns');
    chart.toJson();
    expect(lint.findings.map(f => f.checkId)).toEqual([]);
  });

  test('Lint.disable turns the synth-time lint off, also after a construct enabled it', () => {
    const off = newChart('shop');
    fqdnWithoutDns(off);
    Lint.enable(off, { printWarnings: false });
    expectError(() => off.toJson(), 'error CNP001');
    const lint = Lint.disable(off);
    expect(off.toJson()).toHaveLength(1);
    expect(lint.findings).toEqual([]);
    expect(Lint.of(off)).toBe(lint);
  });

  test('Lint.enable rejects bad options with the field and the fix', () => {
    expectError(() => Lint.enable(newChart(), { failOn: 'fatal' as any }), 'LintEnableOptions.failOn', '"fatal"', 'LintSeverity.ERROR');
    expectError(() => Lint.enable(newChart(), { disabledChecks: ['NP01'] }), 'LintOptions.disabledChecks', '"NP01"');
    expectError(() => Lint.enable(newChart(), { ciliumVersion: 'latest' }), 'LintOptions.ciliumVersion', '"latest"', '1.18');
    expectError(() => Linter.lintFiles('dist' as any), 'Linter.lintFiles.paths', '["dist/"]');
  });

  test('a chart of raw ApiObjects only (no policy construct, no Lint.enable) is not linted', () => {
    const chart = newChart('shop');
    fqdnWithoutDns(chart);
    expect(chart.toJson()).toHaveLength(1);
    expect(Lint.of(chart)).toBeUndefined();
  });

  test('policy constructs enable the lint on their chart automatically (issue 5: run at synth)', () => {
    const chart = newChart('shop');
    const policy = new NetworkPolicy(chart, 'deny', { metadata: { name: 'deny' }, podSelector: Pods.all() });
    policy.denyAllEgress();
    Lint.enable(chart, { printWarnings: false });
    expect(chart.toJson()).toHaveLength(1);
    expect(Lint.of(chart)!.findings.map(f => f.checkId)).toEqual(['NP001']);

    const cilium = newChart('shop');
    new CiliumNetworkPolicy(cilium, 'web', { metadata: { name: 'web' }, endpointSelector: Endpoints.withLabels({ app: 'web' }) })
      .allowFrom(Entity.CLUSTER).toPort(80);
    expect(Lint.of(cilium)).toBeDefined();
  });

  test('an App-level lint sees all charts: DNS allowed in another chart clears NP001, and chart lints defer to it', () => {
    const chart = newChart('shop');
    const app = chart.node.scope as any;
    const deny = new NetworkPolicy(chart, 'deny', { podSelector: Pods.all() });
    deny.denyAllEgress();
    const chartLint = Lint.enable(chart, { printWarnings: false });
    const other = new (chart.constructor as any)(app, 'dns', { namespace: 'shop' });
    NetworkPolicyPatterns.allowDnsEgress(other, 'dns');
    expect(chart.toJson()).toHaveLength(1);
    expect(chartLint.findings.map(f => f.checkId)).toEqual(['NP001']);
    const appLint = Lint.enable(app, { printWarnings: false });
    app.synthYaml();
    expect(appLint.findings).toEqual([]);
    expect(chartLint.findings).toEqual([]);
  });
});

describe('files and the CLI', () => {
  test('lintFiles reports file and line', () => {
    const r = Linter.lintFiles([path.join(FIXTURES, 'mistakes.yaml')]);
    expect(r.findings.map(f => `${path.basename(f.file!)}:${f.line} ${f.checkId}`)).toEqual(['mistakes.yaml:2 NP001', 'mistakes.yaml:12 NP001', 'mistakes.yaml:12 CNP001']);
  });

  test('runLintCommand: text output and exit code 1 on errors, 0 on clean files', () => {
    const bad = runLintCommand([path.join(FIXTURES, 'mistakes.yaml')]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout.split(FIXTURES + path.sep).join('')).toMatchSnapshot();
    const good = runLintCommand([path.join(FIXTURES, 'clean.yaml')]);
    expect(good).toEqual({ exitCode: 0, stdout: '0 error(s), 0 warning(s), 0 info, 0 suppressed\n', stderr: '' });
  });

  test('runLintCommand: json, --fail-on warning, --disable, --list, and usage errors', () => {
    const json = JSON.parse(runLintCommand([path.join(FIXTURES, 'mistakes.yaml')], { format: 'json' }).stdout);
    expect(json.errorCount).toBe(1);
    expect(json.findings[0]).toMatchObject({ checkId: 'NP001', object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny-egress' } });
    expect(runLintCommand([path.join(FIXTURES, 'mistakes.yaml')], { disable: 'CNP001' }).exitCode).toBe(0);
    expect(runLintCommand([path.join(FIXTURES, 'mistakes.yaml')], { disable: 'CNP001', failOn: 'warning' }).exitCode).toBe(1);
    expect(runLintCommand([], { list: true }).stdout).toContain('NP002 and-or-peers (warning)');
    expect(runLintCommand([], {})).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('give at least one file') });
    expect(runLintCommand(['x'], { format: 'xml' })).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--format "xml"') });
    expect(runLintCommand(['x'], { failOn: 'fatal' })).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--fail-on "fatal"') });
    expect(runLintCommand(['x'], { disable: 'NOPE1' })).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('"NOPE1" is not a check id') });
    const missing = runLintCommand([path.join(FIXTURES, 'nope.yaml')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stdout).toContain('LINT000');
  });

  test('cdk8s-netpol lint is registered on the CLI', async () => {
    let out = '';
    const code = await main(['lint', path.join(FIXTURES, 'clean.yaml')], { stdout: t => { out += t; }, stderr: () => undefined });
    expect(code).toBe(0);
    expect(out).toContain('0 error(s)');
    expect(await main(['lint', path.join(FIXTURES, 'mistakes.yaml')], { stdout: () => undefined, stderr: () => undefined })).toBe(1);
  });
});

test('malformed manifests never crash the lint; non-objects are LINT000 errors', () => {
  const weird: any[] = [
    { kind: 'NetworkPolicy', metadata: { name: 'a' }, spec: null },
    { kind: 'NetworkPolicy', metadata: null, spec: { podSelector: 'x', ingress: 'nope', egress: [null, 1, { to: 'x', ports: [null, { port: 'http' }] }], policyTypes: 'Egress' } },
    { kind: 'NetworkPolicy', metadata: { name: 'b' }, spec: { podSelector: { matchLabels: null, matchExpressions: [null, { key: 1 }] }, ingress: [{ from: [null, { namespaceSelector: 'x' }, { ipBlock: { cidr: 'garbage' } }] }] } },
    { kind: 'CiliumNetworkPolicy', metadata: { name: 'c' }, spec: { endpointSelector: 'x', ingress: [{ fromEndpoints: [null, 'x'], toPorts: [null, { ports: null, rules: { http: 1 } }] }], egress: [{ toFQDNs: [null] }], enableDefaultDeny: null } },
    { kind: 'CiliumNetworkPolicy', metadata: { name: 'd' }, specs: [null, 1, { egress: {} }] },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 1 }, annotations: { [LINT_IGNORE_ANNOTATION]: 5 } }, spec: { containers: [{ ports: [{ containerPort: 'x', name: 'http' }] }] } },
    { kind: 'Deployment', metadata: { name: 'dd' }, spec: { template: null } },
    null, 5, 'text',
  ];
  const r = Linter.lintManifests(weird);
  const invalid = r.findings.filter(f => f.checkId === 'LINT000');
  // every one of them is invalid: the reader rejects it, so no check sees it
  expect(invalid.map(f => f.message)).toEqual(expect.arrayContaining([
    'manifest #8 is not an object; skipped', 'manifest #9 is not an object; skipped', 'manifest #10 is not an object; skipped',
    'missing apiVersion (the API server rejects a manifest without them; it is not analysed)',
    'must be a string, not the number 5 (the API server rejects this Pod; it is not analysed)',
  ]));
  expect(invalid.find(f => f.object.name === 'a')).toMatchObject({ object: { kind: 'NetworkPolicy' }, field: 'apiVersion', fix: 'add apiVersion: networking.k8s.io/v1' });
  expect(r.findings.filter(f => f.checkId !== 'LINT000')).toEqual([]);
  expect(Linter.formatText(r)).toContain('error(s)');
});

test('the CLI on a folder with workloads runs the workload checks, with file positions, and reports unused suppressions', () => {
  const r = runLintCommand([path.join(FIXTURES, 'shop')], { format: 'json' });
  const report = JSON.parse(r.stdout);
  expect(report.findings.map((f: any) => `${path.basename(f.file)}:${f.line} ${f.checkId} ${f.object.name} ${f.field}`)).toEqual([
    'policies.yaml:2 NP005 db-typo spec.podSelector',
    'policies.yaml:16 LINT003 db-named-port metadata.annotations["cdk8s-netpol.io/lint-ignore"]',
    'policies.yaml:16 NP007 db-named-port spec.ingress[0].ports[0].port',
  ]);
  expect(r.exitCode).toBe(0);
  expect(runLintCommand([path.join(FIXTURES, 'shop')], { failOn: 'warning' }).exitCode).toBe(1);
});

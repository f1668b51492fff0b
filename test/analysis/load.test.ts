import * as path from 'path';
import { ConnectivityAnalysis, LabelSelectorMatcher, ManifestLoader } from '../../src/analysis';
import { loadText } from '../../src/analysis/load';

const fixtures = path.join(__dirname, 'fixtures');

describe('loader', () => {
  test('reads folders recursively: YAML, multi-document, JSON v1 List; skips and counts unrelated kinds', () => {
    const a = ConnectivityAnalysis.fromFiles([path.join(fixtures, 'app')]);
    expect(a.workloads).toEqual(['shop/api[Deployment]', 'shop/web[Deployment]']);
    expect(a.skippedKinds).toEqual([{ kind: 'ConfigMap', count: 1 }]);
    expect(a.diagnostics).toEqual([]);
  });

  test('documents carry file, line and column (List items too)', () => {
    const r = ManifestLoader.load([path.join(fixtures, 'app')]);
    const byName = (n: string) => r.manifests.find((m) => m.manifest.metadata?.name === n && m.manifest.kind !== 'NetworkPolicy')!;
    expect(byName('shop')).toMatchObject({ line: 1, column: 1 });
    expect(byName('settings').line).toBe(10);
    expect(path.basename(byName('web').file)).toBe('workloads.json');
    expect(byName('web').line).toBe(5);
    expect(byName('api').line).toBe(12);
  });

  test('a malformed document is reported with file and position and the rest is still analysed', () => {
    const a = ConnectivityAnalysis.fromFiles([path.join(fixtures, 'broken.yaml')]);
    const d = a.diagnostics.filter((x) => x.severity === 'error');
    expect(d.length).toBeGreaterThan(0);
    expect(d[0].file).toContain('broken.yaml');
    expect(d[0].line).toBeGreaterThanOrEqual(9);
    expect(d[0].message).toMatch(/malformed YAML, document skipped/);
    expect(a.workloads).toEqual(['ok/p1[Pod]']);
  });

  test('a document without kind is an error, not a crash', () => {
    const r = loadText('metadata: {name: x}\n', 'x.yaml');
    const a = ConnectivityAnalysis.fromManifests(r.documents.map((d) => d.object));
    expect(a.diagnostics.map((d) => d.message)).toEqual([
      'object x kind: missing kind: add the kind, e.g. kind: NetworkPolicy (the API server rejects a manifest without them; it is not analysed)',
    ]);
  });

  test('manifests kubectl reads but YAML 1.2 parsers reject are analysed (tab in a flow sequence, as netpol-analyzer acs-security-demos-added-workloads)', () => {
    const deployment = (name: string, args: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\n`
      + `spec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n`
      + `        - name: main\n          image: img\n          args:\n            [\n              "-jar",\n${args}            ]\n`
      + '          ports: [{containerPort: 8080}]\n';
    const text = deployment('web', '\t            "-Dlisten=8080",\n') + '---\n' + deployment('api', '')
      + '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\n'
      + 'spec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: web}}}]\n';
    const r = loadText(text, 'shop.yaml');
    expect(r.diagnostics).toEqual([]);
    const a = ConnectivityAnalysis.fromManifests(r.documents.map((d) => d.object));
    expect(a.workloads).toEqual(['shop/api[Deployment]', 'shop/web[Deployment]']);
    expect(a.toText().split('\n')).toContain('shop/web[Deployment] => shop/api[Deployment] : All Connections');
  });

  test('a missing path is reported', () => {
    const a = ConnectivityAnalysis.fromFiles([path.join(fixtures, 'nope')]);
    expect(a.diagnostics[0].message).toMatch(/path not found/);
  });
});

describe('label selector matcher (shared with lint)', () => {
  test('matches and validates', () => {
    expect(LabelSelectorMatcher.matches({ matchLabels: { a: '1' } }, { a: '1', b: '2' })).toBe(true);
    expect(LabelSelectorMatcher.matches({}, {})).toBe(true);
    expect(LabelSelectorMatcher.matches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {})).toBe(true);
    expect(LabelSelectorMatcher.validate({ matchExpressions: [{ key: 'a', operator: 'In' }] }, 'spec.podSelector'))
      .toBe('spec.podSelector.matchExpressions[0].values: operator In needs at least one value');
    expect(LabelSelectorMatcher.validate({ matchLabels: { a: 'b' } })).toBeUndefined();
  });
});

// Runs every case folder of ../shared/conformance/netpol-analyzer-exposure (np-guard/netpol-analyzer
// exposure cases, `k8snetpolicy list --exposure`) and compares our exposure report with
// expected-exposure.txt exactly, read the two ways conformance/netpol-analyzer.test.ts reads the
// connlist cases: as netpol-analyzer reads it (lenient) it must be equal; read strictly it must be
// equal too unless the reader rejected objects, which it must then report as the API server's errors.
import * as fs from 'fs';
import * as path from 'path';
import { ConnectivityAnalysis, OutputFormat } from '../src/analysis';

const root = path.resolve(__dirname, '..', '..', 'shared', 'conformance', 'netpol-analyzer-exposure');
const cases = fs.existsSync(root)
  ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'expected-exposure.txt'))).sort()
  : [];

test('exposure conformance cases are present', () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases.map((c) => [c]))('netpol-analyzer exposure case %s', (c) => {
  const input = path.join(root, c, 'input');
  const expected = () => fs.readFileSync(path.join(root, c, 'expected-exposure.txt'), 'utf8').trimEnd();

  test('reproduces expected-exposure.txt exactly, read as netpol-analyzer reads it', () => {
    const analysis = ConnectivityAnalysis.fromFiles([input], { lenient: true });
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.formatExposure(OutputFormat.TXT).trimEnd()).toBe(expected());
  });

  test('read strictly: the same report, or errors for what the API server rejects', () => {
    const analysis = ConnectivityAnalysis.fromFiles([input]);
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length === 0) {
      expect(analysis.formatExposure(OutputFormat.TXT).trimEnd()).toBe(expected());
    } else {
      for (const e of errors) expect(e.message).toMatch(/\(the API server rejects this \w+; it is not analysed\)$/);
    }
  });
});

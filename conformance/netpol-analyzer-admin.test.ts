// Runs every case folder of ../shared/conformance/netpol-analyzer-admin (np-guard/netpol-analyzer AdminNetworkPolicy / BaselineAdminNetworkPolicy cases)
// and compares our connlist text with expected-connlist.txt exactly.
//
// netpol-analyzer reads manifests without validating them; some cases contain objects the API
// server would reject (e.g. an owner reference without kind and uid). Every case is run twice,
// by one rule: read as netpol-analyzer reads it (lenient: invalid workloads are read as written,
// and policies with a valid spec despite other problems, with warnings), the output must equal the expected connlist; read strictly (the
// default), it must equal it too unless the reader rejected objects, which it must then report as
// errors naming the API server's rule.
import * as fs from 'fs';
import * as path from 'path';
import { ConnectivityAnalysis } from '../src/analysis';

const root = path.resolve(__dirname, '..', '..', 'shared', 'conformance', 'netpol-analyzer-admin');
const cases = fs.existsSync(root)
  ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'expected-connlist.txt'))).sort()
  : [];

test('conformance cases are present', () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases.map((c) => [c]))('netpol-analyzer admin case %s', (c) => {
  const input = path.join(root, c, 'input');
  const expected = () => fs.readFileSync(path.join(root, c, 'expected-connlist.txt'), 'utf8').trimEnd();

  test('reproduces expected-connlist.txt exactly, read as netpol-analyzer reads it', () => {
    const analysis = ConnectivityAnalysis.fromFiles([input], { lenient: true });
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.toText().trimEnd()).toBe(expected());
  });

  test('read strictly: the same connlist, or errors for what the API server rejects', () => {
    const analysis = ConnectivityAnalysis.fromFiles([input]);
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length === 0) {
      expect(analysis.toText().trimEnd()).toBe(expected());
    } else {
      for (const e of errors) expect(e.message).toMatch(/\(the API server rejects this \w+; it is not analysed\)$/);
    }
  });
});

// Runs every case folder of ../shared/conformance/netpol-analyzer (np-guard/netpol-analyzer cases)
// and compares our connlist text with expected-connlist.txt exactly.
import * as fs from 'fs';
import * as path from 'path';
import { ConnectivityAnalysis } from '../src/analysis';

const root = path.resolve(__dirname, '..', '..', 'shared', 'conformance', 'netpol-analyzer');
const cases = fs.existsSync(root)
  ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'expected-connlist.txt'))).sort()
  : [];

test('conformance cases are present', () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases.map((c) => [c]))('netpol-analyzer case %s', (c) => {
  test('reproduces expected-connlist.txt exactly', () => {
    const analysis = ConnectivityAnalysis.fromFiles([path.join(root, c, 'input')]);
    const expected = fs.readFileSync(path.join(root, c, 'expected-connlist.txt'), 'utf8');
    expect(analysis.toText().trimEnd()).toBe(expected.trimEnd());
  });
});

// Runs every case folder of ../shared/conformance/netpol-analyzer-diff (np-guard/netpol-analyzer
// diff cases: old-input, new-input, expected-diff.txt) and compares our diff text exactly.
// As in netpol-analyzer.test.ts, each case runs twice: read as netpol-analyzer reads it (lenient),
// the diff must equal the expected one; read strictly, it must equal it too unless the reader
// rejected objects, which it must then report as the API server's rule.
import * as fs from 'fs';
import * as path from 'path';
import { ConnectivityDiff } from '../src/analysis';

const root = path.resolve(__dirname, '..', '..', 'shared', 'conformance', 'netpol-analyzer-diff');
const all = fs.existsSync(root)
  ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'expected-diff.txt'))).sort()
  : [];

const cases = all;

test('conformance cases are present', () => {
  expect(all.length).toBeGreaterThan(0);
  expect(cases.length).toBe(23);
});

describe.each(cases.map((c) => [c]))('netpol-analyzer diff case %s', (c) => {
  const expected = () => fs.readFileSync(path.join(root, c, 'expected-diff.txt'), 'utf8').trimEnd();
  const sides = [[path.join(root, c, 'old-input')], [path.join(root, c, 'new-input')]];

  test('reproduces expected-diff.txt exactly, read as netpol-analyzer reads it', () => {
    const d = ConnectivityDiff.fromFiles(sides[0], sides[1], { lenient: true });
    for (const a of [d.ref1, d.ref2]) expect(a.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(d.toText().trimEnd()).toBe(expected());
  });

  test('read strictly: the same diff, or errors for what the API server rejects', () => {
    const d = ConnectivityDiff.fromFiles(sides[0], sides[1]);
    const errors = [d.ref1, d.ref2].flatMap((a) => a.diagnostics.filter((x) => x.severity === 'error'));
    if (errors.length === 0) expect(d.toText().trimEnd()).toBe(expected());
    else for (const e of errors) expect(e.message).toMatch(/\(the API server rejects this \w+; it is not analysed\)$/);
  });
});

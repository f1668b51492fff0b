// The lint on a generated cluster (bench/analysis.ts generateCluster and generatePolicyApi, 1,000
// pods): the snapshot holds the findings of the lint before its workload lookups were indexed
// (src/lint/workload-index.ts) and before it looked for covering policies by namespace only; the
// indexed lint must find exactly the same, message for message. Update the snapshot only for an
// intended change of findings (a new check, a changed message), never for a speed-up.
import { generateCluster, generatePolicyApi } from '../../bench/analysis';
import { Linter } from '../../src';

const MANIFESTS = [...generateCluster(1000), ...generatePolicyApi(1000)];

describe('lint of a generated cluster of 1,000 pods', () => {
  const report = Linter.lintManifests(MANIFESTS);

  test('finds what the unindexed lint found', () => {
    expect(Linter.formatText(report)).toMatchSnapshot();
  });

  test('exercises the checks that look workloads up by selector', () => {
    const counts = new Map<string, number>();
    for (const f of report.findings) counts.set(f.checkId, (counts.get(f.checkId) ?? 0) + 1);
    // workloads selected by policies and peers (NP005, NP006), named ports on them (NP007, NP010,
    // NP011), DNS per selected workload (NP001), Cilium DNS proxy coverage (CNP001) and the
    // network-policy API subjects against the NetworkPolicies (ANP001-ANP003)
    const expected = ['NP001', 'NP005', 'NP006', 'NP007', 'NP010', 'NP011', 'CNP001', 'ANP001', 'ANP002', 'ANP003'];
    expect(expected.filter(id => !counts.get(id))).toEqual([]);
  });
});

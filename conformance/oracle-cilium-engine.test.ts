// The oracle (test/property/oracle.ts) in cilium@1.18 mode against ../shared/conformance/cilium-engine:
// Cilium 1.18.3's own verdict for every probe of every scenario, the hand-written s01-s13 and the
// generated ones, and the configuration-dependent probes of s07 under the configuration the corpus
// states (allow-localhost auto, kube-apiserver on remote nodes: the defaults). This is what shows
// that the oracle itself is right; test/analysis/oracle.test.ts then checks the analyser against it.
import * as path from 'path';
import { CILIUM_ENGINE_DIR, Probe, readProbes, scenarios } from './cilium-engine';
import { loadFiles } from '../src/wire/files';
import { Oracle } from '../test/property/oracle';

const all = scenarios();

function oracleOf(scenario: string): Oracle {
  return new Oracle(loadFiles([path.join(CILIUM_ENGINE_DIR, scenario, 'in')]).documents, 'cilium@1.18');
}

const disagreements = (oracle: Oracle, probes: readonly Probe[]) => probes
  .filter((p) => oracle.verdict(p) !== p.allowed)
  .slice(0, 5)
  .map((p) => `${p.src} => ${p.dst} ${p.protocol} ${p.port}: Cilium ${p.allowed ? 'allows' : 'denies'}`);

test('the corpus is present: 13 hand-written and 40 generated scenarios', () => {
  expect(all.filter((s) => /^s\d\d-/.test(s))).toHaveLength(13);
  expect(all.filter((s) => /^gen-\d{4}$/.test(s))).toHaveLength(40);
});

describe.each(all.map((s) => [s]))('oracle vs Cilium 1.18.3, scenario %s', (scenario) => {
  test('every probe has Cilium\'s verdict', () => {
    const oracle = oracleOf(scenario);
    const probes = readProbes(path.join(CILIUM_ENGINE_DIR, scenario, 'expected.jsonl.gz'));
    expect(probes.length).toBeGreaterThan(0);
    expect(disagreements(oracle, probes)).toEqual([]);
  });
});

test('s07: the configuration-dependent probes, under the stated configuration (the agent defaults)', () => {
  const probes = readProbes(path.join(CILIUM_ENGINE_DIR, 's07-entities-cidr', 'config-dependent.jsonl.gz'));
  expect(probes).toHaveLength(900);
  expect(disagreements(oracleOf('s07-entities-cidr'), probes)).toEqual([]);
});

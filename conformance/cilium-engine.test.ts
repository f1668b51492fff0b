// Runs every scenario of ../shared/conformance/cilium-engine: the verdicts Cilium 1.18.3's own
// policy engine gives per probe (source, destination, protocol, port), and, for s07, the probes
// that depend on agent configuration, under the configuration the corpus states (its README,
// "Agent configuration assumed": the library's defaults).
//
// In cilium@1.18 mode every probe must agree. In kubernetes mode (the specification) the only
// disagreements allowed are the connections the analysis itself reports as deviations of Cilium
// from the specification: replacing those pairs with what it says Cilium allows gives Cilium's
// verdict on every probe.
import * as fs from 'fs';
import * as path from 'path';
import { AnalyserVerdicts, CILIUM_1_18, CILIUM_ENGINE_DIR, readProbes, scenarios } from './cilium-engine';
import { ConnectivityAnalysis } from '../src/analysis';

const all = scenarios();

test('the corpus is present: 53 scenarios', () => {
  expect(all).toHaveLength(53);
});

/** The policies Cilium rejected (oracle-warnings.txt): the analysis must reject exactly these, with an error. */
function rejectedByCilium(dir: string): string[] {
  const file = path.join(dir, 'oracle-warnings.txt');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => /^warning: (\S+ \S+): /.exec(l)![1]);
}

const objectOf = (d: { message: string }) => /^(\S+ \S+?) /.exec(d.message)?.[1];

const sample = (ps: { src: string; dst: string; protocol: string; port: number; allowed: boolean }[]) =>
  ps.slice(0, 5).map((p) => `${p.src} => ${p.dst} ${p.protocol} ${p.port}: Cilium ${p.allowed ? 'allows' : 'denies'}`);

describe.each(all.map((s) => [s]))('Cilium 1.18.3 scenario %s', (scenario) => {
  const dir = path.join(CILIUM_ENGINE_DIR, scenario);
  const probes = readProbes(path.join(dir, 'expected.jsonl.gz'));

  test('cilium@1.18: every probe has Cilium\'s verdict', () => {
    const analysis = CILIUM_1_18(path.join(dir, 'in'));
    expect(analysis.enforcement).toBe('cilium@1.18');
    expect(analysis.diagnostics.filter((d) => d.severity === 'error').map(objectOf)).toEqual(rejectedByCilium(dir));
    const verdicts = new AnalyserVerdicts(analysis);
    expect(sample(probes.filter((p) => verdicts.allowed(p) !== p.allowed))).toEqual([]);
  });

  test('kubernetes: differs from Cilium only where it reports a deviation, and what it says Cilium allows is Cilium\'s verdict', () => {
    const analysis = ConnectivityAnalysis.fromFiles([path.join(dir, 'in')], { cni: 'kubernetes' });
    expect(analysis.enforcement).toBe('kubernetes');
    const overrides = new Map<string, string>();
    for (const d of analysis.deviations) {
      // every deviation is also a warning naming it
      expect(analysis.diagnostics.some((g) => g.severity === 'warning' && g.message.includes(d.description))).toBe(true);
      for (const c of d.differences) overrides.set(`${c.source}\u0000${c.destination}`, c.cilium);
    }
    const verdicts = new AnalyserVerdicts(analysis, overrides);
    expect(sample(probes.filter((p) => verdicts.allowed(p) !== p.allowed))).toEqual([]);
  });
});

test('s07: the configuration-dependent probes, under the stated configuration (allow-localhost auto, kube-apiserver on remote nodes)', () => {
  const dir = path.join(CILIUM_ENGINE_DIR, 's07-entities-cidr');
  const probes = readProbes(path.join(dir, 'config-dependent.jsonl.gz'));
  expect(probes.length).toBe(900);
  const verdicts = new AnalyserVerdicts(CILIUM_1_18(path.join(dir, 'in')));
  expect(sample(probes.filter((p) => verdicts.allowed(p) !== p.allowed))).toEqual([]);
});

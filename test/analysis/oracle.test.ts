// The analyser against the oracle (test/property/oracle.ts, itself checked against Cilium 1.18.3's
// verdicts by conformance/oracle-cilium-engine.test.ts): for random small clusters
// (test/property/clusters.ts), in both enforcement modes, every probe (all ordered pairs of
// workloads, external addresses at the edges of every prefix, entities named by policies, x
// TCP/UDP/SCTP x every port rules and pods name) must get the oracle's verdict. The analyser's
// verdict is read from its connection list (an address by the listed range containing it), as
// conformance/cilium-engine.ts reads it for the golden corpus.
import * as fc from 'fast-check';
import { AnalyserVerdicts } from '../../conformance/cilium-engine';
import { ConnectivityAnalysis } from '../../src/analysis';
import { fromObjects } from '../../src/wire/files';
import { readDocuments } from '../../src/wire/reader';
import { clusterArbitrary, Feature, FEATURES, featuresOf, ORACLE_SEED, probesOf } from '../property/clusters';
import { Oracle, OracleMode } from '../property/oracle';

/** Enough clusters to hit every feature several times, within about 20 s on one core. */
const RUNS = 90;
const MODES: OracleMode[] = ['kubernetes', 'cilium@1.18'];

interface Comparison {
  readonly probes: number;
  readonly allowed: number;
  /** Oracle verdicts, in probe order. */
  readonly verdicts: boolean[];
  /** The first probes the analyser decides otherwise, as text. */
  readonly disagreements: string[];
}

function compare(manifests: readonly any[], mode: OracleMode): Comparison {
  const oracle = Oracle.fromManifests(manifests, mode);
  const analysis = ConnectivityAnalysis.fromManifests([...manifests], { cni: mode });
  const workloads = oracle.workloads.map((w) => w.id).sort();
  if (analysis.workloads.join() !== workloads.join()) throw new Error(`${mode}: the analyser's workloads ${analysis.workloads.join(', ')} are not the oracle's ${workloads.join(', ')}`);
  const analyser = new AnalyserVerdicts(analysis);
  const probes = probesOf(manifests, workloads);
  const verdicts = probes.map((p) => oracle.verdict(p));
  const disagreements: string[] = [];
  let pair = { src: '', dst: '', allowed: (_protocol: string, _port: number) => false };
  probes.forEach((p, i) => {
    if (p.src !== pair.src || p.dst !== pair.dst) pair = { src: p.src, dst: p.dst, allowed: analyser.pair(p.src, p.dst) };
    if (disagreements.length < 8 && pair.allowed(p.protocol, p.port) !== verdicts[i]) {
      disagreements.push(`${mode}: ${p.src} => ${p.dst} ${p.protocol} ${p.port}: the oracle ${verdicts[i] ? 'allows' : 'denies'}, the analyser ${verdicts[i] ? 'denies' : 'allows'}`);
    }
  });
  return { probes: probes.length, allowed: verdicts.filter((v) => v).length, verdicts, disagreements };
}

/** Throws, naming the reader's diagnostics or the first disagreements, unless the analyser agrees with the oracle everywhere. */
function expectAgreement(manifests: readonly any[]): Comparison[] {
  const read = readDocuments(fromObjects([...manifests]).documents);
  if (read.diagnostics.length) throw new Error(`the generated manifests do not read cleanly:\n${read.diagnostics.map((d) => d.message).join('\n')}`);
  const results = MODES.map((mode) => compare(manifests, mode));
  const disagreements = results.flatMap((r) => r.disagreements);
  if (disagreements.length) throw new Error(`the analyser disagrees with the oracle:\n${disagreements.join('\n')}`);
  return results;
}

describe('the analyser against the oracle on random clusters', () => {
  test(`${RUNS} clusters, both modes, every probe`, () => {
    const covered = new Map<Feature, number>();
    const totals = { probes: 0, allowed: 0, modesDiffer: 0 };
    fc.assert(fc.property(clusterArbitrary(), (c) => {
      const [kubernetes, cilium] = expectAgreement(c.manifests);
      // counted for the runs themselves, not for the shrinking of a failure
      for (const f of featuresOf(c.manifests)) covered.set(f, (covered.get(f) ?? 0) + 1);
      totals.probes += kubernetes.probes + cilium.probes;
      totals.allowed += kubernetes.allowed + cilium.allowed;
      if (kubernetes.verdicts.some((v, i) => v !== cilium.verdicts[i])) totals.modesDiffer++;
    }), { seed: ORACLE_SEED, numRuns: RUNS });
    // the generator covered every feature (the filtered namespace label is off: the known analyser bug below)
    expect(FEATURES.filter((f) => f !== 'namespace-filtered-label' && !covered.has(f))).toEqual([]);
    // both verdicts are common, and Cilium's deviations from the specification show
    expect(totals.allowed / totals.probes).toBeGreaterThan(0.1);
    expect(totals.allowed / totals.probes).toBeLessThan(0.9);
    expect(totals.modesDiffer).toBeGreaterThan(RUNS / 10);
  }, 120_000);

  test('the generator itself: every cluster reads without a diagnostic, and features repeat across runs', () => {
    const counts = new Map<Feature, number>();
    for (const c of fc.sample(clusterArbitrary({ filteredNamespaceLabels: true }), { seed: ORACLE_SEED, numRuns: RUNS })) {
      expect(readDocuments(fromObjects(c.manifests).documents).diagnostics.map((d) => d.message)).toEqual([]);
      for (const f of featuresOf(c.manifests)) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    expect(FEATURES.filter((f) => (counts.get(f) ?? 0) < 2)).toEqual([]);
  });
});

/**
 * A known analyser bug, found by this property: Cilium's identity label filter applies to the
 * namespace labels of a pod's identity too (pkg/k8s labels.go GetPodMetadata merges them as
 * `io.cilium.k8s.namespace.labels.<key>`, then daemon/cmd endpoint.go fetchK8sMetadataForEndpoint
 * runs labelsfilter.Filter over all of them), and `io.cilium.k8s.namespace.labels.beta.kubernetes.io/arch`
 * matches the default ignore prefix `.*beta\.kubernetes\.io` (pkg/labelsfilter defaultLabelPrefixCfg)
 * over a longer section than the include prefix `io.cilium.k8s.namespace.labels`, so it is dropped:
 * a selector on that namespace label selects no pod in Cilium. The analyser filters only the pod's
 * own labels. `test.failing` until the analyser is fixed; then make these `test`, and turn
 * `filteredNamespaceLabels` on in the property above.
 */
describe('known analyser bug: Cilium drops namespace labels its identity label filter ignores', () => {
  const namespaces = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { 'beta.kubernetes.io/arch': 'amd64' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'y', namespace: 'b' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
  ];
  const probe = { src: 'a/x[Pod]', dst: 'b/y[Pod]', protocol: 'TCP', port: 80 };

  test('the oracle: Cilium denies, the specification allows (a NetworkPolicy namespaceSelector on the label)', () => {
    const np = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'from-amd64', namespace: 'b' },
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'beta.kubernetes.io/arch': 'amd64' } } }] }] },
    };
    expect(Oracle.fromManifests([...namespaces, np], 'cilium@1.18').verdict(probe)).toBe(false);
    expect(Oracle.fromManifests([...namespaces, np], 'kubernetes').verdict(probe)).toBe(true);
  });

  test.failing('cilium@1.18: a NetworkPolicy namespaceSelector on beta.kubernetes.io/arch selects no pod', () => {
    const np = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'from-amd64', namespace: 'b' },
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'beta.kubernetes.io/arch': 'amd64' } } }] }] },
    };
    expect(ConnectivityAnalysis.fromManifests([...namespaces, np], { cni: 'cilium@1.18' }).isAllowed({ from: probe.src, to: probe.dst, port: 80 }).allowed).toBe(false);
  });

  test.failing('both modes: a CiliumNetworkPolicy selector on io.cilium.k8s.namespace.labels.beta.kubernetes.io/arch selects no pod', () => {
    const cnp = {
      apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'from-amd64', namespace: 'b' },
      spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.beta.kubernetes.io/arch': 'amd64' } }] }] },
    };
    for (const mode of MODES) expect(Oracle.fromManifests([...namespaces, cnp], mode).verdict(probe)).toBe(false);
    expect(expectAgreement([...namespaces, cnp])).toHaveLength(2);
  });
});

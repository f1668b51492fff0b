import { Chart, Testing, Yaml } from 'cdk8s';
import { ConnectivityAnalysis } from '../src/analysis';
import { fromObjects } from '../src/wire/files';
import { readDocuments } from '../src/wire/reader';

/**
 * Round trip: what the constructs synthesise reads back through the strict reader (as the API
 * server and Cilium would decide) with no diagnostic, and analyses without an error. Throws
 * naming the first problems. `readOptions` is for charts that target agent settings.
 */
export function expectReadsBack(manifests: any[], readOptions: Parameters<typeof readDocuments>[1] = {}): void {
  const read = readDocuments(fromObjects(manifests).documents, readOptions);
  const analysis = ConnectivityAnalysis.fromManifests(manifests, readOptions);
  const problems = [...read.diagnostics.map(d => d.message), ...analysis.diagnostics.filter(d => d.severity === 'error').map(d => d.message)];
  if (problems.length) throw new Error(`synthesised manifests do not read back cleanly:\n${[...new Set(problems)].join('\n')}`);
}

/**
 * Synthesises a chart for a test; every manifest reads back through the strict reader
 * (expectReadsBack). Under `npm run conformance` every manifest is also validated against the
 * official schemas in ../shared (see conformance/schema-setup.ts).
 */
export function synth(chart: Chart, readOptions?: Parameters<typeof readDocuments>[1]): any[] {
  const manifests = Testing.synth(chart);
  expectReadsBack(manifests, readOptions);
  return validated(manifests);
}

/** The manifests, each validated against the official schemas under `npm run conformance`. */
export function validated(manifests: any[]): any[] {
  const validate = (globalThis as any).__netpolValidateManifest;
  if (validate) manifests.forEach(m => validate(m));
  return manifests;
}

/** A chart in a fresh test app. */
export function newChart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
}

/** Expects `fn` to throw an error whose message contains every fragment. */
export function expectError(fn: () => unknown, ...fragments: string[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error)) throw new Error(`expected an error mentioning ${JSON.stringify(fragments)}, but nothing was thrown`);
  for (const f of fragments) expect(error.message).toContain(f);
}

/** The manifests as the YAML stream cdk8s writes, for snapshots. */
export function toYaml(manifests: any[]): string {
  return Yaml.stringify(...manifests);
}

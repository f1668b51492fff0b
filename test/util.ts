import { Chart, Testing, Yaml } from 'cdk8s';

/**
 * Synthesises a chart for a test. Under `npm run conformance` every manifest is also
 * validated against the official schemas in ../shared (see conformance/schema-setup.ts).
 */
export function synth(chart: Chart): any[] {
  return validated(Testing.synth(chart));
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

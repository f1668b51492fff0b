// Property: whatever a factory or builder of the constructs accepts synthesises without error into
// manifests the strict reader accepts (as the API server and Cilium would: test/util.ts
// expectReadsBack, with fromNodes/toNodes allowed as enable-node-selector-labels does), and nothing
// ever throws an internal error (TypeError, ...): only the library's validation errors.
// conformance/constructs-property.test.ts runs the same programs and checks every manifest against
// the official schemas in ../shared.
import * as fc from 'fast-check';
import { BUILDER_CHAINS, FACTORY_CASES, runProgram, SEED, WORKLOAD_PROGRAMS } from './property/constructs';
import { expectReadsBack } from './util';

const AGENT = { ciliumAgent: { enableNodeSelectorLabels: true } };

const RUNS_PER_FACTORY = 150;

describe('accepted inputs synthesise; rejected ones get validation errors only', () => {
  test.each(FACTORY_CASES.map(c => [c.name, c] as const))('%s', (_name, factoryCase) => {
    let accepted = 0;
    fc.assert(fc.property(factoryCase.programs, program => {
      const manifests = runProgram(program, false);
      if (manifests) {
        accepted++;
        expectReadsBack(manifests, AGENT);
      }
    }), { seed: SEED, numRuns: RUNS_PER_FACTORY });
    // The generators are meant to hit both sides: some inputs are accepted, some rejected.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(RUNS_PER_FACTORY);
  }, 60_000);

  test('workloads as subjects, peers and named ports: synth fails only through validation with our messages', () => {
    let synthesised = 0;
    fc.assert(fc.property(WORKLOAD_PROGRAMS, program => {
      if (runProgram(program, true)) synthesised++;
    }), { seed: SEED, numRuns: 400 });
    // Both sides are hit: some workloads are readable, some are not.
    expect(synthesised).toBeGreaterThan(0);
    expect(synthesised).toBeLessThan(400);
  }, 60_000);

  test('builder chains on one Cilium rule: synth fails only through validation with our messages', () => {
    fc.assert(fc.property(BUILDER_CHAINS, program => {
      const manifests = runProgram(program, true);
      if (manifests) expectReadsBack(manifests, AGENT);
    }), { seed: SEED, numRuns: 400 });
  }, 60_000);
});

// Property: whatever a factory or builder of the constructs accepts without throwing synthesises
// manifests that the official schemas in ../shared accept (Kubernetes 1.33 OpenAPI, Cilium 1.18
// CRDs, unknown fields rejected). The programs are those of test/constructs-property.test.ts.
import * as fc from 'fast-check';
import { SchemaValidator } from './schema-validator';
import { BUILDER_CHAINS, FACTORY_CASES, Program, runProgram, SEED, WORKLOAD_PROGRAMS } from '../test/property/constructs';

const validator = new SchemaValidator();

function schemaErrors(program: Program, synthMayFail: boolean, kinds?: string[]): string[] {
  const manifests = runProgram(program, synthMayFail) ?? [];
  return manifests.filter(m => !kinds || kinds.includes(m.kind)).flatMap(m => validator.validate(m));
}

describe('every accepted input synthesises manifests the official schemas accept', () => {
  test.each(FACTORY_CASES.map(c => [c.name, c] as const))('%s', (_name, factoryCase) => {
    fc.assert(fc.property(factoryCase.programs, program => {
      expect(schemaErrors(program, false)).toEqual([]);
    }), { seed: SEED, numRuns: 400 });
  }, 120_000);

  test('policies from generated workloads (the workloads themselves are generated input, not checked)', () => {
    fc.assert(fc.property(WORKLOAD_PROGRAMS, program => {
      expect(schemaErrors(program, true, ['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'])).toEqual([]);
    }), { seed: SEED, numRuns: 600 });
  }, 120_000);

  test('builder chains on one Cilium rule', () => {
    fc.assert(fc.property(BUILDER_CHAINS, program => {
      expect(schemaErrors(program, true)).toEqual([]);
    }), { seed: SEED, numRuns: 1000 });
  }, 120_000);
});

// Run before every test file in `npm run conformance`: every manifest the unit suite
// synthesises (through test/util.ts) is validated against the official schemas.
import { SchemaValidator } from './schema-validator';

const validator = new SchemaValidator();
(globalThis as any).__netpolValidateManifest = (manifest: any) => {
  const errors = validator.validate(manifest);
  if (errors.length) {
    throw new Error(`synthesised manifest fails the official schema:\n${errors.join('\n')}\n${JSON.stringify(manifest, null, 2)}`);
  }
  (globalThis as any).__netpolValidatedCount = ((globalThis as any).__netpolValidatedCount ?? 0) + 1;
};

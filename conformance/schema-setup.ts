// Run before every test file in `npm run conformance`: every manifest the unit suite
// synthesises (through test/util.ts) is validated against the official schemas twice, by
// independent means: ajv over the schema files (conformance/schema-validator.ts), and the
// generated tables the package ships (src/wire/schema). Both must accept it.
import { SchemaValidator } from './schema-validator';
import { validateObject } from '../src/wire/schema';
import { formatFieldPath } from '../src/wire/source';

const validator = new SchemaValidator();
(globalThis as any).__netpolValidateManifest = (manifest: any) => {
  const errors = validator.validate(manifest);
  const generated = validateObject(manifest);
  for (const v of generated?.violations ?? []) errors.push(`wire/schema: ${formatFieldPath(v.path)} ${v.code}: ${v.message}`);
  if (errors.length) {
    throw new Error(`synthesised manifest fails the official schema:\n${errors.join('\n')}\n${JSON.stringify(manifest, null, 2)}`);
  }
  (globalThis as any).__netpolValidatedCount = ((globalThis as any).__netpolValidatedCount ?? 0) + 1;
};

import * as fs from 'fs';
import * as path from 'path';
import { Documentation, Language } from 'jsii-docgen';

// API.md and API.python.md are generated from the .jsii assembly (`npx projen docgen`) and
// committed; a change to the public API or its doc comments without regenerating fails here.
// Needs .jsii, which `npm test` builds first (jsii compile).
const root = path.join(__dirname, '..', '..');

describe('API reference', () => {
  let docs: Documentation;
  beforeAll(async () => {
    docs = await Documentation.forProject(root);
  }, 60_000);
  afterAll(async () => docs?.cleanup());

  test.each([
    ['typescript', 'API.md'],
    ['python', 'API.python.md'],
  ])('%s reference %s is up to date', async (language, file) => {
    const expected = (await docs.toMarkdown({ language: Language.fromString(language), allSubmodules: true })).render();
    const committed = fs.readFileSync(path.join(root, file), 'utf8');
    if (committed !== expected) {
      throw new Error(`${file} is stale: it differs from what jsii-docgen writes for the current .jsii; run \`npx projen compile && npx projen docgen\` and commit ${file}`);
    }
    expect(committed.length).toBeGreaterThan(0);
  }, 60_000);

  test('every @example compiles (jsii-rosetta, with rosetta/default.ts-fixture), so the Python reference shows real Python', async () => {
    const python = (await docs.toMarkdown({ language: Language.PYTHON, allSubmodules: true })).render();
    expect(python).toContain('```python');
    const failed = python.split('\n').filter((l) => l.includes('automatically generated from non-compiling source')).length;
    expect(failed).toBe(0);
  }, 60_000);
});

import * as fs from 'fs';
import { renderRecipesDoc, RECIPES_DOC } from './recipes-doc';

// docs/recipes.md shows each recipe's code beside its synthesised YAML; it must not drift.
test('docs/recipes.md is the generated catalogue (regenerate: npx ts-node --project test/tsconfig.json test/patterns/recipes-doc.ts)', () => {
  expect(fs.readFileSync(RECIPES_DOC, 'utf8')).toEqual(renderRecipesDoc());
});

import * as fs from 'fs';
import * as path from 'path';
import { agrees, yamlDocumentsOf } from '../test/wire/yaml-block-agreement';

// The block-subset YAML reader (src/wire/yaml-block.ts) reads every document of ../shared that it
// reads at all exactly as go-yaml's full reading does (value, key order, position).
test('the block-subset YAML reader agrees with the full reader on every YAML document of ../shared', () => {
  const shared = path.resolve(__dirname, '..', '..', 'shared');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walk(shared);
  let fast = 0;
  const problems: string[] = [];
  for (const f of files) {
    for (const doc of yamlDocumentsOf(fs.readFileSync(f, 'utf8'))) {
      const r = agrees(doc);
      if (r.fast) fast++;
      if (r.problem) problems.push(`${path.relative(shared, f)}: ${r.problem}`);
    }
  }
  expect(problems).toEqual([]);
  expect(fast).toBeGreaterThan(500);
});

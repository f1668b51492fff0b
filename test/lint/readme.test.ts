import * as fs from 'fs';
import * as path from 'path';
import { Linter } from '../../src';

// The README's check table documents every check: a new check without documentation fails here.
test('README lists every lint check id with its name', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Patterns and lint'));
  for (const c of Linter.checks()) expect(section).toContain(`| \`${c.id}\` | ${c.name} |`);
});

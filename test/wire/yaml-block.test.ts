import * as fs from 'fs';
import * as path from 'path';
import { agrees, yamlDocumentsOf } from './yaml-block-agreement';
import { decodeBlockYaml } from '../../src/wire/yaml-block';

describe('block-style YAML read without tokens (yaml-block.ts)', () => {
  test.each([
    ['kubectl-style manifest', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n      name: http\n'],
    ['nested sequences and compact mappings', 'a:\n  - b: 1\n    c:\n      - x\n      -\n      - y\n'],
    ['indentless sequence then a sibling key', 'a:\n- 1\n- 2\nb: 3\n'],
    ['empty flow collections', 'a: {}\nb: []\nc:\n- {}\n- []\n'],
    ['null values', 'a:\nb: ~\nc:\n  d:\ne: null\n'],
    ['YAML 1.1 scalars', 'a: yes\nb: 0755\nc: 1e3\nd: .5\ne: 0x1F\nf: 1_000\ng: "yes"\nh: \'0755\'\ni: 2001-12-14\n'],
    ['quoted keys and values', '"a b": \'it\'\'s\'\n\'c\': "d # not a comment"\n'],
    ['comments everywhere', '# head\na: 1 # one\n  # indented comment\nb: # value below\n  c: 2\n#tail\n'],
    ['plain scalars with colons and hashes inside', 'url: http://x:80/a#b\nk: a:b\n'],
    ['CR LF line ends', 'a: 1\r\nb:\r\n  - x\r\n'],
    ['a key that is not a string in YAML', '1: a\ntrue: b\n0x10: c\n'],
    ['__proto__ as a key', '__proto__: x\na: 1\n'],
    ['leading indentation of the root', '  a: 1\n  b: 2\n'],
  ])('%s: read, as the full reader reads it', (_name, src) => {
    expect(agrees(src)).toEqual({ fast: true });
  });

  test('reads YAML 1.1 scalars as go-yaml v2 does (the shared resolver)', () => {
    expect(decodeBlockYaml('a: yes\nb: 0755\nc: 1e3\nd: ~\ne: {}\nf: "1"\n', 0, 40)?.value)
      .toEqual({ a: true, b: 493, c: 1000, d: null, e: {}, f: '1' });
  });

  test.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow sequence with items', 'a: [1, 2]\n'],
    ['a flow mapping with entries', 'a: {b: 1}\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a folded scalar', 'a: >\n  text\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['a multi-line quoted scalar', 'a: "b\n  c"\n'],
    ['an escape', 'a: "\\n"\n'],
    ['a merge key', 'a: 1\n<<: {b: 2}\n'],
    ['a tab', 'a:\t1\n'],
    ['a lone CR', 'a: 1\rb: 2\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['two keys that become one JSON key', '1: a\n"1": b\n'],
    ['a non-finite float', 'a: .nan\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a bare scalar document', 'hello\n'],
    ['only comments', '# nothing\n'],
    ['a value with ": " inside', 'a: b: c\n'],
    ['a mapping on a key\'s line', 'a: b: \n'],
    ['text after a quoted scalar', 'a: "b" c\n'],
    ['a dedent to no open column', 'a:\n    b: 1\n  c: 2\n'],
    ['a sequence entry beside a mapping key', 'a: 1\n- b\n'],
    ['a second root', 'a: 1\n- b\n'],
    ['a complex key', '? a\n: b\n'],
    ['a sequence entry on an entry\'s line', '- - a\n'],
    ['a key too long for a simple key', `${'k'.repeat(1100)}: v\n`],
  ])('%s: left to the full reader', (_name, src) => {
    expect(agrees(src)).toEqual({ fast: false });
  });

  test('agrees with the full reader on 60,000 generated and mutated documents, and reads over 10,000 of them itself', () => {
    // a seeded LCG, so that the documents are the same on every run
    let seed = 20261202;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    const scalars = ['a', 'b c', 'yes', 'no', '1', '0755', '0x1F', '1e3', '.5', '-1', '~', 'null', 'true', "'q'", "'it''s'",
      '"d"', '""', "''", 'a:b', 'http://x', 'a#b', 'x # c', '-x', '.inf', '.nan', '1_000', '2001-12-14', '=', '<<',
      '__proto__', 'a b ', '0o17', '+1', '12345678901234567890', '3.0', 'é', 'on', '{}', '[]', '{ }', '[ ]', '{}x', '[]:'];
    const gen = (depth: number, indent: number): string[] | undefined => {
      const kind = depth > 3 ? 0 : Math.floor(rnd() * 3);
      if (kind === 0) return undefined;
      const pad = ' '.repeat(indent);
      const lines: string[] = [];
      for (let i = 1 + Math.floor(rnd() * 3); i > 0; i--) {
        if (kind === 1) {
          const sub = gen(depth + 1, indent + pick([1, 2, 4]));
          if (sub && rnd() < 0.8) lines.push(`${pad}${pick(scalars)}:${rnd() < 0.2 ? ' # c' : ''}`, ...sub);
          else lines.push(`${pad}${pick(scalars)}:${rnd() < 0.2 ? '' : ` ${pick(scalars)}`}`);
        } else {
          const sub = gen(depth + 1, indent + 2);
          if (sub && rnd() < 0.5) lines.push(`${pad}- ${sub[0].slice(indent + 2)}`, ...sub.slice(1));
          else if (sub) lines.push(`${pad}-`, ...sub);
          else lines.push(`${pad}-${rnd() < 0.2 ? '' : ` ${pick(scalars)}`}`);
        }
      }
      return lines;
    };
    const noise = [' ', '-', ':', '#', "'", '"', '\n', 'a', '1', '{', '&', '?', '~', '.', '- ', ': ', ' #', '  ', '\n  ', '\n- ', ',', '[', '\r'];
    let fast = 0;
    const problems: string[] = [];
    const N = 60000;
    for (let i = 0; i < N; i++) {
      const lines = gen(0, pick([0, 0, 0, 1, 2])) ?? ['a: b'];
      if (rnd() < 0.3) lines.splice(Math.floor(rnd() * lines.length), 0, pick(['', '# x', '   ', '  # y']));
      let src = lines.join('\n') + '\n';
      for (let m = Math.floor(rnd() * 5); m > 0; m--) {
        const at = Math.floor(rnd() * src.length);
        src = src.slice(0, at) + pick(noise) + src.slice(at + (rnd() < 0.3 ? 1 : 0));
      }
      if (rnd() < 0.3) src = src.replace(/\n/g, '\r\n');
      const r = agrees(src);
      if (r.fast) fast++;
      if (r.problem && problems.length < 5) problems.push(`${JSON.stringify(src)}: ${r.problem}`);
    }
    expect(problems).toEqual([]);
    expect(fast).toBeGreaterThan(10000);
  });

  test('agrees with the full reader on every YAML file of the tests and examples', () => {
    const root = path.join(__dirname, '..', '..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) files.push(p);
      }
    };
    walk(path.join(root, 'test'));
    walk(path.join(root, 'examples'));
    let fast = 0;
    const problems: string[] = [];
    for (const f of files) {
      for (const doc of yamlDocumentsOf(fs.readFileSync(f, 'utf8'))) {
        const r = agrees(doc);
        if (r.fast) fast++;
        if (r.problem) problems.push(`${path.relative(root, f)}: ${r.problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(fast).toBeGreaterThan(5);
  });
});

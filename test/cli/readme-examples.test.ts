// Every command output shown in README.md is what the command prints today: each block after a
// `<!-- cli: ARGS -->` marker equals the CLI's stdout for ARGS (run from the project root);
// `<!-- cli-json: PATH : ARGS -->` compares the JSON at PATH (dot-separated keys and indexes);
// `<!-- cli-file: FILE : ARGS -->` compares a committed file (e.g. an SVG the README shows).
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8').split('\n');

interface Example {
  readonly line: number;
  readonly kind: 'cli' | 'cli-json' | 'cli-file';
  readonly args: string[];
  readonly target?: string;
  readonly body?: string;
}

function examples(): Example[] {
  const out: Example[] = [];
  readme.forEach((l, i) => {
    const m = /^<!-- (cli|cli-json|cli-file): (.*) -->$/.exec(l);
    if (!m) return;
    const kind = m[1] as Example['kind'];
    let target: string | undefined;
    let args = m[2];
    if (kind !== 'cli') {
      const sep = args.indexOf(' : ');
      target = args.slice(0, sep);
      args = args.slice(sep + 3);
    }
    let body: string | undefined;
    if (kind !== 'cli-file') {
      if (readme[i + 1] !== '```') throw new Error(`README.md:${i + 2}: a plain \`\`\` block must follow the marker`);
      const end = readme.indexOf('```', i + 2);
      body = readme.slice(i + 2, end).join('\n');
    }
    out.push({ line: i + 1, kind, args: args.split(' '), target, body });
  });
  return out;
}

async function stdout(args: string[]): Promise<string> {
  let out = '';
  await main(args, { stdout: (t) => { out += t; }, stderr: () => undefined });
  return out;
}

const all = examples();

test('the README shows examples of every output format', () => {
  const formats = (cmd: string, dflt: string) => new Set(all.filter((e) => e.args[0] === cmd).map((e) => {
    const i = e.args.indexOf('--format');
    return i < 0 ? dflt : e.args[i + 1];
  }));
  expect(formats('analyze', 'txt')).toEqual(new Set(['txt', 'csv', 'md', 'json', 'dot', 'svg', 'mermaid']));
  expect(formats('diff', 'txt')).toEqual(new Set(['txt', 'md', 'csv', 'json', 'dot', 'svg']));
  expect(formats('lint', 'text')).toEqual(new Set(['text', 'json', 'md', 'sarif']));
  expect(all.some((e) => e.args[0] === 'check')).toBe(true);
});

describe.each(all.map((e) => [`README.md:${e.line} ${e.args.join(' ')}`, e]))('%s', (_name, e) => {
  test('equals the output', async () => {
    const out = await stdout(e.args);
    if (e.kind === 'cli') {
      expect(out).toBe(`${e.body}\n`);
    } else if (e.kind === 'cli-json') {
      const value = e.target!.split('.').reduce((v: any, k) => v[/^\d+$/.test(k) ? Number(k) : k], JSON.parse(out));
      expect(value).toEqual(JSON.parse(e.body!));
    } else {
      expect(out).toBe(fs.readFileSync(path.join(root, e.target!), 'utf8'));
    }
  });
});

/**
 * Reads every *.yaml, *.yml and *.json file under a folder with the manifest reader
 * (src/wire/yaml.ts) and with the reader it replaced (bench/baseline), and lists the files where
 * they differ: documents read, objects, errors and warnings.
 *
 *   npx ts-node --project test/tsconfig.json bench/readers-diff.ts FOLDER
 *
 * e.g. on the tests/ folder of a netpol-analyzer checkout.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadText as baselineLoadText } from './baseline/load';
import { decodeManifestBytes } from '../src/wire/files';
import { loadText } from '../src/wire/yaml';

function files(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    if (fs.statSync(p).isDirectory()) files(p, out);
    else if (/\.(ya?ml|json)$/i.test(e)) out.push(p);
  }
  return out;
}

function main() {
  const root = process.argv[2];
  if (!root) throw new Error('usage: bench/readers-diff.ts FOLDER');
  let before = 0;
  let after = 0;
  const list = files(root);
  for (const f of list) {
    const bytes = fs.readFileSync(f);
    const old = baselineLoadText(bytes.toString('utf8'), f);
    const now = loadText(decodeManifestBytes(bytes), f);
    before += old.documents.length;
    after += now.documents.length;
    const oldErrors = old.diagnostics.filter((d) => d.severity === 'error');
    const sameObjects = JSON.stringify(old.documents.map((d) => d.object)) === JSON.stringify(now.documents.map((d) => d.object));
    if (!oldErrors.length && !now.diagnostics.length && sameObjects) continue;
    console.log(`${path.relative(root, f)}: before ${old.documents.length} documents, ${oldErrors.length} errors; now ${now.documents.length} documents, `
      + `${now.diagnostics.length} diagnostics${sameObjects ? '' : '; objects differ'}`);
    for (const d of oldErrors) console.log(`  before ${d.line}:${d.column} ${d.message.split('\n')[0]}`);
    for (const d of now.diagnostics) console.log(`  now    ${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  }
  console.log(`${list.length} files; documents read before ${before}, now ${after}`);
}

main();

/**
 * YAML reading benchmark: CPU time of the manifest reader (src/wire/yaml.ts loadText) and of the
 * reader it replaced (bench/baseline), in the same process, on the analysis benchmark's cluster.
 *
 *   npx ts-node --project test/tsconfig.json bench/yaml.ts [--pods 5000] [--runs 9]
 *
 * The text is generated in memory (not measured). Runs alternate between the readers after two
 * warm-up runs each; the table gives the median and the fastest run of each.
 */
// yaml is a root dev dependency; bench/package.json lists only the bench's own ones.
// eslint-disable-next-line import/no-extraneous-dependencies
import { stringify } from 'yaml';
import { generateCluster } from './analysis';
import { loadText as baselineLoadText } from './baseline/load';
import { loadText } from '../src/wire/yaml';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

function cpuMs(f: () => unknown): number {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

function main() {
  const pods = arg('--pods', 5000);
  const runs = arg('--runs', 9);
  const docs = generateCluster(pods, 42);
  const text = docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join('---\n');
  const readers: [string, (t: string) => { documents: { object: any }[] }][] = [
    ['wire/yaml.ts loadText', (t) => loadText(t, 'cluster.yaml')],
    ['baseline (yaml package + CST fast path)', (t) => baselineLoadText(t, 'cluster.yaml')],
  ];
  const objects = (i: number) => JSON.stringify(readers[i][1](text).documents.map((d) => d.object));
  const same = objects(0) === objects(1);
  const times = readers.map(() => [] as number[]);
  for (let w = 0; w < 2; w++) readers.forEach(([, f]) => f(text));
  for (let r = 0; r < runs; r++) readers.forEach(([, f], i) => times[i].push(cpuMs(() => f(text))));
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`${pods} pods, ${docs.length} documents, ${(Buffer.byteLength(text) / 1048576).toFixed(2)} MiB, ${runs} runs; same objects: ${same}`);
  console.log('| reader | median CPU (ms) | fastest (ms) | MiB/s (median) |');
  console.log('|---|---:|---:|---:|');
  readers.forEach(([name], i) => {
    const m = median(times[i]);
    console.log(`| ${name} | ${m.toFixed(0)} | ${Math.min(...times[i]).toFixed(0)} | ${(Buffer.byteLength(text) / 1048576 / (m / 1000)).toFixed(1)} |`);
  });
  console.log(`speed-up (median): ${(median(times[1]) / median(times[0])).toFixed(1)}x`);
}

main();

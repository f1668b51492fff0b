import { isDeepStrictEqual } from 'util';
import { LineCounter, parseAllDocuments } from 'yaml';
import { fastParse } from '../../src/analysis/fastyaml';
import { loadText } from '../../src/analysis/load';

// The fast CST path must give exactly what the full YAML parser gives, and must hand every
// malformed or unusual document to the full parser (which reports it with its position).
describe('fast YAML path', () => {
  const same: Record<string, string> = {
    seqAtKeyColumn: 'a:\n- b\n- c\n',
    compactMapInSeq: '- a: 1\n  b: 2\n- c\n',
    nestedSeq: '- - a\n  - b\n',
    blockScalars: 'a: |\n  x\n  y\nb: >-\n  p\n  q\n',
    trailingCommas: 'a: [1, 2,]\nb: {c: 1,}\n',
    foldedPlain: 'a: this is\n  folded\n',
    comments: '# c\na: 1 # x\n# d\nb:\n  # e\n  - 1\n',
    nulls: 'a:\nb: ~\nc: ""\nd: null\n',
    coreSchema: 'i: 012\nh: 0x1F\no: 0o17\nf: 1.5e3\nt: true\nF: False\ns: "8080"\nq: \'x\'\ninf: -.inf\n',
    json: '{\n  "a": [\n    1,\n    {"b": null}\n  ]\n}\n',
  };
  test.each(Object.entries(same))('%s parses like the full parser', (_, text) => {
    const fast = fastParse(text, new LineCounter());
    expect(fast).toBeDefined();
    const full = (parseAllDocuments(text) as any[]).map((d) => d.toJS());
    expect(isDeepStrictEqual(fast!.map((d) => d.value), full)).toBe(true);
  });

  const malformed: Record<string, string> = {
    unclosedQuote: 'a: "x\nb: 1\n',
    badIndent: 'a:\n  b: 1\n c: 2\n',
    tabIndent: 'a:\n\tb: 1\n',
    blockAsImplicitKey: 'a: b: c\n',
    multiLineKey: 'a\nb: 1\n',
    unclosedFlow: 'a: [1, 2\nb: 3\n',
    seqAfterMap: 'a: 1\n- b\n',
    misalignedMap: 'x:\n    a: 1\n  b: 2\n',
    seqOnKeyLine: 'a: - b\n',
  };
  test.each(Object.entries(malformed))('%s falls back and is reported', (_, text) => {
    expect(fastParse(text, new LineCounter())).toBeUndefined();
    const r = loadText(text, 'x.yaml');
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0].line).toBeGreaterThan(0);
  });

  test('anchors and aliases use the full parser', () => {
    expect(fastParse('a: &x {b: 1}\nc: *x\n', new LineCounter())).toBeUndefined();
    expect(loadText('kind: Pod\nmetadata: &m {name: p}\nx: *m\n', 'x.yaml').documents[0].object.x).toEqual({ name: 'p' });
  });
});

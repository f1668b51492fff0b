import { loadText } from '../../src/wire/yaml';

/** The documents' objects. */
function objects(text: string): any[] {
  return loadText(text, 'm.yaml').documents.map((d) => d.object);
}
/** The one document's object, asserting there is no diagnostic. */
function one(text: string): any {
  const r = loadText(text, 'm.yaml');
  expect(r.diagnostics).toEqual([]);
  expect(r.documents).toHaveLength(1);
  return r.documents[0].object;
}
/** `line:column code` of each diagnostic. */
function where(text: string): string[] {
  return loadText(text, 'm.yaml').diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);
}
function messages(text: string): string[] {
  return loadText(text, 'm.yaml').diagnostics.map((d) => d.message);
}

describe('YAML 1.1 plain scalars (go-yaml v2 resolve.go, decode.go into interface{})', () => {
  test.each([
    ['null forms', 'a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: nULL\n', { a: null, b: null, c: null, d: null, e: null, f: 'nULL' }],
    ['true forms', 'a: y\nb: Y\nc: yes\nd: Yes\ne: YES\nf: on\ng: On\nh: ON\ni: true\nj: True\nk: TRUE\nl: yEs\nm: tRUE\n',
      { a: true, b: true, c: true, d: true, e: true, f: true, g: true, h: true, i: true, j: true, k: true, l: 'yEs', m: 'tRUE' }],
    ['false forms', 'a: n\nb: N\nc: no\nd: No\ne: NO\nf: off\ng: Off\nh: OFF\ni: false\nj: False\nk: FALSE\nl: oFF\n',
      { a: false, b: false, c: false, d: false, e: false, f: false, g: false, h: false, i: false, j: false, k: false, l: 'oFF' }],
    ['octal with a leading 0 (Go ParseInt base 0)', 'port: 0777\nmode: 0644\nz: 0\nzz: 00\n', { port: 511, mode: 420, z: 0, zz: 0 }],
    ['0x, 0o, 0b prefixes, signs and underscores', 'a: 0x1F\nb: 0o17\nc: 0b101\nd: 1_000\ne: +12\nf: -0x10\ng: 0x_1F\nh: -0b11\n',
      { a: 31, b: 15, c: 5, d: 1000, e: 12, f: -16, g: 31, h: -3 }],
    ['a leading 0 with 8 or 9 is a float (yamlStyleFloat)', 'a: 08\nb: 09.5\n', { a: 8, b: 9.5 }],
    ['floats', 'a: 1.5\nb: 1e3\nc: .5\nd: -1.\ne: 6.02E+23\nf: .5_5\n', { a: 1.5, b: 1000, c: 0.5, d: -1, e: 6.02e23, f: 0.55 }],
    ['ints beyond 64 bits: decimal become floats, hex stays a string', 'a: 99999999999999999999\nb: 0xFFFFFFFFFFFFFFFFFF\nc: 18446744073709551615\nd: 1e400\n',
      { a: 1e20, b: '0xFFFFFFFFFFFFFFFFFF', c: 18446744073709551615, d: '1e400' }],
    ['timestamps stay strings', 'a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10\n',
      { a: '2001-12-14', b: '2001-12-14t21:59:43.10-05:00', c: '2001-12-14 21:59:43.10' }],
    ['quoted scalars are strings', 'a: "0777"\nb: \'yes\'\nc: "~"\nd: ""\n', { a: '0777', b: 'yes', c: '~', d: '' }],
    ['text that only looks numeric', 'a: 1:30\nb: 0x\nc: 1_\nd: _1\ne: .\nf: +\ng: 1e\nh: 12.3.4\n',
      { a: '1:30', b: '0x', c: 1, d: '_1', e: '.', f: '+', g: '1e', h: '12.3.4' }],
  ])('%s', (_, text, expected) => {
    expect(one(text)).toEqual(expected);
  });

  test('.inf and .nan cannot become JSON: the document is rejected (json.Marshal)', () => {
    for (const v of ['.inf', '-.Inf', '+.INF', '.nan', '.NaN']) {
      expect(where(`kind: Pod\nx: ${v}\n`)).toEqual(['2:4 yaml-float']);
    }
    expect(messages('x: .nan\n')[0]).toMatch(/json: unsupported value: NaN; JSON has no NaN or infinity: quote the value/);
  });
});

describe('explicit tags', () => {
  test.each([
    ['!!str keeps the text', 'a: !!str 0777\nb: !!str yes\nc: !!str\n', { a: '0777', b: 'yes', c: '' }],
    ['!!int, !!float (an int is accepted), !!bool, !!null on matching text', 'a: !!int "0x10"\nb: !!float 1\nc: !!bool "on"\nd: !!null ""\n', { a: 16, b: 1, c: true, d: null }],
    ['unknown and non-specific tags leave a string', 'a: !foo 12\nb: ! 12\nc: !<tag:example.com,2000:x> yes\n', { a: '12', b: '12', c: 'yes' }],
    ['tags on collections are ignored', 'a: !!set {x: 1}\nb: !!str [1]\n', { a: { x: 1 }, b: [1] }],
    ['%TAG handles are not reachable: kubectl splits the "---" off (see documents)', '!!binary aGVsbG8=\n', 'hello'],
  ])('%s', (_, text, expected) => {
    if (typeof expected === 'string') expect(objects(`a: ${text}`)[0].a).toBe(expected);
    else expect(one(text)).toEqual(expected);
  });

  test('a tag that does not match its text rejects the document', () => {
    expect(messages('a: !!int abc\n')[0]).toMatch(/cannot decode !!str `abc` as a !!int/);
    expect(messages('a: !!float 0x\n')[0]).toMatch(/cannot decode !!str `0x` as a !!float/);
    expect(messages('a: !!int 1.5\n')[0]).toMatch(/cannot decode !!float `1.5` as a !!int/);
    expect(messages('a: !!timestamp 2001-13-01\n')[0]).toMatch(/cannot decode !!str `2001-13-01` as a !!timestamp/);
    expect(messages('a: !!binary "a"\n')[0]).toMatch(/!!binary value contains invalid base64 data/);
    expect(where('a: !e!x 1\n')).toEqual(['1:4 yaml-syntax']);
    expect(messages('a: !e!x 1\n')[0]).toMatch(/found undefined tag handle/);
  });
});

describe('mapping keys become JSON strings (sigs.k8s.io/yaml convertToJSONableObject)', () => {
  test('bool, int and float keys', () => {
    expect(one('on: a\nno: b\n0777: c\n1.5: d\n1e6: e\n100000: f\n0.1: g\n.inf: h\n')).toEqual({
      // float keys use 32-bit formatting (FormatFloat(key, 'g', -1, 32))
      'true': 'a', 'false': 'b', '511': 'c', '1.5': 'd', '1e+06': 'e', '100000': 'f', '0.1': 'g', '.inf': 'h',
    });
    expect(one('0.123456789: x\n')).toEqual({ 0.12345679: 'x' });
    // YAML 1.1: a key y or n is a bool
    expect(one('x: 1\ny: 2\nn: 3\n')).toEqual({ x: 1, true: 2, false: 3 });
    expect(one('9007199254740993: x\n')).toEqual({ '9007199254740993': 'x' });
  });

  test('null and uint64 keys are rejected', () => {
    expect(messages('~: a\n')[0]).toMatch(/unsupported map key of type: %!s\(<nil>\)/);
    expect(messages('? \n: a\n')[0]).toMatch(/unsupported map key/);
    expect(messages('18446744073709551615: a\n')[0]).toMatch(/unsupported map key of type: uint64/);
  });

  test('a collection as a key is rejected (go-yaml "invalid map key")', () => {
    expect(messages('? [a, b]\n: c\n')[0]).toMatch(/invalid map key: \[\]interface \{\}\{"a", "b"\}/);
    expect(messages('? {a: b}\n: c\n')[0]).toMatch(/invalid map key: map\[interface \{\}\]interface \{\}/);
  });
});

describe('duplicate keys', () => {
  test('an error naming both lines; kubectl keeps the last value', () => {
    const r = loadText('kind: Pod\nmetadata:\n  name: a\n  labels: {}\n  name: b\n', 'm.yaml');
    expect(r.documents[0].object.metadata.name).toBe('b');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(['5:3 error duplicate-key']);
    expect(r.diagnostics[0].message).toBe('duplicate key "name" (first at line 3): YAML forbids it and kubectl silently keeps the last value; remove one of them');
  });

  test('keys that differ in YAML but become the same JSON key: kubectl keeps one at random', () => {
    const r = loadText('1: a\n"1": b\n', 'm.yaml');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['keys at lines 1 and 2 both become the JSON key "1": kubectl keeps one of them at random; write the key one way only']);
    expect(where('yes: a\ntrue: b\n')).toEqual(['2:1 duplicate-key']);
  });

  test('in flow mappings and JSON too', () => {
    expect(where('a: {x: 1, x: 2}\n')).toEqual(['1:11 duplicate-key']);
    expect(where('{"a": 1,\n "a": 2}\n')).toEqual(['2:2 duplicate-key']);
  });
});

describe('merge keys <<', () => {
  test('a map, an alias and a list of maps (earlier maps win); later keys win over merged ones', () => {
    expect(one('base: &b {x: 1, z: 1}\nm:\n  <<: *b\n  z: 2\n')).toEqual({ base: { x: 1, z: 1 }, m: { x: 1, z: 2 } });
    expect(one('a: &a {x: 1}\nb: &c {x: 2, w: 2}\nm:\n  <<: [*a, *c]\n')).toEqual({ a: { x: 1 }, b: { x: 2, w: 2 }, m: { x: 1, w: 2 } });
    expect(one('m:\n  <<: {x: 1}\n  <<: {x: 2}\n')).toEqual({ m: { x: 2 } });
  });

  test('a merge after a key replaces it, as go-yaml v2 does (a warning)', () => {
    const r = loadText('b: &b {x: 1}\nm:\n  x: 0\n  <<: *b\n', 'm.yaml');
    expect(r.documents[0].object.m).toEqual({ x: 1 });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(['4:3 warning yaml-merge-override']);
  });

  test('"<<" quoted is a plain key; !!merge is a merge', () => {
    expect(one('m:\n  "<<": {x: 1}\n')).toEqual({ m: { '<<': { x: 1 } } });
    expect(one('m:\n  !!merge <<: {x: 1}\n')).toEqual({ m: { x: 1 } });
  });

  test('merging anything but maps rejects the document', () => {
    expect(messages('m:\n  <<: 1\n')[0]).toMatch(/map merge requires map or sequence of maps as the value/);
    expect(messages('m:\n  <<: [{a: 1}, 2]\n')[0]).toMatch(/map merge requires map or sequence of maps/);
    expect(messages('a: &a [1]\nm:\n  <<: *a\n')[0]).toMatch(/map merge requires map/);
  });
});

describe('anchors and aliases', () => {
  test('an alias decodes the anchored value again (a copy, not the same object)', () => {
    const o = one('a: &x {b: [1]}\nc: *x\nd: &s str\ne: *s\n');
    expect(o).toEqual({ a: { b: [1] }, c: { b: [1] }, d: 'str', e: 'str' });
    expect(o.c).not.toBe(o.a);
    expect(o.c.b).not.toBe(o.a.b);
  });

  test('unknown anchors and values that contain themselves are rejected', () => {
    expect(messages('a: *nope\n')[0]).toMatch(/unknown anchor 'nope' referenced/);
    expect(where('a: &a [*a]\n')).toEqual(['1:8 yaml-alias']);
    expect(messages('a: &a [*a]\n')[0]).toMatch(/anchor 'a' value contains itself/);
  });

  test('an alias bomb stops at go-yaml\'s alias ratio limit, quickly', () => {
    let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++) {
      const n = String.fromCharCode(97 + i);
      text += `${n}: &${n} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(', ')}]\n`;
    }
    const r = loadText(text, 'bomb.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['4:20 yaml-alias-limit']);
    expect(r.diagnostics[0].message).toMatch(/document contains excessive aliasing/);
  });

  test('a document expanded by aliases past the API server\'s 3 MiB limit is rejected', () => {
    const big = 'x'.repeat(100000);
    const text = `kind: ConfigMap\na: &a "${big}"\ndata:\n${Array.from({ length: 40 }, (_, i) => `  k${i}: *a`).join('\n')}\n`;
    const r = loadText(text, 'big.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['document-size']);
    expect(r.diagnostics[0].message).toMatch(/over 3145728 bytes as JSON once its aliases are expanded, and the API server rejects request bodies over 3 MiB/);
  });
});

describe('nesting limits', () => {
  test('10,000 levels are read, 10,001 are rejected (go-yaml max_flow_level, max_indents)', () => {
    expect(loadText(`a: ${'['.repeat(9999)}${']'.repeat(9999)}\n`, 'm.yaml').diagnostics).toEqual([]);
    const flow = loadText(`${'['.repeat(10001)}${']'.repeat(10001)}\n`, 'm.yaml');
    expect(flow.diagnostics.map((d) => d.message)).toEqual([
      'malformed YAML, document skipped: exceeded max depth of 10000 (while increasing flow level at line 1, column 10001); nesting deeper than 10000 levels is go-yaml\'s limit: flatten the document',
    ]);
    let block = '';
    for (let i = 0; i < 10001; i++) block += ' '.repeat(i) + 'a:\n';
    expect(where(block)).toEqual(['10001:10002 yaml-syntax']);
  });

  test('block and flow levels together deeper than Go\'s JSON decoder allows', () => {
    let text = '';
    for (let i = 0; i < 6000; i++) text += ' '.repeat(i) + 'a:\n';
    text += ' '.repeat(6000) + '['.repeat(5000) + ']'.repeat(5000) + '\n';
    expect(where(text)).toEqual(['6001:10001 yaml-depth']);
  });

  test('JSON nested deeper than 10,000 levels', () => {
    expect(messages(`{"a": ${'['.repeat(10000)}${']'.repeat(10000)}}`)).toEqual(['malformed JSON: exceeded max depth; kubectl stops reading the file here']);
  });
});

describe('tabs', () => {
  test('accepted inside flow collections, on any line (netpol-analyzer acs-security-demos-added-workloads)', () => {
    expect(one('args:\n  [\n    "-jar",\n\t    "-Dlisten=8080",\n  ]\n')).toEqual({ args: ['-jar', '-Dlisten=8080'] });
  });

  test('accepted after a key\'s ":", before a comment, inside quotes and block scalar text', () => {
    expect(one('a:\tb\nc: d\t# note\ne: "x\ty"\nf: |\n  g\th\n')).toEqual({ a: 'b', c: 'd', e: 'x\ty', f: 'g\th\n' });
  });

  test('rejected as indentation and right after "- "', () => {
    expect(where('a:\n\tb: 1\n')).toEqual(['2:1 yaml-syntax']);
    expect(messages('a:\n\tb: 1\n')[0]).toMatch(/a tab cannot indent YAML .*: use spaces/);
    expect(where('a:\n-\tb\n')).toEqual(['2:2 yaml-syntax']);
    expect(messages('a: |\n\tb\n')[0]).toMatch(/found a tab character where an indentation space is expected/);
  });
});

describe('quoted scalars', () => {
  test('continuation lines may be indented less than the key (netpol-analyzer nad_test_12)', () => {
    expect(one('spec:\n  config: \'{\n  "cniVersion": "0.3.1",\n"type": "x"\n}\'\n  other: 1\n')).toEqual({
      spec: { config: '{ "cniVersion": "0.3.1", "type": "x" }', other: 1 },
    });
  });

  test('line folding, escapes and the escaped line break', () => {
    expect(one('a: "x\n\n  y"\nb: \'it\'\'s\'\nc: "\\x41\\u00e9\\U0001F600\\t\\N\\_"\nd: "a\\\n   b"\n')).toEqual({
      a: 'x\ny', b: 'it\'s', c: 'A\u00e9\u{1F600}\t\u0085\u00a0', d: 'ab',
    });
  });

  test('YAML 1.1 has no "\\/" escape (JSON has it)', () => {
    expect(messages('a: "x\\/y"\n')[0]).toMatch(/found unknown escape character \(while parsing a quoted scalar at line 1, column 4\); use a YAML 1.1 escape in double quotes \(there is no "\\\/"/);
  });

  test('an unterminated quote spoils only its document', () => {
    const r = loadText('a: "x\nb: 1\n---\nkind: Pod\n', 'm.yaml');
    expect(r.documents.map((d) => d.object)).toEqual([{ kind: 'Pod' }]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['3:1 yaml-syntax']);
    expect(r.diagnostics[0].message).toBe('malformed YAML, document skipped: found unexpected end of stream (while scanning a quoted scalar at line 1, column 4); a quoted string is not closed: add the closing quote');
  });

  test('text after a closing quote', () => {
    expect(messages('image: "{{ printf "%s" .x }}"\n')[0]).toMatch(/text follows a closing quote/);
  });
});

describe('plain scalars and block structure (libyaml rules)', () => {
  test('multi-line plain scalars fold; comments need a space before #', () => {
    expect(one('a: one\n  two\n\n  three\nb: x#y # z\n')).toEqual({ a: 'one two\nthree', b: 'x#y' });
  });

  test('": " in a plain value, and a list item after a value', () => {
    expect(where('a: b: c\n')).toEqual(['1:5 yaml-syntax']);
    expect(where('a: - b\n')).toEqual(['1:4 yaml-syntax']);
    expect(messages('a: b: c\n')[0]).toMatch(/mapping values are not allowed in this context; a plain value may not contain ": "/);
  });

  test('"?" ends a plain scalar in a flow collection (go-yaml v2)', () => {
    expect(where('a: [http://x?y]\n')).toEqual(['1:13 yaml-syntax']);
    expect(one('a: http://x?y\n')).toEqual({ a: 'http://x?y' });
  });

  test('indentless sequences, block scalars with chomping and indentation indicators', () => {
    expect(one('a:\n- 1\n- b: 2\nc: |+\n  x\n\nd: >-\n  p\n  q\ne: |2\n    z\n')).toEqual({
      a: [1, { b: 2 }], c: 'x\n\n', d: 'p q', e: '  z\n',
    });
  });

  test('a simple key is limited to 1024 characters', () => {
    expect(one(`${'k'.repeat(1024)}: v\n`)).toEqual({ ['k'.repeat(1024)]: 'v' });
    expect(where(`${'k'.repeat(1025)}: v\n`)).toEqual(['1:1026 yaml-syntax']);
  });
});

describe('documents (kubectl YAMLReader)', () => {
  test('split at lines starting with "---"; a comment may follow; empty and null documents are skipped', () => {
    expect(objects('---\na: 1\n--- # two\nb: 2\n---\n---\n# only a comment\n---\nnull\n---\n~\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('anything else after "---" on its line is an error (kubectl stops reading there)', () => {
    const r = loadText('a: 1\n--- {b: 2}\nc: 3\n---\nd: 4\n', 'm.yaml');
    expect(r.documents.map((d) => d.object)).toEqual([{ a: 1 }, { d: 4 }]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['2:4 yaml-separator']);
    expect(r.diagnostics[0].message).toMatch(/^invalid document separator "--- \{b: 2\}": kubectl accepts only blanks or a comment after "---"/);
    expect(where('----\na: 1\n')).toEqual(['1:4 yaml-separator']);
  });

  test('text after "..." up to the next "---" is ignored (a warning)', () => {
    const r = loadText('a: 1\n...\ngarbage: [\n---\nb: 2\n', 'm.yaml');
    expect(r.documents.map((d) => d.object)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(['3:1 warning yaml-ignored']);
    expect(objects('a: 1\n...\n# fine\n')).toEqual([{ a: 1 }]);
  });

  test('directives never reach their "---" in kubectl: rejected', () => {
    expect(messages('%YAML 1.1\n---\na: 1\n')[0]).toMatch(/did not find expected <document start>.*remove the directive/);
    expect(objects('%YAML 1.1\n---\na: 1\n')).toEqual([{ a: 1 }]);
    expect(messages('%YAML 1.2\na: 1\n')[0]).toMatch(/found incompatible YAML document; kubectl reads YAML 1.1 only/);
  });

  test('a document that is not a mapping', () => {
    expect(messages('- a\n')).toEqual(['document is not a Kubernetes object (expected a mapping with apiVersion and kind), got a list']);
    expect(messages('just text\n')).toEqual(['document is not a Kubernetes object (expected a mapping with apiVersion and kind), got the string "just text"']);
  });

  test('a document that starts with "..." is an error (go-yaml expects a node there)', () => {
    expect(where('a: 1\n---\n...\n---\nb: 2\n')).toEqual(['3:1 yaml-syntax']);
    expect(messages('...\n')[0]).toMatch(/did not find expected node content/);
  });

  test('separators and positions with CRLF line ends', () => {
    const r = loadText('a: 1\r\n---\r\nb: 2\r\n--- # c\r\nc: [\r\n', 'm.yaml');
    expect(r.documents.map((d) => [d.object, d.line])).toEqual([[{ a: 1 }, 1], [{ b: 2 }, 3]]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['6:1 yaml-syntax']);
  });

  test('CRLF line ends and a missing final line break', () => {
    expect(objects('a: 1\r\nb: |\r\n  x\r\n---\r\nc: |+\n  y')).toEqual([{ a: 1, b: 'x\n' }, { c: 'y\n' }]);
  });

  test('v1 List and *List documents are expanded, items keep their positions', () => {
    const r = loadText('kind: PodList\nitems:\n- metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n', 'm.yaml');
    expect(r.documents.map((d) => [d.object.kind, d.object.metadata.name, d.line, d.column])).toEqual([['Pod', 'a', 3, 3], ['Pod', 'b', 4, 3]]);
  });
});

describe('characters and encodings', () => {
  test('a leading byte order mark is dropped', () => {
    expect(one('\ufeffa: 1\n')).toEqual({ a: 1 });
  });

  test('control characters are rejected (go-yaml reader), the other documents are read', () => {
    const r = loadText('a: 1\n---\nb: "x\u0007"\n---\nc: 3\n', 'm.yaml');
    expect(r.documents.map((d) => d.object)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['3:6 yaml-character']);
    expect(r.diagnostics[0].message).toMatch(/character U\+0007 is not allowed in YAML/);
    expect(where('a: "\u007f"\n')).toEqual(['1:5 yaml-character']);
    expect(one('a: "\u00a0 \ud83d\ude00"\n')).toEqual({ a: '\u00a0 \ud83d\ude00' });
    // NEL (U+0085), LS and PS are line breaks for libyaml: NEL folds like a newline
    expect(one('a: "x\u0085y"\n')).toEqual({ a: 'x y' });
  });
});

describe('JSON (kubectl YAMLOrJSONDecoder)', () => {
  test('a stream of JSON values', () => {
    expect(objects('{"kind": "Pod", "a": "\\/"}\n{"kind": "Service"}')).toEqual([{ kind: 'Pod', a: '/' }, { kind: 'Service' }]);
  });

  test('one JSON value followed by YAML: the rest is read as YAML', () => {
    expect(objects('{"kind": "Pod"}\n---\nkind: Service\n')).toEqual([{ kind: 'Pod' }, { kind: 'Service' }]);
  });

  test('input that is not JSON though it starts with "{" is YAML', () => {
    expect(objects('{kind: Pod, metadata: {name: p}}\n')).toEqual([{ kind: 'Pod', metadata: { name: 'p' } }]);
  });

  test('after two JSON values a syntax error ends the stream, with Go\'s message', () => {
    const r = loadText('{"a": 1}\n{"b": 2}\n{"c" 3}\n{"d": 4}\n', 'm.json');
    expect(r.documents.map((d) => d.object)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '3:6 json-syntax malformed JSON: invalid character \'3\' after object key; kubectl stops reading the file here',
    ]);
  });

  test('broken JSON that is not YAML either: kubectl reports the JSON error', () => {
    expect(messages('{"a": [1, 2}\n')).toEqual(['malformed JSON: invalid character \'}\' after array element; kubectl stops reading the file here']);
  });

  test('List items with positions', () => {
    const r = loadText('{\n  "kind": "List",\n  "items": [\n    {"kind": "Pod"},\n    {"kind": "Service"}\n  ]\n}\n', 'm.json');
    expect(r.documents.map((d) => [d.object.kind, d.line, d.column])).toEqual([['Pod', 4, 5], ['Service', 5, 5]]);
    expect(r.documents[1].locate!(['kind'])).toEqual({ line: 5, column: 6 });
  });
});

describe('positions', () => {
  const text = 'a: 1\n---\n# c\nkind: NetworkPolicy\nspec:\n  ingress:\n  - from:\n    - podSelector: {}\n    ports: [{port: 80}]\n';
  const doc = loadText(text, 'm.yaml').documents[1];

  test('a document starts at its first node', () => {
    expect([doc.line, doc.column]).toEqual([4, 1]);
    expect(loadText('\n\n  # c\n  - a\n', 'm.yaml').diagnostics[0]).toMatchObject({ line: 4, column: 3 });
  });

  test('locate() finds keys and items and agrees with the text', () => {
    const lines = text.split('\n');
    const at = (p: any[]) => {
      const pos = doc.locate!(p)!;
      return lines[pos.line - 1].slice(pos.column - 1);
    };
    expect(at(['spec'])).toBe('spec:');
    expect(at(['spec', 'ingress', 0])).toBe('from:');
    expect(at(['spec', 'ingress', 0, 'from'])).toBe('from:');
    expect(at(['spec', 'ingress', 0, 'from', 0, 'podSelector'])).toBe('podSelector: {}');
    expect(at(['spec', 'ingress', 0, 'ports', 0, 'port'])).toBe('port: 80}]');
    expect(doc.locate!(['spec', 'egress'])).toBeUndefined();
    expect(doc.locate!(['spec', 'ingress', 5])).toBeUndefined();
  });

  test('locate() through aliases and merges points at the anchored text', () => {
    const t = 'x: &s {port: 80}\nm:\n  <<: *s\n  z: *s\n';
    const d = loadText(t, 'm.yaml').documents[0];
    expect(d.locate!(['m', 'port'])).toEqual({ line: 1, column: 8 });
    expect(d.locate!(['m', 'z', 'port'])).toEqual({ line: 1, column: 8 });
    expect(d.locate!(['m', 'z'])).toEqual({ line: 4, column: 3 });
  });

  test('positions of syntax errors are of the file, not the document', () => {
    expect(where('a: 1\n---\nb: 1\n  c: 2\n')).toEqual(['4:4 yaml-syntax']);
  });
});

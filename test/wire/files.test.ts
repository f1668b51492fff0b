import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeManifestBytes, fromObjects, loadFiles, MAX_FILE_BYTES } from '../../src/wire/files';

const text = 'kind: Pod\nmetadata:\n  name: p\n';

function utf16(s: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from(s, 'utf16le');
  const body = bigEndian ? Buffer.from(le).swap16() : le;
  return bom ? Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
}

describe('file bytes as kubectl decodes them (cli-runtime FileVisitor: unicode.BOMOverride)', () => {
  test('UTF-8 with and without a byte order mark', () => {
    expect(decodeManifestBytes(Buffer.from(text))).toBe(text);
    expect(decodeManifestBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
  });

  test('UTF-16 little and big endian with a byte order mark', () => {
    expect(decodeManifestBytes(utf16(text, false, true))).toBe(text);
    expect(decodeManifestBytes(utf16(text, true, true))).toBe(text);
  });

  test('invalid UTF-8 becomes U+FFFD (the UTF-8 decoder replaces it)', () => {
    expect(decodeManifestBytes(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]))).toBe('a: \ufffd\n');
  });
});

describe('loadFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-files-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads UTF-16 files with a byte order mark; rejects UTF-16 without one', () => {
    fs.writeFileSync(path.join(dir, 'le.yaml'), utf16(text, false, true));
    fs.writeFileSync(path.join(dir, 'be.yaml'), utf16(text, true, true));
    fs.writeFileSync(path.join(dir, 'nobom.yaml'), utf16(text, false, false));
    const r = loadFiles([path.join(dir, 'le.yaml'), path.join(dir, 'be.yaml'), path.join(dir, 'nobom.yaml')]);
    expect(r.documents.map((d) => [path.basename(d.file), d.object.metadata.name])).toEqual([['le.yaml', 'p'], ['be.yaml', 'p']]);
    expect(r.diagnostics.map((d) => [path.basename(d.file), d.code])).toEqual([['nobom.yaml', 'file-encoding']]);
    expect(r.diagnostics[0].message).toMatch(/looks like UTF-16 without a byte order mark, which kubectl reads as UTF-8 and rejects/);
  });

  test('a JSON file with a UTF-8 byte order mark is JSON', () => {
    fs.writeFileSync(path.join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"kind": "Pod"}\n{"kind": "Service"}')]));
    expect(loadFiles([path.join(dir, 'bom.json')]).documents.map((d) => d.object.kind)).toEqual(['Pod', 'Service']);
  });

  test('a file over the size limit is skipped without being read', () => {
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_FILE_BYTES + 1); // sparse: no data written
    const r = loadFiles([big]);
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file-size']);
    expect(r.diagnostics[0].message).toMatch(/file skipped: it is 256 MiB, over the 256 MiB this reader accepts; split it/);
    fs.rmSync(big);
  });

  test('folders are read recursively in name order; positions are per file', () => {
    fs.mkdirSync(path.join(dir, 'tree', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tree', 'b.yml'), '---\nkind: B\n');
    fs.writeFileSync(path.join(dir, 'tree', 'sub', 'a.json'), '{"kind": "A"}');
    fs.writeFileSync(path.join(dir, 'tree', 'notes.txt'), 'not: read');
    const r = loadFiles([path.join(dir, 'tree')]);
    expect(r.documents.map((d) => [path.relative(dir, d.file), d.object.kind, d.line, d.column])).toEqual([
      ['tree/b.yml', 'B', 2, 1], ['tree/sub/a.json', 'A', 1, 1],
    ]);
    expect(loadFiles([path.join(dir, 'missing')]).diagnostics.map((d) => d.code)).toEqual(['path-not-found']);
  });
});

test('fromObjects wraps objects and expands Lists', () => {
  const r = fromObjects([{ kind: 'PodList', items: [{ metadata: { name: 'a' } }] }, 'x']);
  expect(r.documents.map((d) => d.object)).toEqual([{ kind: 'Pod', metadata: { name: 'a' } }]);
  expect(r.diagnostics.map((d) => d.message)).toEqual(['manifest #2 is not an object; skipped']);
});

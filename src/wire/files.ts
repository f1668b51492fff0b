/**
 * Manifest files and folders, and plain objects given in code, as documents.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic } from './diagnostic';
import { listItems, LoadResult, SourceDoc } from './source';
import { loadText } from './yaml';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/**
 * The largest file read. kubectl streams files and has no limit, but a file is read here as one
 * string (V8 strings stop at 2^29 characters), and no single object can exceed the API server's
 * 3 MiB request limit anyway: a larger file is many objects, which should be split.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** The path that stands for standard input. */
export const STDIN_PATH = '-';

/** The name standard input has in messages. */
export const STDIN_NAME = '<stdin>';

/**
 * A pipe or FIFO the reader may open: an anonymous pipe (`/dev/fd/N` from a shell's `<(...)`, or
 * `/dev/stdin` on a pipe), whose writer already holds it. A named FIFO is refused: opening it blocks
 * until some process opens it for writing, which may never happen.
 */
function isAnonymousPipe(p: string): boolean {
  try {
    return /pipe:\[\d+\]$/.test(fs.realpathSync(p));
  } catch {
    return false;
  }
}

/**
 * All of standard input. It is opened anew as /dev/stdin where it can be (a pipe or file), since
 * reading fd 0 fails with EAGAIN when the parent made it non-blocking; a socket (as some process
 * runners give) cannot be opened so, and is read from fd 0, waiting briefly whenever it has no data yet.
 */
function readStdin(): Buffer {
  try {
    return fs.readFileSync('/dev/stdin');
  } catch {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(0, buf, 0, buf.length, null);
      } catch (e: any) {
        if (e?.code !== 'EAGAIN') throw e;
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (n === 0) return Buffer.concat(chunks);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
  }
}

/** Expand paths (files or folders, recursively, sorted) into manifest files; `-` is standard input. */
export function listManifestFiles(paths: string[], diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    if (explicit && p === STDIN_PATH) {
      out.push(p);
      return;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      diagnostics.push({ severity: 'error', file: p, line: 0, column: 0, code: 'path-not-found', message: `path not found: ${p} (pass existing files or folders of YAML/JSON manifests)` });
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        if (e.startsWith('.')) continue;
        visit(path.join(p, e), false);
      }
    } else if (!st.isFile() && !(explicit && st.isFIFO() && isAnonymousPipe(p))) {
      if (!explicit && !MANIFEST_EXT.test(p)) return;
      const what = st.isFIFO() ? 'a named pipe (FIFO), which blocks until a writer opens it' : st.isSocket() ? 'a socket' : 'a device';
      diagnostics.push({
        severity: 'error',
        file: p,
        line: 0,
        column: 0,
        code: 'not-a-file',
        message: `not read: ${p} is ${what}; pass files or folders of YAML/JSON manifests, or - to read standard input (e.g. kustomize build | cdk8s-netpol analyze -)`,
      });
    } else if (explicit || MANIFEST_EXT.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) visit(p, true);
  return out;
}

/**
 * The text of a manifest file as kubectl decodes it (cli-runtime FileVisitor:
 * unicode.BOMOverride(unicode.UTF8.NewDecoder())): a UTF-16 byte order mark selects UTF-16, a
 * UTF-8 one is dropped, and anything else is UTF-8 with invalid bytes replaced by U+FFFD.
 */
export function decodeManifestBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8', 3);
  return bytes.toString('utf8');
}

/** Load manifests from files and folders; `onFile` hears of each file before it is read (progress). */
export function loadFiles(paths: string[], onFile?: (file: string, index: number, count: number) => void): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDoc[] = [];
  const files = listManifestFiles(paths, diagnostics);
  for (const [index, listed] of files.entries()) {
    onFile?.(listed, index, files.length);
    const stdin = listed === STDIN_PATH;
    const f = stdin ? STDIN_NAME : listed;
    let bytes: Buffer;
    try {
      const size = stdin ? 0 : fs.statSync(f).size;
      if (size > MAX_FILE_BYTES) {
        diagnostics.push({
          severity: 'error',
          file: f,
          line: 0,
          column: 0,
          code: 'file-size',
          message: `file skipped: it is ${(size / 1048576).toFixed(0)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB this reader accepts; split it (no object may exceed the API server's 3 MiB request limit anyway)`,
        });
        continue;
      }
      bytes = stdin ? readStdin() : fs.readFileSync(f);
    } catch (e: any) {
      diagnostics.push({ severity: 'error', file: f, line: 0, column: 0, code: 'file-unreadable', message: `cannot read file: ${e?.message ?? e}` });
      continue;
    }
    const text = decodeManifestBytes(bytes);
    if (bytes.length >= 2 && bytes.length % 2 === 0 && text.indexOf('\u0000') >= 0 && (bytes[0] === 0 || bytes[1] === 0)) {
      diagnostics.push({
        severity: 'error',
        file: f,
        line: 1,
        column: 1,
        code: 'file-encoding',
        message: 'file skipped: it looks like UTF-16 without a byte order mark, which kubectl reads as UTF-8 and rejects; save it as UTF-8 (or UTF-16 with a byte order mark)',
      });
      continue;
    }
    const r = loadText(text, f);
    documents.push(...r.documents);
    diagnostics.push(...r.diagnostics);
  }
  return { documents, diagnostics };
}

/** Wrap plain objects (no file) as documents; List documents are expanded. */
export function fromObjects(objects: any[], file = '<manifests>'): LoadResult {
  const documents: SourceDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  objects.forEach((obj, i) => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      diagnostics.push({ severity: 'error', file, line: i + 1, column: 0, message: `manifest #${i + 1} is not an object; skipped` });
      return;
    }
    const items = listItems(obj);
    if (items) {
      for (const { item } of items) if (item && typeof item === 'object') documents.push({ object: item, file, line: i + 1, column: 0 });
      return;
    }
    documents.push({ object: obj, file, line: i + 1, column: 0 });
  });
  return { documents, diagnostics };
}

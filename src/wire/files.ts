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

/** Expand paths (files or folders, recursively, sorted) into manifest files. */
export function listManifestFiles(paths: string[], diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean) => {
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

/** Load manifests from files and folders. */
export function loadFiles(paths: string[]): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDoc[] = [];
  for (const f of listManifestFiles(paths, diagnostics)) {
    let bytes: Buffer;
    try {
      const size = fs.statSync(f).size;
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
      bytes = fs.readFileSync(f);
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

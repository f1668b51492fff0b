/**
 * The manifest reader before src/wire/yaml.ts (the `yaml` package's parser plus the CST fast path
 * in ./fastyaml.ts), kept unchanged for bench/yaml.ts only: the benchmark measures both readers on
 * the same text in the same run. Not part of the library.
 */
import * as fs from 'fs';
import * as path from 'path';
// yaml is a root dev dependency; bench/package.json lists only the bench's own ones.
// eslint-disable-next-line import/no-extraneous-dependencies
import { LineCounter, parseAllDocuments, isMap, isSeq, Node as YamlNode } from 'yaml';
import { fastParse } from './fastyaml';
import { Diagnostic } from '../../src/wire/diagnostic';
import { LoadResult, SourceDoc } from '../../src/wire/source';

export type { Severity, Diagnostic } from '../../src/wire/diagnostic';
export { formatDiagnostic } from '../../src/wire/diagnostic';
export type { SourceDoc, LoadResult } from '../../src/wire/source';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Expand paths (files or folders, recursively, sorted) into manifest files. */
export function listManifestFiles(paths: string[], diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      diagnostics.push({ severity: 'error', file: p, line: 0, column: 0, message: `path not found: ${p} (pass existing files or folders of YAML/JSON manifests)` });
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

/** Load manifests from files and folders. */
export function loadFiles(paths: string[]): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDoc[] = [];
  for (const f of listManifestFiles(paths, diagnostics)) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e: any) {
      diagnostics.push({ severity: 'error', file: f, line: 0, column: 0, message: `cannot read file: ${e?.message ?? e}` });
      continue;
    }
    const r = loadText(text, f);
    documents.push(...r.documents);
    diagnostics.push(...r.diagnostics);
  }
  return { documents, diagnostics };
}

/** Parse one YAML/JSON text (possibly multi-document) into documents with positions. */
export function loadText(text: string, file: string): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDoc[] = [];
  const fast = fastLoad(text, file);
  if (fast) return fast;
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  } catch (e: any) {
    diagnostics.push({ severity: 'error', file, line: 1, column: 1, message: `cannot parse: ${e?.message ?? e}` });
    return { documents, diagnostics };
  }
  const docList = Array.isArray(docs) ? docs : [docs as any];
  for (const doc of docList) {
    const pos = (offset: number | undefined) => {
      const p = lc.linePos(offset ?? 0);
      return { line: p.line, column: p.col };
    };
    if (doc.errors && doc.errors.length) {
      for (const err of doc.errors) {
        const p = err.linePos?.[0] ?? pos(err.pos?.[0]);
        diagnostics.push({ severity: 'error', file, line: p.line, column: p.col ?? (p as any).column, message: `malformed YAML, document skipped: ${err.message.split('\n')[0]}` });
      }
      continue;
    }
    const contents = doc.contents as YamlNode | null;
    if (contents === null || contents === undefined) continue; // empty document
    const start = pos(contents.range?.[0]);
    let obj: any;
    try {
      obj = doc.toJS({ maxAliasCount: 1000 });
    } catch (e: any) {
      diagnostics.push({ severity: 'error', file, ...start, message: `cannot convert document: ${e?.message ?? e}` });
      continue;
    }
    if (obj === null || obj === undefined) continue;
    addDocument(obj, file, start, (i) => {
      // v1 List (or PodList, NamespaceList, ...): items keep their own positions.
      const itemsNode = isMap(contents) ? contents.get('items', true) as any : undefined;
      const node = isSeq(itemsNode) ? itemsNode.items[i] as any : undefined;
      return node?.range ? pos(node.range[0]) : start;
    }, documents, diagnostics);
  }
  return { documents, diagnostics };
}

/** The fast path (see fastyaml.ts): same documents and positions, or undefined to fall back. */
function fastLoad(text: string, file: string): LoadResult | undefined {
  const lc = new LineCounter();
  const docs = fastParse(text, lc);
  if (!docs) return undefined;
  const documents: SourceDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  const pos = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const d of docs) {
    const obj = d.value;
    const start = pos(d.offset);
    addDocument(obj, file, start, (i) => {
      const off = d.itemOffsets?.[i];
      return off !== undefined ? pos(off) : start;
    }, documents, diagnostics);
  }
  return { documents, diagnostics };
}

/**
 * Adds one parsed document, shared by the full and the fast YAML paths: a non-object is a
 * diagnostic, and `*List` kinds are expanded into their items (positions from `itemPos`).
 */
function addDocument(obj: any, file: string, start: { line: number; column: number }, itemPos: (i: number) => { line: number; column: number },
  documents: SourceDoc[], diagnostics: Diagnostic[]): void {
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    diagnostics.push({ severity: 'error', file, ...start, message: `document is not a Kubernetes object (expected a mapping with apiVersion and kind), got ${Array.isArray(obj) ? 'a list' : typeof obj}` });
    return;
  }
  if (typeof obj.kind === 'string' && /List$/.test(obj.kind) && Array.isArray(obj.items)) {
    const itemKind = obj.kind === 'List' ? undefined : obj.kind.replace(/List$/, '');
    obj.items.forEach((item: any, i: number) => {
      const p = itemPos(i);
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        diagnostics.push({ severity: 'error', file, ...p, message: `items[${i}] of ${obj.kind} is not an object; skipped` });
        return;
      }
      if (itemKind && !item.kind) item.kind = itemKind;
      documents.push({ object: item, file, line: p.line, column: p.column });
    });
    return;
  }
  documents.push({ object: obj, file, line: start.line, column: start.column });
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
    if (typeof obj.kind === 'string' && /List$/.test(obj.kind) && Array.isArray(obj.items)) {
      const itemKind = obj.kind === 'List' ? undefined : obj.kind.replace(/List$/, '');
      obj.items.forEach((item: any) => {
        if (item && typeof item === 'object') documents.push({ object: itemKind && !item.kind ? { ...item, kind: itemKind } : item, file, line: i + 1, column: 0 });
      });
      return;
    }
    documents.push({ object: obj, file, line: i + 1, column: 0 });
  });
  return { documents, diagnostics };
}

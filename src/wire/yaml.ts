/**
 * Manifest text to documents, as kubectl reads a file (k8s.io/cli-runtime resource.StreamVisitor
 * over k8s.io/apimachinery/pkg/util/yaml YAMLOrJSONDecoder):
 *
 * - a leading byte order mark is dropped (FileVisitor's unicode.BOMOverride);
 * - input whose first non-space character (within 4096 bytes) is `{` is a stream of JSON values;
 *   if the first or second value fails to parse, the rest is read as YAML (YAMLOrJSONDecoder.Decode);
 * - YAML is split into documents at lines starting with `---` (YAMLReader.Read; only blanks or a
 *   comment may follow it), and each document is decoded alone (see yaml-decode.ts), so one bad
 *   document never affects the next;
 * - documents that are empty or `null` are skipped; `*List` documents are expanded into their items.
 *
 * Every problem is a diagnostic at file:line:column; kubectl would stop reading the file at the first
 * one, this reader reports it and goes on with the next document.
 */
import { Diagnostic } from './diagnostic';
import { scanJsonValue, skipJsonWhitespace, JsonPosNode } from './json-stream';
import { FieldPath, listItems, LoadResult, Position, SourceDoc } from './source';
import { decodeYamlDocument, DecodedDocument, PosNode, YamlConversionError, MAX_JSON_DEPTH } from './yaml-decode';
import { YamlSyntaxError, MAX_YAML_DEPTH } from './yaml-scanner';

/**
 * The API server rejects request bodies over 3 MiB (k8s.io/apiserver pkg/server/config.go
 * NewConfig: MaxRequestBodyBytes = 3 * 1024 * 1024), so no object larger than that as JSON can be
 * applied (etcd's default request limit, --max-request-bytes, is 1.5 MiB).
 */
export const MAX_OBJECT_JSON_BYTES = 3 * 1024 * 1024;

/** kubectl peeks this many bytes to decide whether input is JSON (StreamVisitor: NewYAMLOrJSONDecoder(r, 4096)). */
const JSON_SNIFF_BYTES = 4096;

/** Go's unicode.IsSpace. */
function isGoSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function utf8Length(c: number): number {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
}

/** k8s.io/apimachinery/pkg/util/yaml IsJSONBuffer over the first 4096 bytes. */
function looksLikeJson(text: string): boolean {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes < JSON_SNIFF_BYTES; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) return true;
    if (!isGoSpace(c)) return false;
    bytes += utf8Length(c);
  }
  return false;
}

/** Characters libyaml's reader rejects ("control characters are not allowed"), and lone surrogates. */
const FORBIDDEN_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Line starts of a text, for offset -> line/column (JSON positions). */
class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

function codePoint(s: string, i: number): string {
  return 'U+' + s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
}

/** What to tell the user about each libyaml problem. */
const SYNTAX_HINTS: Record<string, string> = {
  'mapping values are not allowed in this context': 'a plain value may not contain ": " and a key must start its own line: quote the value, or fix the indentation',
  'block sequence entries are not allowed in this context': 'a "- " list item cannot follow a value on the same line: put the list on its own lines under its key',
  'did not find expected key': 'keys of one mapping must start at the same column: fix the indentation of this line',
  'did not find expected \'-\' indicator': 'items of one list must all start with "- " at the same column',
  'could not find expected \':\'': 'a key must be followed by ": " on the same line (keys are limited to one line and 1024 characters)',
  'found unexpected end of stream': 'a quoted string is not closed: add the closing quote',
  'found unexpected document indicator': 'a line starting with "---" or "..." ends the document even inside quotes: indent the line or close the quote before it',
  'did not find expected \',\' or \']\'': 'a flow list [...] is not closed or lacks a comma between items',
  'did not find expected \',\' or \'}\'': 'a flow mapping {...} is not closed or lacks a comma between entries',
  'did not find expected node content': 'a value is missing, e.g. after an anchor or between commas',
  'found unknown escape character': 'use a YAML 1.1 escape in double quotes (there is no "\\/": write "/" as is), or single quotes',
  'found a tab character that violates indentation': 'indent with spaces, never tabs',
  'found a tab character where an indentation space is expected': 'indent with spaces, never tabs',
  'found undefined tag handle': 'declare the handle with %TAG or use "!!type" or "!type"',
  'found incompatible YAML document': 'kubectl reads YAML 1.1 only: remove the %YAML directive',
  'did not find expected <document start>': 'kubectl splits documents at "---" before parsing, so a %YAML or %TAG directive never reaches its "---": remove the directive',
  'did not find expected alphabetic or numeric character': 'anchor and alias names use letters, digits, "-" and "_" only',
  'did not find expected whitespace or line break': 'a tag must be followed by a space',
  'found unknown directive name': 'only %YAML and %TAG directives exist: remove the line or quote the value',
};

const CONVERSION_HINTS: Record<string, string> = {
  'yaml-alias-limit': 'go-yaml allows at most 99% of a document\'s nodes (10% for large ones) to come from expanding aliases: expand the aliases by hand or use fewer',
  'yaml-alias': 'define the anchor (&name) before the alias (*name), outside the value it names',
  'yaml-merge': 'the value of "<<" must be a mapping or a list of mappings',
  'yaml-key': 'mapping keys must be strings, numbers or booleans: quote the key',
  'yaml-tag': 'remove the tag or make the value match it',
  'yaml-float': 'JSON has no NaN or infinity: quote the value to keep it as a string',
  'yaml-depth': `kubectl and the API server decode JSON at most ${MAX_JSON_DEPTH} levels deep`,
  'yaml-decode': 'fix the value',
};

interface Chunk {
  /** Offsets of the document's text. */
  readonly start: number;
  readonly end: number;
  /** 0-based line of `start` in the file. */
  readonly line: number;
}

/**
 * Splits YAML text into documents as kubectl's YAMLReader does: a line starting with `---` ends
 * the document before it; anything but blanks or a comment after `---` is an error.
 */
function splitYamlDocuments(text: string, from: number, firstLine: number, file: string, diagnostics: Diagnostic[]): Chunk[] {
  const chunks: Chunk[] = [];
  let start = from;
  let startLine = firstLine;
  let line = firstLine;
  let lineStart = from;
  const n = text.length;
  // a document that starts on an invalid separator line is skipped (kubectl stops there)
  let skipping = false;
  while (lineStart < n) {
    let nl = text.indexOf('\n', lineStart);
    if (nl < 0) nl = n;
    if (text.charCodeAt(lineStart) === 0x2d && text.startsWith('---', lineStart)) {
      let a = lineStart + 3;
      let b = nl;
      while (a < b && isGoSpace(text.charCodeAt(a))) a++;
      while (b > a && isGoSpace(text.charCodeAt(b - 1))) b--;
      const rest = text.slice(a, b);
      if (!skipping && lineStart > start) chunks.push({ start, end: lineStart, line: startLine });
      skipping = false;
      if (rest.length > 0 && rest.charCodeAt(0) !== 0x23) {
        diagnostics.push({
          severity: 'error',
          file,
          line: line + 1,
          column: 4,
          code: 'yaml-separator',
          message: `invalid document separator "---${text.slice(lineStart + 3, nl).replace(/\r$/, '')}": kubectl accepts only blanks or a comment after "---" `
            + `(k8s.io/apimachinery YAMLReader) and stops reading the file here; move "${rest}" to the next line. Document skipped`,
        });
        skipping = true;
      }
      start = nl + 1;
      startLine = line + 1;
    }
    lineStart = nl + 1;
    line++;
  }
  if (!skipping && start < n) chunks.push({ start, end: n, line: startLine });
  return chunks;
}

/** The first `n` characters of a value for messages. */
function shorten(s: string, n = 40): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Go json.Marshal's byte size of a value, stopping once it passes `limit`. */
function jsonSizeExceeds(value: any, limit: number): number | undefined {
  let size = 0;
  const stack: any[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null) {size += 4;} else if (typeof v === 'boolean') {size += v ? 4 : 5;} else if (typeof v === 'number') {size += String(v).length;} else if (typeof v === 'string') {size += stringJsonSize(v);} else if (Array.isArray(v)) {
      size += 2 + Math.max(0, v.length - 1);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else {
      const keys = Object.keys(v);
      size += 2 + Math.max(0, keys.length - 1) + keys.length;
      for (const k of keys) {
        size += stringJsonSize(k);
        stack.push(v[k]);
      }
    }
    if (size > limit) return size;
  }
  return undefined;
}

/** Bytes of a string in Go's JSON: quotes, escapes (HTML-safe <, >, & and U+2028/9 as \u00XX), UTF-8. */
function stringJsonSize(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      // a surrogate pair: 4 bytes of UTF-8
      n += 4;
      i++;
    } else {
      n += charJsonSize(c);
    }
  }
  return n;
}

function charJsonSize(c: number): number {
  if (c < 0x20) return c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c ? 2 : 6;
  if (c === 0x22 || c === 0x5c) return 2;
  if (c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) return 6;
  return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
}

/** Walks a position tree along a field path. */
function locateIn(root: PosNode | undefined, path: FieldPath): { line: number; col: number } | undefined {
  let node: PosNode | undefined = root;
  let at: { line: number; col: number } | undefined = root;
  for (const p of path) {
    if (!node) return undefined;
    if (typeof p === 'number') {
      const item: PosNode | undefined = node.items?.[p];
      if (!item) return undefined;
      node = item;
      at = item;
    } else {
      const e = node.keys?.get(p);
      if (!e) return undefined;
      node = e.value;
      at = e;
    }
  }
  return at;
}

function locateInJson(root: JsonPosNode | undefined, path: FieldPath): number | undefined {
  let node = root;
  let at = root?.pos;
  for (const p of path) {
    if (!node) return undefined;
    if (typeof p === 'number') {
      node = node.items?.[p];
      at = node?.pos;
    } else {
      const e = node.keys?.get(p);
      node = e?.value;
      at = e?.pos;
    }
    if (at === undefined) return undefined;
  }
  return at;
}

/**
 * Adds one decoded document: a non-object is a diagnostic, and `*List` kinds are expanded into
 * their items (each with its own position).
 */
function addDocument(obj: any, file: string, start: Position, itemPos: (i: number) => Position,
  locate: ((path: FieldPath) => Position | undefined) | undefined, documents: SourceDoc[], diagnostics: Diagnostic[]): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    diagnostics.push({
      severity: 'error',
      file,
      ...start,
      code: 'not-an-object',
      message: `document is not a Kubernetes object (expected a mapping with apiVersion and kind), got ${Array.isArray(obj) ? 'a list' : typeof obj === 'string' ? `the string "${shorten(obj)}"` : String(obj)}`,
    });
    return;
  }
  const items = listItems(obj);
  if (items) {
    for (const { item, index: i } of items) {
      const p = itemPos(i);
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        diagnostics.push({ severity: 'error', file, ...p, code: 'not-an-object', message: `items[${i}] of ${obj.kind} is not an object; skipped` });
        continue;
      }
      documents.push({ object: item, file, line: p.line, column: p.column, locate: locate && ((path) => locate(['items', i, ...path])) });
    }
    return;
  }
  documents.push({ object: obj, file, line: start.line, column: start.column, locate });
}

/** Parses one YAML/JSON text (possibly multi-document) into documents with positions. */
export function loadText(text: string, file: string): LoadResult {
  const documents: SourceDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  // FileVisitor's BOMOverride drops a leading byte order mark
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (looksLikeJson(body)) readJson(body, file, documents, diagnostics);
  else readYaml(body, 0, 0, file, documents, diagnostics);
  return { documents, diagnostics };
}

/**
 * The JSON part of a stream (YAMLOrJSONDecoder): values one after another. Returns where YAML
 * decoding takes over when the first or second value is not JSON, or undefined when done.
 */
function readJson(text: string, file: string, documents: SourceDoc[], diagnostics: Diagnostic[]): void {
  let lines: Lines | undefined;
  const lineOf = (offset: number) => (lines ??= new Lines(text)).at(offset);
  let count = 0;
  let consumed = 0;
  for (;;) {
    const at = skipJsonWhitespace(text, consumed);
    if (at >= text.length) return;
    const scan = scanJsonValue(text, at);
    if (scan.end === undefined) {
      const p = lineOf(scan.errorPos!);
      const jsonError: Diagnostic = {
        severity: 'error',
        file,
        ...p,
        code: 'json-syntax',
        message: `malformed JSON: ${scan.error}; kubectl stops reading the file here`,
      };
      if (count > 1) {
        diagnostics.push(jsonError);
        return;
      }
      // kubectl rewinds to the end of the last value, drops blanks up to the first line break,
      // and reads the rest as YAML
      let from = consumed;
      while (from < text.length && isGoSpace(text.charCodeAt(from))) {
        from++;
        if (text.charCodeAt(from - 1) === 0x0a) break;
      }
      readYaml(text, from, lineOf(from).line - 1, file, documents, diagnostics, jsonError);
      return;
    }
    const value = JSON.parse(text.slice(at, scan.end));
    count++;
    consumed = scan.end;
    const start = lineOf(at);
    for (const d of scan.duplicates) {
      const p = lineOf(d.pos);
      diagnostics.push({
        severity: 'error',
        file,
        ...p,
        code: 'duplicate-key',
        message: `duplicate key "${shorten(d.key)}" (first at line ${lineOf(d.firstPos).line}): kubectl keeps the last value silently; remove one of them`,
      });
    }
    let positions: JsonPosNode | undefined;
    const valueAt = at;
    const locate = (path: FieldPath) => {
      positions ??= scanJsonValue(text, valueAt, true).positions;
      const o = locateInJson(positions, path);
      return o === undefined ? undefined : lineOf(o);
    };
    addDocument(value, file, start, (i) => locate(['items', i]) ?? start, locate, documents, diagnostics);
  }
}

/** YAML documents from `from` on (see splitYamlDocuments and yaml-decode.ts). */
function readYaml(text: string, from: number, firstLine: number, file: string,
  documents: SourceDoc[], diagnostics: Diagnostic[], replaceFirstError?: Diagnostic): void {
  const chunks = splitYamlDocuments(text, from, firstLine, file, diagnostics);
  FORBIDDEN_CHARS.lastIndex = 0;
  let bad = FORBIDDEN_CHARS.exec(text);
  let firstError = true;
  for (const chunk of chunks) {
    while (bad && bad.index < chunk.start) bad = FORBIDDEN_CHARS.exec(text);
    const badAt = bad && bad.index < chunk.end ? bad.index : -1;
    // kubectl's line reader ends every line with '\n'
    const needsNewline = chunk.end === text.length && text.charCodeAt(text.length - 1) !== 0x0a;
    const src = text.slice(chunk.start, badAt >= 0 ? badAt : chunk.end) + (needsNewline && badAt < 0 ? '\n' : '');
    const pos = (line: number, col: number): Position => ({ line: chunk.line + line + 1, column: col + 1 });
    let doc: DecodedDocument;
    try {
      doc = decodeYamlDocument(src, 0, src.length);
      if (badAt >= 0) throw new BadCharacter();
    } catch (e) {
      let d: Diagnostic;
      // text cut at a forbidden character: only a syntax error before it is real
      if (badAt >= 0 && !(e instanceof YamlSyntaxError && e.pos < badAt - chunk.start)) e = new BadCharacter();
      if (e instanceof YamlSyntaxError) {
        const hint = e.problem === 'found character that cannot start any token' ? badTokenHint(src, e.pos)
          : SYNTAX_HINTS[e.problem] ?? (e.problem.startsWith('exceeded max depth') ? `nesting deeper than ${MAX_YAML_DEPTH} levels is go-yaml's limit: flatten the document` : undefined);
        const context = e.context && e.contextLine !== undefined ? ` (${e.context} at line ${chunk.line + e.contextLine + 1}, column ${e.contextCol! + 1})` : '';
        d = {
          severity: 'error',
          file,
          ...pos(e.line, e.col),
          code: 'yaml-syntax',
          message: `malformed YAML, document skipped: ${e.problem}${context}${hint ? `; ${hint}` : ''}`,
        };
      } else if (e instanceof YamlConversionError) {
        d = {
          severity: 'error',
          file,
          ...pos(e.line, e.col),
          code: e.code,
          message: `document skipped: kubectl cannot convert it to JSON: ${e.message}; ${CONVERSION_HINTS[e.code] ?? CONVERSION_HINTS['yaml-decode']}`,
        };
      } else if (e instanceof BadCharacter) {
        const lines = new Lines(text);
        const p = lines.at(badAt);
        d = {
          severity: 'error',
          file,
          line: p.line,
          column: p.column,
          code: 'yaml-character',
          message: `document skipped: character ${codePoint(text, badAt)} is not allowed in YAML (go-yaml: "control characters are not allowed"); remove it, or write it as an escape inside double quotes`,
        };
      } else {
        throw e;
      }
      if (firstError && replaceFirstError) {
        // kubectl reports the JSON error when the input was neither JSON nor YAML
        diagnostics.push(replaceFirstError);
      } else {
        diagnostics.push(d);
      }
      firstError = false;
      continue;
    }
    firstError = false;
    if (!doc.found || doc.value === null) continue;
    if (doc.explicitEnd) {
      const rest = src.slice(doc.endPos);
      const m = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:#[^\n]*)?/.exec(rest)!;
      if (m[0].length < rest.length) {
        const before = src.slice(0, doc.endPos + m[0].length);
        const line = chunk.line + before.split('\n').length;
        diagnostics.push({
          severity: 'warning',
          file,
          line,
          column: 1,
          code: 'yaml-ignored',
          message: 'text after the document end marker "..." is ignored: kubectl reads only the first document before the next "---" line; start a new document with "---" or remove the "..."',
        });
      }
    }
    let positions: PosNode | undefined;
    const locateRaw = (path: FieldPath): Position | undefined => {
      positions ??= decodeYamlDocument(src, 0, src.length, true).positions;
      const p = locateIn(positions, path);
      return p && pos(p.line, p.col);
    };
    const withFirst = doc.duplicates.length ? decodeYamlDocument(src, 0, src.length, true).duplicates : [];
    for (const [i, dup] of doc.duplicates.entries()) {
      const first = withFirst[i]?.firstLine;
      diagnostics.push({
        severity: 'error',
        file,
        ...pos(dup.line, dup.col),
        code: 'duplicate-key',
        message: dup.differentYamlKeys
          ? `keys at lines ${first !== undefined ? chunk.line + first + 1 : '?'} and ${chunk.line + dup.line + 1} both become the JSON key "${shorten(dup.key)}": kubectl keeps one of them at random; write the key one way only`
          : `duplicate key "${shorten(dup.key)}" (first at line ${first !== undefined ? chunk.line + first + 1 : '?'}): YAML forbids it and kubectl silently keeps the last value; remove one of them`,
      });
    }
    for (const m of doc.mergeOverrides) {
      diagnostics.push({
        severity: 'warning',
        file,
        ...pos(m.line, m.col),
        code: 'yaml-merge-override',
        message: `this "<<" merge replaces the key "${shorten(m.key)}" written before it: kubectl (go-yaml v2) lets the merge win, YAML 1.1 says the key wins; put "<<" first`,
      });
    }
    if (doc.aliasCount > 0 || src.length > MAX_OBJECT_JSON_BYTES / 6) {
      const size = jsonSizeExceeds(doc.value, MAX_OBJECT_JSON_BYTES);
      if (size !== undefined) {
        diagnostics.push({
          severity: 'error',
          file,
          ...pos(doc.line, doc.col),
          code: 'document-size',
          message: `document skipped: it is over ${MAX_OBJECT_JSON_BYTES} bytes as JSON${doc.aliasCount ? ' once its aliases are expanded' : ''}, and the API server rejects request bodies over 3 MiB (k8s.io/apiserver MaxRequestBodyBytes); split the object`,
        });
        continue;
      }
    }
    const start = pos(doc.line, doc.col);
    addDocument(doc.value, file, start, (i) => locateRaw(['items', i]) ?? start, locateRaw, documents, diagnostics);
  }
}

class BadCharacter extends Error {}

/** What to do about a character no YAML token starts with, from the character and what precedes it. */
function badTokenHint(src: string, pos: number): string {
  const c = src.charAt(pos);
  if (c === '\t') return 'a tab cannot indent YAML nor follow "- ", "? " or a block-context ":" on its own: use spaces';
  let p = pos - 1;
  while (p >= 0 && (src.charCodeAt(p) === 0x20 || src.charCodeAt(p) === 0x09)) p--;
  const before = src.charAt(p);
  if (before === '"' || before === '\'') {
    return `text follows a closing quote: inside ${before === '"' ? 'double quotes write \\" for a quote' : 'single quotes write \'\' for a quote'}, or quote the whole value the other way`;
  }
  return `"${c}" cannot start a value: quote the value`;
}

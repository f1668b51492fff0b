/**
 * A fast reading of the block-style YAML that generators and `kubectl get -o yaml` write: block
 * mappings and sequences, one-line plain and quoted scalars, `{}` and `[]`, comments. It returns what
 * yaml-decode.ts's go-yaml reading returns, or undefined as soon as the text leaves that subset
 * (anchors, tags, flow collections, multi-line or block scalars, escapes, merge keys, tabs, a CR
 * not before LF,
 * duplicate keys, non-finite floats, directives, ...) or could be an error: the full reading then
 * decides, error messages included. Scalars are resolved by the same function (yaml-resolve.ts),
 * so `yes`, `0755` or `1e3` mean what go-yaml v2 makes of them.
 *
 * YAML rules it relies on (YAML 1.1 §9 block collections, as go-yaml's scanner implements them):
 * a block collection's entries start at one column; a sequence may be a mapping value at the key's
 * column; `- key: value` opens a mapping at the key's column; a plain scalar ends at `: `, at ` #`
 * and at the end of the line, and continues on a more indented line (then this reader gives up).
 */
import { KIND_FLOAT, keyString, Resolved, resolveScalar } from './yaml-resolve';

const MAP = 1;
const SEQ = 2;

/** go-yaml looks for the `:` of a simple key at most 1024 characters after its start. */
const MAX_SIMPLE_KEY = 1000;
/** Deeper documents go to the full reader (which applies go-yaml's depth limits). */
const MAX_DEPTH = 200;

/** Characters that make the full reader take over wherever they appear (a CR only when not before LF). */
const OUTSIDE_SUBSET = /[\t\\\u0085\u2028\u2029\ufeff]|\r(?!\n)/;

interface Collection {
  readonly kind: number;
  readonly indent: number;
  readonly value: any;
  /** A mapping's key, or a sequence's `-`, is waiting for its value. */
  pending: boolean;
  key: string;
  /** Line of the pending key or `-` (0-based), for the value's position rules. */
  pendingLine: number;
}

const CH_SPACE = 0x20;
const CH_HASH = 0x23;
const CH_DASH = 0x2d;
const CH_COLON = 0x3a;
const CH_SQUOTE = 0x27;
const CH_DQUOTE = 0x22;

/** Characters a plain scalar cannot start with here (indicators; `-` and the quotes are handled apart). */
function startsOutsideSubset(c: number): boolean {
  // , [ ] { } # & * ! | > % @ ` ? :
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === CH_HASH || c === 0x26 || c === 0x2a
    || c === 0x21 || c === 0x7c || c === 0x3e || c === 0x25 || c === 0x40 || c === 0x60 || c === 0x3f || c === CH_COLON;
}

function setKey(o: any, k: string, v: any) {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** A document of the subset: its JSON value (a mapping or sequence) and where it starts (0-based). */
export interface BlockDocument {
  readonly value: any;
  readonly line: number;
  readonly col: number;
}

/** Why the subset reader stops: the full reader takes the document. */
class OutsideSubset extends Error {}
const OUTSIDE = new OutsideSubset();

class BlockReader {
  private readonly stack: Collection[] = [];
  private readonly r = new Resolved();
  private root: any = undefined;
  private rootLine = 0;
  private rootCol = 0;
  /** Scalar scanned by `scalar()`: its text, whether plain, and where it ended. */
  private sText = '';
  private sPlain = true;
  private sEnd = 0;

  constructor(private readonly text: string, private readonly end: number) {}

  read(start: number): BlockDocument | undefined {
    const text = this.text;
    const end = this.end;
    let line = -1;
    let pos = start;
    while (pos < end) {
      line++;
      let nl = text.indexOf('\n', pos);
      if (nl < 0 || nl > end) nl = end;
      const lineStart = pos;
      pos = nl + 1;
      // CR LF ends a line as LF does (YAML 1.1 §5.4)
      if (nl > lineStart && text.charCodeAt(nl - 1) === 0x0d) nl--;
      let p = lineStart;
      while (p < nl && text.charCodeAt(p) === CH_SPACE) p++;
      if (p === nl || text.charCodeAt(p) === CH_HASH) continue; // blank or comment
      const indent = p - lineStart;
      // document markers and directives at column 0 belong to the full reader
      if (indent === 0) {
        const c = text.charCodeAt(p);
        if (c === 0x25) return undefined;
        if ((c === CH_DASH || c === 0x2e) && text.startsWith(c === CH_DASH ? '---' : '...', p)) {
          const after = p + 3 < nl ? text.charCodeAt(p + 3) : CH_SPACE;
          if (after === CH_SPACE || p + 3 === nl) return undefined;
        }
      }
      this.line(p, nl, indent, line);
    }
    if (this.root === undefined) return undefined; // only comments: the full reader says what that is
    while (this.stack.length) this.close();
    return { value: this.root, line: this.rootLine, col: this.rootCol };
  }

  /** One content line: its first non-space character is at `p`, column `indent`. */
  private line(p: number, nl: number, indent: number, line: number): void {
    const text = this.text;
    const isEntry = text.charCodeAt(p) === CH_DASH && (p + 1 === nl || text.charCodeAt(p + 1) === CH_SPACE);
    const top = this.stack[this.stack.length - 1];
    let parent: Collection | undefined;
    if (top && top.pending && (indent > top.indent || (isEntry && top.kind === MAP && indent === top.indent))) {
      // the value of the pending key or `-`: a collection starting on this line
      parent = top;
    } else {
      if (!top && this.root !== undefined) throw OUTSIDE; // a second root node
      while (this.stack.length) {
        const t = this.stack[this.stack.length - 1];
        if (t.indent > indent || (t.kind === SEQ && t.indent === indent && !isEntry)) this.close();
        else break;
      }
      const t = this.stack[this.stack.length - 1];
      if (t) {
        if (t.indent !== indent || (t.kind === SEQ) !== isEntry) throw OUTSIDE;
        if (t.pending) this.setValue(t, this.resolvePlain(''));
      }
    }
    this.entries(p, nl, indent, line, isEntry, parent);
  }

  /**
   * The entries starting at `p` on one line: a `-` entry (possibly followed by a compact mapping
   * entry or a scalar), or a `key: value` entry. `parent` is set when they open a new collection
   * as its pending value.
   */
  private entries(p: number, nl: number, col: number, line: number, isEntry: boolean, parent: Collection | undefined): void {
    const text = this.text;
    if (isEntry) {
      const seq = parent || this.stack.length === 0 ? this.open(SEQ, col, line, parent) : this.stack[this.stack.length - 1];
      seq.pending = true;
      seq.pendingLine = line;
      let q = p + 1;
      while (q < nl && text.charCodeAt(q) === CH_SPACE) q++;
      if (q === nl || text.charCodeAt(q) === CH_HASH) return; // the item's value is on the next lines
      if (text.charCodeAt(q) === CH_DASH && (q + 1 === nl || text.charCodeAt(q + 1) === CH_SPACE)) throw OUTSIDE; // `- - x`
      if (this.emptyFlow(q, nl, seq)) return;
      this.scalar(q, nl);
      if (this.isKeyEnd(nl)) {
        this.keyEntry(q, nl, q - (p - col), line, seq);
        return;
      }
      this.lineEnd(this.sEnd, nl);
      this.setValue(seq, this.resolveScanned());
      return;
    }
    this.scalar(p, nl);
    if (!this.isKeyEnd(nl)) throw OUTSIDE; // a scalar on a line of its own (or a bad line)
    const map = parent || this.stack.length === 0 ? undefined : this.stack[this.stack.length - 1];
    this.keyEntry(p, nl, col, line, map ?? parent, map === undefined);
  }

  /** A `key: value` entry whose key was just scanned; `opens`: a new mapping at `col` (the value of `owner`). */
  private keyEntry(p: number, nl: number, col: number, line: number, owner: Collection | undefined, opens = true): void {
    const text = this.text;
    if (this.sEnd - p > MAX_SIMPLE_KEY) throw OUTSIDE;
    const r = this.r;
    resolveScalar(this.sText, '', this.sPlain, r);
    if (this.sPlain && this.sText === '<<') throw OUTSIDE; // a merge key
    const k = keyString(r);
    if (typeof k !== 'string') throw OUTSIDE;
    const map = opens ? this.open(MAP, col, line, owner) : owner!;
    if (Object.prototype.hasOwnProperty.call(map.value, k)) throw OUTSIDE; // a duplicate: the full reader reports it
    map.key = k;
    map.pending = true;
    map.pendingLine = line;
    let q = this.sEnd + 1; // after the ':'
    while (q < nl && text.charCodeAt(q) === CH_SPACE) q++;
    if (q === nl || text.charCodeAt(q) === CH_HASH) return; // the value is on the next lines
    const c = text.charCodeAt(q);
    if (c === CH_DASH && (q + 1 === nl || text.charCodeAt(q + 1) === CH_SPACE)) throw OUTSIDE;
    if (this.emptyFlow(q, nl, map)) return;
    this.scalar(q, nl);
    this.lineEnd(this.sEnd, nl);
    this.setValue(map, this.resolveScanned());
  }

  /**
   * An empty flow mapping or sequence, `{}` or `[]`, as the whole value (kubectl writes
   * `podSelector: {}`): set as `c`'s pending value. False when the value is something else.
   */
  private emptyFlow(q: number, nl: number, c: Collection): boolean {
    const text = this.text;
    const open = text.charCodeAt(q);
    if ((open !== 0x7b || text.charCodeAt(q + 1) !== 0x7d) && (open !== 0x5b || text.charCodeAt(q + 1) !== 0x5d)) return false;
    if (q + 2 > nl) return false;
    this.lineEnd(q + 2, nl);
    this.setValue(c, open === 0x7b ? {} : []);
    return true;
  }

  /** Whether the scanned scalar is followed by `:` and a space or the end of the line. */
  private isKeyEnd(nl: number): boolean {
    const e = this.sEnd;
    return e < nl && this.text.charCodeAt(e) === CH_COLON && (e + 1 === nl || this.text.charCodeAt(e + 1) === CH_SPACE);
  }

  /** After a value: only blanks and a comment (with a blank before `#`) may follow. */
  private lineEnd(e: number, nl: number): void {
    const text = this.text;
    let q = e;
    while (q < nl && text.charCodeAt(q) === CH_SPACE) q++;
    if (q === nl) return;
    if (text.charCodeAt(q) !== CH_HASH || q === e) throw OUTSIDE;
  }

  /**
   * Scans a one-line scalar at `p`: quoted (closed on this line, no escapes) or plain (ending at
   * `: `, `:` at the end of the line, ` #` or the end of the line). Sets sText, sPlain, sEnd (the
   * first character after it: the `:` of a key, or blanks and a comment).
   */
  private scalar(p: number, nl: number): void {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === CH_SQUOTE) {
      let out = '';
      let from = p + 1;
      for (;;) {
        const q = text.indexOf('\'', from);
        if (q < 0 || q >= nl) throw OUTSIDE; // continues on another line
        out += text.slice(from, q);
        if (q + 1 < nl && text.charCodeAt(q + 1) === CH_SQUOTE) {
          out += '\'';
          from = q + 2;
          continue;
        }
        this.sText = out;
        this.sPlain = false;
        this.sEnd = q + 1;
        break;
      }
    } else if (c === CH_DQUOTE) {
      const q = text.indexOf('"', p + 1);
      if (q < 0 || q >= nl) throw OUTSIDE;
      this.sText = text.slice(p + 1, q);
      this.sPlain = false;
      this.sEnd = q + 1;
    } else {
      if (startsOutsideSubset(c)) throw OUTSIDE;
      if (c === CH_DASH && (p + 1 === nl || text.charCodeAt(p + 1) === CH_SPACE)) throw OUTSIDE;
      let q = p + 1;
      let last = p + 1; // after the last non-blank
      while (q < nl) {
        const d = text.charCodeAt(q);
        if (d === CH_COLON && (q + 1 === nl || text.charCodeAt(q + 1) === CH_SPACE)) break;
        if (d === CH_SPACE) {
          if (q + 1 < nl && text.charCodeAt(q + 1) === CH_HASH) break;
        } else {
          last = q + 1;
        }
        q++;
      }
      this.sText = text.slice(p, last);
      this.sPlain = true;
      this.sEnd = q < nl && text.charCodeAt(q) === CH_COLON ? q : last;
    }
    // a quoted key or value may not touch what follows
    if (!this.sPlain && this.sEnd < nl) {
      const d = text.charCodeAt(this.sEnd);
      if (d !== CH_SPACE && d !== CH_COLON) throw OUTSIDE;
    }
  }

  private resolveScanned(): any {
    const r = this.r;
    resolveScalar(this.sText, '', this.sPlain, r);
    // a plain value with `: ` inside is a YAML error; NaN and infinities fail the JSON conversion
    if (this.sPlain && (this.sText.includes(': ') || this.sText.endsWith(':'))) throw OUTSIDE;
    if (r.kind === KIND_FLOAT && !Number.isFinite(r.value)) throw OUTSIDE;
    return r.value;
  }

  private resolvePlain(s: string): any {
    resolveScalar(s, '', true, this.r);
    return this.r.value;
  }

  /** Opens a collection at `col`: the root, or the pending value of `parent`. */
  private open(kind: number, col: number, line: number, parent: Collection | undefined): Collection {
    if (this.stack.length >= MAX_DEPTH) throw OUTSIDE;
    const value = kind === MAP ? {} : [];
    if (parent) {
      // an entry's value starting on the entry's own line is a compact mapping (`- a: b`); a
      // collection cannot start on the line of a mapping key (`a: b: c` is an error)
      if (parent.kind === MAP && line === parent.pendingLine) throw OUTSIDE;
      this.setValue(parent, value);
    } else if (this.stack.length === 0) {
      if (this.root !== undefined) throw OUTSIDE;
      this.root = value;
      this.rootLine = line;
      this.rootCol = col;
    } else {
      throw OUTSIDE;
    }
    const c: Collection = { kind, indent: col, value, pending: false, key: '', pendingLine: -1 };
    this.stack.push(c);
    return c;
  }

  private setValue(c: Collection, v: any): void {
    if (c.kind === MAP) setKey(c.value, c.key, v);
    else c.value.push(v);
    c.pending = false;
  }

  /** Closes the innermost collection: a key or `-` without a value gets null. */
  private close(): void {
    const c = this.stack.pop()!;
    if (c.pending) this.setValue(c, this.resolvePlain(''));
  }
}

/**
 * The document of `text[start, end)` when it is block-style YAML of the subset above, read as
 * decodeYamlDocument reads it; undefined when the full reader must decide.
 */
export function decodeBlockYaml(text: string, start: number, end: number): BlockDocument | undefined {
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  if (OUTSIDE_SUBSET.test(slice)) return undefined;
  try {
    return new BlockReader(slice, slice.length).read(0);
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

/**
 * One YAML document decoded as kubectl decodes it before sending JSON to the API server:
 * go-yaml v2 `yaml.Unmarshal` into `interface{}` (decode.go: mappings, sequences, anchors and
 * aliases, merge keys, the alias-expansion limit), then sigs.k8s.io/yaml `YAMLToJSON`
 * (`convertToJSONableObject`: keys made strings; `json.Marshal`: NaN and infinities rejected) and
 * Go's JSON decoder depth limit. The result is the plain JSON value, built in one pass over the
 * parser's events; positions are kept only on request (for diagnostics).
 *
 * Errors keep go-yaml's order: a syntax error anywhere in the document wins over a decode error
 * (go-yaml parses the whole document before decoding), which wins over the JSON conversion errors.
 */
import { decodeBlockYaml } from './yaml-block';
import { parseFirstDocument, YamlEventSink } from './yaml-parser';
import {
  keyString, Resolved, resolveScalar, YamlDecodeError, KIND_FLOAT, KIND_STRING, TAG_MERGE,
} from './yaml-resolve';
import { Scanner } from './yaml-scanner';

export { YamlDecodeError } from './yaml-resolve';
export { YamlSyntaxError } from './yaml-scanner';

/** Go encoding/json `maxNestingDepth`: kubectl and the API server decode JSON no deeper. */
export const MAX_JSON_DEPTH = 10000;

/** go-yaml v2 decode.go alias limits (`allowedAliasRatio`). */
const ALIAS_RATIO_RANGE_LOW = 400000;
const ALIAS_RATIO_RANGE_HIGH = 4000000;
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.10;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

/** Where a node or key is, 0-based within the document's text. */
export interface PosNode {
  readonly line: number;
  readonly col: number;
  /** Mapping entries: key position and value. */
  keys?: Map<string, PosEntry>;
  /** Sequence items. */
  items?: PosNode[];
}
export interface PosEntry {
  readonly line: number;
  readonly col: number;
  value: PosNode;
}

/** A mapping key given twice (or two keys that become the same JSON key). */
export interface DuplicateKey {
  readonly key: string;
  readonly line: number;
  readonly col: number;
  /** The keys differ in YAML (e.g. `1` and `"1"`) but become the same JSON key: kubectl keeps one at random. */
  readonly differentYamlKeys: boolean;
  /** 0-based line of the earlier key (known when decoding with positions). */
  readonly firstLine?: number;
}

/** A `<<` merge that replaces a key written before it (go-yaml v2 lets the merge win). */
export interface MergeOverride {
  readonly key: string;
  readonly line: number;
  readonly col: number;
}

export interface DecodedDocument {
  /** False when the text holds no document (only blanks and comments): kubectl skips it. */
  readonly found: boolean;
  /** The JSON value (null for an empty document). */
  readonly value: any;
  /** The document ended with `...` at `endPos`; what follows up to the next `---` is ignored. */
  readonly explicitEnd: boolean;
  readonly endPos: number;
  readonly line: number;
  readonly col: number;
  readonly duplicates: DuplicateKey[];
  readonly mergeOverrides: MergeOverride[];
  /** Number of nodes decoded through aliases (the alias expansion). */
  readonly aliasCount: number;
  /** Positions of the value's nodes, when asked for. */
  readonly positions?: PosNode;
}

/** An error that makes kubectl reject the document after YAML parsing (decode or JSON conversion). */
export class YamlConversionError extends Error {
  constructor(message: string, readonly line: number, readonly col: number, readonly code: string) {
    super(message);
  }
}

const F_MAP = 1;
const F_SEQ = 2;
const ROLE_VALUE = 0;
const ROLE_KEY = 1;
const ROLE_MERGE = 2;

class Frame {
  hasKey = false;
  key = '';
  keyKind = KIND_STRING;
  keyLine = 0;
  keyCol = 0;
  pendingMerge = false;
  mergeLine = 0;
  mergeCol = 0;
  height = 0;
  keyKinds?: Map<string, number>;
  merged?: Set<string>;
  pos?: PosNode;
  keyPos?: PosEntry;
  constructor(
    readonly kind: number,
    readonly value: any,
    readonly role: number,
    readonly anchor: string,
    readonly startCount: number,
    readonly line: number,
    readonly col: number,
  ) {}
}

interface Anchor {
  complete: boolean;
  kind: number; // 0 scalar, F_MAP, F_SEQ
  value: any;
  /** For a scalar: its Go kind and exact integer digits. */
  scalarKind: number;
  digits?: string;
  cost: number;
  height: number;
  pos?: PosNode;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function setKey(o: any, k: string, v: any) {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** A deep copy of a decoded value (as go-yaml decodes an alias again), without recursion. */
function copyValue(v: any): any {
  if (v === null || typeof v !== 'object') return v;
  const root: any = Array.isArray(v) ? new Array(v.length) : {};
  const stack: any[] = [v, root];
  while (stack.length) {
    const dst = stack.pop();
    const src = stack.pop();
    if (Array.isArray(src)) {
      for (let i = 0; i < src.length; i++) {
        const x = src[i];
        if (x !== null && typeof x === 'object') {
          const c = Array.isArray(x) ? new Array(x.length) : {};
          dst[i] = c;
          stack.push(x, c);
        } else {
          dst[i] = x;
        }
      }
    } else {
      for (const k of Object.keys(src)) {
        const x = src[k];
        if (x !== null && typeof x === 'object') {
          const c = Array.isArray(x) ? new Array(x.length) : {};
          setKey(dst, k, c);
          stack.push(x, c);
        } else {
          setKey(dst, k, x);
        }
      }
    }
  }
  return root;
}

/** go-yaml's `%#v` of a key that is a collection, for its "invalid map key" message. */
function goValue(v: any): string {
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  if (v !== null && typeof v === 'object') return `map[interface {}]interface {}{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${goValue(v[k])}`).join(', ')}}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'interface {}(nil)';
  return String(v);
}

class Decoder implements YamlEventSink {
  readonly stack: Frame[] = [];
  readonly anchors = new Map<string, Anchor>();
  readonly duplicates: DuplicateKey[] = [];
  readonly mergeOverrides: MergeOverride[] = [];
  readonly r = new Resolved();
  root: any = null;
  rootPos?: PosNode;
  rootLine = 0;
  rootCol = 0;
  rootSet = false;
  decodeCount = 1; // the document node
  aliasCount = 0;
  /** The first go-yaml decode error: composition stops, parsing goes on for syntax errors. */
  decodeError?: YamlConversionError;
  /** The first error of the JSON conversion (keys, NaN, depth). */
  conversionError?: YamlConversionError;

  constructor(readonly positions: boolean) {}

  private fail(message: string, line: number, col: number, code = 'yaml-decode') {
    if (!this.decodeError) this.decodeError = new YamlConversionError(message, line, col, code);
  }

  private convertFail(message: string, line: number, col: number, code: string) {
    if (!this.conversionError) this.conversionError = new YamlConversionError(message, line, col, code);
  }

  private checkAliasRatio(line: number, col: number): boolean {
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      this.fail('document contains excessive aliasing', line, col, 'yaml-alias-limit');
      return false;
    }
    return true;
  }

  private defineAnchor(name: string, kind: number): Anchor {
    const a: Anchor = { complete: false, kind, value: undefined, scalarKind: KIND_STRING, cost: 0, height: 0 };
    this.anchors.set(name, a);
    return a;
  }

  /** Delivers a finished node to the open collection (or the document). */
  private deliver(v: any, kind: number, height: number, pos: PosNode | undefined, line: number, col: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = v;
      this.rootPos = pos;
      this.rootLine = line;
      this.rootCol = col;
      this.rootSet = true;
      return;
    }
    if (height + 1 > top.height) top.height = height + 1;
    if (top.kind === F_SEQ) {
      if (top.role === ROLE_MERGE && kind !== F_MAP) {
        this.fail('map merge requires map or sequence of maps as the value', line, col, 'yaml-merge');
        return;
      }
      top.value.push(v);
      if (pos) top.pos!.items!.push(pos);
      return;
    }
    if (top.pendingMerge) {
      top.pendingMerge = false;
      if (kind !== F_MAP) {
        this.fail('map merge requires map or sequence of maps as the value', line, col, 'yaml-merge');
        return;
      }
      this.mergeInto(top, v, pos);
      return;
    }
    if (!top.hasKey) {
      // a collection as a mapping key
      this.fail(`invalid map key: ${goValue(v)}`, line, col, 'yaml-key');
      return;
    }
    top.hasKey = false;
    this.setEntry(top, top.key, top.keyKind, v, pos);
  }

  private setEntry(top: Frame, k: string, kind: number, v: any, pos: PosNode | undefined) {
    const o = top.value;
    // (decoded values are never undefined: a defined entry is either own or inherited)
    if (o[k] !== undefined && hasOwn(o, k)) {
      if (top.merged?.has(k)) {
        top.merged.delete(k);
      } else {
        const previousKind = top.keyKinds?.get(k) ?? KIND_STRING;
        this.duplicates.push({
          key: k, line: top.keyLine, col: top.keyCol, differentYamlKeys: previousKind !== kind, firstLine: top.pos?.keys!.get(k)?.line,
        });
      }
    }
    setKey(o, k, v);
    if (kind !== KIND_STRING || top.keyKinds) {
      if (!top.keyKinds) top.keyKinds = new Map();
      top.keyKinds.set(k, kind);
    }
    if (top.pos) top.pos.keys!.set(k, { line: top.keyLine, col: top.keyCol, value: pos! });
  }

  /** go-yaml v2 decoder.merge: the merged map's keys replace the keys set so far. */
  private mergeInto(top: Frame, src: any, pos: PosNode | undefined) {
    const o = top.value;
    for (const k of Object.keys(src)) {
      if (hasOwn(o, k) && !top.merged?.has(k)) this.mergeOverrides.push({ key: k, line: top.mergeLine, col: top.mergeCol });
      setKey(o, k, src[k]);
      if (!top.merged) top.merged = new Set();
      top.merged.add(k);
      if (top.pos && pos?.keys) {
        const e = pos.keys.get(k);
        if (e) top.pos.keys!.set(k, e);
      }
    }
  }

  /** A mapping or sequence starts (go-yaml v2 ignores tags on collections decoding into interface{}). */
  private startCollection(kind: number, anchor: string, line: number, col: number): void {
    const top = this.stack[this.stack.length - 1];
    let role = ROLE_VALUE;
    if (top && top.kind === F_MAP) {
      if (top.pendingMerge) role = ROLE_MERGE;
      else if (!top.hasKey) role = ROLE_KEY;
    }
    // a sequence given to '<<' is not decoded as a node itself (decoder.merge walks its items)
    if (!(kind === F_SEQ && role === ROLE_MERGE)) this.decodeCount++;
    if (this.aliasCount > 100) this.checkAliasRatio(line, col);
    if (this.stack.length + 1 > MAX_JSON_DEPTH) {
      this.convertFail(`nesting deeper than ${MAX_JSON_DEPTH} levels`, line, col, 'yaml-depth');
    }
    const f = new Frame(kind, kind === F_MAP ? {} : [], role, anchor, this.decodeCount - (kind === F_SEQ && role === ROLE_MERGE ? 0 : 1), line, col);
    if (this.positions) f.pos = kind === F_MAP ? { line, col, keys: new Map() } : { line, col, items: [] };
    if (anchor) this.defineAnchor(anchor, kind);
    this.stack.push(f);
  }

  private endCollection(): void {
    const f = this.stack.pop()!;
    if (f.kind === F_MAP && (f.hasKey || f.pendingMerge)) {
      // cannot happen with libyaml's events (every key gets a value)
      throw new Error('YAML mapping ended after a key');
    }
    let v = f.value;
    if (f.anchor) {
      const a = this.anchors.get(f.anchor)!;
      a.complete = true;
      a.value = v;
      a.cost = this.decodeCount - f.startCount;
      a.height = f.height;
      a.pos = f.pos;
    }
    if (f.kind === F_SEQ && f.role === ROLE_MERGE) {
      // earlier maps of the list win: merge them last (decoder.merge steps backwards)
      const top = this.stack[this.stack.length - 1];
      top.pendingMerge = false;
      const items: PosNode[] | undefined = f.pos?.items;
      for (let i = v.length - 1; i >= 0; i--) this.mergeInto(top, v[i], items?.[i]);
      if (f.height + 1 > top.height) top.height = f.height + 1;
      return;
    }
    this.deliver(v, f.kind, f.height, f.pos, f.line, f.col);
    v = undefined;
  }

  // ---- events ----

  scalar(value: string, tag: string, plainImplicit: boolean, anchor: string, _pos: number, line: number, col: number): void {
    if (this.decodeError) {
      if (anchor) this.defineAnchor(anchor, 0).complete = true;
      return;
    }
    const top = this.stack[this.stack.length - 1];
    const asKey = top !== undefined && top.kind === F_MAP && !top.hasKey && !top.pendingMerge;
    if (asKey && value === '<<' && (plainImplicit || tag === TAG_MERGE)) {
      // a merge key is not decoded as a node (decoder.mapping calls merge directly)
      top.pendingMerge = true;
      top.mergeLine = line;
      top.mergeCol = col;
      if (anchor) {
        const a = this.defineAnchor(anchor, 0);
        a.complete = true;
        a.value = '<<';
        a.cost = 1;
      }
      return;
    }
    this.decodeCount++;
    if (this.aliasCount > 100 && !this.checkAliasRatio(line, col)) return;
    const r = this.r;
    try {
      resolveScalar(value, tag, plainImplicit, r);
    } catch (e) {
      if (e instanceof YamlDecodeError) {
        this.fail(e.message, line, col, 'yaml-tag');
        return;
      }
      throw e;
    }
    if (anchor) {
      const a = this.defineAnchor(anchor, 0);
      a.complete = true;
      a.value = r.value;
      a.scalarKind = r.kind;
      a.digits = r.digits;
      a.cost = 1;
      a.pos = this.positions ? { line, col } : undefined;
    }
    this.scalarValue(top, asKey, line, col);
  }

  /** Hands the resolved scalar in `this.r` to the open collection. */
  private scalarValue(top: Frame | undefined, asKey: boolean, line: number, col: number): void {
    const r = this.r;
    if (asKey) {
      const k = keyString(r);
      if (typeof k !== 'string') {
        this.convertFail(k.error, line, col, 'yaml-key');
        top!.key = r.digits ?? 'null';
      } else {
        top!.key = k;
      }
      top!.hasKey = true;
      top!.keyKind = r.kind;
      top!.keyLine = line;
      top!.keyCol = col;
      return;
    }
    if (r.kind === KIND_FLOAT && !Number.isFinite(r.value)) {
      this.convertFail(`json: unsupported value: ${Number.isNaN(r.value) ? 'NaN' : r.value > 0 ? '+Inf' : '-Inf'}`, line, col, 'yaml-float');
    }
    if (top === undefined) {
      this.root = r.value;
      this.rootPos = this.positions ? { line, col } : undefined;
      this.rootLine = line;
      this.rootCol = col;
      this.rootSet = true;
      return;
    }
    if (top.kind === F_SEQ) {
      if (top.role === ROLE_MERGE) {
        this.fail('map merge requires map or sequence of maps as the value', line, col, 'yaml-merge');
        return;
      }
      top.value.push(r.value);
      if (top.pos) top.pos.items!.push({ line, col });
      return;
    }
    if (top.pendingMerge) {
      this.fail('map merge requires map or sequence of maps as the value', line, col, 'yaml-merge');
      return;
    }
    top.hasKey = false;
    this.setEntry(top, top.key, top.keyKind, r.value, this.positions ? { line, col } : undefined);
  }

  alias(name: string, _pos: number, line: number, col: number): void {
    const a = this.anchors.get(name);
    // an unknown anchor is found while go-yaml builds the node tree: a parse-time error
    if (!a) throw new YamlConversionError(`unknown anchor '${name}' referenced`, line, col, 'yaml-alias');
    if (this.decodeError) return;
    if (!a.complete) {
      this.fail(`anchor '${name}' value contains itself`, line, col, 'yaml-alias');
      return;
    }
    const top = this.stack[this.stack.length - 1];
    const asKey = top !== undefined && top.kind === F_MAP && !top.hasKey && !top.pendingMerge;
    // decoding an alias decodes the anchored node again: the alias node, then all the nodes below
    this.decodeCount += 1 + a.cost;
    this.aliasCount += a.cost;
    if (!this.checkAliasRatio(line, col)) return;
    if (this.stack.length + a.height > MAX_JSON_DEPTH) {
      this.convertFail(`nesting deeper than ${MAX_JSON_DEPTH} levels`, line, col, 'yaml-depth');
    }
    if (a.kind === 0) {
      const r = this.r;
      r.value = a.value;
      r.digits = a.digits;
      r.kind = a.scalarKind;
      this.scalarValue(top, asKey, line, col);
      return;
    }
    if (asKey) {
      this.fail(`invalid map key: ${goValue(a.value)}`, line, col, 'yaml-key');
      return;
    }
    this.deliver(copyValue(a.value), a.kind, a.height, a.pos, line, col);
  }

  sequenceStart(_tag: string, anchor: string, _pos: number, line: number, col: number): void {
    if (this.decodeError) {
      if (anchor) this.defineAnchor(anchor, F_SEQ);
      this.stack.push(new Frame(F_SEQ, null, ROLE_VALUE, '', 0, line, col));
      return;
    }
    this.startCollection(F_SEQ, anchor, line, col);
  }

  mappingStart(_tag: string, anchor: string, _pos: number, line: number, col: number): void {
    if (this.decodeError) {
      if (anchor) this.defineAnchor(anchor, F_MAP);
      this.stack.push(new Frame(F_MAP, null, ROLE_VALUE, '', 0, line, col));
      return;
    }
    this.startCollection(F_MAP, anchor, line, col);
  }

  sequenceEnd(): void {
    if (this.decodeError) {
      this.stack.pop();
      return;
    }
    this.endCollection();
  }

  mappingEnd(): void {
    if (this.decodeError) {
      this.stack.pop();
      return;
    }
    this.endCollection();
  }
}

/**
 * Decodes the first YAML document of `text[start, end)` (kubectl hands go-yaml one document at a
 * time). Throws YamlSyntaxError or YamlConversionError.
 */
export function decodeYamlDocument(text: string, start: number, end: number, positions = false): DecodedDocument {
  if (!positions) {
    // most manifests are plain block YAML, read in one pass without tokens and events
    const simple = decodeBlockYaml(text, start, end);
    if (simple) {
      return {
        found: true,
        value: simple.value,
        explicitEnd: false,
        endPos: end,
        line: simple.line,
        col: simple.col,
        duplicates: [],
        mergeOverrides: [],
        aliasCount: 0,
      };
    }
  }
  return decodeYamlEvents(text, start, end, positions);
}

/** decodeYamlDocument through go-yaml's tokens and events: every document, every error. */
export function decodeYamlEvents(text: string, start: number, end: number, positions = false): DecodedDocument {
  const scanner = new Scanner(text, start, end);
  const d = new Decoder(positions);
  const doc = parseFirstDocument(scanner, d);
  if (d.decodeError) throw d.decodeError;
  if (d.conversionError) throw d.conversionError;
  return {
    found: doc.found,
    value: doc.found ? d.root : null,
    explicitEnd: doc.explicitEnd,
    endPos: doc.endPos,
    line: d.rootLine,
    col: d.rootCol,
    duplicates: d.duplicates,
    mergeOverrides: d.mergeOverrides,
    aliasCount: d.aliasCount,
    positions: d.rootPos,
  };
}


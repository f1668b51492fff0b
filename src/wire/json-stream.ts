/**
 * JSON values as Go's encoding/json Decoder reads them from a stream (what kubectl's
 * k8s.io/apimachinery/pkg/util/yaml YAMLOrJSONDecoder uses for input starting with `{`): one value
 * after another, separated by JSON whitespace, nested at most 10,000 levels (encoding/json
 * `maxNestingDepth`). The scan finds where a value ends, the syntax error Go would report, and
 * duplicate object keys; JSON.parse then builds the value.
 */
import { MAX_JSON_DEPTH } from './yaml-decode';

export interface JsonPosNode {
  readonly pos: number;
  keys?: Map<string, { pos: number; value: JsonPosNode }>;
  items?: JsonPosNode[];
}

export interface JsonScan {
  /** Offset just after the value; undefined on a syntax error. */
  readonly end?: number;
  /** Go's message for the syntax error, e.g. `invalid character '}' after object key`. */
  readonly error?: string;
  readonly errorPos?: number;
  /** Object keys given twice: the offset of the repeated key and its text. */
  readonly duplicates: { key: string; pos: number; firstPos: number }[];
  readonly positions?: JsonPosNode;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Go's quoteChar for error messages. */
function quoteChar(c: number): string {
  if (c === 0x27) return '\'\\\'\'';
  if (c === 0x22) return '\'"\'';
  const s = JSON.stringify(String.fromCharCode(c));
  return `'${s.slice(1, -1)}'`;
}

/** Skips JSON whitespace from `pos`. */
export function skipJsonWhitespace(text: string, pos: number): number {
  while (pos < text.length && isWs(text.charCodeAt(pos))) pos++;
  return pos;
}

interface Open { isObject: boolean; keys?: Map<string, number>; node?: JsonPosNode; pendingKey?: string; pendingKeyPos?: number }

/**
 * Scans one JSON value starting at `pos` (after whitespace). With `positions`, also returns where
 * each key and item is.
 */
export function scanJsonValue(text: string, pos: number, positions = false): JsonScan {
  const n = text.length;
  const stack: Open[] = [];
  const duplicates: { key: string; pos: number; firstPos: number }[] = [];
  let root: JsonPosNode | undefined;
  let i = pos;
  const fail = (message: string, at: number): JsonScan => ({ error: message, errorPos: at, duplicates });
  const unexpected = (context: string): JsonScan => (i >= n ? fail('unexpected EOF', i) : fail(`invalid character ${quoteChar(text.charCodeAt(i))} ${context}`, i));

  const attach = (node: JsonPosNode | undefined) => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = node;
      return;
    }
    if (!node || !top.node) return;
    if (top.isObject) top.node.keys!.set(top.pendingKey!, { pos: top.pendingKeyPos!, value: node });
    else top.node.items!.push(node);
  };

  /** Scans a string at i (the opening quote); returns its end or a failure. */
  const scanString = (): number | JsonScan => {
    let j = i + 1;
    for (;;) {
      if (j >= n) {
        i = j;
        return fail('unexpected EOF', j);
      }
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c === 0x5c) {
        const e = text.charCodeAt(j + 1);
        if (j + 1 >= n) {
          i = j + 1;
          return fail('unexpected EOF', j + 1);
        }
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            const h = text.charCodeAt(j + k);
            if (j + k >= n) {
              i = j + k;
              return fail('unexpected EOF', j + k);
            }
            if (!((h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66))) {
              i = j + k;
              return fail(`invalid character ${quoteChar(h)} in \\u hexadecimal character escape`, j + k);
            }
          }
          j += 6;
          continue;
        }
        if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          j += 2;
          continue;
        }
        i = j + 1;
        return fail(`invalid character ${quoteChar(e)} in string escape code`, j + 1);
      }
      if (c < 0x20) {
        i = j;
        return fail(`invalid character ${quoteChar(c)} in string literal`, j);
      }
      j++;
    }
  };

  /** A number at i (Go scanner's number states). */
  const scanNumber = (): number | JsonScan => {
    let j = i;
    if (text.charCodeAt(j) === 0x2d) j++;
    const d0 = text.charCodeAt(j);
    if (d0 === 0x30) {j++;} else if (d0 >= 0x31 && d0 <= 0x39) {while (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;} else {
      i = j;
      return j >= n ? fail('unexpected EOF', j) : fail(`invalid character ${quoteChar(d0)} in numeric literal`, j);
    }
    if (text.charCodeAt(j) === 0x2e) {
      j++;
      const c = text.charCodeAt(j);
      if (!(c >= 0x30 && c <= 0x39)) {
        i = j;
        return j >= n ? fail('unexpected EOF', j) : fail(`invalid character ${quoteChar(c)} after decimal point in numeric literal`, j);
      }
      while (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      j++;
      if (text.charCodeAt(j) === 0x2b || text.charCodeAt(j) === 0x2d) j++;
      const c = text.charCodeAt(j);
      if (!(c >= 0x30 && c <= 0x39)) {
        i = j;
        return j >= n ? fail('unexpected EOF', j) : fail(`invalid character ${quoteChar(c)} in exponent of numeric literal`, j);
      }
      while (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    }
    return j;
  };

  const literal = (word: string): number | JsonScan => {
    for (let k = 0; k < word.length; k++) {
      if (i + k >= n) {
        i += k;
        return fail('unexpected EOF', i);
      }
      if (text.charCodeAt(i + k) !== word.charCodeAt(k)) {
        const at = i + k;
        i = at;
        return fail(`invalid character ${quoteChar(text.charCodeAt(at))} in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`, at);
      }
    }
    return i + word.length;
  };

  // expecting: 0 a value, 1 a key or '}' (first), 2 ':' , 3 ',' or close, 4 a key (after ',')
  let expect = 0;
  for (;;) {
    while (i < n && isWs(text.charCodeAt(i))) i++;
    const top = stack[stack.length - 1];
    if (expect === 0) {
      if (i >= n) return fail('unexpected EOF', i);
      const c = text.charCodeAt(i);
      const start = i;
      if (c === 0x7b || c === 0x5b) {
        if (stack.length + 1 > MAX_JSON_DEPTH) return fail('exceeded max depth', i);
        const node: JsonPosNode | undefined = positions ? (c === 0x7b ? { pos: start, keys: new Map() } : { pos: start, items: [] }) : undefined;
        attach(node);
        stack.push({ isObject: c === 0x7b, keys: c === 0x7b ? new Map() : undefined, node });
        i++;
        expect = c === 0x7b ? 1 : 5;
        continue;
      }
      let r: number | JsonScan;
      if (c === 0x22) r = scanString();
      else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) r = scanNumber();
      else if (c === 0x74) r = literal('true');
      else if (c === 0x66) r = literal('false');
      else if (c === 0x6e) r = literal('null');
      else return unexpected('looking for beginning of value');
      if (typeof r !== 'number') return r;
      attach(positions ? { pos: start } : undefined);
      i = r;
      if (!top) return { end: i, duplicates, positions: root };
      expect = 3;
      continue;
    }
    if (expect === 5) {
      // just after '[': a value or ']'
      if (i < n && text.charCodeAt(i) === 0x5d) {
        i++;
        stack.pop();
        if (!stack.length) return { end: i, duplicates, positions: root };
        expect = 3;
        continue;
      }
      expect = 0;
      continue;
    }
    if (expect === 1 || expect === 4) {
      if (expect === 1 && i < n && text.charCodeAt(i) === 0x7d) {
        i++;
        stack.pop();
        if (!stack.length) return { end: i, duplicates, positions: root };
        expect = 3;
        continue;
      }
      if (i >= n || text.charCodeAt(i) !== 0x22) return unexpected('looking for beginning of object key string');
      const keyStart = i;
      const r = scanString();
      if (typeof r !== 'number') return r;
      const raw = text.slice(keyStart + 1, r - 1);
      const key = raw.indexOf('\\') < 0 ? raw : JSON.parse(text.slice(keyStart, r)) as string;
      const first = top.keys!.get(key);
      if (first !== undefined) duplicates.push({ key, pos: keyStart, firstPos: first });
      top.keys!.set(key, keyStart);
      top.pendingKey = key;
      top.pendingKeyPos = keyStart;
      i = r;
      expect = 2;
      continue;
    }
    if (expect === 2) {
      if (i >= n || text.charCodeAt(i) !== 0x3a) return unexpected('after object key');
      i++;
      expect = 0;
      continue;
    }
    // expect === 3: ',' or the closing bracket
    const c = i < n ? text.charCodeAt(i) : -1;
    if (top.isObject) {
      if (c === 0x2c) {
        i++;
        expect = 4;
        continue;
      }
      if (c === 0x7d) {
        i++;
        stack.pop();
        if (!stack.length) return { end: i, duplicates, positions: root };
        continue;
      }
      return unexpected('after object key:value pair');
    }
    if (c === 0x2c) {
      i++;
      expect = 0;
      continue;
    }
    if (c === 0x5d) {
      i++;
      stack.pop();
      if (!stack.length) return { end: i, duplicates, positions: root };
      continue;
    }
    return unexpected('after array element');
  }
}

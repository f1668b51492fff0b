/**
 * YAML 1.1 scalar resolution as kubectl applies it: go-yaml v2 `resolve.go` (`resolve`,
 * `parseTimestamp`) and `decode.go` (`decoder.scalar`) decoding into `interface{}`, with Go's
 * `strconv.ParseInt` / `ParseUint` / `ParseFloat` rules for numbers, then sigs.k8s.io/yaml
 * `convertToJSONableObject` for mapping keys (`strconv.Itoa`, `FormatFloat(key, 'g', -1, 32)`).
 */

export const TAG_PREFIX = 'tag:yaml.org,2002:';
export const TAG_STR = TAG_PREFIX + 'str';
export const TAG_BOOL = TAG_PREFIX + 'bool';
export const TAG_INT = TAG_PREFIX + 'int';
export const TAG_FLOAT = TAG_PREFIX + 'float';
export const TAG_NULL = TAG_PREFIX + 'null';
export const TAG_TIMESTAMP = TAG_PREFIX + 'timestamp';
export const TAG_BINARY = TAG_PREFIX + 'binary';
export const TAG_MERGE = TAG_PREFIX + 'merge';

/** The Go type a scalar decodes to (it decides how a mapping key becomes a JSON string). */
export const KIND_STRING = 1;
export const KIND_NULL = 2;
export const KIND_BOOL = 3;
export const KIND_INT = 4;
export const KIND_UINT64 = 5;
export const KIND_FLOAT = 6;

/** A decode error of go-yaml v2 (`failf`), with its message. */
export class YamlDecodeError extends Error {}

/** `!!str` for `tag:yaml.org,2002:str` (go-yaml `shortTag`). */
export function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? '!!' + tag.slice(TAG_PREFIX.length) : tag;
}

interface Item { value: any; tag: string; kind: number }
const RESOLVE_MAP = new Map<string, Item>();
function put(value: any, tag: string, kind: number, ...forms: string[]) {
  for (const f of forms) RESOLVE_MAP.set(f, { value, tag, kind });
}
// go-yaml v2 resolve.go resolveMapList: the YAML 1.1 bool forms, null forms, .inf/.nan and '<<'
put(true, TAG_BOOL, KIND_BOOL, 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON');
put(false, TAG_BOOL, KIND_BOOL, 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF');
put(null, TAG_NULL, KIND_NULL, '', '~', 'null', 'Null', 'NULL');
put(NaN, TAG_FLOAT, KIND_FLOAT, '.nan', '.NaN', '.NAN');
put(Infinity, TAG_FLOAT, KIND_FLOAT, '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF');
put(-Infinity, TAG_FLOAT, KIND_FLOAT, '-.inf', '-.Inf', '-.INF');
put('<<', TAG_MERGE, KIND_STRING, '<<');

/** First-character hints of resolve.go's resolveTable. */
const HINT_NONE = 0;
const HINT_MAP = 1;
const HINT_DOT = 2;
const HINT_NUMBER = 3;
const HINTS = new Uint8Array(128);
for (const c of '+-0123456789') HINTS[c.charCodeAt(0)] = HINT_NUMBER;
for (const c of 'yYnNtTfFoO~') HINTS[c.charCodeAt(0)] = HINT_MAP;
HINTS[0x2e] = HINT_DOT;

/** go-yaml `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's ParseFloat accepts for a string starting with '.' (underscores only between digits). */
const GO_DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
const SMALL_DECIMAL = /^[0-9]{1,15}$/;

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN_ABS = 1n << 63n;
const UINT64_MAX = (1n << 64n) - 1n;

/** The result of resolving one scalar: its JS value, Go kind and resolved tag. */
export class Resolved {
  value: any = null;
  kind = KIND_STRING;
  tag = TAG_STR;
  /** Exact decimal digits of an integer (keys beyond 2^53 keep their exact text). */
  digits?: string;
}

/**
 * Go's `strconv.ParseUint(s, 0, 64)` (prefixes 0x, 0o, 0b and a leading 0 for octal); undefined on
 * a syntax or range error. `s` has no sign and no underscores here.
 */
function parseUintBase0(s: string): bigint | undefined {
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s.charCodeAt(0) === 0x30) {
    const p = s.length >= 3 ? s.charCodeAt(1) | 0x20 : 0;
    base = p === 0x62 ? 2 : p === 0x78 ? 16 : 8;
    digits = p === 0x62 || p === 0x6f || p === 0x78 ? s.slice(2) : s.slice(1);
  }
  let n = 0n;
  const b = BigInt(base);
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) d = (c | 0x20) - 0x61 + 10;
    else return undefined;
    if (d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** Go's `strconv.ParseInt(s, 0, 64)`. */
function parseIntBase0(s: string): bigint | undefined {
  let neg = false;
  let rest = s;
  if (s.charCodeAt(0) === 0x2b) {rest = s.slice(1);} else if (s.charCodeAt(0) === 0x2d) { neg = true; rest = s.slice(1); }
  const u = parseUintBase0(rest);
  if (u === undefined) return undefined;
  if (!neg && u > INT64_MAX) return undefined;
  if (neg && u > INT64_MIN_ABS) return undefined;
  return neg ? -u : u;
}

/** Go's ParseFloat: a finite result or undefined (out of range is an error there). */
function goFloat(s: string): number | undefined {
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

function setInt(r: Resolved, v: bigint, kind: number) {
  r.kind = kind;
  r.tag = TAG_INT;
  r.value = Number(v);
  r.digits = v.toString();
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|([+-])(\d\d):(\d\d)))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?))?$/;

/** go-yaml `parseTimestamp`: the layouts it tries with Go's time.Parse and their range checks. */
export function isGoYamlTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : DAYS[month - 1];
  if (day < 1 || day > days) return false;
  const h = m[4] ?? m[10];
  if (h !== undefined) {
    const mi = m[5] ?? m[11];
    const se = m[6] ?? m[12];
    if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return false;
    if (m[7] && (Number(m[8]) > 24 || Number(m[9]) > 60)) return false;
  }
  return true;
}

/**
 * go-yaml v2 `resolve(tag, in)` for a tag the resolver knows ('' for an untagged plain scalar);
 * fills `r` and returns true, or returns false for an unknown tag (the text stays a string).
 */
function resolveKnown(tag: string, s: string, r: Resolved): void {
  r.digits = undefined;
  const c = s.length ? s.charCodeAt(0) : -1;
  const hint = c < 0 ? HINT_MAP /* '' is looked up in the map */ : c < 128 ? HINTS[c] : HINT_NONE;
  if (hint !== HINT_NONE && tag !== TAG_STR) {
    const item = RESOLVE_MAP.get(s);
    if (item) {
      r.value = item.value;
      r.tag = item.tag;
      r.kind = item.kind;
      return;
    }
    if (hint === HINT_DOT) {
      if (GO_DOT_FLOAT.test(s)) {
        const f = goFloat(s.replace(/_/g, ''));
        if (f !== undefined) {
          r.value = f;
          r.tag = TAG_FLOAT;
          r.kind = KIND_FLOAT;
          return;
        }
      }
    } else if (hint === HINT_NUMBER) {
      // Timestamps decode to their text (decoder.scalar); the check only matters for the tag.
      if ((tag === '' || tag === TAG_TIMESTAMP) && s.length >= 8 && s.charCodeAt(4) === 0x2d && isGoYamlTimestamp(s)) {
        r.value = s;
        r.tag = TAG_TIMESTAMP;
        r.kind = KIND_STRING;
        return;
      }
      if (SMALL_DECIMAL.test(s) && (s.length === 1 || c !== 0x30)) {
        r.value = Number(s);
        r.tag = TAG_INT;
        r.kind = KIND_INT;
        r.digits = s;
        return;
      }
      const plain = s.indexOf('_') >= 0 ? s.replace(/_/g, '') : s;
      const i = parseIntBase0(plain);
      if (i !== undefined) return setInt(r, i, KIND_INT);
      const u = plain.charCodeAt(0) === 0x2b || plain.charCodeAt(0) === 0x2d ? undefined : parseUintBase0(plain);
      if (u !== undefined) return setInt(r, u, KIND_UINT64);
      if (YAML_STYLE_FLOAT.test(plain)) {
        const f = goFloat(plain);
        if (f !== undefined) {
          r.value = f;
          r.tag = TAG_FLOAT;
          r.kind = KIND_FLOAT;
          return;
        }
      }
      // (resolve.go's explicit 0b / -0b branches are reached only for values ParseInt already rejected)
    }
  }
  r.value = s;
  r.tag = TAG_STR;
  r.kind = KIND_STRING;
}

function resolvableTag(tag: string): boolean {
  return tag === '' || tag === TAG_STR || tag === TAG_BOOL || tag === TAG_INT || tag === TAG_FLOAT || tag === TAG_NULL || tag === TAG_TIMESTAMP;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A scalar as go-yaml v2 decodes it into `interface{}`: quoted scalars without a tag are strings,
 * `!!binary` is base64-decoded, explicit tags must match what the text resolves to (`!!float`
 * accepts an int), unknown tags leave the text as a string.
 */
export function resolveScalar(value: string, tag: string, plainImplicit: boolean, r: Resolved): void {
  if (tag === '' && !plainImplicit) {
    r.value = value;
    r.kind = KIND_STRING;
    r.tag = TAG_STR;
    r.digits = undefined;
    return;
  }
  if (tag === TAG_BINARY) {
    // Go base64.StdEncoding ignores \r and \n; padding is required
    const b64 = value.replace(/[\r\n]/g, '');
    if (!BASE64.test(b64)) throw new YamlDecodeError('!!binary value contains invalid base64 data');
    r.value = Buffer.from(b64, 'base64').toString('utf8');
    r.kind = KIND_STRING;
    r.tag = TAG_BINARY;
    r.digits = undefined;
    return;
  }
  if (!resolvableTag(tag)) {
    r.value = value;
    r.kind = KIND_STRING;
    r.tag = tag;
    r.digits = undefined;
    return;
  }
  resolveKnown(tag, value, r);
  if (tag === '' || tag === r.tag || tag === TAG_STR) return;
  if (tag === TAG_FLOAT && r.tag === TAG_INT && r.kind === KIND_INT) {
    r.tag = TAG_FLOAT;
    r.kind = KIND_FLOAT;
    r.digits = undefined;
    return;
  }
  throw new YamlDecodeError(`cannot decode ${shortTag(r.tag)} \`${value}\` as a ${shortTag(tag)}`);
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest digits that round-trip as float32. */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const f32 = Math.fround(f);
  if (f32 === Infinity) return '+Inf';
  if (f32 === -Infinity) return '-Inf';
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const e = f32.toExponential(p - 1);
    if (Math.fround(Number(e)) === f32) {
      const [mant, ex] = e.split('e');
      digits = mant.replace('.', '').replace('-', '');
      exp = Number(ex);
      break;
    }
  }
  // Go ftoa.go %g with the shortest precision: %e when the exponent is < -4 or >= 6
  const eprec = 6;
  const sign = f32 < 0 ? '-' : '';
  if (exp < -4 || exp >= eprec) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const es = exp < 0 ? '-' : '+';
    const ea = Math.abs(exp);
    return `${sign}${m}e${es}${ea < 10 ? '0' + ea : ea}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * The JSON key sigs.k8s.io/yaml makes of a resolved mapping key, or an error message for the key
 * types it rejects (null, uint64).
 */
export function keyString(r: Resolved): string | { error: string } {
  switch (r.kind) {
    case KIND_STRING: return r.value as string;
    case KIND_BOOL: return r.value ? 'true' : 'false';
    case KIND_INT: return r.digits ?? String(r.value);
    case KIND_FLOAT: {
      const s = formatFloat32(r.value);
      return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
    }
    case KIND_UINT64: return { error: `unsupported map key of type: uint64, key: 0x${BigInt(r.digits!).toString(16)}` };
    default: return { error: 'unsupported map key of type: %!s(<nil>), key: <nil>' };
  }
}

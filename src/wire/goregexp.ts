/**
 * Go semantics that manifests depend on: RE2 regular expressions (Go `regexp`, which Cilium
 * uses for HTTP paths and methods and the API server for schema patterns) and Go's integer
 * syntax (strconv.ParseUint with base 0).
 */
// re2js ships ESM types with a CommonJS build; TypeScript's node16 resolution refuses the typed
// import from a CommonJS module, so the CommonJS build is required directly.
interface Re2 { compile(pattern: string): { matcher(s: string): { find(): boolean } } }
let re2: Re2 | undefined;
/** re2js (330 KB) is loaded on the first regular expression, not with the reader. */
function RE2(): Re2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (re2 ??= (require('re2js') as { RE2JS: Re2 }).RE2JS);
}

/** Why Go's regexp.Compile rejects `pattern`, or undefined when it compiles. */
export function compileGoRegExp(pattern: string): string | undefined {
  try {
    RE2().compile(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Go's regexp MatchString: true when `pattern` matches anywhere in `text` (unanchored, linear time). */
export function goRegExpMatches(pattern: string, text: string): boolean {
  return RE2().compile(pattern).matcher(text).find();
}

/** `pattern` compiled once (throws as Go's regexp.MustCompile would); the matcher is Go's MatchString. */
export function goRegExpMatcher(pattern: string): (text: string) => boolean {
  const re = RE2().compile(pattern);
  return (text: string) => re.matcher(text).find();
}

/** Go strconv underscoreOK: underscores only between digits or after a base prefix. */
function underscoreOk(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * strconv.ParseUint(s, 0, 16..64) as a number: `0x`/`0b`/`0o` prefixes, a leading `0` for octal,
 * `_` between digits; no sign. Undefined when Go reports a syntax error or the value is not a
 * safe integer.
 */
export function parseGoUint(s: string): number | undefined {
  if (s === '') return undefined;
  const s0 = s;
  let base = 10;
  let body = s;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1].toLowerCase() : '';
    if (p === 'b') base = 2;
    else if (p === 'o') base = 8;
    else if (p === 'x') base = 16;
    if (base !== 10) {body = s.slice(2);} else {
      base = 8;
      body = s.slice(1);
    }
  }
  let n = 0;
  let underscores = false;
  for (const c of body) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = /[0-9]/.test(c) ? c.charCodeAt(0) - 48 : /[a-zA-Z]/.test(c) ? c.toLowerCase().charCodeAt(0) - 87 : 99;
    if (d >= base) return undefined;
    n = n * base + d;
  }
  if (underscores && !underscoreOk(s0)) return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

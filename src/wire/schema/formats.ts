/**
 * Value syntaxes as the API server's Go code parses them. Each function follows one upstream
 * parser (cited); none is a "reasonable" approximation, because a value the cluster accepts or
 * rejects differently is a wrong answer.
 */

/** 0xFFFFFF: where Go's dtoi/xtoi give up (k8s.io/utils internal/third_party/forked/golang/net/parse.go). */
const BIG = 0xFFFFFF;

/** Go 1.16 net dtoi: decimal digits from the start; [value, digits read], or undefined without digits or at BIG. */
function dtoi(s: string): [number, number] | undefined {
  let n = 0;
  let i = 0;
  for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
    if (n >= BIG) return undefined;
  }
  return i === 0 ? undefined : [n, i];
}

/** Go 1.16 net xtoi: hexadecimal digits from the start. */
function xtoi(s: string): [number, number] | undefined {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    let d: number;
    if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
    else if (c >= 'a' && c <= 'f') d = c.charCodeAt(0) - 87;
    else if (c >= 'A' && c <= 'F') d = c.charCodeAt(0) - 55;
    else break;
    n = n * 16 + d;
    if (n >= BIG) return undefined;
  }
  return i === 0 ? undefined : [n, i];
}

/** Go 1.16 net parseIPv4, which k8s keeps as ParseIPSloppy: leading zeros allowed ("010" is 10). */
function sloppyIPv4(s: string): boolean {
  for (let i = 0; i < 4; i++) {
    if (s.length === 0) return false;
    if (i > 0) {
      if (s[0] !== '.') return false;
      s = s.slice(1);
    }
    const d = dtoi(s);
    if (!d || d[0] > 0xFF) return false;
    s = s.slice(d[1]);
  }
  return s.length === 0;
}

/** Go 1.16 net parseIPv6 (no zone), as forked in k8s.io/utils. */
function sloppyIPv6(s: string): boolean {
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return true;
  }
  let i = 0;
  while (i < 16) {
    const x = xtoi(s);
    if (!x || x[0] > 0xFFFF) return false;
    if (x[1] < s.length && s[x[1]] === '.') {
      if (ellipsis < 0 && i !== 12) return false;
      if (i + 4 > 16) return false;
      if (!sloppyIPv4(s)) return false;
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(x[1]);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return false;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return false;
  if (i < 16) return ellipsis >= 0;
  return ellipsis < 0;
}

/** k8s.io/utils/net ParseIPSloppy (Go 1.16 net.ParseIP): the first '.' or ':' decides the family. */
export function isSloppyIP(s: string): boolean {
  for (const c of s) {
    if (c === '.') return sloppyIPv4(s);
    if (c === ':') return sloppyIPv6(s);
  }
  return false;
}

/**
 * k8s.io/utils/net ParseCIDRSloppy (Go 1.16 net.ParseCIDR): what kube-openapi's `cidr` format
 * accepts in CRD schemas (pkg/validation/strfmt/default.go isCIDR). Host bits may be set; the
 * prefix length is decimal, leading zeros allowed.
 */
export function isSloppyCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  let bits = 32;
  if (!sloppyIPv4(addr)) {
    if (!sloppyIPv6(addr)) return false;
    bits = 128;
  }
  const d = dtoi(mask);
  return !!d && d[1] === mask.length && d[0] <= bits;
}

/** kube-openapi strfmt `ipv4`: ParseIPSloppy and the text contains a dot. */
export function isSloppyIPv4(s: string): boolean {
  return isSloppyIP(s) && s.includes('.');
}

/** Go net/netip parseIPv4Fields: exactly four decimal fields, no leading zeros, each at most 255. */
function netipIPv4(s: string): boolean {
  let val = 0;
  let digits = 0;
  let fields = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) return false;
      val = val * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (val > 255) return false;
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return false;
      if (fields === 3) return false;
      fields++;
      val = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return fields === 3 && digits > 0;
}

/** Go net/netip parseIPv6 without a zone; returns the 16 bytes, or undefined. */
function netipIPv6(s: string): number[] | undefined {
  const ip: number[] = new Array(16).fill(0);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s[off];
      let d: number;
      if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
      else if (c >= 'a' && c <= 'f') d = c.charCodeAt(0) - 87;
      else if (c >= 'A' && c <= 'F') d = c.charCodeAt(0) - 55;
      else break;
      if (off > 3) return undefined; // each field has at most four hex digits
      acc = acc * 16 + d;
    }
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      if (!netipIPv4(s)) return undefined;
      const parts = s.split('.').map(Number);
      for (let k = 0; k < 4; k++) ip[i + k] = parts[k];
      i += 4;
      s = '';
      break;
    }
    if (off === 0) return undefined;
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xFF;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') return undefined;
    if (s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return ip;
}

/**
 * CEL `isCIDR(self)` of the Kubernetes CEL library (k8s.io/apiserver pkg/cel/library/cidr.go
 * parseCIDR): Go netip.ParsePrefix (strict IPv4, no zone, prefix length without sign or leading
 * zero) and no IPv4-mapped IPv6 address.
 */
export function isCelCIDR(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const bitsText = s.slice(slash + 1);
  let maxBits: number;
  if (netipIPv4(addr)) {
    maxBits = 32;
  } else {
    // netip.ParseAddr: the first '.', ':' or '%' decides; an IPv4 text failed above.
    if (addr.includes('%') || !addr.includes(':')) return false;
    const firstColon = addr.indexOf(':');
    const firstDot = addr.indexOf('.');
    if (firstDot >= 0 && firstDot < firstColon) return false;
    const ip = netipIPv6(addr);
    if (!ip) return false;
    const mapped = ip.slice(0, 10).every(b => b === 0) && ip[10] === 0xFF && ip[11] === 0xFF;
    if (mapped) return false;
    maxBits = 128;
  }
  if (!/^(0|[1-9][0-9]*)$/.test(bitsText)) return false;
  return Number(bitsText) <= maxBits;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/**
 * metav1.Time.UnmarshalJSON: Go time.Parse(time.RFC3339, …). Go's strict RFC 3339 checks are
 * disabled (time/format_rfc3339.go parseStrictRFC3339), so the layout parser decides: a one- or
 * two-digit hour, a fraction after `.` or `,`, upper-case T and Z, an offset ±hh:mm up to 24:60.
 */
export function isGoRFC3339(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (!m) return false;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  return m[7] === undefined || (Number(m[7]) <= 24 && Number(m[8]) <= 60);
}

/**
 * kube-openapi strfmt IsDateTime (the CRD `date-time` format): case-insensitive split at `t`, a
 * valid full-date before it, and `hh:mm:ss`, an optional fraction and `z` or ±hh:mm after it.
 */
export function isOpenAPIDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2) return false;
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(parts[0]);
  if (!d || !validDate(Number(d[1]), Number(d[2]), Number(d[3]))) return false;
  const t = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1]);
  return !!t && t[1] <= '23' && t[2] <= '59' && t[3] <= '59';
}

const QUANTITY_SUFFIXES = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/**
 * resource.ParseQuantity (apimachinery pkg/api/resource/quantity.go parseQuantityString and the
 * suffixer): optional sign, digits, optional `.digits`, then a suffix (SI, binary, or e/E exponent).
 * Go accepts oddities such as `1.`, `.` and `+`; so does this.
 */
export function isQuantity(str: string): boolean {
  if (str.length === 0) return false;
  let pos = 0;
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < str.length && str[pos] === '0') pos++;
  if (pos >= str.length) return true;
  while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
  if (pos < str.length && str[pos] === '.') {
    pos++;
    while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
  }
  if (pos >= str.length) return true;
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (pos < str.length && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
  if (pos < str.length) return false;
  const suffix = str.slice(suffixStart);
  if (QUANTITY_SUFFIXES.has(suffix)) return true;
  // suffixer.interpret: e/E and a Go int64 exponent (strconv.ParseInt: optional sign, digits).
  return suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1)) &&
    BigInt(suffix.slice(1)) <= 9223372036854775807n && BigInt(suffix.slice(1)) >= -9223372036854775808n;
}

/** Go integer widths: what encoding/json accepts into int32 / int64 fields. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
/** ±2^63: the JS numbers that fit a Go int64 (doubles are exact at these magnitudes only in steps). */
export const INT64_LIMIT = 9223372036854775808;

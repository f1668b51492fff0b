/**
 * DNS names, DNS patterns and TLS server names as the Cilium 1.18 CRDs and Cilium accept them.
 *
 * The CRD patterns nest quantifiers (`^([-a-zA-Z0-9_]+[.]?)+$`), which the API server evaluates
 * with Go's linear-time RE2 but a backtracking engine (JavaScript's) in exponential time on a
 * near miss such as `"kubernetes-dashboard-metrics.svc:443"`. Each is rewritten below as the same
 * language without ambiguity (labels separated by single dots), which backtracks at most once per
 * character; test/cilium/dns-names.test.ts checks the rewrite against the CRD patterns under RE2.
 */
import { FQDN_MAX_LENGTH } from '../../wire/cilium/fqdn';
import { invalid } from '../errors';

/** CRD maxLength of matchName, matchPattern and serverNames items (Cilium's MaxFQDNLength, pkg/fqdn/matchpattern). */
const MAX_DNS_NAME_LENGTH = FQDN_MAX_LENGTH;

// toFQDNs[].matchName / rules.dns[].matchName: CRD `^([-a-zA-Z0-9_]+[.]?)+$` (pkg/policy/api/fqdn.go
// FQDNSelector.MatchName); Cilium's own check (allowedMatchNameChars `^[-a-zA-Z0-9_.]+$`) accepts a superset.
const DNS_NAME = /^[-a-zA-Z0-9_]+(?:\.[-a-zA-Z0-9_]+)*\.?$/;
// matchPattern: CRD `^([-a-zA-Z0-9_*]+[.]?)+$`; Cilium's prevalidate (pkg/fqdn/matchpattern) accepts a superset.
const DNS_PATTERN = /^[-a-zA-Z0-9_*]+(?:\.[-a-zA-Z0-9_*]+)*\.?$/;
// toPorts[].serverNames[]: CRD `^(\*?\*\.)?([-a-zA-Z0-9_]+\.?)+$` (pkg/policy/api/l4.go ServerName): a
// name, optionally behind one leading "*." (one label) or "**." (one or more labels).
const SERVER_NAME = /^(?:\*{1,2}\.)?[-a-zA-Z0-9_]+(?:\.[-a-zA-Z0-9_]+)*\.?$/;

const LABEL_CHAR = /[-a-zA-Z0-9_]/;

/** Position and text of the first character of `value` that is neither a dot nor `allowed`, for messages. */
function firstBadCharacter(value: string, allowed: RegExp): { index: number; text: string } | undefined {
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '.' && !allowed.test(value[i])) return { index: i, text: JSON.stringify(value[i]) };
  }
  return undefined;
}

/** Checks type and emptiness; returns the string. */
function checkString(field: string, value: unknown, example: string): string {
  if (typeof value !== 'string') throw invalid(field, value, 'is not a string', `give a DNS name such as ${example}`);
  if (value.length === 0) throw invalid(field, value, 'is empty', `give a DNS name such as ${example}`);
  return value;
}

/**
 * The CRD's maxLength, checked once the characters are known to be ASCII (where JSON-schema
 * code points and string length agree); returns the string.
 */
function checkLength(field: string, value: string): string {
  if (value.length > MAX_DNS_NAME_LENGTH) {
    throw invalid(field, `${value.slice(0, 40)}…`, `is ${value.length} characters long, more than the CRD's ${MAX_DNS_NAME_LENGTH}`,
      `shorten it to at most ${MAX_DNS_NAME_LENGTH} characters`);
  }
  return value;
}

/** Why the dot-separated name `part` of `value`, a `kind` such as "DNS name", failed (empty label or a bad character). */
function explainLabels(field: string, value: string, kind: string, allowed: RegExp, allowedText: string, part = value): Error {
  if (part.startsWith('.') || part.includes('..')) {
    return invalid(field, value, `is not a valid ${kind}: it has an empty label (a leading "." or "..")`, 'remove the extra "."');
  }
  const bad = firstBadCharacter(part, allowed);
  if (bad) {
    const fix = bad.text === '":"'
      ? 'give the name without a port (ports go in toPorts(...)) or scheme'
      : bad.text === '"*"'
        ? 'use the pattern factory for wildcards, e.g. Fqdn.pattern("*.example.com") or L7Dns.pattern("*.example.com")'
        : `use only ${allowedText} and single dots`;
    return invalid(field, value, `is not a valid ${kind}: it has ${bad.text} (character ${value.length - part.length + bad.index + 1})`, fix);
  }
  return invalid(field, value, `is not a valid ${kind}`, `use ${allowedText} and single dots, e.g. "api.example.com"`);
}

/** A `matchName` (toFQDNs, DNS rules): labels of letters, digits, "-" and "_", single dots, optional trailing dot. @internal */
export function validateDnsName(field: string, name: string): string {
  const value = checkString(field, name, '"api.example.com"');
  if (!DNS_NAME.test(value)) throw explainLabels(field, value, 'DNS name', LABEL_CHAR, 'letters, digits, "-", "_"');
  return checkLength(field, value);
}

/** A `matchPattern` (toFQDNs, DNS rules): a DNS name in which "*" may stand anywhere. @internal */
export function validateDnsPattern(field: string, pattern: string): string {
  const value = checkString(field, pattern, '"*.example.com"');
  if (!DNS_PATTERN.test(value)) throw explainLabels(field, value, 'DNS pattern', /[-a-zA-Z0-9_*]/, 'letters, digits, "-", "_", "*"');
  return checkLength(field, value);
}

/** A TLS server name (`serverNames`): a DNS name, optionally after a leading "*." or "**.". @internal */
export function validateServerName(field: string, name: string): string {
  const value = checkString(field, name, '"api.example.com"');
  if (SERVER_NAME.test(value)) return checkLength(field, value);
  const stars = /^\**/.exec(value)![0].length;
  const rest = value.slice(stars);
  if (stars > 0 && (stars > 2 || !rest.startsWith('.') || rest === '.')) {
    throw invalid(field, value, 'is not a valid server name: it has a wildcard other than a leading "*." or "**."',
      'use a leading "*." (exactly one label, e.g. "*.example.com") or "**." (one or more labels), followed by a name');
  }
  const afterWildcard = stars > 0 ? rest.slice(1) : value;
  if (afterWildcard.includes('*')) {
    throw invalid(field, value, 'is not a valid server name: it has a "*" that is not a leading "*." or "**.", the only wildcards server names allow',
      'put the wildcard first, e.g. "*.example.com", or list the names');
  }
  throw explainLabels(field, value, 'server name', LABEL_CHAR, 'letters, digits, "-", "_"', afterWildcard);
}

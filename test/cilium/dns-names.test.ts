// DNS names, DNS patterns and server names: the linear-time checks accept exactly the strings the
// CRD patterns accept under RE2 (the API server's engine), and say why a string is rejected.
import * as fc from 'fast-check';
import { CiliumNetworkPolicy, Endpoints, Entity, Fqdn, L7Dns } from '../../src';
import { validateDnsName, validateDnsPattern, validateServerName } from '../../src/model/cilium/dns-names';
import { goRegExpMatcher } from '../../src/wire/goregexp';
import { expectError, newChart } from '../util';

// The patterns of the Cilium sources the CRD is generated from: pkg/policy/api/fqdn.go
// FQDNMatchNameRegexString / FQDNMatchPatternRegexString, and the ServerName kubebuilder marker of
// pkg/policy/api/l4.go. conformance/dns-names.test.ts checks them against ../shared's CRD schemas.
const CRD_MATCH_NAME = goRegExpMatcher('^([-a-zA-Z0-9_]+[.]?)+$');
const CRD_MATCH_PATTERN = goRegExpMatcher('^([-a-zA-Z0-9_*]+[.]?)+$');
const CRD_SERVER_NAME = goRegExpMatcher('^(\\*?\\*\\.)?([-a-zA-Z0-9_]+\\.?)+$');

const SEED = 20240611;

function accepts(validate: (field: string, value: string) => string, value: string): boolean {
  try {
    validate('f', value);
    return true;
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error || !e.message.startsWith('f: ')) throw e;
    return false;
  }
}

/** Strings over the characters that matter to these grammars, plus a few that never belong. */
const nameLike = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '*', ':', ' ', 'é'), maxLength: 12 });

describe('linear-time DNS checks accept exactly the CRD patterns (RE2), up to the 255-character maxLength', () => {
  const cases: [string, (f: string, v: string) => string, (s: string) => boolean][] = [
    ['matchName', validateDnsName, CRD_MATCH_NAME],
    ['matchPattern', validateDnsPattern, CRD_MATCH_PATTERN],
    ['serverNames', validateServerName, CRD_SERVER_NAME],
  ];
  test.each(cases)('%s', (_name, validate, crd) => {
    fc.assert(fc.property(nameLike, s => accepts(validate, s) === crd(s)), { seed: SEED, numRuns: 3000 });
  });

  test.each(cases)('%s: at most 255 characters (CRD maxLength)', (_name, validate) => {
    expect(accepts(validate, 'a'.repeat(255))).toBe(true);
    expect(accepts(validate, `${'a'.repeat(253)}.`)).toBe(true);
    expect(accepts(validate, 'a'.repeat(256))).toBe(false);
  });
});

describe('near misses that make nested quantifiers backtrack exponentially are rejected (results, not timing)', () => {
  // Each input has a long run the CRD patterns' `([-a-zA-Z0-9_]+[.]?)+` can split in 2^n ways,
  // followed by a character that makes the whole match fail.
  const nearMisses = [
    'kubernetes-dashboard-metrics.svc:443',
    `${'a'.repeat(254)}:`,
    `${'a-'.repeat(127)}!`,
    `${'ab.'.repeat(84)}a!`,
    `${'_'.repeat(200)}.${'9'.repeat(50)} `,
  ];
  test.each(nearMisses)('%#', value => {
    expect(accepts(validateDnsName, value)).toBe(false);
    expect(accepts(validateDnsPattern, value)).toBe(false);
    expect(accepts(validateServerName, value)).toBe(false);
    expect(accepts(validateServerName, `**.${value}`)).toBe(false);
  });

  test('a pattern of stars and a name behind "**." that fail only at the last character', () => {
    expect(accepts(validateDnsPattern, `${'*'.repeat(254)}?`)).toBe(false);
    expect(accepts(validateDnsPattern, `${'*a'.repeat(127)}.`)).toBe(true);
    expect(accepts(validateServerName, `**.${'a'.repeat(251)}`)).toBe(true);
    expect(accepts(validateServerName, `**.${'a'.repeat(250)}/`)).toBe(false);
  });
});

describe('messages name the field, the value and the fix', () => {
  test('a name with a port', () => {
    expectError(() => Fqdn.named('kubernetes-dashboard-metrics.svc:443'), 'Fqdn.named: "kubernetes-dashboard-metrics.svc:443"',
      'is not a valid DNS name', '":" (character 33)', 'without a port');
  });

  test('a wildcard in an exact name points to the pattern factory', () => {
    expectError(() => L7Dns.named('*.example.com'), 'L7Dns.named', '"*" (character 1)', 'L7Dns.pattern("*.example.com")');
  });

  test('empty labels, empty strings, non-strings and long names', () => {
    expectError(() => Fqdn.pattern('.example.com'), 'Fqdn.pattern', 'empty label', 'remove the extra "."');
    expectError(() => L7Dns.pattern(''), 'L7Dns.pattern: "" is empty', '"*.example.com"');
    expectError(() => Fqdn.named(42 as any), 'Fqdn.named: 42 is not a string');
    expectError(() => Fqdn.named(`${'a'.repeat(300)}`), 'Fqdn.named', 'is 300 characters long', 'at most 255');
  });

  test('server names: only a leading "*." or "**."', () => {
    const rule = () => new CiliumNetworkPolicy(newChart(), 'p', { endpointSelector: Endpoints.all() }).allowTo(Entity.WORLD).toPort(443);
    expectError(() => rule().serverNames('*.*'), 'serverNames[0]: "*.*"', 'not a leading "*." or "**."', '"*.example.com"');
    expectError(() => rule().serverNames('9*_0.9-9.'), 'serverNames[0]: "9*_0.9-9."', 'not a leading "*." or "**."');
    expectError(() => rule().serverNames('***.example.com'), 'wildcard other than a leading "*." or "**."');
    expectError(() => rule().serverNames('*example.com'), 'wildcard other than a leading "*." or "**."');
    expectError(() => rule().serverNames('*'), 'wildcard other than a leading "*." or "**."');
    expectError(() => rule().serverNames('*.exa mple.com'), '" " (character 6)');
    expectError(() => rule().serverNames('api.example.com', 'api.example.com'), '"api.example.com" is listed twice');
  });

  test('accepted server names are written as given; a rejected call leaves the rule unchanged', () => {
    const chart = newChart();
    const r = new CiliumNetworkPolicy(chart, 'p', { endpointSelector: Endpoints.all() }).allowTo(Entity.WORLD).toPort(443);
    expectError(() => r.serverNames('a.example.com', 'b..example.com'), 'serverNames[1]');
    r.serverNames('*.example.com', '**.example.org', 'example.net.');
    expect(r._toModel().serverNames).toEqual(['*.example.com', '**.example.org', 'example.net.']);
  });
});

import {
  validateDns1123Label, validateDns1123Subdomain, validatedLabels, validateLabelKey, validateLabelValue,
} from '../../src/model/names';
import { expectError } from '../util';

// Rules of k8s.io/apimachinery/pkg/util/validation: IsDNS1123Label, IsDNS1123Subdomain,
// IsQualifiedName (label and annotation keys), IsValidLabelValue.

describe('DNS-1123 label (IsDNS1123Label: namespaces)', () => {
  test.each(['a', 'kube-system', '0abc', 'a'.repeat(63)])('accepts %p', name => {
    expect(() => validateDns1123Label('f', name)).not.toThrow();
  });
  test('rejects empty', () => expectError(() => validateDns1123Label('ns', ''), 'ns: "" is empty', 'RFC 1123 label'));
  test('rejects more than 63 characters', () => expectError(() => validateDns1123Label('ns', 'a'.repeat(64)), 'ns:', 'is 64 characters long', 'at most 63'));
  test.each(['Prod', 'a.b', '-a', 'a-', 'a_b', 'a b'])('rejects %p', name => {
    expectError(() => validateDns1123Label('ns', name), `ns: ${JSON.stringify(name)}`, 'is not a valid RFC 1123 label', 'lowercase letters, digits and "-"');
  });
});

describe('DNS-1123 subdomain (IsDNS1123Subdomain: object names, key prefixes)', () => {
  test.each(['a', 'a.b', 'allow-web.v1', 'a'.repeat(253)])('accepts %p', name => {
    expect(() => validateDns1123Subdomain('f', name)).not.toThrow();
  });
  test('rejects empty', () => expectError(() => validateDns1123Subdomain('name', ''), 'name: "" is empty'));
  test('rejects more than 253 characters', () => expectError(() => validateDns1123Subdomain('name', 'a'.repeat(254)), 'is 254 characters long', 'at most 253'));
  test.each(['A', 'a..b', '.a', 'a.', 'a_b', 'a/b'])('rejects %p', name => {
    expectError(() => validateDns1123Subdomain('name', name), `name: ${JSON.stringify(name)}`, 'is not a valid RFC 1123 subdomain', '"-" and "."');
  });
});

describe('label keys (IsQualifiedName)', () => {
  test.each(['app', 'App_1.x-y', 'example.com/tier', 'kubernetes.io/metadata.name', `${'a'.repeat(253)}/${'b'.repeat(63)}`])('accepts %p', key => {
    expect(() => validateLabelKey('k', key)).not.toThrow();
  });
  test('rejects an empty key', () => expectError(() => validateLabelKey('k', ''), 'k: "" is an empty label key'));
  test('rejects more than one "/"', () => expectError(() => validateLabelKey('k', 'a/b/c'), '"a/b/c"', 'more than one "/"', '"prefix/name"'));
  test.each(['/a', 'Example.com/a', 'exa_mple.com/a', `${'a'.repeat(254)}/a`])('rejects the bad prefix of %p', key => {
    expectError(() => validateLabelKey('k', key), 'has an invalid prefix', 'lowercase DNS subdomain');
  });
  test.each(['example.com/', 'a'.repeat(64)])('rejects the empty or too long name part of %p', key => {
    expectError(() => validateLabelKey('k', key), 'name part that is empty or longer than 63', '1 to 63 characters');
  });
  test.each(['-a', 'a-', '_a', 'a b', 'a$'])('rejects the bad name %p', key => {
    expectError(() => validateLabelKey('k', key), 'is not a valid label key', 'starting and ending with a letter or digit');
  });
});

describe('label values (IsValidLabelValue)', () => {
  test.each(['', 'a', 'A_b.c-D', '1', 'x'.repeat(63)])('accepts %p', v => {
    expect(() => validateLabelValue('v', v)).not.toThrow();
  });
  test('rejects more than 63 characters', () => expectError(() => validateLabelValue('v', 'x'.repeat(64)), 'is 64 characters long', 'at most 63'));
  test.each(['-a', 'a.', 'a b', 'a/b', 'é'])('rejects %p', v => {
    expectError(() => validateLabelValue('v', v), `v: ${JSON.stringify(v)} is not a valid label value`, 'or the empty string');
  });
  test('rejects numbers and booleans (YAML would not quote them)', () => {
    expectError(() => validateLabelValue('v', 3 as any), 'v: 3 is not a string', 'quote numbers and booleans');
  });
});

describe('label maps', () => {
  test('are copied with sorted keys', () => {
    expect(Object.keys(validatedLabels('m', { 'b': '1', 'a': '2', 'x.io/c': '3' }))).toEqual(['a', 'b', 'x.io/c']);
  });
  test('reject a non-map', () => {
    expectError(() => validatedLabels('m', ['a'] as any), 'm: ["a"] is not a map of labels', '{ app: "web" }');
    expectError(() => validatedLabels('m', null as any), 'is not a map of labels');
  });
  test('name the offending key', () => expectError(() => validatedLabels('m', { app: 'a b' }), 'm["app"]: "a b"'));
});

describe('validity cache', () => {
  test('a remembered valid key or value does not make a bad one pass', () => {
    validateLabelKey('k', 'cache-key');
    validateLabelValue('v', 'cache-value');
    expectError(() => validateLabelKey('k', 'cache key'), 'is not a valid label key');
    expectError(() => validateLabelValue('v', 'cache value'), 'is not a valid label value');
    expectError(() => validateLabelValue('v', 'cache value'), 'is not a valid label value');
  });
});

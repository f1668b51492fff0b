// The linear-time DNS checks of the constructs (src/model/cilium/dns-names.ts) against the patterns
// and maxLengths of the Cilium 1.18 CRD schemas in ../shared, evaluated with RE2 as the API server
// does: for strings over the characters that matter, accepted exactly when the schema accepts.
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { SHARED } from './schema-validator';
import { validateDnsName, validateDnsPattern, validateServerName } from '../src/model/cilium/dns-names';
import { goRegExpMatcher } from '../src/wire/goregexp';

const SEED = 20240612;

/** Every (pattern, maxLength) the CNP schema puts on a property named `name` (items of arrays included). */
function schemaRules(name: string): { pattern: string; maxLength?: number }[] {
  const schema = JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas', 'cilium-v1.18', 'ciliumnetworkpolicy_v2.json'), 'utf8'));
  const found = new Map<string, { pattern: string; maxLength?: number }>();
  const walk = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries<any>(node.properties ?? {})) {
      const leaf = key === name ? (value.type === 'array' ? value.items : value) : undefined;
      if (leaf?.pattern) found.set(`${leaf.pattern}/${leaf.maxLength}`, { pattern: leaf.pattern, maxLength: leaf.maxLength });
    }
    Object.values(node).forEach(walk);
  };
  walk(schema);
  return [...found.values()];
}

function accepts(validate: (field: string, value: string) => string, value: string): boolean {
  try {
    validate('f', value);
    return true;
  } catch {
    return false;
  }
}

const units = fc.constantFrom('a', 'Z', '0', '-', '_', '.', '*', ':', ' ', 'é', '\\');
const strings = fc.oneof(
  fc.string({ unit: units, maxLength: 12 }),
  fc.tuple(fc.string({ unit: units, maxLength: 4 }), fc.integer({ min: 250, max: 260 })).map(([s, n]) => `${s}${'a'.repeat(n - s.length)}`),
);

describe.each([
  ['matchName', validateDnsName],
  ['matchPattern', validateDnsPattern],
  ['serverNames', validateServerName],
] as const)('%s', (field, validate) => {
  const rules = schemaRules(field);

  test('the schema has one rule for it, with a pattern and a maxLength of 255', () => {
    expect(rules).toHaveLength(1);
    expect(rules[0].maxLength).toBe(255);
  });

  test('accepted exactly when the schema accepts (RE2 pattern, as the API server evaluates it, and maxLength)', () => {
    const matches = goRegExpMatcher(rules[0].pattern);
    // JSON-schema maxLength counts code points; the patterns only admit ASCII, where that is the string length.
    const schemaAccepts = (s: string) => matches(s) && [...s].length <= rules[0].maxLength!;
    fc.assert(fc.property(strings, s => accepts(validate, s) === schemaAccepts(s)), { seed: SEED, numRuns: 5000 });
  });
});

// The rule iterator the checks share: which rules it visits, in which order, with which paths;
// and the order of findings.
import * as fc from 'fast-check';
import { cnp, np } from './helpers';
import { fromObjects } from '../../src/analysis/load';
import { buildContext, policyRules, sortFindings } from '../../src/lint/context';
import { LintFinding, LintSeverity } from '../../src/lint/types';
import { readDocuments } from '../../src/wire/reader';

const visit = (manifests: any[], options?: Parameters<typeof policyRules>[1]) =>
  policyRules(buildContext(readDocuments(fromObjects(manifests).documents), {}).policies, options).map(r => `${r.policy.name} ${r.field} ${r.peerKey}`);

test('policy by policy, direction by direction, in manifest order; Cilium deny lists too; Cilium specs each with its path', () => {
  const k8s = np('k', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}], ingress: [{}, {}] });
  const cilium = cnp('c', { endpointSelector: {}, egressDeny: [{}], ingress: [{}] });
  const multi = { ...cnp('m', undefined), specs: [{ endpointSelector: {}, egress: [{}] }, { endpointSelector: {}, ingressDeny: [{}] }] };
  expect(visit([k8s, cilium, multi])).toEqual([
    'k spec.ingress[0] from', 'k spec.ingress[1] from', 'k spec.egress[0] to',
    'c spec.ingress[0] fromEndpoints', 'c spec.egressDeny[0] toEndpoints',
    'm specs[0].egress[0] toEndpoints', 'm specs[1].ingressDeny[0] fromEndpoints',
  ]);
});

test('isolatedOnly drops the Kubernetes directions policyTypes does not isolate; directions narrows the lists', () => {
  const k8s = np('k', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}], ingress: [{}] });
  const cilium = cnp('c', { endpointSelector: {}, egress: [{}], ingressDeny: [{}] });
  expect(visit([k8s, cilium], { isolatedOnly: true })).toEqual(['k spec.ingress[0] from', 'c spec.egress[0] toEndpoints', 'c spec.ingressDeny[0] fromEndpoints']);
  expect(visit([k8s, cilium], { directions: ['egress'] })).toEqual(['k spec.egress[0] to', 'c spec.egress[0] toEndpoints']);
});

/** The order findings had before sortFindings compared them field by field: by their texts joined with NUL. */
function joinedOrder(findings: LintFinding[]): LintFinding[] {
  const key = (f: LintFinding) => [f.file ?? '', String(f.line ?? 0).padStart(9, '0'), f.object.namespace ?? '', f.object.kind, f.object.name,
    f.field, f.checkId, f.message].join('\u0000');
  return findings.map(f => ({ f, k: key(f) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map(x => x.f);
}

test('findings are sorted as by their texts joined with NUL: prefixes, NULs in texts, lines of any length, equal findings in input order', () => {
  // few short texts, so that findings share prefixes and tie; NUL and "\u0001" sort before every other letter
  const text = fc.constantFrom('', 'a', 'b', 'ab', 'a\u0000', 'a\u0000b', '\u0001');
  // the object and field from two values each, so that many findings tie up to the message
  const few = fc.constantFrom('a', 'ab');
  const finding = fc.record({
    file: fc.option(text, { nil: undefined }),
    line: fc.option(fc.constantFrom(0, 1, 10, 999_999_999, 1_000_000_000, 12_345_678_901), { nil: undefined }),
    namespace: fc.option(few, { nil: undefined }),
    kind: few,
    name: few,
    field: few,
    checkId: fc.constantFrom('NP001', 'NP002'),
    message: text,
  }).map(r => ({
    checkId: r.checkId,
    severity: LintSeverity.WARNING,
    field: r.field,
    message: r.message,
    fix: 'f',
    object: r.namespace === undefined ? { kind: r.kind, name: r.name } : { kind: r.kind, namespace: r.namespace, name: r.name },
    ...(r.file !== undefined ? { file: r.file } : {}),
    ...(r.line !== undefined ? { line: r.line } : {}),
  }) as LintFinding);
  fc.assert(fc.property(fc.array(finding, { maxLength: 30 }), findings => {
    expect(sortFindings(findings)).toEqual(joinedOrder(findings));
  }), { numRuns: 500 });
  // without NULs and long lines, the field-by-field comparison is the one used
  const plain = fc.array(finding.filter(f => !JSON.stringify(f).includes('\\u0000') && (f.line ?? 0) < 1e9), { maxLength: 30 });
  fc.assert(fc.property(plain, findings => {
    const sorted = sortFindings(findings);
    expect(sorted).toEqual(joinedOrder(findings));
    sorted.forEach((f, i) => expect(sorted.indexOf(f)).toBe(i));
  }), { numRuns: 500 });
});

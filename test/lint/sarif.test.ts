// lint --format sarif: a SARIF 2.1.0 log, validated against the OASIS SARIF 2.1.0 JSON schema
// (sarif-2.1.0-rtm.5.json as shipped by the @microsoft/jest-sarif package; JSON Schema draft-04).
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { runLintCommand } from '../../src/cli/lint';
import { Linter } from '../../src/lint';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// unicodeRegExp off: the schema's language pattern has a stray "]", which only non-unicode regular expressions accept
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const FIXTURES = path.join(__dirname, 'fixtures');

function sarif(paths: string[]): any {
  const r = runLintCommand(paths, { format: 'sarif', toolVersion: '1.2.3' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('SARIF', () => {
  test('the schema accepts the log of a lint with findings of every severity', () => {
    const log = sarif([path.join(FIXTURES, 'mistakes.yaml'), path.join(FIXTURES, 'shop')]);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(log.runs[0].results.map((r: any) => r.level)).toEqual(expect.arrayContaining(['error', 'warning']));
  });

  test('the schema rejects a broken log (the check can fail)', () => {
    const log = sarif([path.join(FIXTURES, 'mistakes.yaml')]);
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  test('results carry the rule, the file relative to the working directory, the line and the object', () => {
    const report = Linter.lintFiles([path.join(FIXTURES, 'mistakes.yaml')]);
    const log = JSON.parse(Linter.formatSarif(report, { toolVersion: '1.2.3', baseDirectory: path.join(__dirname, '..', '..') }));
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'cdk8s-netpol', version: '1.2.3' });
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(Linter.checks().map((c) => c.id));
    const f = report.findings[0];
    const r = run.results[0];
    expect(r.ruleId).toBe(f.checkId);
    expect(run.tool.driver.rules[r.ruleIndex].id).toBe(f.checkId);
    expect(r.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f.severity]);
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/lint/fixtures/mistakes.yaml' }, region: { startLine: f.line } });
    expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toBe(`${f.object.kind} ${f.object.namespace}/${f.object.name} ${f.field}`);
    expect(r.message.text).toBe(`${f.object.kind} ${f.object.namespace}/${f.object.name} ${f.field}: ${f.message} (fix: ${f.fix})`);
    expect(run.results).toHaveLength(report.findings.length + report.suppressed.length);
  });

  test('suppressed findings are results with an in-source suppression', () => {
    const report = Linter.lintManifests([{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'e', namespace: 'x', annotations: { 'cdk8s-netpol.io/lint-ignore': 'NP001: DNS is allowed elsewhere' } },
      spec: { podSelector: {}, policyTypes: ['Egress'] }, // denies all egress, DNS included: NP001
    }]);
    expect(report.suppressed.map((f) => f.checkId)).toContain('NP001');
    const log = JSON.parse(Linter.formatSarif(report));
    expect(validate(log)).toBe(true);
    const r = log.runs[0].results.find((x: any) => x.ruleId === 'NP001');
    expect(r.suppressions).toEqual([{ kind: 'inSource' }]);
    expect(r.locations[0].physicalLocation).toBeUndefined(); // not read from a file
  });
});

/**
 * The lint report as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the format
 * code-scanning services read: one run, the checks as rules, each finding a result with its file
 * and line and the object as a logical location; suppressed findings are results with an in-source
 * suppression (the `cdk8s-netpol.io/lint-ignore` annotation).
 */
import * as path from 'path';
import { LintCheckInfo, LintFinding, LintReport, LintSeverity, SarifOptions } from './types';

const LEVEL: Record<string, string> = { [LintSeverity.ERROR]: 'error', [LintSeverity.WARNING]: 'warning', [LintSeverity.INFO]: 'note' };

/** A file path as a SARIF URI: relative to the base with `/` separators, or a `file://` URI outside it. */
function artifactUri(file: string, base: string): string {
  const abs = path.resolve(base, file);
  const rel = path.relative(base, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).map(encodeURIComponent).join('/');
  return `file://${abs.split(path.sep).map(encodeURIComponent).join('/')}`;
}

function result(f: LintFinding, rules: Map<string, number>, base: string, suppressed: boolean): any {
  const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
  const location: any = { logicalLocations: [{ fullyQualifiedName: `${obj} ${f.field}`.trim(), kind: 'object' }] };
  if (f.file) {
    location.physicalLocation = { artifactLocation: { uri: artifactUri(f.file, base) }, ...(f.line ? { region: { startLine: f.line } } : {}) };
  }
  return {
    ruleId: f.checkId,
    ...(rules.has(f.checkId) ? { ruleIndex: rules.get(f.checkId) } : {}),
    level: LEVEL[f.severity] ?? 'warning',
    message: { text: `${obj} ${f.field}: ${f.message} (fix: ${f.fix})` },
    locations: [location],
    ...(suppressed ? { suppressions: [{ kind: 'inSource' }] } : {}),
  };
}

/** The SARIF log of a lint report (stable order: rules by id, results as in the report). */
export function toSarif(report: LintReport, checks: LintCheckInfo[], options: SarifOptions = {}): any {
  const base = options.baseDirectory ?? process.cwd();
  const rules = new Map(checks.map((c, i) => [c.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-netpol',
          ...(options.toolVersion ? { version: options.toolVersion } : {}),
          rules: checks.map((c) => ({
            id: c.id,
            name: c.name,
            shortDescription: { text: c.description },
            defaultConfiguration: { level: LEVEL[c.severity] ?? 'warning' },
            properties: { kinds: c.kinds, needsWorkloads: c.needsWorkloads },
          })),
        },
      },
      results: [
        ...report.findings.map((f) => result(f, rules, base, false)),
        ...report.suppressed.map((f) => result(f, rules, base, true)),
      ],
    }],
  };
}

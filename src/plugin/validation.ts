/**
 * A cdk8s validation plugin (cdk8s-cli `validations:` in cdk8s.yaml; cdk8s-cli plugins/validation.ts,
 * the `Validation` interface): `cdk8s synth` hands it the synthesised manifests, and it reports the
 * network policy lint's findings (and, optionally, expected verdicts that do not hold) as
 * violations, failing the synth when one reaches `failOn`.
 *
 *   validations:
 *     - package: cdk8s-netpol
 *       version: 1.2.3          # cdk8s-cli requires a pinned version
 *       class: NetworkPolicyValidation
 *       properties: { failOn: warning, expectations: policy-expectations.yaml }
 */
import * as path from 'path';
import { ConnectivityAnalysis, ConnectivityExpectations } from '../analysis';
import { Linter, LintFinding, LintSeverity } from '../lint';

/** Properties of the validation plugin (cdk8s.yaml `validations[].properties`). */
export interface NetworkPolicyValidationProps {
  /**
   * The lowest severity that fails the synth: `error`, `warning` or `info`.
   * @default "error"
   */
  readonly failOn?: string;
  /**
   * Check ids not to run.
   * @default - every check runs
   */
  readonly disabledChecks?: string[];
  /**
   * The Cilium version the policies target (`major.minor`).
   * @default "1.18"
   */
  readonly ciliumVersion?: string;
  /**
   * An expectations file (README "Checking expected verdicts"), relative to the folder `cdk8s
   * synth` runs in; an expectation that does not hold fails the synth.
   * @default - none
   */
  readonly expectations?: string;
  /**
   * More manifest files or folders (e.g. workloads deployed by other tools) read with the
   * synthesised ones, relative to the folder `cdk8s synth` runs in.
   * @default - none
   */
  readonly extraManifests?: string[];
}

const SEVERITIES: string[] = [LintSeverity.ERROR, LintSeverity.WARNING, LintSeverity.INFO];

function rank(s: string): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** The violations of one rule, in cdk8s-cli's ValidationViolation shape. */
interface Violation {
  ruleName: string;
  recommendation: string;
  fix: string;
  violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
}

function violationsOf(findings: LintFinding[]): Violation[] {
  const checks = new Map(Linter.checks().map((c) => [c.id, c]));
  const byRule = new Map<string, { findings: LintFinding[] }>();
  for (const f of findings) {
    const g = byRule.get(f.checkId) ?? { findings: [] };
    g.findings.push(f);
    byRule.set(f.checkId, g);
  }
  return [...byRule.entries()].map(([id, g]) => {
    const info = checks.get(id);
    const resources = new Map<string, Violation['violatingResources'][0]>();
    for (const f of g.findings) {
      const key = `${f.file ?? ''}|${f.object.kind}|${f.object.namespace ?? ''}|${f.object.name}`;
      const r = resources.get(key) ?? { resourceName: f.object.name, locations: [], manifestPath: f.file ?? '' };
      r.locations.push(`${f.line ? `line ${f.line}: ` : ''}${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${f.field}: ${f.message}`);
      resources.set(key, r);
    }
    return {
      ruleName: `${id} ${info?.name ?? ''} (${g.findings[0].severity})`.replace('  ', ' '),
      recommendation: info?.description ?? g.findings[0].message,
      fix: [...new Set(g.findings.map((f) => f.fix))].join('; '),
      violatingResources: [...resources.values()],
    };
  });
}

/**
 * The network policy lint as a cdk8s validation plugin: list it under `validations:` in cdk8s.yaml
 * and `cdk8s synth` lints the synthesised manifests (README "cdk8s validation plugin").
 */
export class NetworkPolicyValidation {
  private readonly props: NetworkPolicyValidationProps;

  /** cdk8s-cli constructs the plugin with the `properties` of its cdk8s.yaml entry. */
  constructor(props: NetworkPolicyValidationProps = {}) {
    const failOn = props.failOn ?? LintSeverity.ERROR;
    if (!SEVERITIES.includes(failOn)) throw new Error(`NetworkPolicyValidation.failOn: "${failOn}" is not a severity; use one of ${SEVERITIES.join(', ')}`);
    if (props.extraManifests !== undefined && (!Array.isArray(props.extraManifests) || props.extraManifests.some((p) => typeof p !== 'string'))) {
      throw new Error(`NetworkPolicyValidation.extraManifests: ${JSON.stringify(props.extraManifests)} is not a list of paths; write e.g. [workloads/]`);
    }
    this.props = props;
  }

  /**
   * Runs the lint (and the expectations) on the manifests of a cdk8s-cli validation context
   * (`context.manifests`, `context.report`), and submits the report.
   */
  public async validate(context: any): Promise<void> {
    const manifests: string[] = [...(context?.manifests ?? []), ...(this.props.extraManifests ?? []).map((p) => path.resolve(p))];
    const failOn = this.props.failOn ?? LintSeverity.ERROR;
    const report = Linter.lintFiles(manifests, { disabledChecks: this.props.disabledChecks, ciliumVersion: this.props.ciliumVersion });
    const violations = violationsOf(report.findings);
    let failed = report.findings.some((f) => f.checkId === 'LINT000' || rank(f.severity) >= rank(failOn));
    let expectationsMet = '';
    if (this.props.expectations !== undefined) {
      const expectations = ConnectivityExpectations.fromFile(path.resolve(this.props.expectations));
      const results = expectations.check(ConnectivityAnalysis.fromFiles(manifests));
      const missed = results.filter((r) => !r.passed);
      expectationsMet = `${results.length - missed.length}/${results.length}`;
      if (missed.length) {
        failed = true;
        const lines = ConnectivityExpectations.formatReport(missed).trimEnd().split('\n').slice(0, -1);
        violations.push({
          ruleName: 'expected verdicts',
          recommendation: `connections in ${this.props.expectations} are not allowed or denied as expected`,
          fix: 'change the policies, or the expectation when the change is intended',
          violatingResources: [{ resourceName: this.props.expectations, locations: lines, manifestPath: path.resolve(this.props.expectations) }],
        });
      }
    }
    for (const v of violations) context.report.addViolation(v);
    context.report.submit(failed ? 'failure' : 'success', {
      errors: String(report.errorCount),
      warnings: String(report.warningCount),
      failOn,
      ...(expectationsMet ? { expectations: expectationsMet } : {}),
    });
  }
}

import { createHash } from 'crypto';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Linter } from './linter';
import { LINT_IGNORE_ANNOTATION, LintFinding, LintOptions, LintReport, LintSeverity } from './types';
import { CiliumVersion } from '../model/cilium/versions';
import { onPolicyConstruct } from '../model/policy-hooks';

/** Options of `Lint.enable`. */
export interface LintEnableOptions extends LintOptions {
  /**
   * Print warning (and info) findings to stderr at synth.
   * @default true
   */
  readonly printWarnings?: boolean;

  /**
   * Minimum severity that fails synth.
   * @default LintSeverity.ERROR
   */
  readonly failOn?: LintSeverity;
}

const LINT_ID = 'cdk8s-netpol-lint';

/**
 * Runs the network policy lint when cdk8s validates (at `app.synth()`, `chart.toJson()`,
 * `Testing.synth()`): error findings fail synth with their field and fix, warnings are printed.
 *
 * Enabled on a chart (or, with an App, on every chart of the app together, so cross-chart checks
 * such as "is DNS allowed" see all policies) by `Lint.enable`; every pattern and recipe enables it on
 * its chart, and so does every policy construct once this module is loaded (the package entry point
 * loads it; `lib/kubernetes` or `lib/cilium` alone do not). Enabling twice keeps one lint (the last
 * options win).
 */
export class Lint extends Construct {
  /** Enables the lint for the chart of `scope`, or for a whole App when `scope` is the App. */
  public static enable(scope: IConstruct, options?: LintEnableOptions): Lint {
    if (options) validateEnableOptions(options);
    const target: Construct = scope instanceof App ? scope : Chart.of(scope);
    const existing = target.node.tryFindChild(LINT_ID);
    if (existing instanceof Lint) {
      if (options) existing.options = options;
      return existing;
    }
    return new Lint(target, LINT_ID, options ?? {});
  }

  /**
   * Turns the synth-time lint off for the chart of `scope` (or for every chart, when `scope` is the
   * App): no check runs and nothing is resolved for it, so synth costs what the policies cost. The
   * `cdk8s-netpol lint` command still checks the synthesised YAML.
   */
  public static disable(scope: IConstruct): Lint {
    return Lint.enable(scope, { disabledChecks: Linter.checks().map(c => c.id).filter(id => !id.startsWith('LINT')), printWarnings: false });
  }

  /** The lint enabled for the chart of `scope` (or the App), if any. */
  public static of(scope: IConstruct): Lint | undefined {
    const chartLint = (scope instanceof App ? scope : Chart.of(scope)).node.tryFindChild(LINT_ID);
    if (chartLint instanceof Lint) return chartLint;
    const appLint = App.of(scope).node.tryFindChild(LINT_ID);
    return appLint instanceof Lint ? appLint : undefined;
  }

  /**
   * Silences check `checkId` on one object (a policy's `apiObject`), with the reason recorded in the
   * `cdk8s-netpol.io/lint-ignore` annotation. A suppression without a reason is itself an error.
   */
  public static suppress(apiObject: ApiObject, checkId: string, reason: string): void {
    if (!(apiObject instanceof ApiObject)) {
      throw new Error(`Lint.suppress.apiObject: ${String(apiObject)} is not an ApiObject; pass the policy's apiObject (e.g. policy.apiObject)`);
    }
    if (!/^[A-Z]+\d{3}$/.test(checkId ?? '')) {
      throw new Error(`Lint.suppress.checkId: ${JSON.stringify(checkId)} is not a check id; use an id such as "NP001" (Linter.checks() lists them)`);
    }
    if (typeof reason !== 'string' || reason.trim() === '' || reason.includes('\n')) {
      throw new Error(`Lint.suppress.reason: ${JSON.stringify(reason)} is not a one-line reason; say why ${checkId} does not apply to this policy`);
    }
    const current = (apiObject.metadata.toJson() as any)?.annotations?.[LINT_IGNORE_ANNOTATION];
    const entry = `${checkId}: ${reason.trim()}`;
    apiObject.metadata.addAnnotation(LINT_IGNORE_ANNOTATION, current ? `${current}\n${entry}` : entry);
  }

  private options: LintEnableOptions;
  private report?: LintReport;
  private running = false;
  /** Findings already printed, per report printed: cdk8s validates the whole app once per synthesised chart. */
  private readonly printedFindings: LintFinding[][] = [];
  /** The digest of the manifests and options the last report was computed from. */
  private reportInput?: string;
  /** The report whose warnings were printed last, and the failOn rank then. */
  private printedReport?: { readonly report: LintReport; readonly failOn: number };

  private constructor(scope: Construct, id: string, options: LintEnableOptions) {
    super(scope, id);
    this.options = options;
    this.node.addValidation({ validate: () => this.validateLint() });
  }

  /** Findings of the last run (errors, warnings and info), for tests. Empty before synth. */
  public get findings(): LintFinding[] {
    return this.report ? [...this.report.findings] : [];
  }

  /** Findings silenced by annotations in the last run. */
  public get suppressed(): LintFinding[] {
    return this.report ? [...this.report.suppressed] : [];
  }

  /** Runs the lint now on the synthesised manifests and returns the report (also kept in `findings`). */
  public run(): LintReport {
    const scope = this.node.scope as Construct;
    // An App-level lint covers its charts: a chart-level lint in an app that has one stays silent.
    if (!(scope instanceof App) && App.of(scope).node.tryFindChild(LINT_ID)) {
      this.report = { findings: [], suppressed: [], errorCount: 0, warningCount: 0 };
      return this.report;
    }
    // Every check disabled: nothing to find, so skip resolving the objects (the costly part at synth).
    const disabled = new Set(this.options.disabledChecks ?? []);
    if (Linter.checks().every(c => c.id.startsWith('LINT') || disabled.has(c.id))) {
      this.report = { findings: [], suppressed: [], errorCount: 0, warningCount: 0 };
      return this.report;
    }
    // The Cilium version defaults to the one the Cilium constructs use for this scope.
    const ciliumVersion = this.options.ciliumVersion ?? CiliumVersion.forScope(scope).toString();
    const options = { ...this.options, ciliumVersion };
    // cdk8s validates the whole app again for every chart it synthesises (App.synthYaml: once, then
    // once per chart.toJson()), so the same manifests come back several times per synth: they are
    // recognised by a SHA-256 digest of their fingerprints (kept instead of the manifests, which for
    // a large chart are megabytes). An object's fingerprint is its manifest's JSON text; a policy
    // construct gives a shorter one (NetworkPolicy._lintInput: its metadata's text and a token of
    // its unchanged spec). Once there is a report, the fingerprints are digested first without
    // making the manifests; they are made again only when the digest differs.
    const digest = () => createHash('sha256').update(JSON.stringify(options));
    if (this.report) {
      const again = digest();
      for (const { fingerprint } of lintInputs(scope, false)) again.update('\n').update(fingerprint);
      if (again.digest('base64') === this.reportInput) return this.report;
    }
    const input = digest();
    const manifests: any[] = [];
    // specs a NetworkPolicy rendered from its validated model: the reader need not copy them
    const decodedSpecs = new WeakSet<object>();
    for (const { fingerprint, manifest, specDecoded } of lintInputs(scope, true)) {
      input.update('\n').update(fingerprint);
      manifests.push(manifest);
      if (specDecoded && manifest?.spec && typeof manifest.spec === 'object') decodedSpecs.add(manifest.spec);
    }
    this.report = Linter._lintSynthManifests(manifests, options, decodedSpecs);
    this.reportInput = input.digest('base64');
    return this.report;
  }

  private validateLint(): string[] {
    if (this.running) return [];
    this.running = true;
    try {
      const report = this.run();
      const rank = (s: LintSeverity) => (s === LintSeverity.ERROR ? 2 : s === LintSeverity.WARNING ? 1 : 0);
      const failOn = rank(this.options.failOn ?? LintSeverity.ERROR);
      const failing = report.findings.filter(f => rank(f.severity) >= failOn);
      const printed = report.findings.filter(f => rank(f.severity) < failOn);
      // The same report at the same threshold again (cdk8s validates once per chart): all printed.
      if ((this.options.printWarnings ?? true) && !(this.printedReport?.report === report && this.printedReport.failOn === failOn)) {
        // Lines printed for an earlier report are not printed again. The findings printed are
        // kept rather than their lines (which for a large chart are megabytes of text); the lines
        // are made again only when a second, different report is printed.
        let before: Set<string> | undefined;
        if (this.printedFindings.length) {
          before = new Set();
          for (const list of this.printedFindings) for (const f of list) before.add(printedLine(f));
        }
        // Written 64 KiB at a time from a buffer: neither every line nor one string of them all is
        // kept, and no long string is made (a joined chunk of lines is flattened into V8's old
        // generation, where it stays until the next full collection).
        let buffer = Buffer.allocUnsafe(PRINT_BUFFER_BYTES);
        let used = 0;
        for (const f of printed) {
          const line = printedLine(f);
          if (before?.has(line)) continue;
          const most = Buffer.byteLength(line);
          if (used + most > buffer.length) {
            if (used) process.stderr.write(buffer.subarray(0, used));
            // (a new buffer: the stream may still hold the one written)
            buffer = Buffer.allocUnsafe(Math.max(PRINT_BUFFER_BYTES, most));
            used = 0;
          }
          used += buffer.write(line, used);
        }
        if (used) process.stderr.write(buffer.subarray(0, used));
        this.printedFindings.push(printed);
        this.printedReport = { report, failOn };
      }
      return failing.map(f => Linter.formatFinding(f));
    } finally {
      this.running = false;
    }
  }
}

/** Bytes of warnings written to stderr at once. */
const PRINT_BUFFER_BYTES = 65536;

/** A finding as the line printed at synth. */
function printedLine(f: LintFinding): string {
  return `[cdk8s-netpol lint] ${Linter.formatFinding(f)}\n`;
}

/** What a policy construct gives the lint (NetworkPolicy._lintInput). */
interface LintInput {
  readonly fingerprint: string;
  readonly manifest?: any;
  readonly specDecoded?: boolean;
}

/**
 * The fingerprints of the objects under `scope` (and their manifests, if `withManifests`, as
 * ApiObject.toJson() resolves them, without re-entering validation, which Chart.toJson would).
 * Policy constructs give both directly (NetworkPolicy._lintInput); other objects are fingerprinted
 * by their manifest's JSON text. An object that cannot be resolved (a policy whose Pods.of workload
 * is not placeable) is left out: its own validation reports why, in the same list, instead of this
 * exception hiding it.
 */
function* lintInputs(scope: Construct, withManifests: boolean): Generator<LintInput> {
  for (const o of scope.node.findAll()) {
    if (!(o instanceof ApiObject)) continue;
    const direct = o as { _lintInput?: (withManifest: boolean) => LintInput };
    let entry: LintInput;
    try {
      if (typeof direct._lintInput === 'function') {
        entry = direct._lintInput(withManifests);
      } else {
        const manifest = o.toJson();
        entry = { fingerprint: JSON.stringify(manifest), manifest };
      }
    } catch {
      continue;
    }
    yield entry;
  }
}

function validateEnableOptions(options: LintEnableOptions): void {
  const severities: string[] = [LintSeverity.ERROR, LintSeverity.WARNING, LintSeverity.INFO];
  if (options.failOn !== undefined && !severities.includes(options.failOn)) {
    throw new Error(`LintEnableOptions.failOn: ${JSON.stringify(options.failOn)} is not a severity; use LintSeverity.ERROR, WARNING or INFO`);
  }
  // Check ids and the Cilium version are validated by a dry run on no manifests.
  Linter.lintManifests([], { disabledChecks: options.disabledChecks, ciliumVersion: options.ciliumVersion });
}

// Loading the lint (the package entry point does) turns it on for every chart that gets a policy
// construct: each NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy enables
// it on its chart with the default options, as if it called Lint.enable(policy) itself.
onPolicyConstruct(policy => {
  Lint.enable(policy);
});

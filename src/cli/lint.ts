/**
 * `cdk8s-netpol lint PATH...`: the network policy lint on any manifests (files or folders of YAML/JSON).
 * Exit codes (ExitCode): 0 when no finding reaches `--fail-on` (default: error); 1 when one does;
 * 2 on a usage error; 3 when a manifest is invalid (LINT000: unreadable, or the API server or
 * Cilium rejects it), which takes precedence.
 */
import { ExitCode, parseCiliumAgent } from './options';
import type { Linter as LinterClass } from '../lint';
import { LintSeverity } from '../lint/types';

/** The lint, loaded when the command runs (the CLI's start-up loads only what every command needs). */
function linter(): typeof LinterClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../lint') as typeof import('../lint')).Linter;
}

/** Options of the lint command. */
export interface LintCommandOptions {
  /** `text` (default), `json`, `md` or `sarif`. */
  readonly format?: string;
  /** Comma-separated check ids not to run. */
  readonly disable?: string;
  /** Targeted Cilium version, `major.minor`. */
  readonly ciliumVersion?: string;
  /** `error` (default), `warning` or `info`: the lowest severity that makes the exit code 1. */
  readonly failOn?: string;
  /** List the checks instead of linting. */
  readonly list?: boolean;
  /** Cilium agent settings, as `--cilium-agent`. */
  readonly ciliumAgent?: string;
  /** Version written in the SARIF report's tool. */
  readonly toolVersion?: string;
}

/** What the command prints and returns. */
export interface LintCommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The lint's report formats. */
export const LINT_FORMATS = ['text', 'json', 'md', 'sarif'];
const FORMATS = LINT_FORMATS;
const SEVERITIES: string[] = [LintSeverity.ERROR, LintSeverity.WARNING, LintSeverity.INFO];

/** Runs the lint on `paths` and returns the exit code and the output text (no process side effects). */
export function runLintCommand(paths: string[], options: LintCommandOptions = {}): LintCommandResult {
  const format = options.format ?? 'text';
  if (!FORMATS.includes(format)) {
    return { exitCode: ExitCode.USAGE, stdout: '', stderr: `error: --format "${format}" is not supported; use one of ${FORMATS.join(', ')}\n` };
  }
  const failOn = options.failOn ?? LintSeverity.ERROR;
  if (!SEVERITIES.includes(failOn)) {
    return { exitCode: ExitCode.USAGE, stdout: '', stderr: `error: --fail-on "${failOn}" is not a severity; use one of ${SEVERITIES.join(', ')}\n` };
  }
  if (options.list) {
    const checks = linter().checks();
    const stdout = format === 'json'
      ? JSON.stringify(checks, null, 2) + '\n'
      : checks.map(c => `${c.id} ${c.name} (${c.severity}${c.needsWorkloads ? ', needs workloads' : ''}): ${c.description}`).join('\n') + '\n';
    return { exitCode: 0, stdout, stderr: '' };
  }
  if (paths.length === 0) {
    return { exitCode: ExitCode.USAGE, stdout: '', stderr: 'error: give at least one file or folder of manifests, e.g. cdk8s-netpol lint dist/\n' };
  }
  let report;
  try {
    report = linter().lintFiles(paths, {
      disabledChecks: options.disable ? options.disable.split(',').map(s => s.trim()).filter(s => s) : undefined,
      ciliumVersion: options.ciliumVersion,
      ciliumAgent: parseCiliumAgent(options.ciliumAgent),
    });
  } catch (e: any) {
    return { exitCode: ExitCode.USAGE, stdout: '', stderr: `error: ${e?.message ?? e}\n` };
  }
  const rank = (s: string) => SEVERITIES.length - SEVERITIES.indexOf(s);
  const failing = report.findings.some(f => rank(f.severity) >= rank(failOn));
  const invalid = report.findings.filter(f => f.checkId === 'LINT000');
  const missingPath = invalid.some(f => /^path not found/.test(f.message));
  return {
    exitCode: missingPath ? ExitCode.USAGE : invalid.length ? ExitCode.INVALID_INPUT : failing ? ExitCode.CHECK_FAILED : ExitCode.OK,
    stdout: format === 'json' ? linter().formatJson(report)
      : format === 'sarif' ? linter().formatSarif(report, { toolVersion: options.toolVersion })
        : format === 'md' ? linter().formatMarkdown(report) : linter().formatText(report),
    stderr: '',
  };
}

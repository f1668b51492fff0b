#!/usr/bin/env node
/**
 * cdk8s-netpol CLI (README "Command line" has every option and the exit codes):
 *   cdk8s-netpol analyze PATH... [--format txt|json|md|csv|dot|mermaid|svg] [focus options] [--output FILE]
 *   cdk8s-netpol diff OLD NEW | --git BASE..HEAD [--synth CMD] [PATH...] [--format txt|md|csv|json|dot|svg] [focus options]
 *   cdk8s-netpol explain PATH... --from X --to Y [--port P] [--protocol TCP] [--expect allowed|denied]
 *   cdk8s-netpol check EXPECTATIONS.yaml PATH...
 *   cdk8s-netpol lint PATH... [--format text|json|sarif] [--disable IDS] [--fail-on error|warning|info] [--list]
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { RevisionCheckouts, RevisionError, parseRange } from './git';
import { runLintCommand, LINT_FORMATS } from './lint';
import { CILIUM_AGENT_HELP, CNI_HELP, ExitCode, LENIENT_HELP, parseCiliumAgent, UsageError } from './options';
import { CliIo, OutputClosed, OutputError, processIo, Progress, reportSink } from './output';
import type { AnalysisOptions, ConnectivityAnalysis, ConnectivityDiff, DiffFormat, OutputFormat } from '../analysis';
import { EnforcementError, QueryError } from '../analysis/errors';
import { LintSeverity } from '../lint/types';

/**
 * The analyser, loaded when a command needs it: `--help`, `--version` and `lint` start without it
 * (README "Benchmark: CLI start-up").
 */
function analysis(): typeof import('../analysis') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../analysis') as typeof import('../analysis');
}

export type { CliIo } from './output';

const FORMATS = ['txt', 'json', 'md', 'csv', 'dot', 'mermaid', 'svg'];
const DIFF_FORMATS = ['txt', 'md', 'csv', 'json', 'dot', 'svg'];
/** Formats of the exposure report (netpol-analyzer's with --exposure; it has no mermaid). */
const EXPOSURE_FORMATS = ['txt', 'json', 'md', 'csv', 'dot', 'svg'];

/** Prints the diagnostics (file names mapped, lines prefixed); returns the exit code they call for. */
function reportLoad(a: ConnectivityAnalysis, io: CliIo, quiet: boolean, prefix = '', mapFile: (f: string) => string = (f) => f): ExitCode {
  for (const d of a.diagnostics) io.stderr(`${prefix}${mapFile(d.file)}${d.line ? `:${d.line}:${d.column}` : ''}: ${d.severity}: ${d.message}\n`);
  const skipped = a.skippedKinds;
  if (skipped.length && !quiet) {
    const n = skipped.reduce((s, k) => s + k.count, 0);
    io.stderr(`${prefix}info: skipped ${n} document(s) of unrelated kinds: ${skipped.map((k) => `${k.kind} (${k.count})`).join(', ')}\n`);
  }
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.some((d) => /^path not found|^not read: /.test(d.message))) return ExitCode.USAGE;
  return errors.length ? ExitCode.INVALID_INPUT : ExitCode.OK;
}

interface ReadFlags {
  readonly lenient?: boolean;
  readonly ciliumAgent?: string;
  readonly cni?: string;
  readonly quiet?: boolean;
  readonly output?: string;
}

interface FocusFlags {
  readonly focus?: string[];
  readonly focusworkload?: string[];
  readonly focusworkloadPeer?: string[];
  readonly focusDirection?: string;
  readonly focusConn?: string;
}

/** Comma-separated and repeated values, as netpol-analyzer's string-slice flags take them. */
function collect(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(',').map((s) => s.trim()).filter((s) => s));
}

function readOptions(opts: ReadFlags & FocusFlags): AnalysisOptions {
  const workloads = [...(opts.focusworkload ?? []), ...(opts.focus ?? [])];
  return {
    lenient: opts.lenient,
    ciliumAgent: parseCiliumAgent(opts.ciliumAgent),
    cni: opts.cni,
    focusWorkloads: workloads.length ? workloads : undefined,
    focusWorkloadPeers: opts.focusworkloadPeer?.length ? opts.focusworkloadPeer : undefined,
    focusDirection: opts.focusDirection,
    focusConnection: opts.focusConn,
  };
}

function addReadOptions(c: Command): Command {
  return c
    .option('-q, --quiet', 'do not print info messages')
    .option('--lenient', LENIENT_HELP)
    .option('--cilium-agent <settings>', CILIUM_AGENT_HELP)
    .option('--cni <enforcer>', CNI_HELP);
}

function addFocusOptions(c: Command): Command {
  return c
    .option('--focusworkload <names>', 'only connections from/to these workloads (name or namespace/name; comma-separated or repeated)', collect)
    .option('--focus <names>', 'same as --focusworkload', collect)
    .option('--focusworkload-peer <names>', 'with --focusworkload: only connections whose other end is one of these workloads', collect)
    .option('--focus-direction <direction>', 'with --focusworkload: ingress (to them) or egress (from them)')
    .option('--focus-conn <conn>', 'only pairs that allow this connection, <protocol>-<port> (e.g. tcp-8080); pairs are listed without connections');
}

/** The installed package's version: package.json sits two folders up from both src/cli and lib/cli. */
export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

/** `--port`: a port 1-65535, or with `--protocol ICMP`/`ICMPv6` the ICMP type 0-255. */
function parsePort(text: string | undefined, protocol?: string): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (/^icmp(v6)?$/i.test(protocol ?? '')) {
    if (!/^\d+$/.test(text) || port > 255) throw new UsageError(`--port "${text}" is not an ICMP type 0-255 (with --protocol ${protocol}, --port is the ICMP type)`);
    return port;
  }
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`--port "${text}" is not a port number 1-65535`);
  return port;
}

/** The library's option names in a message, as the command's flags. */
const FLAG_NAMES: [RegExp, string][] = [
  [/\bfocusWorkloadPeers\b/g, '--focusworkload-peer'],
  [/\bfocusWorkloads\b/g, '--focusworkload'],
  [/\bfocusDirection\b/g, '--focus-direction'],
  [/\bfocusConnection\b/g, '--focus-conn'],
];

function flagNames(message: string): string {
  return FLAG_NAMES.reduce((m, [re, flag]) => m.replace(re, flag), message);
}

/** Run the CLI in-process; returns the exit code (see ExitCode). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name('cdk8s-netpol')
    .description('Network policy as code: connectivity analysis of Kubernetes NetworkPolicy and Cilium policies')
    .version(packageVersion(), '-V, --version', 'print the cdk8s-netpol version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout(s), writeErr: (s) => io.stderr(s) });

  /** Writes the report chunks to stdout or --output, clearing the progress line first. */
  const writeReport = async (chunks: Iterable<string>, output: string | undefined, progress: Progress) => {
    const sink = reportSink(io, output);
    if (output === undefined) progress.done();
    let written = 0;
    for (const chunk of chunks) {
      await sink.write(chunk);
      written += chunk.length;
      if (output !== undefined) progress.step(`writing ${output} (${(written / 1048576).toFixed(1)} MiB)`);
    }
    await sink.close();
    progress.done();
  };

  const analyzeFiles = (paths: string[], options: AnalysisOptions, progress: Progress) => {
    progress.step('reading manifests');
    const a = analysis().ConnectivityAnalysis._fromFilesWithProgress(paths, options, (f, i, n) => progress.step(`reading ${f} (${i + 1}/${n})`));
    progress.step('computing connections');
    return a;
  };

  addReadOptions(addFocusOptions(program
    .command('analyze')
    .description('list the allowed connections between workloads (netpol-analyzer connlist grammar)')
    .argument('<paths...>', 'YAML/JSON files or folders of manifests; - reads standard input')
    .option('-f, --format <format>', `output format: ${FORMATS.join('|')}`, 'txt')
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .option('--exposure', 'also report what the policies open each workload to beyond the input (netpol-analyzer --exposure): '
      + 'the entire cluster, namespaces and pods by labels, external ranges; Cilium policies: entities, CIDRs, FQDNs, selectors')))
    .action(async (paths: string[], opts: { format: string; exposure?: boolean } & ReadFlags & FocusFlags) => {
      if (!FORMATS.includes(opts.format)) throw new UsageError(`--format "${opts.format}" is not supported; use one of ${FORMATS.join(', ')}`);
      if (opts.exposure && !EXPOSURE_FORMATS.includes(opts.format)) {
        throw new UsageError(`--format "${opts.format}" has no exposure report; with --exposure use one of ${EXPOSURE_FORMATS.join(', ')}`);
      }
      const progress = new Progress(io);
      const a = analyzeFiles(paths, readOptions(opts), progress);
      code = reportLoad(a, io, !!opts.quiet);
      // the connections are computed before the report is written, under the progress line
      const count = a._computeConnections();
      if (opts.exposure) {
        progress.step('computing exposure');
        await writeReport([opts.format === 'svg' ? await a.exposureSvg() : a.formatExposure(opts.format as OutputFormat)], opts.output, progress);
      } else if (opts.format === 'svg') {
        progress.step(`drawing ${count} connections`);
        const svg = await a.toSvg();
        await writeReport([svg], opts.output, progress);
      } else {
        await writeReport(a._formatChunks(opts.format as OutputFormat), opts.output, progress);
      }
    });

  addReadOptions(addFocusOptions(program
    .command('diff')
    .description('report the connections that differ between two sets of manifests (netpol-analyzer diff grammar)')
    .argument('[paths...]', 'OLD NEW (a file or folder each); with --git, the manifest paths inside each revision (default: dist with --synth)')
    .option('--old <paths...>', 'files or folders of the old manifests (instead of OLD)')
    .option('--new <paths...>', 'files or folders of the new manifests (instead of NEW)')
    .option('--git <range>', 'compare two revisions of this git repository: BASE..HEAD, or BASE...HEAD from their merge base')
    .option('--synth <command>', 'with --git: the command that writes the manifests, run in each revision (e.g. "npm ci && npx cdk8s synth")')
    .option('-f, --format <format>', `output format: ${DIFF_FORMATS.join('|')}`, 'txt')
    .option('--ref-names <old,new>', 'names of the two sides in the report (default: ref1,ref2)')
    .option('--exit-code', 'exit with 1 when the connections differ (as git diff --exit-code)')
    .option('-o, --output <file>', 'write the report to this file instead of standard output')))
    .action(async (paths: string[], opts: {
      format: string; old?: string[]; new?: string[]; git?: string; synth?: string; refNames?: string; exitCode?: boolean;
    } & ReadFlags & FocusFlags) => {
      if (!DIFF_FORMATS.includes(opts.format)) throw new UsageError(`--format "${opts.format}" is not supported for diff; use one of ${DIFF_FORMATS.join(', ')}`);
      let names: { ref1Name?: string; ref2Name?: string } = {};
      if (opts.refNames !== undefined) {
        const parts = opts.refNames.split(',');
        if (parts.length !== 2 || parts.some((p) => !p.trim())) throw new UsageError(`--ref-names "${opts.refNames}" is not two names; write e.g. --ref-names base,head`);
        names = { ref1Name: parts[0].trim(), ref2Name: parts[1].trim() };
      }
      const options = readOptions(opts);
      const progress = new Progress(io);
      let d: ConnectivityDiff;
      let codes: ExitCode[];
      if (opts.git !== undefined) {
        if (opts.old || opts.new) throw new UsageError('--git compares two revisions; give either --git or --old/--new, not both');
        const range = parseRange(opts.git);
        const rel = paths.length ? paths : opts.synth !== undefined ? ['dist'] : undefined;
        if (!rel) throw new UsageError('--git: name the manifest files or folders to compare (e.g. manifests/), or give --synth to build them');
        const co = new RevisionCheckouts(process.cwd());
        try {
          const baseCommit = co.commit(range.base, range.mergeBase ? range.head : undefined);
          const headCommit = co.commit(range.head);
          const sides = [co.checkout('ref1', range.mergeBase ? `merge-base(${range.base}, ${range.head})` : range.base, baseCommit), co.checkout('ref2', range.head, headCommit)];
          for (const s of sides) {
            if (opts.synth !== undefined) {
              progress.step(`synthesising ${s.revision}`);
              co.synth(s, opts.synth, (t) => io.stderr(t), !opts.quiet);
            }
          }
          const resolve = (s: typeof sides[0]) => rel.map((p) => path.resolve(s.cwd, p));
          d = analysis().ConnectivityDiff.fromFiles(resolve(sides[0]), resolve(sides[1]), options);
          codes = [d.ref1, d.ref2].map((a, i) => reportLoad(a, io, !!opts.quiet, `ref${i + 1}: `, (f) => f.startsWith(sides[i].root) ? `${sides[i].revision}:${path.relative(sides[i].root, f)}` : f));
          d.diffs; // computed while the worktrees still exist
        } finally {
          co.cleanup();
        }
      } else {
        const old = opts.old ?? (paths.length ? [paths[0]] : undefined);
        const next = opts.new ?? (paths.length ? paths.slice(opts.old ? 0 : 1) : undefined);
        if (!old?.length || !next?.length || (!opts.old && !opts.new && paths.length !== 2)) {
          throw new UsageError('diff: give the old and the new manifests: cdk8s-netpol diff OLD NEW (or --old PATH... --new PATH..., or --git BASE..HEAD)');
        }
        progress.step('reading manifests');
        d = analysis().ConnectivityDiff.fromFiles(old, next, options);
        codes = [d.ref1, d.ref2].map((a, i) => reportLoad(a, io, !!opts.quiet, `ref${i + 1}: `));
      }
      code = Math.max(...codes);
      progress.step('comparing connections');
      const text = opts.format === 'svg' ? await d.toSvg(names) : d.format(opts.format as DiffFormat, names);
      if (d.isEmpty && !opts.quiet) io.stderr('info: no connectivity diff\n');
      await writeReport([text], opts.output, progress);
      if (code === ExitCode.OK && opts.exitCode && !d.isEmpty) code = ExitCode.CHECK_FAILED;
    });

  addReadOptions(program
    .command('explain')
    .description('explain which policies and rules allow or deny one connection')
    .argument('<paths...>', 'YAML/JSON files or folders of manifests; - reads standard input')
    .requiredOption('--from <peer>', 'source: namespace/name, namespace/name[Kind], IP address or {entity}')
    .requiredOption('--to <peer>', 'destination, same forms')
    .option('--port <port>', 'destination port (with --protocol ICMP or ICMPv6: the ICMP type, 0-255)')
    .option('--protocol <protocol>', 'TCP (default with --port), UDP, SCTP, ICMP')
    .option('--expect <verdict>', 'allowed or denied: exit with 1 when the verdict is another'))
    .action(async (paths: string[], opts: { from: string; to: string; port?: string; protocol?: string; expect?: string } & ReadFlags) => {
      const port = parsePort(opts.port, opts.protocol);
      if (opts.expect !== undefined && !['allowed', 'denied'].includes(opts.expect)) throw new UsageError(`--expect "${opts.expect}" is not a verdict; use allowed or denied`);
      const a = analysis().ConnectivityAnalysis.fromFiles(paths, readOptions(opts));
      code = reportLoad(a, io, !!opts.quiet);
      await io.stdout(a.explain({ from: opts.from, to: opts.to, port, protocol: opts.protocol }).text);
      if (opts.expect !== undefined) {
        const [r] = analysis().ConnectivityExpectations.of([{ from: opts.from, to: opts.to, port, protocol: opts.protocol, expect: opts.expect, location: '--expect' }]).check(a);
        if (!r.passed) {
          io.stderr(analysis().ConnectivityExpectations.formatReport([r]).split('\n')[0] + '\n');
          if (code === ExitCode.OK) code = ExitCode.CHECK_FAILED;
        }
      }
    });

  addReadOptions(program
    .command('check')
    .description('check a file of expected verdicts (allowed/denied connections) in one run; exit 1 on any mismatch')
    .argument('<expectations>', 'YAML file with an expectations: list (README "Checking expected verdicts")')
    .argument('<paths...>', 'YAML/JSON files or folders of manifests; - reads standard input')
    .option('-o, --output <file>', 'write the report to this file instead of standard output'))
    .action(async (file: string, paths: string[], opts: ReadFlags) => {
      const expectations = analysis().ConnectivityExpectations.fromFile(file);
      const progress = new Progress(io);
      const a = analyzeFiles(paths, readOptions(opts), progress);
      code = reportLoad(a, io, !!opts.quiet);
      const results = expectations.check(a);
      await writeReport([analysis().ConnectivityExpectations.formatReport(results)], opts.output, progress);
      if (code === ExitCode.OK && results.some((r) => !r.passed)) code = ExitCode.CHECK_FAILED;
    });

  program
    .command('lint')
    .description('check network policies for common mistakes (DNS, AND/OR peers, shadowed rules, Cilium pitfalls)')
    .argument('[paths...]', 'YAML/JSON files or folders of manifests; - reads standard input')
    .option('-f, --format <format>', `output format: ${LINT_FORMATS.join('|')}`, 'text')
    .option('--disable <ids>', 'comma-separated check ids not to run')
    .option('--cilium-version <version>', 'targeted Cilium version (major.minor)')
    .option('--fail-on <severity>', `lowest severity that fails: ${[LintSeverity.ERROR, LintSeverity.WARNING, LintSeverity.INFO].join('|')}`, 'error')
    .option('--list', 'list the checks')
    .option('--cilium-agent <settings>', CILIUM_AGENT_HELP)
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .action(async (paths: string[], opts: Parameters<typeof runLintCommand>[1] & { output?: string }) => {
      const r = runLintCommand(paths, { ...opts, toolVersion: packageVersion() });
      if (r.stderr) io.stderr(r.stderr);
      if (r.stdout) await writeReport([r.stdout], opts.output, new Progress(io));
      code = r.exitCode;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e: any) {
    // commander has printed its own usage message
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    // the reader of stdout closed it (`| head`): stop quietly with what the run found
    if (e instanceof OutputClosed) return code;
    io.stderr(`error: ${e instanceof QueryError ? flagNames(e.message) : e?.message ?? e}\n`);
    if (e instanceof OutputError) return ExitCode.OUTPUT_FAILED;
    if (e instanceof RevisionError) return ExitCode.INVALID_INPUT;
    // a bad option value or query (unknown workload, protocol, port); anything else is a bug to report
    return e instanceof UsageError || e instanceof QueryError || e instanceof EnforcementError ? ExitCode.USAGE : ExitCode.INVALID_INPUT;
  }
  return code;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((c) => {
    process.exitCode = c;
  });
}

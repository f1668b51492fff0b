#!/usr/bin/env node
/**
 * cdk8s-netpol CLI:
 *   cdk8s-netpol analyze PATH... [--format txt|json|md|dot|mermaid] [--focus WORKLOAD]
 *   cdk8s-netpol explain PATH... --from X --to Y [--port P] [--protocol TCP]
 *   cdk8s-netpol lint PATH... [--format text|json] [--disable IDS] [--fail-on error|warning|info] [--list]
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { registerLintCommand } from './lint';
import { CILIUM_AGENT_HELP, CNI_HELP, ExitCode, LENIENT_HELP, parseCiliumAgent, UsageError } from './options';
import { AnalysisOptions, ConnectivityAnalysis, OutputFormat } from '../analysis';
import { QueryError } from '../analysis/explain';
import { EnforcementError } from '../analysis/semantics';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const FORMATS = ['txt', 'json', 'md', 'dot', 'mermaid'];

/** Prints the diagnostics; returns the exit code they call for (INVALID_INPUT on any error, USAGE for a missing path). */
function reportLoad(a: ConnectivityAnalysis, io: CliIo, quiet: boolean): ExitCode {
  for (const d of a.diagnostics) io.stderr(`${d.file}${d.line ? `:${d.line}:${d.column}` : ''}: ${d.severity}: ${d.message}\n`);
  const skipped = a.skippedKinds;
  if (skipped.length && !quiet) {
    const n = skipped.reduce((s, k) => s + k.count, 0);
    io.stderr(`info: skipped ${n} document(s) of unrelated kinds: ${skipped.map((k) => `${k.kind} (${k.count})`).join(', ')}\n`);
  }
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.some((d) => /^path not found/.test(d.message))) return ExitCode.USAGE;
  return errors.length ? ExitCode.INVALID_INPUT : ExitCode.OK;
}

interface ReadFlags {
  readonly lenient?: boolean;
  readonly ciliumAgent?: string;
  readonly cni?: string;
}

function readOptions(opts: ReadFlags): AnalysisOptions {
  return { lenient: opts.lenient, ciliumAgent: parseCiliumAgent(opts.ciliumAgent), cni: opts.cni };
}

/** The installed package's version: package.json sits two folders up from both src/cli and lib/cli. */
export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

const PROCESS_IO: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Run the CLI in-process; returns the exit code (see ExitCode). */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name('cdk8s-netpol')
    .description('Network policy as code: connectivity analysis of Kubernetes NetworkPolicy and Cilium policies')
    .version(packageVersion(), '-V, --version', 'print the cdk8s-netpol version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });

  program
    .command('analyze')
    .description('list the allowed connections between workloads (netpol-analyzer connlist grammar)')
    .argument('<paths...>', 'YAML/JSON files or folders of manifests')
    .option('-f, --format <format>', `output format: ${FORMATS.join('|')}`, 'txt')
    .option('--focus <workload>', 'only connections from/to this workload (name or namespace/name)')
    .option('-q, --quiet', 'do not print info messages')
    .option('--lenient', LENIENT_HELP)
    .option('--cilium-agent <settings>', CILIUM_AGENT_HELP)
    .option('--cni <enforcer>', CNI_HELP)
    .action((paths: string[], opts: { format: string; focus?: string; quiet?: boolean } & ReadFlags) => {
      if (!FORMATS.includes(opts.format)) throw new UsageError(`--format "${opts.format}" is not supported; use one of ${FORMATS.join(', ')}`);
      const a = ConnectivityAnalysis.fromFiles(paths, { ...readOptions(opts), focusWorkload: opts.focus });
      code = reportLoad(a, io, !!opts.quiet);
      for (const chunk of a._formatChunks(opts.format as OutputFormat)) io.stdout(chunk);
    });

  program
    .command('explain')
    .description('explain which policies and rules allow or deny one connection')
    .argument('<paths...>', 'YAML/JSON files or folders of manifests')
    .requiredOption('--from <peer>', 'source: namespace/name, namespace/name[Kind], IP address or {entity}')
    .requiredOption('--to <peer>', 'destination, same forms')
    .option('--port <port>', 'destination port')
    .option('--protocol <protocol>', 'TCP (default with --port), UDP, SCTP, ICMP')
    .option('-q, --quiet', 'do not print info messages')
    .option('--lenient', LENIENT_HELP)
    .option('--cilium-agent <settings>', CILIUM_AGENT_HELP)
    .option('--cni <enforcer>', CNI_HELP)
    .action((paths: string[], opts: { from: string; to: string; port?: string; protocol?: string; quiet?: boolean } & ReadFlags) => {
      let port: number | undefined;
      if (opts.port !== undefined) {
        port = Number(opts.port);
        if (!/^\d+$/.test(opts.port) || port < 1 || port > 65535) throw new UsageError(`--port "${opts.port}" is not a port number 1-65535`);
      }
      const a = ConnectivityAnalysis.fromFiles(paths, readOptions(opts));
      code = reportLoad(a, io, !!opts.quiet);
      io.stdout(a.explain({ from: opts.from, to: opts.to, port, protocol: opts.protocol }).text);
    });

  registerLintCommand(program, io, (c) => {
    code = c;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e: any) {
    // commander has printed its own usage message
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    io.stderr(`error: ${e?.message ?? e}\n`);
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

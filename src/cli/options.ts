/**
 * What every command shares: exit codes and the options that say how manifests are read.
 */
import { CiliumAgentOptions } from '../model/cilium/agent';
import { CILIUM_AGENT_FLAGS } from '../wire/cilium/agent';

/**
 * Exit codes, the same for every command, so a CI step can tell them apart:
 * 0 done; 1 the check failed (lint findings at `--fail-on`, a verdict not as expected);
 * 2 usage error (unknown option or value, a path or workload that does not exist);
 * 3 invalid input (a document that cannot be read, or an object the API server or Cilium rejects;
 * a `diff --git` revision that cannot be checked out or synthesised);
 * 4 the report could not be written (a full disk, a missing --output folder).
 * The output of the objects that could be read is printed in every case.
 */
export enum ExitCode {
  OK = 0,
  CHECK_FAILED = 1,
  USAGE = 2,
  INVALID_INPUT = 3,
  OUTPUT_FAILED = 4,
}

/** A usage error with its message (exit code 2). */
export class UsageError extends Error {}

/** The agent settings `--cilium-agent` takes, by their Cilium flag name. */
const BOOLEAN_AGENT_FLAGS: { readonly [flag: string]: keyof CiliumAgentOptions } = {
  [CILIUM_AGENT_FLAGS.enableNodeSelectorLabels]: 'enableNodeSelectorLabels',
  [CILIUM_AGENT_FLAGS.enableL7Proxy]: 'enableL7Proxy',
  [CILIUM_AGENT_FLAGS.enableIcmpRules]: 'enableIcmpRules',
};

/** `--cilium-agent enable-node-selector-labels,enable-l7-proxy=false` as options. */
export function parseCiliumAgent(text: string | undefined): CiliumAgentOptions | undefined {
  if (text === undefined) return undefined;
  const out: { [key: string]: boolean } = {};
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s)) {
    const [flag, value = 'true'] = item.split('=', 2);
    const key = BOOLEAN_AGENT_FLAGS[flag];
    if (!key) throw new UsageError(`--cilium-agent: "${flag}" is not a setting this tool models; use ${Object.keys(BOOLEAN_AGENT_FLAGS).join(', ')}`);
    if (value !== 'true' && value !== 'false') throw new UsageError(`--cilium-agent: ${flag}=${value}: the value must be true or false`);
    out[key] = value === 'true';
  }
  return out;
}

export const CILIUM_AGENT_HELP = `Cilium agent settings that decide which policies Cilium accepts: ${Object.keys(BOOLEAN_AGENT_FLAGS).join(', ')}`
  + ' (e.g. --cilium-agent enable-node-selector-labels); default: Cilium 1.18\'s defaults';
export const LENIENT_HELP = 'read what the API server would reject as netpol-analyzer does, where the meaning is not in doubt (invalid workloads as written,'
  + ' policies with a valid spec), with warnings instead of errors';

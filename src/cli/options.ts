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

/** The agent settings `--cilium-agent` takes, by their Cilium flag name, and the values each takes. */
const AGENT_SETTINGS: { readonly [flag: string]: { key: keyof CiliumAgentOptions; values?: readonly string[] } } = {
  [CILIUM_AGENT_FLAGS.enableNodeSelectorLabels]: { key: 'enableNodeSelectorLabels' },
  [CILIUM_AGENT_FLAGS.enableL7Proxy]: { key: 'enableL7Proxy' },
  [CILIUM_AGENT_FLAGS.enableIcmpRules]: { key: 'enableIcmpRules' },
  [CILIUM_AGENT_FLAGS.policyDefaultLocalCluster]: { key: 'policyDefaultLocalCluster' },
  [CILIUM_AGENT_FLAGS.clusterName]: { key: 'clusterName', values: [] },
  [CILIUM_AGENT_FLAGS.allowLocalhost]: { key: 'allowLocalhost', values: ['auto', 'always', 'policy'] },
  [CILIUM_AGENT_FLAGS.kubeApiserverPlacement]: { key: 'kubeApiserverPlacement', values: ['remote-node', 'host', 'world'] },
};

/** `a, b or c` */
function oneOf(values: readonly string[]): string {
  return values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values.join('');
}

/**
 * `--cilium-agent enable-node-selector-labels,allow-localhost=policy,cluster-name=prod` as
 * options: a boolean setting alone means true; the others take a value (checked with the
 * library's messages when the analysis starts).
 */
export function parseCiliumAgent(text: string | undefined): CiliumAgentOptions | undefined {
  if (text === undefined) return undefined;
  const out: { [key: string]: boolean | string } = {};
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s)) {
    const eq = item.indexOf('=');
    const flag = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    const setting = AGENT_SETTINGS[flag];
    if (!setting) throw new UsageError(`--cilium-agent: "${flag}" is not a setting this tool models; use ${Object.keys(AGENT_SETTINGS).join(', ')}`);
    if (setting.values) {
      if (value === undefined || value === '') throw new UsageError(`--cilium-agent: ${flag} needs a value, e.g. ${flag}=${setting.values[0] ?? 'prod'}`);
      if (setting.values.length && !setting.values.includes(value)) throw new UsageError(`--cilium-agent: ${flag}=${value}: use ${oneOf(setting.values)}`);
      out[setting.key] = value;
    } else {
      if (value !== undefined && value !== 'true' && value !== 'false') throw new UsageError(`--cilium-agent: ${flag}=${value}: the value must be true or false`);
      out[setting.key] = value !== 'false';
    }
  }
  return out;
}

export const CILIUM_AGENT_HELP = `Cilium agent settings that decide which policies Cilium accepts and what they allow: ${Object.keys(AGENT_SETTINGS).join(', ')}`
  + ' (e.g. --cilium-agent enable-node-selector-labels,allow-localhost=policy); default: the Cilium release\'s defaults';
export const CNI_HELP = 'who enforces the policies: kubernetes (the NetworkPolicy specification, with the AdminNetworkPolicy/ClusterNetworkPolicy tiers around it)'
  + ' or cilium@1.18, cilium@1.19 (as Cilium enforces them, its deviations from the specification included; Cilium enforces no network-policy API object);'
  + ' default: cilium@1.18 when Cilium policies are among the manifests, else kubernetes';
export const LENIENT_HELP = 'read what the API server would reject as netpol-analyzer does, where the meaning is not in doubt (invalid workloads as written,'
  + ' policies with a valid spec), with warnings instead of errors';

/**
 * "A policy construct was created" hooks.
 *
 * The constructs (src/kubernetes, src/cilium) announce each new policy here; higher layers that
 * want to act on policies (the synth-time lint) install a hook when they are loaded. This keeps
 * the constructs free of any import of the lint or the analyser: a program that loads only
 * `lib/kubernetes` or `lib/cilium` loads neither, and gets no hook.
 *
 * It lives in the model because that is the lowest layer both construct folders and the lint share.
 */
import { IConstruct } from 'constructs';

/** Called with every policy construct right after its constructor has set it up. @internal */
export type PolicyConstructHook = (policy: IConstruct) => void;

const hooks: PolicyConstructHook[] = [];

/** Installs `hook` for the policies created from now on; installing the same function again does nothing. @internal */
export function onPolicyConstruct(hook: PolicyConstructHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/** Runs the installed hooks, in installation order, for a new policy construct. @internal */
export function policyConstructCreated(policy: IConstruct): void {
  for (const hook of hooks) hook(policy);
}

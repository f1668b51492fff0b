/**
 * A problem with one field of one object, before it is placed in a file: the shape every
 * validator of the wire layer returns (schema, Kubernetes semantics, Cilium semantics).
 */
import { FieldPath } from './source';

export interface Violation {
  /** The offending field. */
  readonly path: FieldPath;
  /** Stable code, e.g. `unknown-field`, `invalid-value`, `required`. */
  readonly code: string;
  /** What is wrong with the value, and the fix (the field path is not repeated). */
  readonly message: string;
  /** The value and what is wrong with it (the message without the fix). */
  readonly problem?: string;
  /** How to fix it. */
  readonly fix?: string;
}

/** `"VRRP" is not supported; use TCP, UDP or SCTP` */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

/** `value` undefined: the field is absent, and `problem` says so on its own ("not set, ..."). */
export function violation(path: FieldPath, code: string, value: unknown, problem: string, fix?: string): Violation {
  const p = value === undefined ? problem : `${describeValue(value)} ${problem}`;
  return { path, code, message: `${p}${fix ? `; ${fix}` : ''}`, problem: p, fix };
}

/**
 * Diagnostics about manifests: what the reader, the analyser and the lint report about their
 * input. One shape for all of them, so that `analyze`, `explain` and `lint` say the same thing
 * about the same document.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  /** The file the document came from (`<manifests>` for objects given in code). */
  readonly file: string;
  /** 1-based line of the offending field (or of the document when the field has no position); 0 when unknown. */
  readonly line: number;
  /** 1-based column; 0 when unknown. */
  readonly column: number;
  /** What is wrong, with the value and the fix. */
  readonly message: string;
  /** The object, e.g. `NetworkPolicy shop/db`, when the document could be identified. */
  readonly object?: string;
  /** Field path in the object, e.g. `spec.ingress[0].from[1].podSelector`. */
  readonly field?: string;
  /** Stable machine-readable code, e.g. `unknown-field`, `yaml-syntax`. */
  readonly code?: string;
  /** The problem alone (no object, field or fix), when the message has more. */
  readonly problem?: string;
  /** How to fix it, when known. */
  readonly fix?: string;
}

/** `file:line:col: severity: message`, the format of every diagnostic line the CLI prints. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}${d.line ? `:${d.line}:${d.column}` : ''}: ${d.severity}: ${d.message}`;
}

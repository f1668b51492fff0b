/**
 * The analyser's error classes, in a module of their own so that the CLI can tell them apart
 * without loading the analyser (a usage error: exit code 2).
 */

/** A query, focus or format option that names nothing the analysis has, or is malformed. */
export class QueryError extends Error {}

/** A `cni` or agent setting the analyser does not model. */
export class EnforcementError extends Error {}

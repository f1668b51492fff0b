/**
 * The manifest reader moved to src/wire (yaml.ts, files.ts); re-exported for the analyser and lint.
 */
export type { Severity, Diagnostic } from '../wire/diagnostic';
export { formatDiagnostic } from '../wire/diagnostic';
export type { SourceDoc, LoadResult } from '../wire/source';
export { loadText } from '../wire/yaml';
export { listManifestFiles, loadFiles, fromObjects } from '../wire/files';

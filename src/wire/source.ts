/**
 * Documents as read from files (or given as objects), with the position they came from.
 */
import { Diagnostic } from './diagnostic';

/** A field path: object keys and list indexes, e.g. `['spec', 'ingress', 0, 'from']`. */
export type FieldPath = readonly (string | number)[];

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

export interface SourceDoc {
  /** The plain object parsed from YAML/JSON. */
  readonly object: any;
  readonly file: string;
  /** 1-based line and column of the document (or List item) start. */
  readonly line: number;
  readonly column: number;
  /**
   * The position of a field inside the document (its key, or the item for a list index), when
   * the document came from text; undefined when unknown. May be slow: call it for diagnostics only.
   */
  readonly locate?: (path: FieldPath) => Position | undefined;
}

export interface LoadResult {
  readonly documents: SourceDoc[];
  readonly diagnostics: Diagnostic[];
}

/** `spec.ingress[0].from` from a field path. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/**
 * The items of a `v1 List` or a typed list (`NamespaceList`, `PodList`), or undefined when the
 * object is not a list. Items of a typed list take their kind and apiVersion from the list when
 * they have none (API list responses carry them only on the list). A copy is made only then.
 */
export function listItems(obj: any): { readonly item: unknown; readonly index: number }[] | undefined {
  if (typeof obj?.kind !== 'string' || !/List$/.test(obj.kind) || !Array.isArray(obj.items)) return undefined;
  const itemKind = obj.kind === 'List' ? undefined : obj.kind.replace(/List$/, '');
  return obj.items.map((item: any, index: number) => {
    if (!itemKind || !item || typeof item !== 'object' || Array.isArray(item) || item.kind) return { item, index };
    return { item: { ...item, kind: itemKind, ...(item.apiVersion === undefined && typeof obj.apiVersion === 'string' ? { apiVersion: obj.apiVersion } : {}) }, index };
  });
}

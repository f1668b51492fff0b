/**
 * Kubernetes label selector matching (matchLabels + matchExpressions), shared by the analyser and
 * the manifest lint.
 *
 * Semantics (k8s.io/apimachinery LabelSelectorAsSelector): an empty selector `{}` matches everything;
 * all requirements are ANDed; `In`/`NotIn` need a non-empty `values`; `Exists`/`DoesNotExist` need none;
 * `NotIn` and `DoesNotExist` match objects that lack the key.
 */

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A validated, compiled label selector. */
export class CompiledSelector {
  /** Matches every object. */
  static readonly ALL = new CompiledSelector([], '{}');

  constructor(readonly requirements: readonly Requirement[], readonly text: string) {}

  get isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    for (const r of this.requirements) {
      // label values are strings and no inherited property of an object is one, so one lookup tells
      // whether the key is there (hasOwnProperty and a read cost two)
      const found: unknown = labels[r.key];
      const has = typeof found === 'string';
      const v = has ? found : undefined;
      switch (r.operator) {
        case 'In':
          if (!has || !r.values.includes(v!)) return false;
          break;
        case 'NotIn':
          if (has && r.values.includes(v!)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
      }
    }
    return true;
  }

  /** The label keys this selector looks at. */
  keys(): string[] {
    return [...new Set(this.requirements.map((r) => r.key))];
  }
}

export class SelectorError extends Error {}

const OPERATORS: Record<string, Requirement['operator']> = {
  in: 'In',
  notin: 'NotIn',
  exists: 'Exists',
  doesnotexist: 'DoesNotExist',
};

/**
 * Compile a LabelSelector object. `field` names the field for error messages (e.g.
 * `spec.podSelector`). `keyMap` optionally rewrites keys (Cilium `k8s:` prefixes).
 */
export function compileSelector(sel: any, field: string, keyMap?: (key: string) => string): CompiledSelector {
  if (sel === null || sel === undefined) return CompiledSelector.ALL;
  if (typeof sel !== 'object' || Array.isArray(sel)) {
    throw new SelectorError(`${field}: expected a label selector object ({matchLabels, matchExpressions}), got ${JSON.stringify(sel)}`);
  }
  const map = keyMap ?? ((k: string) => k);
  const reqs: Requirement[] = [];
  const ml = sel.matchLabels;
  if (ml !== undefined && ml !== null) {
    if (typeof ml !== 'object' || Array.isArray(ml)) {
      throw new SelectorError(`${field}.matchLabels: expected a map of label key to value, got ${JSON.stringify(ml)}`);
    }
    for (const k of Object.keys(ml)) {
      const v = ml[k];
      if (v !== null && typeof v === 'object') {
        throw new SelectorError(`${field}.matchLabels.${k}: label values must be strings, got ${JSON.stringify(v)}`);
      }
      reqs.push({ key: map(k), operator: 'In', values: [v === null ? '' : String(v)] });
    }
  }
  const me = sel.matchExpressions;
  if (me !== undefined && me !== null) {
    if (!Array.isArray(me)) throw new SelectorError(`${field}.matchExpressions: expected a list, got ${JSON.stringify(me)}`);
    me.forEach((e: any, i: number) => {
      const f = `${field}.matchExpressions[${i}]`;
      if (!e || typeof e !== 'object') throw new SelectorError(`${f}: expected {key, operator, values}`);
      if (typeof e.key !== 'string' || !e.key) throw new SelectorError(`${f}.key: a non-empty label key is required`);
      const op = OPERATORS[String(e.operator ?? '').toLowerCase()];
      if (!op) {
        throw new SelectorError(`${f}.operator: "${e.operator}" is not a valid operator; use In, NotIn, Exists or DoesNotExist`);
      }
      const values: string[] = Array.isArray(e.values) ? e.values.map((v: any) => String(v)) : [];
      if ((op === 'In' || op === 'NotIn') && values.length === 0) {
        throw new SelectorError(`${f}.values: operator ${op} needs at least one value`);
      }
      if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
        throw new SelectorError(`${f}.values: operator ${op} must not have values (got ${JSON.stringify(values)})`);
      }
      reqs.push({ key: map(e.key), operator: op, values });
    });
  }
  return new CompiledSelector(reqs, selectorText(reqs));
}

export function selectorText(reqs: readonly Requirement[]): string {
  if (!reqs.length) return '{}';
  return reqs
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}

/** Convenience: does a selector object match the labels? (throws SelectorError on invalid input) */
export function selectorMatches(sel: any, labels: Labels, field = 'selector'): boolean {
  return compileSelector(sel, field).matches(labels);
}

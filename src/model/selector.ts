import { invalid } from './errors';
import { validateLabelKey, validateLabelValue, validatedLabels } from './names';

/** Operator of a label selector requirement (matchExpressions). */
export enum LabelOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label is absent, or its value is none of the values. */
  NOT_IN = 'NotIn',
  /** The label is present, whatever its value. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * One requirement of a label selector (an entry of `matchExpressions`).
 *
 * Rules from Kubernetes (ValidateLabelSelectorRequirement): `In`/`NotIn` need at least one
 * value; `Exists`/`DoesNotExist` take none.
 */
export class LabelExpression {
  /**
   * The label's value is one of `values`.
   * @param key the label key
   * @param values the accepted values (at least one)
   */
  public static in(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.IN, values);
  }

  /**
   * The label is absent or its value is none of `values`.
   * @param key the label key
   * @param values the rejected values (at least one)
   */
  public static notIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.NOT_IN, values);
  }

  /**
   * The label is present.
   * @param key the label key
   */
  public static exists(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.EXISTS);
  }

  /**
   * The label is absent.
   * @param key the label key
   */
  public static doesNotExist(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.DOES_NOT_EXIST);
  }

  /**
   * A requirement with any operator, checked like the API server's
   * ValidateLabelSelectorRequirement (k8s.io/apimachinery pkg/apis/meta/v1/validation):
   * `In`/`NotIn` need values, `Exists`/`DoesNotExist` must have none.
   * @param key the label key
   * @param operator how the key and values are compared
   * @param values the values: at least one for IN and NOT_IN, none for EXISTS and DOES_NOT_EXIST. Default: none
   */
  public static of(key: string, operator: LabelOperator, values?: string[]): LabelExpression {
    // The key first: the messages below name it.
    validateLabelKey('LabelExpression.key', key);
    if (!Object.values(LabelOperator).includes(operator)) {
      throw invalid(`LabelExpression(${key}).operator`, operator, 'is not a label selector operator',
        'use LabelOperator.IN, NOT_IN, EXISTS or DOES_NOT_EXIST');
    }
    if (values !== undefined && values !== null && !Array.isArray(values)) {
      throw invalid(`LabelExpression(${key} ${operator}).values`, values, 'is not a list', 'pass a list of label values such as ["web"]');
    }
    if ((operator === LabelOperator.EXISTS || operator === LabelOperator.DOES_NOT_EXIST) && values && values.length > 0) {
      throw invalid(`LabelExpression(${key} ${operator}).values`, values, `must be empty for ${operator}`,
        `drop the values, or use LabelOperator.${operator === LabelOperator.EXISTS ? 'IN' : 'NOT_IN'} to compare values`);
    }
    return new LabelExpression(key, operator, values);
  }

  /** The label key. */
  public readonly key: string;
  /** The operator. */
  public readonly operator: LabelOperator;
  /** The values, sorted and without duplicates (empty for Exists/DoesNotExist). */
  public readonly values: string[];

  private constructor(key: string, operator: LabelOperator, values?: string[]) {
    validateLabelKey('LabelExpression.key', key);
    const field = `LabelExpression(${key} ${operator}).values`;
    if (operator === LabelOperator.IN || operator === LabelOperator.NOT_IN) {
      if (!Array.isArray(values) || values.length === 0) {
        throw invalid(field, values ?? [], `is empty; ${operator} needs at least one value`,
          `give values, or use LabelExpression.${operator === LabelOperator.IN ? 'exists' : 'doesNotExist'}("${key}")`);
      }
      values.forEach((v, i) => validateLabelValue(`${field}[${i}]`, v));
      this.values = Array.from(new Set(values)).sort();
    } else {
      this.values = [];
    }
    this.key = key;
    this.operator = operator;
  }

  /** Stable text form, used for equality and messages. */
  public toString(): string {
    return this.values.length ? `${this.key} ${this.operator} (${this.values.join(',')})` : `${this.operator === LabelOperator.EXISTS ? '' : '!'}${this.key}`;
  }
}

/** Options of a label selector. */
export interface LabelSelectorOptions {
  /**
   * Labels that must all be present with these values.
   * @default - no label equality requirements
   */
  readonly matchLabels?: { [key: string]: string };

  /**
   * Requirements that must all hold.
   * @default - no expression requirements
   */
  readonly matchExpressions?: LabelExpression[];
}

/**
 * A Kubernetes label selector: requirements that are all ANDed.
 *
 * A selector with no requirements matches everything; it is only made by `LabelSelector.all()`
 * so that it never appears by accident.
 */
export class LabelSelector {
  /**
   * A selector with the given requirements; at least one is needed.
   * @param options `matchLabels` and `matchExpressions`, validated like the API server does
   */
  public static of(options: LabelSelectorOptions): LabelSelector {
    if (options === null || typeof options !== 'object') {
      throw invalid('LabelSelector', options, 'is not a selector', 'pass { matchLabels: {...} } and/or { matchExpressions: [...] }');
    }
    if (options.matchExpressions !== undefined && !Array.isArray(options.matchExpressions)) {
      throw invalid('LabelSelector.matchExpressions', options.matchExpressions, 'is not a list', 'pass [LabelExpression.in(...), ...]');
    }
    (options.matchExpressions ?? []).forEach((e, i) => {
      if (!(e instanceof LabelExpression)) {
        throw invalid(`LabelSelector.matchExpressions[${i}]`, e, 'is not a LabelExpression',
          'build it with LabelExpression.in/notIn/exists/doesNotExist, which check the operator and values');
      }
    });
    const matchLabels = validatedLabels('LabelSelector.matchLabels', options.matchLabels ?? {});
    const matchExpressions = [...(options.matchExpressions ?? [])];
    if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
      throw invalid('LabelSelector', options, 'has no matchLabels and no matchExpressions, so it would select everything',
        'give at least one label or expression, or use the explicit ".all()" factory if you mean everything');
    }
    return new LabelSelector(matchLabels, matchExpressions);
  }

  /**
   * A selector with these labels.
   * @param labels label keys and values, all of which must match (validated like the API server does)
   */
  public static withLabels(labels: { [key: string]: string }): LabelSelector {
    return LabelSelector.of({ matchLabels: labels });
  }

  /** The empty selector, which matches everything. */
  public static all(): LabelSelector {
    return new LabelSelector({}, []);
  }

  /** Label equality requirements, keys sorted. */
  public readonly matchLabels: { [key: string]: string };
  /** Expression requirements, in the order given. */
  public readonly matchExpressions: LabelExpression[];

  private constructor(matchLabels: { [key: string]: string }, matchExpressions: LabelExpression[]) {
    this.matchLabels = matchLabels;
    this.matchExpressions = matchExpressions;
    const seen = new Set<string>();
    for (const e of matchExpressions) {
      const text = e.toString();
      if (seen.has(text)) {
        throw invalid('LabelSelector.matchExpressions', text, 'is given twice', 'remove the duplicate');
      }
      seen.add(text);
    }
  }

  /** True when the selector has no requirement and so matches everything. */
  public get isAll(): boolean {
    return Object.keys(this.matchLabels).length === 0 && this.matchExpressions.length === 0;
  }

  /**
   * A selector requiring both this selector's and the other's requirements.
   * @param other the selector whose requirements are added
   */
  public and(other: LabelSelector): LabelSelector {
    const matchLabels: { [key: string]: string } = { ...this.matchLabels };
    for (const [k, v] of Object.entries(other.matchLabels)) {
      if (k in matchLabels && matchLabels[k] !== v) {
        throw invalid(`LabelSelector.matchLabels["${k}"]`, v, `conflicts with "${matchLabels[k]}", so nothing can match`,
          'use one value, or LabelExpression.in() for several');
      }
      matchLabels[k] = v;
    }
    const expressions = [...this.matchExpressions];
    const texts = new Set(expressions.map(e => e.toString()));
    for (const e of other.matchExpressions) {
      if (!texts.has(e.toString())) expressions.push(e);
    }
    return new LabelSelector(validatedLabels('LabelSelector.matchLabels', matchLabels), expressions);
  }

  /** Stable text form, e.g. `app=web,tier in (a,b)`; empty for the all-selector. */
  public toString(): string {
    return [
      ...Object.entries(this.matchLabels).map(([k, v]) => `${k}=${v}`),
      ...this.matchExpressions.map(e => e.toString()),
    ].join(',');
  }
}

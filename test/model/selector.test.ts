import { LabelExpression, LabelOperator, LabelSelector, Namespaces, Pods } from '../../src';
import { expectError } from '../util';

// ValidateLabelSelectorRequirement (k8s.io/apimachinery pkg/apis/meta/v1/validation):
// In/NotIn need values; Exists/DoesNotExist must have none; keys are qualified names and
// values label values; any other operator is "not a valid selector operator".

describe('LabelExpression', () => {
  test('In / NotIn keep values sorted and unique', () => {
    const e = LabelExpression.in('env', ['prod', 'dev', 'prod']);
    expect([e.key, e.operator, e.values]).toEqual(['env', LabelOperator.IN, ['dev', 'prod']]);
    expect(LabelExpression.notIn('env', ['x']).toString()).toBe('env NotIn (x)');
  });
  test('Exists / DoesNotExist have no values', () => {
    expect(LabelExpression.exists('a').values).toEqual([]);
    expect(LabelExpression.doesNotExist('a').toString()).toBe('!a');
  });
  test('In / NotIn without values are rejected', () => {
    expectError(() => LabelExpression.in('env', []), 'LabelExpression(env In).values', 'is empty; In needs at least one value', 'LabelExpression.exists("env")');
    expectError(() => LabelExpression.notIn('env', []), 'NotIn needs at least one value', 'LabelExpression.doesNotExist("env")');
    expectError(() => LabelExpression.of('env', LabelOperator.IN), 'In needs at least one value');
  });
  test('Exists / DoesNotExist with values are rejected', () => {
    expectError(() => LabelExpression.of('env', LabelOperator.EXISTS, ['x']), 'LabelExpression(env Exists).values', 'must be empty for Exists', 'LabelOperator.IN');
    expectError(() => LabelExpression.of('env', LabelOperator.DOES_NOT_EXIST, ['x']), 'must be empty for DoesNotExist', 'LabelOperator.NOT_IN');
  });
  test('an unknown operator is rejected', () => {
    expectError(() => LabelExpression.of('env', 'Gt' as LabelOperator, ['1']), 'LabelExpression(env).operator: "Gt" is not a label selector operator', 'LabelOperator.IN, NOT_IN');
  });
  test('LabelExpression.of with a valid operator', () => {
    expect(LabelExpression.of('a', LabelOperator.EXISTS).toString()).toBe('a');
    expect(LabelExpression.of('a', LabelOperator.NOT_IN, ['b']).values).toEqual(['b']);
  });
  test('keys and values are validated', () => {
    expectError(() => LabelExpression.exists('bad key'), 'LabelExpression.key: "bad key"', 'is not a valid label key');
    expectError(() => LabelExpression.in('env', ['ok', 'not ok']), 'LabelExpression(env In).values[1]: "not ok" is not a valid label value');
  });
});

describe('LabelSelector', () => {
  test('never matches everything by accident', () => {
    expectError(() => LabelSelector.of({}), 'LabelSelector', 'would select everything', '".all()"');
    expectError(() => LabelSelector.withLabels({}), 'would select everything');
    expectError(() => Pods.withLabels({}), 'would select everything');
    expectError(() => Namespaces.withLabels({}), 'would select everything');
    expectError(() => Pods.matchingOptions({ matchExpressions: [] }), 'would select everything');
  });
  test('only all() has no requirements', () => {
    expect(LabelSelector.all().isAll).toBe(true);
    expect(LabelSelector.withLabels({ a: 'b' }).isAll).toBe(false);
    expect(LabelSelector.all().toString()).toBe('');
  });
  test('labels are validated and sorted', () => {
    expect(Object.keys(LabelSelector.withLabels({ z: '1', a: '2' }).matchLabels)).toEqual(['a', 'z']);
    expectError(() => LabelSelector.withLabels({ app: 'a b' }), 'LabelSelector.matchLabels["app"]: "a b" is not a valid label value');
    expectError(() => LabelSelector.withLabels({ 'a/b/c': 'x' }), 'LabelSelector.matchLabels key: "a/b/c"');
  });
  test('matchExpressions must be LabelExpressions, each once', () => {
    expectError(() => LabelSelector.of({ matchExpressions: [{ key: 'a', operator: 'Exists', values: [] } as any] }),
      'LabelSelector.matchExpressions[0]', 'is not a LabelExpression', 'LabelExpression.in/notIn/exists/doesNotExist');
    expectError(() => LabelSelector.of({ matchExpressions: 'a' as any }), 'LabelSelector.matchExpressions: "a" is not a list');
    expectError(() => LabelSelector.of({ matchExpressions: [LabelExpression.exists('a'), LabelExpression.exists('a')] }),
      'LabelSelector.matchExpressions: "a" is given twice', 'remove the duplicate');
    expectError(() => LabelSelector.of(null as any), 'LabelSelector: null is not a selector');
  });
  test('and() combines requirements and rejects contradicting labels', () => {
    const s = LabelSelector.withLabels({ app: 'web' }).and(LabelSelector.of({ matchLabels: { tier: 'fe' }, matchExpressions: [LabelExpression.exists('x')] }));
    expect(s.toString()).toBe('app=web,tier=fe,x');
    expectError(() => LabelSelector.withLabels({ app: 'a' }).and(LabelSelector.withLabels({ app: 'b' })),
      'LabelSelector.matchLabels["app"]: "b" conflicts with "a"', 'LabelExpression.in()');
  });
});

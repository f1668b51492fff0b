import { IpBlock, LabelExpression, LabelSelector, NAMESPACE_NAME_LABEL, Namespaces, Pods } from '../../src';
import { peerKey } from '../../src/model/peers';
import { expectError } from '../util';

describe('Namespaces', () => {
  test('named() selects by the kubernetes.io/metadata.name label', () => {
    expect(NAMESPACE_NAME_LABEL).toBe('kubernetes.io/metadata.name');
    expect(Namespaces.named('a').toPeerConfig()).toEqual({ namespaceSelector: LabelSelector.withLabels({ [NAMESPACE_NAME_LABEL]: 'a' }) });
    const several = Namespaces.named('b', 'a', 'b');
    expect(several.selector.matchExpressions.map(e => [e.operator, e.values])).toEqual([['In', ['a', 'b']]]);
    expect(several.toString()).toBe('namespaces(a,b)');
  });
  test('named() needs valid namespace names (DNS-1123 labels)', () => {
    expectError(() => Namespaces.named(), 'Namespaces.named', 'needs at least one namespace name', 'Namespaces.all()');
    expectError(() => Namespaces.named('ok', 'Not_OK'), 'Namespaces.named[1]: "Not_OK"', 'RFC 1123 label');
  });
  test('withLabels / matching / matchingOptions / all', () => {
    expect(Namespaces.withLabels({ b: '1', a: '2' }).toString()).toBe('namespaces(a=2,b=1)');
    expect(Namespaces.matching(LabelSelector.withLabels({ a: 'b' })).toString()).toBe('namespaces(a=b)');
    expect(Namespaces.matchingOptions({ matchExpressions: [LabelExpression.exists('team')] }).toString()).toBe('namespaces(team)');
    expect(Namespaces.all().toString()).toBe('namespaces(*)');
    expect(Namespaces.all().selector.isAll).toBe(true);
  });
});

describe('Pods', () => {
  test('in the policy namespace by default; inNamespaces adds a namespace selector', () => {
    expect(Pods.withLabels({ a: 'b' }).toPeerConfig()).toEqual({ podSelector: LabelSelector.withLabels({ a: 'b' }) });
    const p = Pods.withLabels({ a: 'b' }).inNamespaces(Namespaces.all());
    expect(p.toPeerConfig()).toEqual({ podSelector: LabelSelector.withLabels({ a: 'b' }), namespaceSelector: LabelSelector.all() });
    expect(p.toString()).toBe('pods(a=b) in namespaces(*)');
    expect(Pods.all().inNamespace('x').toString()).toBe('pods(*) in namespaces(x)');
  });
  test('inNamespaces is immutable and may be given once', () => {
    const base = Pods.withLabels({ a: 'b' });
    base.inNamespace('x');
    expect(base.namespaces).toBeUndefined();
    expectError(() => base.inNamespace('x').inNamespace('y'), 'Pods.inNamespaces: "namespaces(y)"', 'is set twice (already namespaces(x))', 'call inNamespaces once');
  });
});

describe('peer identity', () => {
  test('the same peer written differently has one key; different kinds differ', () => {
    expect(peerKey(Pods.withLabels({ a: '1', b: '2' }).toPeerConfig())).toBe(peerKey(Pods.withLabels({ b: '2', a: '1' }).toPeerConfig()));
    expect(peerKey(Pods.withLabels({ a: '1' }).toPeerConfig())).not.toBe(peerKey(Namespaces.withLabels({ a: '1' }).toPeerConfig()));
    expect(peerKey(IpBlock.cidr('10.0.0.0/8').toPeerConfig())).not.toBe(peerKey(IpBlock.cidr('10.0.0.0/8', ['10.1.0.0/16']).toPeerConfig()));
  });
});

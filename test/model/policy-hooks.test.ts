// The policy-construct hooks through which the lint (or anything above the constructs) learns of
// new policies without the constructs importing it.
import { IConstruct } from 'constructs';
import { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, Endpoints, Entity, Lint, NetworkPolicy, Pods } from '../../src';
import { onPolicyConstruct } from '../../src/model/policy-hooks';
import { newChart } from '../util';

describe('policy-construct hooks', () => {
  const seen: string[] = [];
  const hook = (policy: IConstruct) => seen.push(policy.node.path);
  onPolicyConstruct(hook);
  onPolicyConstruct(hook); // installing the same hook again does nothing

  beforeEach(() => seen.splice(0));

  test('every policy construct announces itself once, after its constructor has set it up', () => {
    const chart = newChart('prod');
    new NetworkPolicy(chart, 'np', { podSelector: Pods.all() }).denyAllIngress();
    new CiliumNetworkPolicy(chart, 'cnp', { endpointSelector: Endpoints.all() }).allowFrom(Entity.WORLD);
    new CiliumClusterwideNetworkPolicy(chart, 'ccnp', { endpointSelector: Endpoints.all() }).allowFrom(Entity.WORLD);
    expect(seen).toEqual(['test/np', 'test/cnp', 'test/ccnp']);
  });

  test('a policy rejected by its constructor is not announced', () => {
    expect(() => new NetworkPolicy(newChart(), 'np', { podSelector: undefined as any })).toThrow('NetworkPolicyProps.podSelector');
    expect(seen).toEqual([]);
  });

  test('the lint, loaded with the package, enabled itself through its hook on each chart with a policy', () => {
    const chart = newChart();
    expect(Lint.of(chart)).toBeUndefined();
    new NetworkPolicy(chart, 'np', { podSelector: Pods.all() }).denyAllIngress();
    expect(Lint.of(chart)).toBeInstanceOf(Lint);
  });
});

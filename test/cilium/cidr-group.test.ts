import { CiliumCidrGroup, CiliumNetworkPolicy, CidrGroup, Endpoints } from '../../src';
import { expectError, newChart, synth } from '../util';

test('a CiliumCIDRGroup object, referenced by name and selected by labels', () => {
  const chart = newChart('prod');
  const group = new CiliumCidrGroup(chart, 'partners', {
    metadata: { name: 'partners', labels: { kind: 'partner' } },
    cidrs: ['192.0.2.0/24', '2001:db8::/48'],
  });
  const p = new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: Endpoints.withLabels({ app: 'web' }) });
  p.allowFrom(group.peer, CidrGroup.withLabels({ kind: 'partner' })).toPort(443);
  const [g, m] = synth(chart);
  expect(g).toEqual({
    apiVersion: 'cilium.io/v2alpha1',
    kind: 'CiliumCIDRGroup',
    metadata: { name: 'partners', labels: { kind: 'partner' } },
    spec: { externalCIDRs: ['192.0.2.0/24', '2001:db8::/48'] },
  });
  expect(m.spec.ingress[0].fromCIDRSet).toEqual([{ cidrGroupRef: 'partners' }, { cidrGroupSelector: { matchLabels: { kind: 'partner' } } }]);
});

test('bad CIDR groups', () => {
  const chart = newChart();
  expectError(() => new CiliumCidrGroup(chart, 'a', { cidrs: ['192.0.2.1/24'] }), 'CiliumCidrGroupProps.cidrs[0]', 'host bits', '192.0.2.0/24');
  expectError(() => new CiliumCidrGroup(chart, 'b', { cidrs: ['192.0.2.0/24', '192.0.2.0/24'] }), 'cidrs[1]', 'listed twice');
  expectError(() => new CiliumCidrGroup(chart, 'c', {} as any), 'CiliumCidrGroupProps.cidrs', 'is required');
  expectError(() => new CiliumCidrGroup(chart, 'd', { cidrs: [], metadata: { namespace: 'x' } }), 'metadata.namespace', 'cluster-scoped');
});

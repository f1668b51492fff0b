import { SchemaValidator } from './schema-validator';

describe('official-schema validator', () => {
  const validator = new SchemaValidator();

  test('accepts a valid NetworkPolicy', () => {
    expect(validator.validate({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    })).toEqual([]);
  });

  test('rejects unknown fields (strict field validation), so typos cannot pass', () => {
    expect(validator.validate({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x' },
      spec: { podSelector: {}, policyType: ['Ingress'] },
    }).join('\n')).toContain('must NOT have additional properties');
  });

  test('rejects a CiliumNetworkPolicy with a wrongly typed field', () => {
    expect(validator.validate({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'x' },
      spec: { endpointSelector: { matchLabels: { app: 'a' } }, ingress: 'nope' },
    })).not.toEqual([]);
  });

  test('accepts a valid CiliumNetworkPolicy', () => {
    expect(validator.validate({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'x' },
      spec: { endpointSelector: { matchLabels: { app: 'a' } }, ingress: [{ fromEntities: ['world'] }] },
    })).toEqual([]);
  });
});

import { fromObjects } from '../../src/wire/files';
import { CEL_RULES_IMPLEMENTED_HERE } from '../../src/wire/policy-api/validation';
import { readDocuments } from '../../src/wire/reader';
import { SCHEMA_TABLE } from '../../src/wire/schema/tables.generated';

const V1A1 = 'policy.networking.k8s.io/v1alpha1';
const V1A2 = 'policy.networking.k8s.io/v1alpha2';

function anp(spec: any, name = 'a'): any {
  return { apiVersion: V1A1, kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority: 10, subject: { namespaces: {} }, ...spec } };
}
function banp(spec: any, name = 'default'): any {
  return { apiVersion: V1A1, kind: 'BaselineAdminNetworkPolicy', metadata: { name }, spec: { subject: { namespaces: {} }, ...spec } };
}
function cnp(spec: any, name = 'c'): any {
  return { apiVersion: V1A2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ...spec } };
}

/** `severity field: message` of every diagnostic. */
function read(...objects: any[]): string[] {
  return readDocuments(fromObjects(objects).documents).diagnostics.map((d) => `${d.severity} ${d.field ?? ''}: ${d.problem ?? d.message}`);
}
function codes(...objects: any[]): string[] {
  return readDocuments(fromObjects(objects).documents).diagnostics.map((d) => `${d.severity} ${d.field ?? ''} ${d.code}`);
}

describe('AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1 (network-policy-api v0.1.8 CRDs)', () => {
  test('every CEL rule the schema interpreter leaves unchecked is implemented by the wire validation', () => {
    const unchecked = SCHEMA_TABLE.uncheckedRules.map((r) => r.rule);
    expect(unchecked.length).toBeGreaterThan(0);
    expect(unchecked.filter((r) => !CEL_RULES_IMPLEMENTED_HERE.includes(r))).toEqual([]);
  });

  test('a valid ANP and BANP read with no diagnostic, ports defaulted to TCP', () => {
    const r = readDocuments(fromObjects([
      anp({
        ingress: [{ name: 'r', action: 'Pass', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'a' } } } }], ports: [{ portNumber: { port: 80 } }, { portRange: { start: 1, end: 2 } }] }],
        egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] }],
      }),
      banp({ egress: [{ action: 'Allow', to: [{ namespaces: { matchLabels: { a: 'b' } } }] }] }),
    ]).documents);
    expect(r.diagnostics).toEqual([]);
    expect(r.objects.map((o) => o.id)).toEqual(['AdminNetworkPolicy a', 'BaselineAdminNetworkPolicy default']);
    expect(r.objects[0].value.spec.ingress[0].ports).toEqual([{ portNumber: { port: 80, protocol: 'TCP' } }, { portRange: { start: 1, end: 2, protocol: 'TCP' } }]);
  });

  test('priority 0-1000; subject, peers and ports exactly one member; Pass is no BANP action', () => {
    expect(codes(anp({ priority: 1001 }))).toEqual(['error spec.priority range']);
    expect(codes(anp({ priority: -1 }))).toEqual(['error spec.priority range']);
    expect(codes(anp({ subject: { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } } }))).toEqual(['error spec.subject properties']);
    expect(codes(anp({ subject: {} }))).toEqual(['error spec.subject properties']);
    expect(codes(anp({ egress: [{ action: 'Allow', to: [{ namespaces: {}, networks: ['10.0.0.0/8'] }] }] }))).toEqual(['error spec.egress[0].to[0] properties']);
    expect(codes(anp({ ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ portNumber: { port: 1 }, portRange: { start: 1, end: 2 } }] }] })))
      .toEqual(['error spec.ingress[0].ports[0] properties']);
    expect(codes(banp({ ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] }))).toEqual(['error spec.ingress[0].action enum']);
    expect(codes(anp({ ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] }))).toEqual(['error spec.ingress[0].action enum']);
  });

  test('rule counts: at least one peer, at most 100 rules, peers and ports; at most 25 networks', () => {
    expect(codes(anp({ ingress: [{ action: 'Allow', from: [] }] }))).toEqual(['error spec.ingress[0].from items']);
    const rules = Array.from({ length: 101 }, () => ({ action: 'Allow', from: [{ namespaces: {} }] }));
    expect(codes(anp({ ingress: rules }))).toEqual(['error spec.ingress items']);
    const networks = Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`);
    expect(codes(anp({ egress: [{ action: 'Allow', to: [{ networks }] }] }))).toEqual(['error spec.egress[0].to[0].networks items']);
    expect(codes(anp({ ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [] }] }))).toEqual(['error spec.ingress[0].ports items']);
    expect(codes(anp({ ingress: [{ name: 'x'.repeat(101), action: 'Allow', from: [{ namespaces: {} }] }] }))).toEqual(['error spec.ingress[0].name length']);
  });

  test('networks are CIDRs (isCIDR) and a set; domain names follow the CRD pattern', () => {
    expect(codes(anp({ egress: [{ action: 'Allow', to: [{ networks: ['10.0.0.0/33'] }] }] }))).toEqual(['error spec.egress[0].to[0].networks[0] rule']);
    expect(codes(anp({ egress: [{ action: 'Allow', to: [{ networks: ['10.0.0.0/8', '10.0.0.0/8'] }] }] }))).toEqual(['error spec.egress[0].to[0].networks[1] duplicate']);
    expect(codes(anp({ egress: [{ action: 'Allow', to: [{ domainNames: ['*foo.com'] }] }] }))).toEqual(['error spec.egress[0].to[0].domainNames[0] pattern']);
  });

  test('unknown fields are errors (strict field validation); ingress peers have no networks; BANP peers no domainNames', () => {
    expect(codes(anp({ ingress: [{ action: 'Allow', from: [{ networks: ['10.0.0.0/8'] }] }] }))).toEqual(['error spec.ingress[0].from[0].networks unknown-field', 'error spec.ingress[0].from[0] properties']);
    expect(codes(banp({ egress: [{ action: 'Allow', to: [{ domainNames: ['a.com'] }] }] }))).toEqual(['error spec.egress[0].to[0].domainNames unknown-field', 'error spec.egress[0].to[0] properties']);
    expect(codes(anp({ priorty: 3 }))).toEqual(['error spec.priorty unknown-field']);
  });

  test('BANP: the name must be "default" (CEL on the CRD root)', () => {
    expect(read(banp({}, 'baseline'))).toEqual([
      'error metadata.name: "baseline" is not "default": only one baseline admin network policy, with metadata.name "default", can be created in the cluster (the API server rejects this BaselineAdminNetworkPolicy; it is not analysed)',
    ]);
  });

  test('CEL: no named port with a networks, nodes or domainNames peer (experimental channel)', () => {
    expect(codes(anp({ egress: [{ action: 'Allow', to: [{ namespaces: {} }, { networks: ['10.0.0.0/8'] }], ports: [{ portNumber: { port: 1 } }, { namedPort: 'http' }] }] })))
      .toEqual(['error spec.egress[0].ports[1].namedPort forbidden']);
    expect(codes(banp({ egress: [{ action: 'Allow', to: [{ nodes: {} }], ports: [{ namedPort: 'http' }] }] })))
      .toEqual(['error spec.egress[0].ports[0].namedPort forbidden']);
  });

  test('warnings: experimental-channel fields, start after end, unknown protocols, selectors implementations reject', () => {
    expect(codes(anp({
      ingress: [{ action: 'Allow', from: [{ namespaces: { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] } }], ports: [{ namedPort: 'http' }, { portRange: { protocol: 'tcp', start: 90, end: 80 } }] }],
      egress: [{ action: 'Deny', to: [{ nodes: {} }, { domainNames: ['a.com'] }] }],
    }))).toEqual([
      'warning spec.ingress[0].from[0].namespaces.matchExpressions[0].operator invalid-selector',
      'warning spec.ingress[0].ports[0].namedPort experimental-field',
      'warning spec.ingress[0].ports[1].portRange.protocol unknown-protocol',
      'warning spec.ingress[0].ports[1].portRange empty-port-range',
      'warning spec.egress[0].to[0].nodes experimental-field',
      'warning spec.egress[0].to[1].domainNames experimental-field',
      'warning spec.egress[0].to[1].domainNames unsupported-action',
    ]);
  });

  test('a warning names the value, the consequence and the fix', () => {
    expect(read(anp({ ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ portRange: { start: 90, end: 80 } }] }] }))).toEqual([
      'warning spec.ingress[0].ports[0].portRange: {"start":90,"end":80} has start after end: the API server accepts it, but the range holds no port and implementations reject or ignore the rule',
    ]);
    const d = readDocuments(fromObjects([anp({ ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ portRange: { start: 90, end: 80 } }] }] })]).documents);
    expect(d.diagnostics[0].fix).toBe('write start: 80, end: 90');
    expect(d.objects).toHaveLength(1);
  });
});

describe('ClusterNetworkPolicy v1alpha2 (../shared CRD, standard channel)', () => {
  test('a valid policy reads with no diagnostic; pods need only a podSelector', () => {
    expect(read(cnp({
      ingress: [{ action: 'Accept', from: [{ pods: { podSelector: {} } }], protocols: [{ tcp: { destinationPort: { range: { start: 1, end: 2 } } } }, { destinationNamedPort: 'http' }] }],
      egress: [{ action: 'Pass', to: [{ networks: ['::/0'] }] }],
    }))).toEqual([]);
  });

  test('tier enum, range start < end, no tcp: {}, at most 25 rules', () => {
    expect(codes(cnp({ tier: 'admin' }))).toEqual(['error spec.tier enum']);
    expect(codes(cnp({ ingress: [{ action: 'Accept', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { range: { start: 2, end: 2 } } } }] }] })))
      .toEqual(['error spec.ingress[0].protocols[0].tcp.destinationPort.range rule']);
    expect(codes(cnp({ ingress: [{ action: 'Accept', from: [{ namespaces: {} }], protocols: [{ tcp: {} }] }] })))
      .toEqual(['error spec.ingress[0].protocols[0].tcp properties']);
    const rules = Array.from({ length: 26 }, () => ({ action: 'Deny', from: [{ namespaces: {} }] }));
    expect(codes(cnp({ ingress: rules }))).toEqual(['error spec.ingress items']);
  });

  test('warnings: a named port towards networks, a bad port name, a selector implementations reject', () => {
    expect(codes(cnp({
      subject: { pods: { podSelector: { matchLabels: { 'a/b/c': 'x' } } } },
      egress: [{ action: 'Accept', to: [{ networks: ['10.0.0.0/8'] }], protocols: [{ destinationNamedPort: 'HTTP' }] }],
    }))).toEqual([
      'warning spec.subject.pods.podSelector.matchLabels["a/b/c"] invalid-selector',
      'warning spec.egress[0].protocols[0].destinationNamedPort unmatchable-port',
      'warning spec.egress[0].protocols[0].destinationNamedPort unmatchable-port',
    ]);
  });
});

import { defaultNetworkPolicy, validateNetworkPolicy } from '../../src/wire/kubernetes/validation';
import { formatFieldPath } from '../../src/wire/source';

function np(spec: any, metadata: any = { name: 'p', namespace: 'shop' }): any {
  const o = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: { podSelector: {}, ...spec } };
  defaultNetworkPolicy(o);
  return o;
}

function problems(o: any): string[] {
  return validateNetworkPolicy(o).map((v) => `${formatFieldPath(v.path)}: ${v.message}`);
}

describe('ValidateNetworkPolicy (k8s pkg/apis/networking/validation)', () => {
  test('defaulting: policyTypes from the rules, protocol TCP', () => {
    const o = np({ egress: [{ ports: [{ port: 53 }] }] });
    expect(o.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(o.spec.egress[0].ports[0].protocol).toBe('TCP');
    expect(np({}).spec.policyTypes).toEqual(['Ingress']);
    expect(np({ policyTypes: [], egress: [] }).spec.policyTypes).toEqual(['Ingress']);
  });

  test('a selector operator is case-sensitive', () => {
    expect(problems(np({ podSelector: { matchExpressions: [{ key: 'app', operator: 'in', values: ['a'] }] } }))).toEqual([
      'spec.podSelector.matchExpressions[0].operator: "in" is not a valid selector operator; write "In" (operators are case-sensitive)',
    ]);
  });

  test('In needs values, Exists takes none', () => {
    expect(problems(np({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }, { key: 'b', operator: 'Exists', values: ['x'] }] } }))).toEqual([
      'spec.podSelector.matchExpressions[0].values: [] must be given when the operator is In; list at least one value',
      'spec.podSelector.matchExpressions[1].values: ["x"] may not be given when the operator is Exists; remove values',
    ]);
  });

  test('protocols are TCP, UDP or SCTP, exact case', () => {
    expect(problems(np({ ingress: [{ ports: [{ protocol: 'VRRP' }, { protocol: 'udp' }] }] }))).toEqual([
      'spec.ingress[0].ports[0].protocol: "VRRP" is not a supported protocol; use one of TCP, UDP, SCTP',
      'spec.ingress[0].ports[1].protocol: "udp" is not a supported protocol; write "UDP" (protocols are case-sensitive)',
    ]);
  });

  test('ports and ranges', () => {
    expect(problems(np({
      ingress: [{
        ports: [
          { protocol: 'TCP', port: 0 }, { protocol: 'TCP', port: 80, endPort: 79 }, { protocol: 'TCP', port: 'http', endPort: 90 },
          { protocol: 'TCP', endPort: 90 }, { protocol: 'TCP', port: 'Http' },
        ],
      }],
    }))).toEqual([
      'spec.ingress[0].ports[0].port: 0 is not a port number 1-65535; use a number from 1 to 65535',
      'spec.ingress[0].ports[1].endPort: 79 must be greater than or equal to port (80); use an endPort of at least 80',
      'spec.ingress[0].ports[2].endPort: 90 may not be given with the named port "http"; use a numeric port with endPort, or remove endPort',
      'spec.ingress[0].ports[3].endPort: 90 may not be given without port; set port (the start of the range) or remove endPort',
      'spec.ingress[0].ports[4].port: "Http" is not a valid port name (only lowercase letters, digits and "-"); use 1-15 lowercase letters, digits and "-", with at least one letter, no "--", not starting or ending with "-"',
    ]);
  });

  test('peers: one kind, ipBlock alone, CIDRs as Kubernetes parses them', () => {
    expect(problems(np({
      ingress: [{
        from: [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, { ipBlock: { cidr: '10/8' } },
          { ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8', '11.0.0.0/16', '10.1.0.0/16'] } }],
      }],
    }))).toEqual([
      'spec.ingress[0].from[0]: {} must specify a peer; give podSelector, namespaceSelector or ipBlock (or remove the peer: no from/to means every peer)',
      'spec.ingress[0].from[1]: ["ipBlock","podSelector"] may not specify both ipBlock and another peer; split it into separate peers',
      'spec.ingress[0].from[2].ipBlock.cidr: "10/8" is not a valid CIDR (the address must be four decimal numbers 0-255, or IPv6); give a CIDR such as 10.0.0.0/8 or 2001:db8::/64',
      'spec.ingress[0].from[3].ipBlock.except[0]: "10.0.0.0/8" must be a strict subset of cidr 10.0.0.0/8; use a block inside 10.0.0.0/8, or remove it',
      'spec.ingress[0].from[3].ipBlock.except[1]: "11.0.0.0/16" must be a strict subset of cidr 10.0.0.0/8; use a block inside 10.0.0.0/8, or remove it',
    ]);
    expect(problems(np({ egress: [{ to: [{ ipBlock: { cidr: '010.0.0.1/8', except: ['010.1.0.0/16'] } }] }] }))).toEqual([]);
  });

  test('policyTypes', () => {
    expect(problems(np({ policyTypes: ['Ingress', 'egress'] }))).toEqual(['spec.policyTypes[1]: "egress" is not a policy type; write "Egress" (case-sensitive)']);
    expect(problems(np({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }))).toEqual(['spec.policyTypes: ["Ingress","Egress","Ingress"] may not specify more than two policyTypes; list Ingress, Egress or both, once each']);
  });

  test('object metadata: names, namespaces, labels', () => {
    expect(problems(np({}, { name: 'Bad_Name', namespace: 'Bad_NS', labels: { 'a/b/c': 'x', 'ok': 'bad value' } }))).toEqual([
      'metadata.name: "Bad_Name" is not a valid RFC 1123 subdomain; use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
      'metadata.namespace: "Bad_NS" is not a valid RFC 1123 label; use lowercase letters, digits and "-", starting and ending with a letter or digit',
      'metadata.labels["a/b/c"]: "a/b/c" is not a valid key (more than one "/"); use "prefix/name" or "name"',
      'metadata.labels.ok: "bad value" is not a valid label value; use letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or the empty string)',
    ]);
  });
});

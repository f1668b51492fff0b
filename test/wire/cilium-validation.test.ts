import { CILIUM_AGENT_DEFAULTS } from '../../src/wire/cilium/agent';
import { parseCiliumPort, validateCiliumPolicy } from '../../src/wire/cilium/validation';
import { parseGoUint } from '../../src/wire/goregexp';
import { formatFieldPath } from '../../src/wire/source';

function cnp(spec: any, kind = 'CiliumNetworkPolicy'): any {
  return { apiVersion: 'cilium.io/v2', kind, metadata: { name: 'p', namespace: 'shop' }, spec };
}

function problems(o: any, config = CILIUM_AGENT_DEFAULTS): string[] {
  return validateCiliumPolicy(o, config).map((v) => `${formatFieldPath(v.path)}: ${v.message}`);
}

describe('Cilium Rule.Sanitize (pkg/policy/api rule_validation.go, 1.18)', () => {
  test('a rule needs a rule list and one selector', () => {
    expect(problems(cnp({ endpointSelector: {}, ingress: [] }))).toEqual([
      'spec: has no ingress, ingressDeny, egress or egressDeny rule, and Cilium rejects such a rule ("rule must have at least one of ...");'
      + ' add a rule, e.g. ingress: [{}] to deny all ingress of the selected endpoints',
    ]);
    expect(problems(cnp({ ingress: [{}] }))).toEqual([
      'spec: has neither endpointSelector nor nodeSelector; add endpointSelector: {} to select every endpoint (of the namespace, for a CiliumNetworkPolicy)',
    ]);
    expect(problems(cnp({ nodeSelector: {}, ingress: [{}] }))).toEqual([
      'spec.nodeSelector: {} is not allowed in a CiliumNetworkPolicy ("rule cannot have NodeSelector"); move this rule to a CiliumClusterwideNetworkPolicy',
    ]);
    expect(problems(cnp({ nodeSelector: {}, ingress: [{}] }, 'CiliumClusterwideNetworkPolicy'))).toEqual([]);
  });

  test('one kind of L3 peer per rule', () => {
    expect(problems(cnp({ endpointSelector: {}, egress: [{ toEndpoints: [{}], toFQDNs: [{ matchName: 'a.com' }] }] }))).toEqual([
      'spec.egress[0]: ["toEndpoints","toFQDNs"] combines toEndpoints and toFQDNs in one rule, which Cilium does not support ("combining ... is not supported yet"); write one rule per kind of peer (a rule allows the union anyway)',
    ]);
  });

  test('toNodes needs enable-node-selector-labels, off by default', () => {
    const o = cnp({ endpointSelector: {}, egress: [{ toNodes: [{}] }] });
    expect(problems(o)).toHaveLength(1);
    expect(problems(o)[0]).toMatch(/^spec\.egress\[0\]\.toNodes: 1 toNodes rules need the agent flag --enable-node-selector-labels/);
    expect(problems(o, { ...CILIUM_AGENT_DEFAULTS, enableNodeSelectorLabels: true })).toEqual([]);
  });

  test('selectors are validated with extended keys', () => {
    expect(problems(cnp({ endpointSelector: { matchLabels: { 'k8s:app': 'bad value' } }, ingress: [{}] }))).toEqual([
      'spec.endpointSelector.matchLabels["k8s:app"]: "bad value" is not a valid label value; use letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or the empty string) (Cilium checks the key in its extended form "source.key")',
    ]);
  });

  test('CIDRs as netip parses them', () => {
    expect(problems(cnp({ endpointSelector: {}, egress: [{ toCIDR: ['010.0.0.0/8', '10.0.0.1'] }, { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] }] }] }))).toEqual([
      'spec.egress[0].toCIDR[0]: "010.0.0.0/8" is not a CIDR Cilium can parse (is not a valid CIDR (the address must be four decimal numbers 0-255 without leading zeros, or IPv6)); write address/length without leading zeros, e.g. 10.0.0.0/8',
      'spec.egress[1].toCIDRSet[0].except[0]: "11.0.0.0/16" is not inside 10.0.0.0/8 ("allow CIDR prefix does not contain exclude CIDR prefix"); use an exception inside 10.0.0.0/8',
    ]);
  });

  test('L7 rules: TCP only (but DNS), not on port 0, DNS not on ingress, one kind', () => {
    expect(problems(cnp({
      endpointSelector: {},
      ingress: [
        { toPorts: [{ ports: [{ port: '80', protocol: 'UDP' }], rules: { http: [{}] } }] },
        { toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }], rules: { http: [{}] } }] },
        { toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] },
        { toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ path: '(?=x)' }] } }] },
      ],
    }))).toEqual([
      'spec.ingress[0].toPorts[0].ports[0].protocol: "UDP" is not TCP, and L7 rules other than DNS apply to TCP only; set protocol: TCP on this port',
      'spec.ingress[1].toPorts[0].ports: "0" is port 0, and L7 rules cannot be used when a port is 0; give the exact port',
      'spec.ingress[2].toPorts[0].rules.dns: 1 are not allowed on ingress; move the DNS rule to an egress rule',
      expect.stringMatching(/^spec\.ingress\[3\]\.toPorts\[0\]\.rules\.http\[0\]\.path: "\(\?=x\)" is not a regular expression Cilium can compile/),
    ]);
  });

  test('ICMP rules without toPorts, names of the family', () => {
    expect(problems(cnp({ endpointSelector: {}, ingress: [{ icmps: [{ fields: [{ type: 'EchoRequest', family: 'IPv6' }, { type: 'PacketTooBig' }] }], toPorts: [{ ports: [{ port: '80' }] }] }] }))).toEqual([
      'spec.ingress[0].icmps: "icmps with toPorts" may only be present without toPorts; define a separate rule for toPorts',
      expect.stringMatching(/^spec\.ingress\[0\]\.icmps\[0\]\.fields\[1\]\.type: "PacketTooBig" is not an ICMP type name of IPv4/),
    ]);
  });

  test('Kafka rules (cilium/proxy kafka PortRule.Sanitize)', () => {
    expect(problems(cnp({
      endpointSelector: {},
      ingress: [{
        toPorts: [{
          ports: [{ port: '9092', protocol: 'TCP' }],
          rules: {
            kafka: [
              { role: 'produce', apiKey: 'fetch' }, { apiKey: 'nope' }, { apiVersion: '40000' }, { topic: 'a b' }, { topic: 'back\\slash' },
            ],
          },
        }],
      }],
    }))).toEqual([
      'spec.ingress[0].toPorts[0].rules.kafka[0]: {"role":"produce","apiKey":"fetch"} sets both role and apiKey; keep one of them',
      expect.stringMatching(/^spec\.ingress\[0\]\.toPorts\[0\]\.rules\.kafka\[1\]\.apiKey: "nope" is not a Kafka API key Cilium knows/),
      'spec.ingress[0].toPorts[0].rules.kafka[2].apiVersion: "40000" is not a Kafka API version; use a decimal number 0-32767',
      'spec.ingress[0].toPorts[0].rules.kafka[3].topic: "a b" is not a Kafka topic name; use letters, digits, ".", "_" and "-"',
    ]);
  });

  test('every spec of specs is sanitized', () => {
    const o = { ...cnp(undefined), spec: undefined, specs: [{ endpointSelector: {}, ingress: [{}] }, { endpointSelector: {} }] };
    expect(problems(o)).toEqual([expect.stringMatching(/^specs\[1\]: has no ingress/)]);
  });
});

describe('Cilium port strings (PortProtocol.sanitize: IANA name, else strconv.ParseUint base 0)', () => {
  test.each([
    ['80', { number: 80 }],
    ['017', { number: 15 }],
    ['1_000', { number: 1000 }],
    ['0', { number: 0 }],
    ['HTTP', { name: 'http' }],
    ['0x50', { name: '0x50' }],
    ['08', undefined],
    ['65536', undefined],
    ['_1', undefined],
  ])('%s', (text, expected) => {
    expect(parseCiliumPort(text)).toEqual(expected);
  });
  test('parseGoUint follows strconv', () => {
    expect(parseGoUint('0x_1f')).toBe(31);
    expect(parseGoUint('0b101')).toBe(5);
    expect(parseGoUint('0o17')).toBe(15);
    expect(parseGoUint('1__0')).toBeUndefined();
    expect(parseGoUint('+1')).toBeUndefined();
  });
});

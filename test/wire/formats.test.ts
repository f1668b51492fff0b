import {
  isCelCIDR, isGoRFC3339, isOpenAPIDateTime, isQuantity, isSloppyCIDR, isSloppyIP, isSloppyIPv4,
} from '../../src/wire/schema/formats';

describe('k8s.io/utils ParseCIDRSloppy (Go 1.16 net.ParseCIDR): the CRD `cidr` format', () => {
  test.each([
    '10.0.0.0/8', '10.0.0.1/8', '0.0.0.0/0', '010.000.000.001/8', '10.0.0.0/008', '255.255.255.255/32',
    '::/0', '2001:db8::/32', '2001:DB8::1/128', '1:2:3:4:5:6:7:8/64', '1:2:3:4:5:6:7::/64', '::ffff:10.0.0.0/104',
    '::10.0.0.1/128', '00001::/16',
  ])('%s is valid', (s) => {
    expect(isSloppyCIDR(s)).toBe(true);
  });

  test.each([
    '10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/+8', '256.0.0.0/8', '10.0.0/8', '10.0.0.0.0/8',
    ' 10.0.0.0/8', '10.0.0.0/8 ', '0x10.0.0.0/8', '2001:db8::/129', '1:2:3:4:5:6:7:8::/64', '1::2::3/64',
    '1:2:3:4:5:6:7/64', 'fe80::1%eth0/64', '1.2.3.4::/64', '::1.2.3/128', '',
  ])('%j is not', (s) => {
    expect(isSloppyCIDR(s)).toBe(false);
  });

  test('ParseIPSloppy: the first "." or ":" decides the family; ipv4 also needs a dot', () => {
    expect(isSloppyIP('1.2.3.4')).toBe(true);
    expect(isSloppyIP('::ffff:1.2.3.4')).toBe(true);
    expect(isSloppyIP('1.2.3.4:80')).toBe(false);
    expect(isSloppyIPv4('::ffff:1.2.3.4')).toBe(true);
    expect(isSloppyIPv4('::1')).toBe(false);
  });
});

describe('CEL isCIDR (k8s.io/apiserver pkg/cel/library/cidr.go: netip.ParsePrefix, no IPv4-mapped IPv6)', () => {
  test.each(['10.0.0.0/8', '10.0.0.1/8', '0.0.0.0/0', '2001:db8::/32', '::/0', '1:2:3:4:5:6:7::/112', '::10.0.0.1/128'])('%s is valid', (s) => {
    expect(isCelCIDR(s)).toBe(true);
  });

  test.each([
    '010.0.0.0/8', '10.0.0.0/08', '10.0.0.0/+8', '10.0.0.0/33', '10.0.0.0', '::ffff:10.0.0.0/104', '00001::/16',
    'fe80::1%eth0/64', '1:2:3:4:5:6:7:8::/64', '10.0.0.0/8/8', '',
  ])('%j is not', (s) => {
    expect(isCelCIDR(s)).toBe(false);
  });
});

// Go accepts oddities: ".", "-" and "m" are all zero.
describe('resource.ParseQuantity', () => {
  test.each(['0', '1', '1.5', '-1', '+1', '.5', '1.', '.', '-', '500m', '1k', '1Ki', '1.5Gi', '1E', '1e3', '1E3', '1e-3', '1e+3', '2Ei', '000100', 'm'])('%j parses', (s) => {
    expect(isQuantity(s)).toBe(true);
  });

  test.each(['', '1KB', '1ki', '1e', '1 m', '1Gi5', '1e3.5', '1.5.5', '1e99999999999999999999', '--1'])('%j does not', (s) => {
    expect(isQuantity(s)).toBe(false);
  });
});

describe('time formats', () => {
  // metav1.Time: Go time.Parse(time.RFC3339), whose strict checks are disabled (time/format_rfc3339.go).
  test.each(['2024-01-31T12:00:00Z', '2024-01-31T12:00:00.123456789+02:00', '2024-02-29T00:00:00Z', '2024-01-31T1:00:00Z', '2024-01-31T12:00:00,5Z', '2024-01-31T12:00:00+24:00'])(
    'metav1.Time accepts %s', (s) => {
      expect(isGoRFC3339(s)).toBe(true);
    });

  test.each(['2023-02-29T00:00:00Z', '2024-01-31 12:00:00Z', '2024-01-31t12:00:00z', '2024-01-31T24:00:00Z', '2024-01-31T12:00:00', '2024-1-31T12:00:00Z', '2024-01-31T12:00:00+2:00'])(
    'metav1.Time rejects %s', (s) => {
      expect(isGoRFC3339(s)).toBe(false);
    });

  // The CRD `date-time` format: kube-openapi strfmt IsDateTime.
  test('CRD date-time: case-insensitive T and Z, a fraction after any character', () => {
    expect(isOpenAPIDateTime('2024-01-31t12:00:00z')).toBe(true);
    expect(isOpenAPIDateTime('2024-01-31T12:00:00x5Z')).toBe(true);
    expect(isOpenAPIDateTime('2024-01-31T12:00:00')).toBe(false);
    expect(isOpenAPIDateTime('2024-02-30T12:00:00Z')).toBe(false);
  });
});

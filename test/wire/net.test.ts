import { parseIp, parsePrefix } from '../../src/wire/net';

describe('CIDR parsing as Kubernetes reads ipBlock (k8s.io/utils/net ParseCIDRSloppy, non-strict in 1.33)', () => {
  test.each([
    ['10.0.0.0/8', '10.0.0.0/8', false],
    ['010.0.0.0/8', '10.0.0.0/8', false], // leading zeros are decimal, not octal
    ['10.0.0.1/8', '10.0.0.0/8', true], // host bits are masked
    ['10.0.0.0/08', '10.0.0.0/8', false], // the prefix length may have leading zeros
    ['0010.0.0.0/8', '10.0.0.0/8', false],
    ['2001:DB8:0::/32', '2001:db8::/32', false],
  ])('%s is %s', (text, canonical, hostBits) => {
    const p = parsePrefix(text, 'kubernetes');
    expect(typeof p).toBe('object');
    if (typeof p === 'string') return;
    expect(p.canonical).toBe(canonical);
    expect(p.hostBitsSet).toBe(hostBits);
  });

  test.each(['10/8', '10.0.0/8', '10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', 'fe80::1%eth0/64', '10.0.0.0/ 8', ' 10.0.0.0/8', '::/129', '10.0.0.0/-1'])('%s is not a CIDR', (text) => {
    expect(typeof parsePrefix(text, 'kubernetes')).toBe('string');
  });
});

describe('CIDR parsing as Cilium reads it (Go net/netip ParsePrefix)', () => {
  test.each(['010.0.0.0/8', '10.0.0.0/08', '1000.0.0.0/8'])('%s is rejected (leading zeros, long octets)', (text) => {
    expect(typeof parsePrefix(text, 'netip')).toBe('string');
  });
  test('host bits are kept as written and masked for the range', () => {
    const p = parsePrefix('10.0.0.1/8', 'netip');
    if (typeof p === 'string') throw new Error(p);
    expect(p.address).toBe(0x0a000001n);
    expect(p.first).toBe(0x0a000000n);
  });
  test('an IPv4-mapped IPv6 address stays IPv6', () => {
    const a = parseIp('::ffff:10.0.0.1', 'netip');
    expect(a).toEqual({ family: 6, value: 0xffff0a000001n, ipv4Mapped: true });
  });
});

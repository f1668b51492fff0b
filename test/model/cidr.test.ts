import { IpBlock, IpFamily } from '../../src';
import { cidrContains, parseCidr, parseCidrWithExcept } from '../../src/model/cidr';
import { expectError } from '../util';

// ValidateIPBlock (k8s.io/kubernetes pkg/apis/networking/validation): cidr and each except
// must be valid CIDRs, and each except "must be a strict subset of `cidr`". We are stricter
// than the legacy parser in two documented ways: no host bits, no leading zeros.

describe('parseCidr', () => {
  test('parses IPv4 and IPv6 blocks to canonical text and bounds', () => {
    const v4 = parseCidr('f', '10.1.0.0/16');
    expect(v4).toMatchObject({ family: IpFamily.IPV4, prefixLength: 16, text: '10.1.0.0/16' });
    expect(v4.last - v4.first).toBe(65535n);
    expect(parseCidr('f', '2001:DB8:0000::/48')).toMatchObject({ family: IpFamily.IPV6, prefixLength: 48, text: '2001:db8::/48' });
    expect(parseCidr('f', '0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(parseCidr('f', '::/0').text).toBe('::/0');
    expect(parseCidr('f', '192.168.1.7/32').text).toBe('192.168.1.7/32');
    expect(parseCidr('f', 'fe80::1/128').text).toBe('fe80::1/128');
  });

  test('host bits set: says which block was meant (IPv4)', () => {
    expectError(() => parseCidr('IpBlock.cidr', '172.17.0.1/24'), 'IpBlock.cidr: "172.17.0.1/24" has host bits set', 'did you mean 172.17.0.0/24?');
  });

  test('host bits set: says which block was meant (IPv6)', () => {
    expectError(() => parseCidr('f', '2001:db8::1/64'), 'has host bits set', 'did you mean 2001:db8::/64?');
  });

  test('no prefix length: suggests the single-address block', () => {
    expectError(() => parseCidr('f', '10.0.0.1'), 'no prefix length', 'did you mean "10.0.0.1/32"?');
    expectError(() => parseCidr('f', '2001:db8::1'), 'no prefix length', 'did you mean "2001:db8::1/128"?');
    expectError(() => parseCidr('f', 'example.com'), 'no prefix length', 'address/prefix');
  });

  test.each(['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/8 ', '10.0.0.0/a'])('rejects the IPv4 prefix of %p', text => {
    expectError(() => parseCidr('f', text), 'is not a valid CIDR', 'prefix length from 0 to 32');
  });

  test('rejects an IPv6 prefix above 128', () => {
    expectError(() => parseCidr('f', '2001:db8::/129'), 'is not a valid CIDR', 'prefix length from 0 to 128');
  });

  test.each(['256.0.0.0/8', '10.0.0/8', '010.0.0.0/8', '10.0.0.0.0/8', ' 10.0.0.0/8', '0x0a.0.0.0/8'])('rejects the IPv4 address of %p', text => {
    expectError(() => parseCidr('f', text), 'is not a valid CIDR', 'four decimal numbers 0-255 without leading zeros');
  });

  test.each(['2001:db8:::/64', '2001:dg8::/32', ':::/0'])('rejects the IPv6 address of %p', text => {
    expectError(() => parseCidr('f', text), 'is not a valid CIDR', 'IPv6 address');
  });

  test('rejects an IPv6 zone', () => {
    expectError(() => parseCidr('f', 'fe80::%eth0/64'), 'IPv6 zone', 'remove the "%zone" part');
  });

  test('rejects empty and non-string input', () => {
    expectError(() => parseCidr('f', ''), 'f: "" is not a valid CIDR', '"10.0.0.0/16"');
    expectError(() => parseCidr('f', 42 as any), 'f: 42 is not a valid CIDR');
  });
});

describe('except (strict subset of cidr)', () => {
  test('accepts exceptions strictly inside, canonicalised, in the given order', () => {
    const r = parseCidrWithExcept('IpBlock', '10.0.0.0/8', ['10.2.0.0/16', '10.1.0.0/16']);
    expect(r.except.map(e => e.text)).toEqual(['10.2.0.0/16', '10.1.0.0/16']);
    expect(cidrContains(r.cidr, r.except[0])).toBe(true);
  });

  test('an exception equal to the block leaves nothing', () => {
    expectError(() => parseCidrWithExcept('IpBlock', '10.0.0.0/8', ['10.0.0.0/8']),
      'IpBlock.except[0]: "10.0.0.0/8" is not strictly inside 10.0.0.0/8', 'remove the peer instead');
  });

  test('an exception larger than the block', () => {
    expectError(() => parseCidrWithExcept('IpBlock', '10.1.0.0/16', ['10.0.0.0/8']), 'is not strictly inside 10.1.0.0/16', 'remove the peer instead');
  });

  test('an exception outside the block', () => {
    expectError(() => parseCidrWithExcept('IpBlock', '10.0.0.0/16', ['10.1.0.0/24']), 'IpBlock.except[0]', 'is not strictly inside 10.0.0.0/16', 'smaller block within');
  });

  test('an exception of the other family', () => {
    expectError(() => parseCidrWithExcept('IpBlock', '10.0.0.0/8', ['2001:db8::/32']), 'IpBlock.except[0]', 'is IPv6 but the cidr 10.0.0.0/8 is IPv4', 'same family');
  });

  test('except must be a list', () => {
    expectError(() => IpBlock.cidr('10.0.0.0/8', '10.1.0.0/16' as any), 'IpBlock.except: "10.1.0.0/16" is not a list of CIDRs', '["10.1.0.0/16"]');
  });

  test('a repeated exception', () => {
    expectError(() => parseCidrWithExcept('IpBlock', '10.0.0.0/8', ['10.1.0.0/16', '10.1.0.0/16']), 'IpBlock.except[1]', 'is listed twice');
  });

  test('an exception with host bits is reported with its own index', () => {
    expectError(() => parseCidrWithExcept('IpBlock', '10.0.0.0/8', ['10.1.0.0/16', '10.2.0.1/16']), 'IpBlock.except[1]: "10.2.0.1/16" has host bits set', 'did you mean 10.2.0.0/16?');
  });
});

describe('IpBlock factories', () => {
  test('IpBlock.cidr validates the block and its exceptions', () => {
    expectError(() => IpBlock.cidr('172.17.0.1/24'), 'IpBlock.cidr: "172.17.0.1/24" has host bits set', 'did you mean 172.17.0.0/24?');
    expectError(() => IpBlock.cidr('172.17.0.0/16', ['172.18.1.0/24']), 'IpBlock.except[0]', 'not strictly inside 172.17.0.0/16');
  });

  test('IpBlock.cidr keeps canonical text and the exceptions', () => {
    const b = IpBlock.cidr('2001:0DB8::/32', ['2001:db8:1::/48']);
    expect(b.block).toBe('2001:db8::/32');
    expect(b.except).toEqual(['2001:db8:1::/48']);
    expect(b.toString()).toBe('ipBlock(2001:db8::/32 except 2001:db8:1::/48)');
    expect(b.toPeerConfig()).toEqual({ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } });
    expect(IpBlock.cidr('10.0.0.0/8').toPeerConfig()).toEqual({ ipBlock: { cidr: '10.0.0.0/8' } });
  });

  test('anyIpv4 / anyIpv6 are the whole address families', () => {
    expect(IpBlock.anyIpv4().block).toBe('0.0.0.0/0');
    expect(IpBlock.anyIpv6().block).toBe('::/0');
  });
});

describe('parse cache', () => {
  test('only valid input is remembered: a bad block fails every time, a good one parses the same every time', () => {
    expectError(() => parseCidr('a', '10.9.0.1/16'), 'a: "10.9.0.1/16" has host bits set');
    expectError(() => parseCidr('b', '10.9.0.1/16'), 'b: "10.9.0.1/16" has host bits set');
    expect(parseCidr('a', '10.9.0.0/16')).toBe(parseCidr('b', '10.9.0.0/16'));
    expect(Object.isFrozen(parseCidr('a', '10.9.0.0/16'))).toBe(true);
  });
});

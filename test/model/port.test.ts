import { Port, Protocol } from '../../src';
import { validateDistinctPorts, validatePortName } from '../../src/model/port';
import { expectError } from '../util';

// ValidateNetworkPolicyPort (k8s.io/kubernetes pkg/apis/networking/validation): protocol is
// TCP, UDP or SCTP; a numeric port is IsValidPortNum (1-65535); endPort must be >= port, a
// valid port number, and may not be given with a named port or without a port; a named port
// follows IsValidPortName (IANA service names).

describe('port numbers (IsValidPortNum)', () => {
  test.each([1, 80, 65535])('accept %p', n => expect(Port.tcp(n).number).toBe(n));
  test.each([0, -1, 65536, 1.5, NaN])('reject %p', n => {
    expectError(() => Port.tcp(n), 'Port.port', 'is not a valid port', 'whole number from 1 to 65535');
  });
  test('reject a string where a number is expected', () => expectError(() => Port.udp('53' as any), 'Port.port: "53" is not a valid port'));
});

describe('ranges (endPort)', () => {
  test('Port.tcpRange sets port and endPort', () => {
    const p = Port.tcpRange(8000, 8080);
    expect([p.protocol, p.number, p.endPort, p.name]).toEqual([Protocol.TCP, 8000, 8080, undefined]);
    expect(p.toString()).toBe('TCP/8000-8080');
    expect(Port.udpRange(1, 2).protocol).toBe(Protocol.UDP);
    expect(Port.sctpRange(1, 2).protocol).toBe(Protocol.SCTP);
  });
  test('endPort below port is rejected ("must be greater than or equal to `port`")', () => {
    expectError(() => Port.tcpRange(8080, 8000), 'Port.endPort: 8000 is below the start port 8080', 'use a range from 8000 to 8080');
  });
  test('endPort must itself be a valid port', () => {
    expectError(() => Port.tcpRange(80, 70000), 'Port.endPort: 70000 is not a valid port');
    expectError(() => Port.range(Protocol.UDP, 0, 10), 'Port.port: 0 is not a valid port');
  });
  test('endPort only with a numeric port: a named start is rejected, and named ports take no range', () => {
    expectError(() => Port.range(Protocol.TCP, 'http' as any, 90), 'Port.port: "http" is not a valid port');
    expect(Port.named('http').endPort).toBeUndefined();
  });
  test('a one-port range is a single port', () => expect(Port.tcpRange(80, 80).endPort).toBeUndefined());
});

describe('named ports (IsValidPortName)', () => {
  test.each(['http', 'http-metrics', 'h2c', 'a', 'x'.repeat(15), '8080-web'])('accept %p', name => {
    expect(Port.named(name).name).toBe(name);
  });
  test.each(['', 'x'.repeat(16)])('reject the length of %p', name => {
    expectError(() => Port.named(name), 'Port.named', 'is not a valid port name', '1 to 15 characters');
  });
  test.each(['HTTP', 'http--x', '-http', 'http-', 'http_x', '8080', 'a b'])('reject %p', name => {
    expectError(() => Port.named(name), `Port.named: ${JSON.stringify(name)} is not a valid port name`, 'at least one letter');
  });
  test('default to TCP and take a protocol', () => {
    expect(Port.named('dns').protocol).toBe(Protocol.TCP);
    expect(Port.named('dns', Protocol.UDP).toString()).toBe('UDP/dns');
  });
  test('validatePortName reports the field', () => expectError(() => validatePortName('x.port', 'A'), 'x.port: "A"'));
});

describe('protocols', () => {
  test('TCP, UDP, SCTP, and the Cilium-only ANY', () => {
    expect([Port.tcp(1), Port.udp(1), Port.sctp(1), Port.any(1)].map(p => p.protocol)).toEqual(['TCP', 'UDP', 'SCTP', 'ANY']);
  });
  test('anything else is rejected', () => {
    expectError(() => Port.of('ICMP' as Protocol, 1), 'Port.protocol: "ICMP" is not a protocol', 'Protocol.TCP, Protocol.UDP, Protocol.SCTP');
    expectError(() => Port.named('dns', 'tcp' as Protocol), 'Port.protocol: "tcp" is not a protocol');
    expectError(() => Port.allOf('GRE' as Protocol), 'Port.protocol: "GRE"');
  });
  test('all ports of a protocol', () => {
    expect([Port.allTcp(), Port.allUdp(), Port.allSctp(), Port.allOf(Protocol.UDP)].map(p => p.toString())).toEqual(['TCP/*', 'UDP/*', 'SCTP/*', 'UDP/*']);
  });
});

describe('distinct ports', () => {
  test('the same port twice is rejected, other protocols are different ports', () => {
    expect(() => validateDistinctPorts('r', [Port.tcp(53), Port.udp(53)])).not.toThrow();
    expectError(() => validateDistinctPorts('r.ports', [Port.tcp(53), Port.tcp(53)]), 'r.ports: "TCP/53" is listed twice', 'remove the duplicate port');
  });
});

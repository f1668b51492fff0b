/**
 * What explain, isAllowed and the matchers can ask: host names against toFQDNs (Cilium's
 * pkg/fqdn/matchpattern), ICMP and ICMPv6 types (type 0 included), IPv6 addresses.
 */
import { baseCluster, cnp } from './helpers';
import { ConnectivityAnalysis } from '../../src/analysis';
import { fqdnPatternRegExp } from '../../src/analysis/cilium';

describe('toFQDNs matchPattern as Cilium matches names (pkg/fqdn/matchpattern TestMatchPatternMatching)', () => {
  // the cases of Cilium's own test, names without the final dot (this tool compares names without it)
  test.each([
    ['cilium.io', ['cilium.io'], ['anysub.cilium.io', 'anysub.ci.io', 'anysub.ciliumandmore.io']],
    ['*.cilium.io', ['anysub.cilium.io'], ['cilium.io', 'anysub.ci.io', 'anysub.ciliumandmore.io', 'a.b.cilium.io']],
    ['*.ci*.io', ['anysub.cilium.io', 'anysub.ci.io', 'anysub.ciliumandmore.io'], ['cilium.io']],
    ['*', ['io', 'cilium.io', 'svc.cluster.local', 'service.namesace.svc.cluster.local', '_foobar._tcp.cilium.io'], ['.io', '.cilium.io']],
    ['_foobar._tcp.cilium.io', ['_foobar._tcp.cilium.io'], ['_tcp.cilium.io', 'cilium.io']],
    ['*.*.cilium.io', ['_foobar._tcp.cilium.io'], ['a.cilium.io']],
    ['CiLiUm.IO.', ['cilium.io'], []],
  ])('1.18: %s', (pattern, accept, reject) => {
    const re = fqdnPatternRegExp(pattern, '1.18');
    for (const name of accept) expect([name, re.test(name)]).toEqual([name, true]);
    for (const name of reject) expect([name, re.test(name)]).toEqual([name, false]);
  });

  test('1.18 reads **. as two one-label wildcards; 1.19 as one or more labels, and ** alone as every name', () => {
    expect(fqdnPatternRegExp('**.example.com', '1.18').test('a.b.example.com')).toBe(false);
    expect(fqdnPatternRegExp('**.example.com', '1.18').test('a.example.com')).toBe(true);
    expect(fqdnPatternRegExp('**.example.com', '1.19').test('a.b.example.com')).toBe(true);
    expect(fqdnPatternRegExp('**.example.com', '1.19').test('example.com')).toBe(false);
    expect(fqdnPatternRegExp('**', '1.18').test('a.b')).toBe(false);
    expect(fqdnPatternRegExp('**', '1.19').test('a.b')).toBe(true);
  });
});

describe('queries', () => {
  const web = { matchLabels: { app: 'web' } };
  const analysis = (cni?: string) => ConnectivityAnalysis.fromManifests([...baseCluster(), cnp('shop', 'p', {
    endpointSelector: web,
    egress: [
      { toFQDNs: [{ matchPattern: '*.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      { toFQDNs: [{ matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: '8443', protocol: 'TCP' }] }] },
      { toEntities: ['world'], icmps: [{ fields: [{ type: 0 }, { type: 'EchoRequest', family: 'IPv6' }] }] },
      { toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }] },
    ],
  })], cni ? { cni } : {});

  test('a host name is matched against every toFQDNs name and pattern, as the DNS proxy labels its addresses', () => {
    const a = analysis();
    expect(a.explain({ from: 'shop/web', to: 'www.example.com' }).connections).toBe('ICMP 0,ICMPv6 128,TCP 443');
    expect(a.explain({ from: 'shop/web', to: 'api.example.com' }).connections).toBe('ICMP 0,ICMPv6 128,TCP 443,8443');
    expect(a.explain({ from: 'shop/web', to: 'API.Example.com.' }).destination).toBe('api.example.com[FQDN]');
    // `*` is one label: a deeper name is only the outside world
    expect(a.explain({ from: 'shop/web', to: 'a.b.example.com' }).connections).toBe('ICMP 0,ICMPv6 128');
    expect(a.isAllowed({ from: 'shop/web', to: 'www.example.com', port: 443 }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'www.example.org', port: 443 }).allowed).toBe(false);
  });

  test('a host name is a destination only', () => {
    expect(() => analysis().explain({ from: 'www.example.com', to: 'shop/web' }))
      .toThrow('from: "www.example.com" is a host name, which can only be a destination (toFQDNs rules are egress rules); give the source address instead');
  });

  test('ICMP type 0 (echo reply) and ICMPv6 types are asked with port as the type', () => {
    const a = analysis();
    expect(a.isAllowed({ from: 'shop/web', to: '8.8.8.8', protocol: 'ICMP', port: 0 }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: '8.8.8.8', protocol: 'ICMP', port: 8 }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'shop/web', to: '8.8.8.8', protocol: 'icmpv6', port: 128 }).allowed).toBe(true);
    expect(() => a.isAllowed({ from: 'shop/web', to: '8.8.8.8', protocol: 'ICMP', port: 256 })).toThrow('port: 256 is not an ICMP type 0-255 (for ICMP, port is the ICMP type)');
    expect(() => a.isAllowed({ from: 'shop/web', to: '8.8.8.8', protocol: 'TCP', port: 0 })).toThrow('port: 0 is not a port number 1-65535');
  });

  test('an IPv6 address no policy names is the outside world', () => {
    const a = analysis();
    const e = a.explain({ from: 'shop/web', to: '2001:db8::1' });
    expect(e.destination).toBe('2001:db8::1-2001:db8::1[External]');
    expect(e.connections).toBe('ICMP 0,ICMPv6 128');
    expect(a.isAllowed({ from: 'other/client', to: '2001:db8::1', port: 443 }).allowed).toBe(true);
  });

  test('an IPv6 address inside a policy\'s IPv6 block takes that block\'s verdict', () => {
    const a = ConnectivityAnalysis.fromManifests([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: web, egress: [{ toCIDR: ['2001:db8::/32'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
    })]);
    expect(a.isAllowed({ from: 'shop/web', to: '2001:db8::1', port: 80 }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: '2001:db9::1', port: 80 }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'shop/web', to: '10.0.0.1', port: 80 }).allowed).toBe(false);
  });
});

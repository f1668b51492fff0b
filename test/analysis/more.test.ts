import { analyze, baseCluster, API, ccnp, cnp, deploy, netpol, WEB } from './helpers';

describe('more Kubernetes rules', () => {
  test('policyTypes [Egress] only: ingress rules have no effect and ingress stays open', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'p', {
      podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    })]);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(false);
  });

  test('IPv6 ipBlocks produce IPv6 ranges', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'v6', {
      podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/8', except: ['fd00:1::/32'] } }] }],
    })]);
    expect(a.toText()).toContain(`fd00::-fd00:0:ffff:ffff:ffff:ffff:ffff:ffff[External] => ${WEB} : All Connections`);
    expect(a.isAllowed({ from: 'fd00:1::5', to: 'shop/web' }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'fd00:2::5', to: 'shop/web' }).allowed).toBe(true);
  });

  test('a bad CIDR names the field and the expected form', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'bad', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] })]);
    expect(a.diagnostics[0].message).toBe('NetworkPolicy shop/bad spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a valid CIDR (prefix length 33 is more than 32);'
      + ' give a CIDR such as 10.0.0.0/8 or 2001:db8::/64 (the API server rejects this NetworkPolicy; it is not analysed)');
  });

  test('a protocol-only query and an unknown protocol', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api', protocol: 'udp' }).connections).toBe('UDP 53');
    expect(() => a.isAllowed({ from: 'shop/web', to: 'shop/api', protocol: 'ICMP' })).toThrow(/ICMP is only modelled when Cilium policies are analysed/);
    expect(() => a.isAllowed({ from: 'shop/web', to: 'shop/api', protocol: 'GRE' })).toThrow(/protocol: "GRE" is not one of TCP, UDP, SCTP, ICMP, ICMPv6/);
  });

  test('an ambiguous short name lists the candidates', () => {
    const a = analyze([...baseCluster(), deploy('other', 'web', { app: 'web' })]);
    expect(() => a.explain({ from: 'web', to: 'shop/api' })).toThrow(/from: "web" is ambiguous; it matches other\/web\[Deployment\], shop\/web\[Deployment\]/);
  });
});

describe('more Cilium rules', () => {
  test('any: label prefix and Cilium named ports (protocol ANY resolves on the destination)', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: { matchLabels: { 'any:app': 'api' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'any:app': 'web' } }], toPorts: [{ ports: [{ port: 'dns' }, { port: 'http' }] }] }],
    })]);
    expect(a.toText()).toContain(`${WEB} => ${API} : TCP 9090,UDP 53`);
  });

  test('reserved:host in an endpoint selector selects the host entity', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'api' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'reserved:host': '' } }] }, { fromEntities: ['remote-node'] }],
    })]);
    expect(a.isAllowed({ from: '{remote-node}', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: '{host}', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
  });

  test('the all entity allows everything, including outside addresses', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{ fromEntities: ['all'] }] })]);
    expect(a.isAllowed({ from: '1.2.3.4', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
  });

  test('world-ipv6 only allows IPv6 destinations', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEntities: ['world-ipv6'] }] })]);
    expect(a.toText()).toContain(`${WEB} => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections`);
    expect(a.isAllowed({ from: 'shop/web', to: '8.8.8.8' }).allowed).toBe(false);
  });

  test('specs: each rule is a separate policy rule set', () => {
    const a = analyze([...baseCluster(), {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'multi', namespace: 'shop' },
      specs: [
        { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] },
        { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [{ matchLabels: { app: 'api' } }] }] },
      ],
    }]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(false);
    expect(a.explain({ from: 'shop/web', to: 'shop/api' }).egress.allowedBy[0].rule).toBe('CiliumNetworkPolicy shop/multi specs[1] egress rule #1');
  });

  test('CCNP empty endpoint selector in a peer selects every endpoint of the cluster', () => {
    const a = analyze([...baseCluster(), ccnp('p', { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{ fromEndpoints: [{}] }] })]);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: '1.2.3.4', to: 'shop/api' }).allowed).toBe(false);
  });

  test('a Kubernetes egress ipBlock 0.0.0.0/0 also reaches FQDN peers named by Cilium policies', () => {
    const a = analyze([...baseCluster(),
      netpol('shop', 'eg', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
      cnp('shop', 'fqdn', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toFQDNs: [{ matchPattern: '*.example.com' }] }] })]);
    expect(a.isAllowed({ from: 'shop/api', to: '*.example.com' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: '*.example.com' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(false);
  });

  test('deprecated fields are reported, not silently applied', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{ fromRequires: [{ matchLabels: { env: 'prod' } }], fromEndpoints: [{}] }],
    })]);
    expect(a.diagnostics.map((d) => d.message).join('\n')).toMatch(/spec.ingress\[0\].fromRequires is deprecated since Cilium 1.17/);
  });
});

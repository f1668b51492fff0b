import { analyze, baseCluster, API, CLIENT, ccnp, cnp, deploy, netpol, WEB } from './helpers';

const api = { matchLabels: { app: 'api' } };

describe('Cilium policy semantics', () => {
  test('selection makes an endpoint default-deny in the directions the rule has', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'api-in', { endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api', port: 9090 }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'shop/api', to: 'other/client' }).allowed).toBe(true); // egress untouched
  });

  test('enableDefaultDeny false keeps the endpoint open while adding rules', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'api-in', {
      endpointSelector: api, enableDefaultDeny: { ingress: false }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }],
    })]);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
  });

  test('an empty rule list does not apply; an empty rule {} enables default deny and allows nothing', () => {
    const empty = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, ingress: [] })]);
    expect(empty.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    const denyAll = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, ingress: [{}] })]);
    expect(denyAll.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(denyAll.isAllowed({ from: '1.2.3.4', to: 'shop/api' }).allowed).toBe(false);
  });

  test('a rule with only toPorts applies to every peer (L4-only)', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] }] })]);
    expect(a.explain({ from: 'other/client', to: 'shop/api' }).connections).toBe('TCP 9090');
    expect(a.explain({ from: '8.8.8.8', to: 'shop/api' }).connections).toBe('TCP 9090');
  });

  test('deny beats allow', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: api,
      ingress: [{ fromEntities: ['cluster'] }],
      ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] }],
    })]);
    const e = a.explain({ from: 'shop/web', to: 'shop/api', port: 9090 });
    expect(e.allowed).toBe(false);
    expect(e.ingress.deniedBy.map((r) => r.rule)).toEqual(['CiliumNetworkPolicy shop/p ingressDeny rule #1']);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api', port: 53, protocol: 'UDP' }).allowed).toBe(true);
  });

  test('a deny rule applies even to endpoints that are not default-deny, and beats Kubernetes allows', () => {
    const a = analyze([...baseCluster(),
      netpol('shop', 'allow-all', { podSelector: {}, ingress: [{}] }),
      cnp('shop', 'deny', { endpointSelector: api, enableDefaultDeny: { ingress: false }, ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
  });

  test('CNP peer selectors are scoped to the policy namespace unless they name io.kubernetes.pod.namespace', () => {
    const extra = [deploy('other', 'web', { app: 'web' })];
    const scoped = analyze([...baseCluster(), ...extra, cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] })]);
    expect(scoped.isAllowed({ from: 'other/web', to: 'shop/api' }).allowed).toBe(false);
    expect(scoped.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    const cross = analyze([...baseCluster(), ...extra, cnp('shop', 'p', {
      endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other', 'k8s:app': 'web' } }] }],
    })]);
    expect(cross.isAllowed({ from: 'other/web', to: 'shop/api' }).allowed).toBe(true);
    expect(cross.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
  });

  test('CNP endpointSelector selects only its namespace; CCNP selectors are cluster-wide', () => {
    const extra = [deploy('other', 'api', { app: 'api' })];
    const ns = analyze([...baseCluster(), ...extra, cnp('shop', 'p', { endpointSelector: api, ingress: [{}] })]);
    expect(ns.isAllowed({ from: 'shop/web', to: 'other/api' }).allowed).toBe(true);
    const cw = analyze([...baseCluster(), ...extra, ccnp('p', { endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'client' } }] }] })]);
    expect(cw.isAllowed({ from: 'shop/web', to: 'other/api' }).allowed).toBe(false);
    expect(cw.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
  });

  test('namespace labels via io.cilium.k8s.namespace.labels', () => {
    const a = analyze([...baseCluster(), ccnp('p', {
      endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'other' } }] }],
    })]);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
  });

  test('entities: world is outside the cluster, cluster is every pod, host becomes a peer', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEntities: ['world'] }, { fromEntities: ['host'] }] })]);
    expect(a.isAllowed({ from: '1.2.3.4', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    expect(a.toText()).toContain(`{host} => ${API} : All Connections`);
    const c = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEntities: ['cluster'] }] })]);
    expect(c.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
    expect(c.isAllowed({ from: '1.2.3.4', to: 'shop/api' }).allowed).toBe(false);
  });

  test('CIDR rules with except select outside addresses as maximal ranges', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toCIDRSet: [{ cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }],
    })]);
    const t = a.toText();
    expect(t).toContain(`${WEB} => 192.168.0.0-192.168.0.255[External] : TCP 443`);
    expect(t).toContain(`${WEB} => 192.168.2.0-192.168.255.255[External] : TCP 443`);
    expect(t).not.toContain(`${WEB} => 192.168.1.0-192.168.1.255[External]`);
  });

  test('cidrGroupRef and cidrGroupSelector stand for the externalCIDRs of the CiliumCIDRGroups named or selected', () => {
    const group = (name: string, labels: any, cidrs: string[]) => ({
      apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', metadata: { name, labels }, spec: { externalCIDRs: cidrs },
    });
    const groups = [group('partners', { kind: 'partner' }, ['203.0.113.0/24']), group('vendors', { kind: 'vendor' }, ['198.51.100.0/24'])];
    const byRef = analyze([...baseCluster(), ...groups, cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toCIDRSet: [{ cidrGroupRef: 'partners', except: ['203.0.113.128/25'] }] }],
    })]);
    const t = byRef.toText();
    expect(t).toContain(`${WEB} => 203.0.113.0-203.0.113.127[External] : All Connections`);
    expect(t).not.toContain(`${WEB} => 203.0.113.128-203.0.113.255[External]`);
    expect(t).not.toContain(`${WEB} => 198.51.100.0-198.51.100.255[External]`);

    const bySelector = analyze([...baseCluster(), ...groups, cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toCIDRSet: [{ cidrGroupSelector: { matchLabels: { kind: 'vendor' } } }] }],
    })]);
    expect(bySelector.toText()).toContain(`${WEB} => 198.51.100.0-198.51.100.255[External] : All Connections`);
    expect(bySelector.toText()).not.toContain(`${WEB} => 203.0.113.0-203.0.113.255[External]`);

    const missing = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toCIDRSet: [{ cidrGroupRef: 'nobody' }] }],
    })]);
    expect(missing.diagnostics.map((d) => d.message).join('\n')).toContain('no CiliumCIDRGroup named "nobody"');
    expect(missing.toText()).not.toContain(`${WEB} => 0.0.0.0`);
  });

  test('toFQDNs destinations are named external peers', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toFQDNs: [{ matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }],
    })]);
    expect(a.toText()).toContain(`${WEB} => api.example.com[FQDN] : TCP 443`);
    expect(a.isAllowed({ from: 'shop/web', to: 'api.example.com', port: 443 }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
  });

  test('L7 rules of both sides are shown per side: a request must pass the egress and the ingress proxy', () => {
    const a = analyze([...baseCluster(),
      cnp('shop', 'api-in', { endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/' }] } }] }] }),
      cnp('shop', 'web-out', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toEndpoints: [api], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/api' }, { method: 'POST', path: '/api' }] } }] }],
      })]);
    expect(a.toText()).toContain(`${WEB} => ${API} : TCP 9090 [egress: HTTP GET /api, HTTP POST /api; ingress: HTTP GET /]`);
    expect(a.connections().find((c) => c.destination === API && c.source === WEB)!.l7Rules)
      .toEqual(['egress TCP 9090: HTTP GET /api, HTTP POST /api', 'ingress TCP 9090: HTTP GET /']);
    expect(a.toJson().find((c: any) => c.src === WEB && c.dst === API).l7).toEqual([
      { direction: 'egress', protocol: 'TCP', port: 9090, rules: ['HTTP GET /api', 'HTTP POST /api'] },
      { direction: 'ingress', protocol: 'TCP', port: 9090, rules: ['HTTP GET /'] },
    ]);
  });

  test('ICMP rules and L7 rules are reported on the connection', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', {
      endpointSelector: api,
      ingress: [
        { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/api' }] } }] },
        { fromEndpoints: [{ matchLabels: { app: 'web' } }], icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] },
      ],
    })]);
    expect(a.toText()).toContain(`${WEB} => ${API} : ICMP 8,TCP 9090 [ingress: HTTP GET /api]`);
    expect(a.connections().find((c) => c.destination === API && c.source === WEB)!.l7Rules).toEqual(['ingress TCP 9090: HTTP GET /api']);
  });

  test('toServices selects the pods behind the Service', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 9090 }] } };
    const a = analyze([...baseCluster(), svc, cnp('shop', 'p', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toServices: [{ k8sService: { serviceName: 'api', namespace: 'shop' } }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(false);
  });

  test('toServices k8sServiceSelector selects Services by their own labels, then the pods behind them', () => {
    const svc = (name: string, labels: any, selector: any) => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: name === 'client' ? 'other' : 'shop', labels }, spec: { selector, ports: [{ port: 80 }] },
    });
    const policy = cnp('shop', 'p', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toServices: [{ k8sServiceSelector: { selector: { matchLabels: { exposed: 'yes' } } } }] }],
    });
    const a = analyze([...baseCluster(), svc('api', { exposed: 'yes' }, { app: 'api' }), svc('client', { exposed: 'no' }, { app: 'client' }), policy]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    // The client Service exists but its labels do not match the selector.
    expect(a.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(false);
  });

  test('Kubernetes and Cilium policies on the same endpoint are enforced together (allows add up)', () => {
    const a = analyze([...baseCluster(),
      netpol('shop', 'k8s', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 9090 }] }] }),
      cnp('shop', 'cil', { endpointSelector: api, ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }] })]);
    expect(a.explain({ from: 'shop/web', to: 'shop/api' }).connections).toBe('TCP 9090,UDP 53');
    expect(a.explain({ from: 'other/client', to: 'shop/api' }).connections).toBe('TCP 9090');
    expect(a.explain({ from: 'other/client', to: 'shop/web' }).connections).toBe('All Connections');
  });

  test('invalid entity names the field and the accepted values', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: api, ingress: [{ fromEntities: ['internet'] }] })]);
    expect(a.diagnostics[0].message).toBe('CiliumNetworkPolicy shop/p spec.ingress[0].fromEntities[0]: unsupported value "internet": use one of "all", "world", "cluster", "host", "init",'
      + ' "ingress", "unmanaged", "remote-node", "health", "none", "kube-apiserver" (the API server rejects this CiliumNetworkPolicy; it is not analysed)');
  });

  test('explain of a Cilium denial names the isolating policy', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'api-in', { endpointSelector: api, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] })]);
    const v = a.isAllowed({ from: CLIENT.replace('[Deployment]', ''), to: 'shop/api', port: 9090 });
    expect(v.reason).toBe('denied on ingress of shop/api[Deployment]: isolated by CiliumNetworkPolicy shop/api-in and no rule allows it');
  });
});

describe('entity none (selects nothing, entity.go EntityNone)', () => {
  test('a rule to none allows nothing but still isolates; no {none} peer appears', () => {
    const a = analyze([...baseCluster(), cnp('shop', 'p', { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{ fromEntities: ['none'] }] })]);
    expect(a.diagnostics).toEqual([]);
    expect(a.toText()).not.toContain('{none}');
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' })).toMatchObject({ allowed: false });
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).reason).toMatch(/isolated by CiliumNetworkPolicy shop\/p/);
  });
});

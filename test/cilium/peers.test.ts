import {
  CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, Cidr, CidrGroup, Endpoints, Entity, Fqdn, Icmp, LabelExpression,
  LabelSelector, Nodes, Port, Service,
} from '../../src';
import { Lint } from '../../src/lint';
import { expectError, newChart, synth, toYaml } from '../util';

function cnp(chart = newChart('prod')) {
  return new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: Endpoints.withLabels({ app: 'web' }) });
}

describe('endpoints and namespace scoping', () => {
  test('a CNP endpoint peer without scoping stays in the policy namespace; scoping uses Cilium label keys', () => {
    const chart = newChart('prod');
    const p = cnp(chart);
    p.allowFrom(
      Endpoints.withLabels({ app: 'a' }),
      Endpoints.withLabels({ app: 'b' }).inNamespace('team-b'),
      Endpoints.withLabels({ app: 'c' }).inNamespaces('x', 'y'),
      Endpoints.all().inNamespacesWithLabels({ team: 'payments' }),
      Endpoints.matching(LabelSelector.of({ matchExpressions: [LabelExpression.exists('monitoring')] })).inAnyNamespace(),
    );
    const [m] = synth(chart);
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.ingress).toEqual([{
      fromEndpoints: [
        { matchLabels: { app: 'a' } },
        { matchLabels: { 'app': 'b', 'k8s:io.kubernetes.pod.namespace': 'team-b' } },
        { matchLabels: { app: 'c' }, matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: ['x', 'y'] }] },
        { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'payments' }, matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] },
        { matchExpressions: [{ key: 'monitoring', operator: 'Exists' }, { key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] },
      ],
    }]);
  });

  test('Endpoints.all() renders the empty selector', () => {
    const chart = newChart('prod');
    cnp(chart).allowFrom(Endpoints.all());
    expect(synth(chart)[0].spec.ingress).toEqual([{ fromEndpoints: [{}] }]);
  });

  test('bad namespace scoping is rejected', () => {
    expectError(() => Endpoints.all().inNamespace('Bad_NS'), 'Endpoints.inNamespaces[0]', 'Bad_NS', 'RFC 1123');
    expectError(() => Endpoints.all().inNamespace('a').inNamespace('b'), 'Endpoints.inNamespaces', 'set twice', 'once');
    expectError(() => Endpoints.all().inNamespaces(), 'Endpoints.inNamespaces', 'at least one namespace');
    expectError(() => Endpoints.all().inNamespacesWithLabels({}), 'Endpoints.inNamespacesWithLabels', 'non-empty');
    expectError(() => Endpoints.all().inNamespacesWithLabels({ 'bad key!': 'x' }), 'Endpoints.inNamespacesWithLabels key', 'bad key!');
    expectError(() => Endpoints.withLabels({ app: 'bad value!' }), 'LabelSelector.matchLabels["app"]', 'bad value!');
  });
});

describe('entities', () => {
  test('every entity Cilium 1.18 defines renders its name', () => {
    const chart = newChart('prod');
    const all = [Entity.ALL, Entity.WORLD, Entity.CLUSTER, Entity.HOST, Entity.REMOTE_NODE, Entity.KUBE_APISERVER,
      Entity.INGRESS, Entity.HEALTH, Entity.INIT, Entity.UNMANAGED, Entity.NONE];
    cnp(chart).allowTo(...all);
    expect(synth(chart)[0].spec.egress).toEqual([{
      toEntities: ['all', 'world', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'ingress', 'health', 'init', 'unmanaged', 'none'],
    }]);
    expect(Entity.of('remote-node').entityName).toBe('remote-node');
  });

  test('unknown entity names are rejected with the list', () => {
    expectError(() => Entity.of('internet'), 'Entity', '"internet"', 'is not a Cilium entity', 'world');
    // pkg/policy/api/entity.go: EntitySelectorMapping has world-ipv4/world-ipv6, the CRD enum does not.
    expectError(() => Entity.of('world-ipv4'), 'Entity: "world-ipv4"', 'not in the CiliumNetworkPolicy CRD\'s entity enum', 'Cidr.anyIpv4()');
    expectError(() => Entity.of('world-ipv6'), 'Entity: "world-ipv6"', 'Cidr.anyIpv6()');
    expectError(() => Entity.of('constructor'), 'Entity: "constructor" is not a Cilium entity');
  });
});

describe('CIDRs and CIDR groups', () => {
  test('plain CIDRs render as toCIDR; exceptions and groups switch the whole rule to toCIDRSet', () => {
    const chart = newChart('prod');
    const p = cnp(chart);
    p.allowTo(Cidr.of('10.0.0.0/8'), Cidr.of('2001:db8::/32'));
    p.allowTo(Cidr.of('10.0.0.0/8', ['10.1.0.0/16']), Cidr.of('192.168.0.0/16'), CidrGroup.named('partners'), CidrGroup.withLabels({ env: 'prod' }));
    p.allowFrom(Cidr.anyIpv4(), Cidr.anyIpv6());
    const [m] = synth(chart);
    expect(m.spec.egress).toEqual([
      { toCIDR: ['10.0.0.0/8', '2001:db8::/32'] },
      {
        toCIDRSet: [
          { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
          { cidr: '192.168.0.0/16' },
          { cidrGroupRef: 'partners' },
          { cidrGroupSelector: { matchLabels: { env: 'prod' } } },
        ],
      },
    ]);
    expect(m.spec.ingress).toEqual([{ fromCIDR: ['0.0.0.0/0', '::/0'] }]);
  });

  test('CIDR rules are the shared ones (host bits, exceptions inside, same family)', () => {
    expectError(() => Cidr.of('172.17.0.1/24'), 'Cidr.cidr', 'host bits', '172.17.0.0/24');
    expectError(() => Cidr.of('10.0.0.0/8', ['11.0.0.0/16']), 'Cidr.except[0]', 'not strictly inside');
    expectError(() => Cidr.of('10.0.0.0/8', ['2001:db8::/64']), 'Cidr.except[0]', 'same family');
    expectError(() => Cidr.of('10.0.0.0'), 'Cidr.cidr', 'no prefix length', '10.0.0.0/32');
    expectError(() => CidrGroup.named('Bad_Group'), 'CidrGroup.named', 'Bad_Group');
    expectError(() => CidrGroup.matching(LabelSelector.all()), 'CidrGroup.matching', 'every CiliumCIDRGroup');
  });
});

describe('FQDNs, services and nodes', () => {
  test('FQDN names and patterns, services by name and selector, nodes', () => {
    const chart = newChart('prod');
    const p = new CiliumClusterwideNetworkPolicy(chart, 'c', { metadata: { name: 'c' }, endpointSelector: Endpoints.withLabels({ app: 'web' }).inNamespace('prod') });
    p.allowTo(Fqdn.named('api.example.com'), Fqdn.pattern('*.cdn.example.com')).toPort(443);
    p.allowTo(Service.named('db', 'data'), Service.withLabels({ tier: 'cache' }), Service.matching(LabelSelector.withLabels({ a: 'b' }), 'other')).toPort(5432);
    p.allowFrom(Nodes.withLabels({ 'node-role.kubernetes.io/control-plane': '' }), Nodes.all());
    // fromNodes needs the agent's enable-node-selector-labels (Cilium rejects the policy without it)
    expect(() => synth(chart)).toThrow(/fromNodes rules need the agent flag --enable-node-selector-labels/);
    Lint.enable(chart, { ciliumAgent: { enableNodeSelectorLabels: true } });
    const [m] = synth(chart, { ciliumAgent: { enableNodeSelectorLabels: true } });
    expect(toYaml([m])).toMatchSnapshot();
    expect(m.spec.egress.slice(0, 2)).toEqual([
      { toFQDNs: [{ matchName: 'api.example.com' }, { matchPattern: '*.cdn.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      {
        toServices: [
          { k8sService: { serviceName: 'db', namespace: 'data' } },
          { k8sServiceSelector: { selector: { matchLabels: { tier: 'cache' } } } },
          { k8sServiceSelector: { selector: { matchLabels: { a: 'b' } }, namespace: 'other' } },
        ],
        toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
      },
    ]);
    expect(m.spec.ingress).toEqual([{ fromNodes: [{ matchLabels: { 'node-role.kubernetes.io/control-plane': '' } }, {}] }]);
  });

  // Cilium reads an omitted toServices namespace as every namespace (pkg/k8s rule_translate.go
  // serviceMatches), so the documented default (the policy's namespace) is written out.
  test('a CNP Service peer without a namespace is pinned to the policy namespace', () => {
    const chart = newChart('prod');
    cnp(chart).allowTo(Service.named('db'), Service.withLabels({ tier: 'cache' }), Service.named('x', 'other')).toPort(5432);
    const [m] = synth(chart);
    expect(m.spec.egress[0].toServices).toEqual([
      { k8sService: { serviceName: 'db', namespace: 'prod' } },
      { k8sServiceSelector: { selector: { matchLabels: { tier: 'cache' } }, namespace: 'prod' } },
      { k8sService: { serviceName: 'x', namespace: 'other' } },
    ]);
    const own = newChart();
    new CiliumNetworkPolicy(own, 'p', { metadata: { name: 'p', namespace: 'shop' }, endpointSelector: Endpoints.all() }).allowTo(Service.named('db')).toPort(5432);
    expect(synth(own)[0].spec.egress[0].toServices).toEqual([{ k8sService: { serviceName: 'db', namespace: 'shop' } }]);
  });

  test('a CNP without a namespace cannot lend one to a Service peer: synth names the fix', () => {
    const chart = newChart();
    new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: Endpoints.all() }).allowTo(Service.named('db')).toPort(5432);
    expectError(() => synth(chart), 'toServices db has no namespace', 'Cilium would match Services of every namespace', 'set metadata.namespace or the chart namespace');
    const ok = newChart();
    new CiliumNetworkPolicy(ok, 'p', { metadata: { name: 'p' }, endpointSelector: Endpoints.all() }).allowTo(Service.named('db', 'data')).toPort(5432);
    expect(synth(ok)[0].spec.egress[0].toServices).toEqual([{ k8sService: { serviceName: 'db', namespace: 'data' } }]);
  });

  test('FQDN syntax (toFQDNs matchName/matchPattern rules of the CRD)', () => {
    expectError(() => Fqdn.named('*.example.com'), 'Fqdn.named', 'is not a valid DNS name', 'Fqdn.pattern');
    expectError(() => Fqdn.named('exa mple.com'), 'Fqdn.named', 'exa mple.com');
    expectError(() => Fqdn.named('a..b'), 'Fqdn.named', 'a..b', 'empty label', 'remove the extra "."');
    expectError(() => Fqdn.pattern('*.exa$mple.com'), 'Fqdn.pattern', 'not a valid DNS pattern');
    expectError(() => Fqdn.named('a'.repeat(256)), 'Fqdn.named', '255');
    expectError(() => Service.named('Bad'), 'Service.named', 'Bad');
  });

  test('egress-only peers are rejected on ingress and in egressDeny where Cilium has no such field', () => {
    const p = cnp();
    expectError(() => p.allowFrom(Fqdn.named('a.example.com')), '.ingress[0].from[0]', 'FQDN on ingress', 'allowTo');
    expectError(() => p.denyFrom(Service.named('db')), '.ingressDeny[0].from[0]', 'toServices is egress only');
    expectError(() => p.denyTo(Fqdn.named('a.example.com')), '.egressDeny[0].to[0]', 'no toFQDNs in egressDeny', 'deny by CIDR');
  });
});

describe('rules and peers', () => {
  test('peers of several kinds in one call become one rule per kind, sharing the ports (Cilium allows one L3 kind per rule)', () => {
    const chart = newChart('prod');
    cnp(chart).allowFrom(Endpoints.withLabels({ app: 'a' }), Entity.HOST, Cidr.of('10.0.0.0/8')).toPorts(Port.tcp(80), Port.udpRange(9000, 9100));
    const ports = [{ ports: [{ port: '80', protocol: 'TCP' }, { port: '9000', endPort: 9100, protocol: 'UDP' }] }];
    expect(synth(chart)[0].spec.ingress).toEqual([
      { fromEndpoints: [{ matchLabels: { app: 'a' } }], toPorts: ports },
      { fromEntities: ['host'], toPorts: ports },
      { fromCIDR: ['10.0.0.0/8'], toPorts: ports },
    ]);
  });

  test('ports: ANY, SCTP, named ports and every port of a protocol (port "0")', () => {
    const chart = newChart('prod');
    cnp(chart).allowTo(Entity.WORLD).toPorts(Port.any(53), Port.sctp(3868), Port.named('metrics'), Port.allUdp());
    expect(synth(chart)[0].spec.egress[0].toPorts).toEqual([{
      ports: [{ port: '53', protocol: 'ANY' }, { port: '3868', protocol: 'SCTP' }, { port: 'metrics', protocol: 'TCP' }, { port: '0', protocol: 'UDP' }],
    }]);
  });

  test('ICMP types by number and by name for IPv4 and IPv6', () => {
    const chart = newChart('prod');
    cnp(chart).allowFrom(Entity.CLUSTER).toIcmp(Icmp.ipv4(8), Icmp.ipv4Named('EchoReply'), Icmp.ipv6Named('EchoRequest'), Icmp.ipv6(135), Icmp.ipv6Named('ExtendedEchoReply'));
    expect(synth(chart)[0].spec.ingress).toEqual([{
      fromEntities: ['cluster'],
      icmps: [{
        fields: [
          { family: 'IPv4', type: 8 }, { family: 'IPv4', type: 'EchoReply' }, { family: 'IPv6', type: 'EchoRequest' },
          { family: 'IPv6', type: 135 },
          // The 1.18 CRD pattern misspells this name, so it is written as its number.
          { family: 'IPv6', type: 161 },
        ],
      }],
    }]);
  });

  test('ICMP names and numbers are checked per family', () => {
    expectError(() => Icmp.ipv4Named('NeighborSolicitation'), 'Icmp.ipv4Named', 'is not an IPv4 ICMP type name', 'ICMPv6 name', 'ipv6Named');
    expectError(() => Icmp.ipv6Named('Photuris'), 'Icmp.ipv6Named', 'ICMPv4 name');
    expectError(() => Icmp.ipv6Named('Ping'), 'Icmp.ipv6Named', '"Ping"', 'EchoRequest');
    expectError(() => Icmp.ipv4(256), 'Icmp.ipv4', '256', '0 to 255');
    expectError(() => Icmp.ipv6(-1), 'Icmp.ipv6', '-1');
    expectError(() => cnp().allowFrom(Entity.ALL).toIcmp(Icmp.ipv4(8), Icmp.ipv4Named('Echo')), 'icmps', 'IPv4/8', 'listed twice');
  });

  test('ICMP and ports in one rule fail at synth (Cilium: ICMPs only without toPorts)', () => {
    const chart = newChart('prod');
    cnp(chart).allowFrom(Entity.ALL).toPort(80).toIcmp(Icmp.ipv4(8));
    expectError(() => synth(chart), '.ingress[0].icmps', 'same rule as toPorts', 'separate rule');
  });

  test('bad peers and ports', () => {
    const p = cnp();
    expectError(() => p.allowFrom(), '.ingress[0].from', 'needs at least one peer', 'Entity.ALL');
    expectError(() => p.allowTo({} as any), '.egress[0].to[0]', 'is not a Cilium peer');
    expectError(() => p.allowTo(Entity.WORLD, Entity.WORLD), '.egress[1].to[1]', 'repeats peer 0');
    expectError(() => p.allowTo(Entity.WORLD).toPorts(Port.tcp(80), Port.tcp(80)), 'TCP/80', 'listed twice');
    expectError(() => p.allowTo(Entity.WORLD).toPort(0), 'Port.port', 'is not a valid port');
    expectError(() => p.allowTo(Entity.WORLD).toPorts(...Array.from({ length: 41 }, (_, i) => Port.tcp(i + 1))), '41', 'limit of 40');
    expectError(() => p.allowTo(Entity.WORLD).toPorts(80 as any), 'toPorts[0]', 'is not a Port');
  });
});

describe('deny rules', () => {
  test('deny rules carry ports and ICMP types; more than 40 ICMP types are split over several icmps entries', () => {
    const chart = newChart('prod');
    const p = cnp(chart);
    p.allowFrom(Entity.CLUSTER);
    p.denyFrom(Entity.WORLD, Endpoints.matchingOptions({ matchLabels: { quarantine: 'true' } })).toPorts(Port.tcp(22));
    p.denyFrom(Entity.WORLD).toIcmp(...Array.from({ length: 41 }, (_, i) => Icmp.ipv4(i)));
    const spec = synth(chart)[0].spec;
    expect(spec.ingressDeny[0]).toEqual({ fromEntities: ['world'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] });
    expect(spec.ingressDeny[1]).toEqual({ fromEndpoints: [{ matchLabels: { quarantine: 'true' } }], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] });
    expect(spec.ingressDeny[2].icmps.map((i: any) => i.fields.length)).toEqual([40, 1]);
  });
});

test('more bad peer inputs', () => {
  expectError(() => Endpoints.all().inAnyNamespace().inAnyNamespace(), 'Endpoints.inAnyNamespace', 'set twice');
  expectError(() => Endpoints.all().inNamespace('a').inNamespacesWithLabels({ team: 'x' }), 'Endpoints.inNamespacesWithLabels', 'set twice');
  expectError(() => Endpoints.all().inNamespacesWithLabels({ team: 'bad value!' }), 'Endpoints.inNamespacesWithLabels["team"]', 'bad value!');
  expectError(() => Service.matching(LabelSelector.withLabels({ a: 'b' }), 'Bad_NS'), 'Service.matching namespace', 'Bad_NS');
  expectError(() => Service.named('db', 'Bad_NS'), 'Service.named namespace', 'Bad_NS');
  expectError(() => CidrGroup.withLabels({ 'a b': 'c' }), 'LabelSelector.matchLabels key', 'a b');
  expectError(() => Nodes.withLabels({}), 'LabelSelector', 'select everything', 'all()');
  expectError(() => Endpoints.withLabels({}), 'LabelSelector', 'select everything');
});

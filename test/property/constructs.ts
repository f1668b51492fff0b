/**
 * Property-based programs over every public factory and builder of the constructs.
 *
 * Each generated program builds one chart: it calls one factory (or a chain of builder methods)
 * with generated arguments, valid-looking or hostile, and puts the result into a policy shape that
 * is valid whenever the value is. The properties (test/constructs-property.test.ts without
 * ../shared, conformance/constructs-property.test.ts with the official schemas) are:
 *  - a call either succeeds or throws the library's validation error (`Error`, "field: value problem; fix"),
 *    never an internal error (TypeError, RangeError, ...);
 *  - when every call of a single-factory program succeeded, synth succeeds (and, in conformance,
 *    every manifest passes the official schema);
 *  - a builder chain may still fail at synth, but only through cdk8s validation with our messages.
 */
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Cidr, CidrGroup, CiliumCidrGroup, CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumPolicyRule, CiliumVersion,
  ClusterNetworkPolicy, ClusterPolicySubject, ClusterPolicyTier,
  Endpoints, Entity, EnvoyConfigKind, Fqdn, HeaderMismatchAction, Icmp, IpBlock, KafkaRole, L7Dns, L7Http, L7Kafka,
  L7Visibility, LabelExpression, LabelOperator, LabelSelector, Lint, Namespaces, NetworkPolicy, Nodes, Pods, PolicyType,
  Port, Protocol, Service, VisibilityRule,
} from '../../src';
import { ICMPV4, ICMPV6 } from '../../src/model/cilium/icmp';

/** The seed of every property (set FC_SEED to replay another); fast-check prints seed and path of a failure. */
export const SEED = Number(process.env.FC_SEED ?? 424242);

/** One generated program: what it calls (shown on failure) and how it builds the chart. */
export interface Program {
  readonly label: string;
  build(chart: Chart): void;
}

function program(label: string, build: (chart: Chart) => void): Program {
  return { label, build, [fc.toStringMethod]: () => label } as Program;
}

/** A call text for failure reports, e.g. `Fqdn.named("a.b")`. */
function call(name: string, ...args: unknown[]): string {
  return `${name}(${args.map(a => fc.stringify(a)).join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Generated values: each kind has a valid-looking generator and hostile variants.

const JUNK: unknown[] = [undefined, null, 0, 1, -1, 1.5, NaN, Infinity, true, {}, [], ['a'], { toString: () => 'x' }];
const EDGE_STRINGS = ['', ' ', '*', '.', '..', '-', '_', '__proto__', 'constructor', 'toString', '\n', 'a\u0000b', 'é',
  'a'.repeat(63), 'a'.repeat(64), 'a'.repeat(253), 'a'.repeat(254), 'a'.repeat(255), 'a'.repeat(256)];

const junk: fc.Arbitrary<any> = fc.constantFrom(...JUNK);

function over(units: string[], maxLength = 12): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...units), maxLength });
}

/** `valid` most of the time, else strings over `units` (short, or around the 253/255-character limits), edge strings or values of the wrong type. */
function hostile<T>(valid: fc.Arbitrary<T>, units: string[]): fc.Arbitrary<any> {
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 3, arbitrary: over(units) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...units.filter(u => u !== ' ')), minLength: 245, maxLength: 265 }) },
    // A valid-looking value repeated to about the 253/255-character limits.
    { weight: 1, arbitrary: fc.tuple(valid, fc.integer({ min: 245, max: 265 })).map(([v, n]) => (typeof v === 'string' && v.length ? v.repeat(Math.ceil(n / v.length)).slice(0, n) : v)) },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
    { weight: 1, arbitrary: junk },
  );
}

const NAME_UNITS = ['a', 'z', 'A', '0', '9', '-', '_', '.', '/', ':', '*', ' ', 'é'];
const dnsLabelValid = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const dnsLabel = hostile(dnsLabelValid, NAME_UNITS);
const dnsSubdomain = hostile(fc.array(dnsLabelValid, { minLength: 1, maxLength: 3 }).map(l => l.join('.')), NAME_UNITS);

const labelNameValid = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/);
const labelKeyValid = fc.tuple(fc.option(fc.constantFrom('example.com/', 'k8s:', 'app.kubernetes.io/')), labelNameValid)
  .map(([prefix, name]) => `${prefix ?? ''}${name}`);
const labelKey = hostile(labelKeyValid, NAME_UNITS);
const labelValue = hostile(fc.oneof(fc.constant(''), labelNameValid), NAME_UNITS);
const labels = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(labelKeyValid, fc.oneof(fc.constant(''), labelNameValid), { minKeys: 1, maxKeys: 3 }) },
  { weight: 3, arbitrary: fc.dictionary(fc.oneof(labelKeyValid, over(NAME_UNITS), fc.constantFrom(...EDGE_STRINGS)), labelValue, { maxKeys: 3 }) },
  { weight: 1, arbitrary: junk },
);
const stringList = (item: fc.Arbitrary<any>) => fc.oneof({ weight: 5, arbitrary: fc.array(item, { maxLength: 3 }) }, { weight: 1, arbitrary: junk });

const operator = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(LabelOperator.IN, LabelOperator.NOT_IN, LabelOperator.EXISTS, LabelOperator.DOES_NOT_EXIST) },
  { weight: 1, arbitrary: fc.constantFrom('in', 'Equals', '', undefined) as fc.Arbitrary<any> },
);
const expression = fc.tuple(labelKey, operator, fc.option(stringList(labelValue), { nil: undefined }));
const selectorOptions = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      matchLabels: fc.option(labels, { nil: undefined }),
      matchExpressions: fc.option(fc.array(expression, { maxLength: 2 }), { nil: undefined }),
    }, { requiredKeys: [] }),
  },
  { weight: 1, arbitrary: junk },
);
function toSelectorOptions(o: any): any {
  if (!o || typeof o !== 'object') return o;
  const out: any = {};
  if (o.matchLabels !== undefined) out.matchLabels = o.matchLabels;
  if (o.matchExpressions !== undefined) out.matchExpressions = o.matchExpressions.map(([k, op, v]: any[]) => LabelExpression.of(k, op, v));
  return out;
}

const ipv4Cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([n, len]) => {
  const network = len === 0 ? 0 : (n >>> (32 - len)) << (32 - len) >>> 0;
  return `${[24, 16, 8, 0].map(s => (network >>> s) & 255).join('.')}/${len}`;
});
const cidr = fc.oneof(
  { weight: 4, arbitrary: ipv4Cidr },
  { weight: 1, arbitrary: fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 129 })).map(([a, l]) => `${a}/${l}`) },
  { weight: 2, arbitrary: fc.tuple(fc.ipV4(), fc.integer({ min: -1, max: 33 })).map(([a, l]) => `${a}/${l}`) },
  { weight: 1, arbitrary: hostile(fc.ipV4(), ['1', '0', '.', '/', ':', 'a', ' ']) },
);

const portNumber = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 65535 }) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 70000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 65535, 65536, 1.5, -0, NaN, Infinity) },
  { weight: 1, arbitrary: junk },
);
const portName = hostile(fc.stringMatching(/^[a-z]([a-z0-9-]{0,12}[a-z0-9])?$/), ['a', '0', '-', 'A', '_', ' ']);
const protocol = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.ANY) },
  { weight: 1, arbitrary: fc.constantFrom('tcp', 'ICMP', '', undefined) as fc.Arbitrary<any> },
);
/** A Port factory call. */
const portCall: fc.Arbitrary<[string, () => Port]> = fc.oneof(
  fc.tuple(protocol, portNumber).map(([p, n]) => [call('Port.of', p, n), () => Port.of(p, n)] as [string, () => Port]),
  fc.tuple(protocol, portNumber, portNumber).map(([p, a, b]) => [call('Port.range', p, a, b), () => Port.range(p, a, b)] as [string, () => Port]),
  fc.tuple(portName, fc.option(protocol, { nil: undefined })).map(([n, p]) => [call('Port.named', n, p), () => Port.named(n, p)] as [string, () => Port]),
  protocol.map(p => [call('Port.allOf', p), () => Port.allOf(p)] as [string, () => Port]),
  fc.tuple(fc.constantFrom('tcp', 'udp', 'sctp', 'any'), portNumber).map(([f, n]) =>
    [call(`Port.${f}`, n), () => (Port as any)[f](n)] as [string, () => Port]),
  fc.tuple(fc.constantFrom('tcpRange', 'udpRange', 'sctpRange'), portNumber, portNumber).map(([f, a, b]) =>
    [call(`Port.${f}`, a, b), () => (Port as any)[f](a, b)] as [string, () => Port]),
  fc.constantFrom('allTcp', 'allUdp', 'allSctp').map(f => [call(`Port.${f}`), () => (Port as any)[f]()] as [string, () => Port]),
);

const DNS_UNITS = ['a', 'Z', '0', '-', '_', '.', '*', ':', ' ', 'é'];
const dnsNameValid = fc.array(fc.stringMatching(/^[-a-zA-Z0-9_]{1,8}$/), { minLength: 1, maxLength: 3 })
  .chain(l => fc.constantFrom(l.join('.'), `${l.join('.')}.`));
const dnsName = hostile(dnsNameValid, DNS_UNITS);
const dnsPattern = hostile(fc.tuple(fc.constantFrom('*.', '', '**.', 'api-*.', '*'), dnsNameValid).map(([w, n]) => `${w}${n}`), DNS_UNITS);
const serverName = hostile(fc.tuple(fc.constantFrom('', '*.', '**.'), dnsNameValid).map(([w, n]) => `${w}${n}`), DNS_UNITS);

const REGEX_UNITS = ['a', '/', '.', '*', '(', ')', '?', '=', '!', '\\', '[', ']', '|', '^', '$', ' ', '{', '}', '+', '1'];
const regex = hostile(fc.constantFrom('/api/.*', 'GET|HEAD', '^/v[0-9]+/', '.*', 'api\\.example\\.com', '(?i)get'), REGEX_UNITS);
const hostRegex = hostile(fc.constantFrom('api\\.example\\.com', '.*\\.example\\.com', 'a|b', '[^.]+\\.svc'), ['a', '.', '*', '-', '|', '\\', ' ', '/']);
const headerName = hostile(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/), ['a', 'Z', '-', ':', ' ', '"', '!', '\n']);
const headerValue = hostile(fc.string({ maxLength: 8 }), ['a', ' ', '\r', '\n', '\u0000', ':', 'é']);
const secret = fc.oneof(
  { weight: 5, arbitrary: fc.record({ name: dnsSubdomain, namespace: fc.option(dnsLabel, { nil: undefined }) }, { requiredKeys: ['name'] }) },
  { weight: 1, arbitrary: junk },
);

const kafkaOptions = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      role: fc.constantFrom(KafkaRole.PRODUCE, KafkaRole.CONSUME, 'Produce', '', 'write', 5) as fc.Arbitrary<any>,
      apiKey: hostile(fc.constantFrom('produce', 'Fetch', 'METADATA', 'alterconfigs', 'describecluster', '0', '18'), ['a', 'Z', '0', '-', ' ']),
      apiVersion: hostile(fc.oneof(fc.integer({ min: -2, max: 40000 }).map(String), fc.constantFrom('+5', '-0', '007', '1.0', '0x1', ' 1')), ['0', '1', '+', '-', 'x', ' ']),
      clientId: hostile(fc.string({ maxLength: 8 }), ['a', ' ', '\n', 'é']),
      topic: hostile(fc.stringMatching(/^[a-zA-Z0-9._-]{1,20}$/), ['a', 'Z', '0', '.', '_', '-', '\\', ' ', '*', 'é', '/']),
    }, { requiredKeys: [] }),
  },
  { weight: 1, arbitrary: fc.oneof(junk, fc.constantFrom({ clientID: 'x' }, 'produce') as fc.Arbitrary<any>) },
);

const ENTITY_NAMES = ['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver'];
const entityName = hostile(fc.constantFrom(...ENTITY_NAMES), ['a', '-', 'w']).map(n => (n === 'a' ? 'world-ipv4' : n));

const icmpName = (table: { [name: string]: number }) => hostile(fc.constantFrom(...Object.keys(table)), ['E', 'c', 'h', 'o', ' ']);
const icmpType = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 255 }) },
  { weight: 1, arbitrary: fc.integer({ min: -2, max: 300 }) },
  { weight: 1, arbitrary: junk },
);
const icmpCall: fc.Arbitrary<[string, () => Icmp]> = fc.oneof(
  icmpType.map(t => [call('Icmp.ipv4', t), () => Icmp.ipv4(t)] as [string, () => Icmp]),
  icmpType.map(t => [call('Icmp.ipv6', t), () => Icmp.ipv6(t)] as [string, () => Icmp]),
  icmpName(ICMPV4).map(n => [call('Icmp.ipv4Named', n), () => Icmp.ipv4Named(n)] as [string, () => Icmp]),
  icmpName(ICMPV6).map(n => [call('Icmp.ipv6Named', n), () => Icmp.ipv6Named(n)] as [string, () => Icmp]),
);

const metadata = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      name: dnsSubdomain,
      namespace: dnsLabel,
      labels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
      annotations: fc.dictionary(labelKey, fc.string({ maxLength: 6 }), { maxKeys: 2 }),
    }, { requiredKeys: [] }),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const endpointsCall: fc.Arbitrary<[string, () => Endpoints]> = fc.oneof(
  labels.map(l => [call('Endpoints.withLabels', l), () => Endpoints.withLabels(l)] as [string, () => Endpoints]),
  selectorOptions.map(o => [call('Endpoints.matchingOptions', o), () => Endpoints.matchingOptions(toSelectorOptions(o))] as [string, () => Endpoints]),
  fc.tuple(labels, stringList(dnsLabel)).map(([l, ns]) => [call('Endpoints.withLabels(..).inNamespaces', l, ...(Array.isArray(ns) ? ns : [ns])),
    () => Endpoints.withLabels(l).inNamespaces(...(Array.isArray(ns) ? ns : [ns]))] as [string, () => Endpoints]),
  fc.tuple(labels, labels).map(([l, nl]) => [call('Endpoints.withLabels(..).inNamespacesWithLabels', l, nl),
    () => Endpoints.withLabels(l).inNamespacesWithLabels(nl)] as [string, () => Endpoints]),
  selectorOptions.map(o => [call('Endpoints.matching(LabelSelector.of(..)).inAnyNamespace', o),
    () => Endpoints.matching(LabelSelector.of(toSelectorOptions(o))).inAnyNamespace()] as [string, () => Endpoints]),
  dnsLabel.map(ns => [call('Endpoints.all().inNamespace', ns), () => Endpoints.all().inNamespace(ns)] as [string, () => Endpoints]),
);

// ---------------------------------------------------------------------------------------------
// Programs: one factory (or builder method) each, placed into a policy shape that is otherwise valid.

/** A chart in its own app, with a namespace, and the synth-time lint off (the lint has its own tests). */
export function propertyChart(): Chart {
  const chart = new Chart(Testing.app(), 'prop', { namespace: 'prod' });
  Lint.disable(chart);
  return chart;
}

function k8sPolicy(chart: Chart): NetworkPolicy {
  return new NetworkPolicy(chart, 'np', { metadata: { name: 'np' }, podSelector: Pods.withLabels({ app: 'web' }) });
}
function clusterPolicy(chart: Chart): ClusterNetworkPolicy {
  return new ClusterNetworkPolicy(chart, 'clnp', { metadata: { name: 'clnp' }, tier: ClusterPolicyTier.ADMIN, priority: 10, subject: ClusterPolicySubject.allPods() });
}
function cnp(chart: Chart): CiliumNetworkPolicy {
  return new CiliumNetworkPolicy(chart, 'cnp', { metadata: { name: 'cnp' }, endpointSelector: Endpoints.withLabels({ app: 'web' }) });
}
/** An allow-to rule towards the world on TCP 443 (where TLS, server names and listeners apply). */
function tlsRule(chart: Chart): CiliumPolicyRule {
  return cnp(chart).allowTo(Entity.WORLD).toPort(443);
}

export interface FactoryCase {
  readonly name: string;
  readonly programs: fc.Arbitrary<Program>;
}

export const FACTORY_CASES: FactoryCase[] = [
  // Kubernetes model and NetworkPolicy.
  { name: 'Pods.withLabels', programs: labels.map(l => program(call('Pods.withLabels', l), c => k8sPolicy(c).allowFrom(Pods.withLabels(l)))) },
  {
    name: 'Pods.matchingOptions / LabelSelector.of / LabelExpression.of',
    programs: selectorOptions.map(o => program(call('Pods.matchingOptions', o), c => k8sPolicy(c).allowFrom(Pods.matchingOptions(toSelectorOptions(o))))),
  },
  {
    name: 'LabelExpression.in/notIn/exists/doesNotExist',
    programs: fc.tuple(fc.constantFrom('in', 'notIn', 'exists', 'doesNotExist'), labelKey, stringList(labelValue)).map(([m, k, v]) =>
      program(call(`LabelExpression.${m}`, k, v), c => {
        const e = m === 'in' ? LabelExpression.in(k, v) : m === 'notIn' ? LabelExpression.notIn(k, v) : m === 'exists' ? LabelExpression.exists(k) : LabelExpression.doesNotExist(k);
        k8sPolicy(c).allowTo(Pods.matching(LabelSelector.of({ matchExpressions: [e] })));
      })),
  },
  {
    name: 'Pods.inNamespace / Namespaces.named / Namespaces.withLabels',
    programs: fc.oneof(
      fc.tuple(labels, dnsLabel).map(([l, ns]) => program(call('Pods.withLabels(..).inNamespace', l, ns), c => k8sPolicy(c).allowFrom(Pods.withLabels(l).inNamespace(ns)))),
      stringList(dnsLabel).map(ns => program(call('Namespaces.named', ...(Array.isArray(ns) ? ns : [ns])),
        c => k8sPolicy(c).allowFrom(Namespaces.named(...(Array.isArray(ns) ? ns : [ns]))))),
      labels.map(l => program(call('Namespaces.withLabels', l), c => k8sPolicy(c).allowFrom(Namespaces.withLabels(l)))),
      selectorOptions.map(o => program(call('Namespaces.matchingOptions', o), c => k8sPolicy(c).allowTo(Namespaces.matchingOptions(toSelectorOptions(o))))),
      fc.tuple(selectorOptions, labels).map(([o, l]) => program(call('Pods.matching(LabelSelector.of(..)).inNamespaces(Namespaces.withLabels(..))', o, l),
        c => k8sPolicy(c).allowTo(Pods.matching(LabelSelector.of(toSelectorOptions(o))).inNamespaces(Namespaces.withLabels(l))))),
      labels.map(l => program(call('allowToAnywhere; allowFrom(Namespaces.matching(LabelSelector.withLabels', l), c => {
        const np = k8sPolicy(c);
        np.allowToAnywhere();
        np.allowFrom(Namespaces.matching(LabelSelector.withLabels(l)), Pods.all());
      })),
    ),
  },
  {
    name: 'IpBlock.cidr',
    programs: fc.tuple(cidr, fc.option(fc.array(cidr, { maxLength: 2 }), { nil: undefined })).map(([b, ex]) =>
      program(call('IpBlock.cidr', b, ex), c => k8sPolicy(c).allowTo(IpBlock.cidr(b, ex)))),
  },
  {
    name: 'Port factories in a NetworkPolicy rule (toPorts, toPort)',
    programs: fc.oneof(
      portCall.map(([label, make]) => program(`allowFrom(Pods.all()).toPorts(${label})`, c => k8sPolicy(c).allowFrom(Pods.all()).toPorts(make()))),
      portNumber.map(n => program(call('allowFromAnywhere().toPort', n), c => k8sPolicy(c).allowFromAnywhere().toPort(n))),
    ),
  },
  {
    name: 'NetworkPolicy props (metadata, policyTypes)',
    programs: fc.tuple(metadata, fc.option(fc.array(fc.constantFrom(PolicyType.INGRESS, PolicyType.EGRESS, 'Both' as any), { maxLength: 3 }), { nil: undefined }))
      .map(([md, types]) => program(call('new NetworkPolicy', { metadata: md, policyTypes: types }), c => {
        const np = new NetworkPolicy(c, 'np', { metadata: md, podSelector: Pods.all(), policyTypes: types });
        if (types === undefined || types.includes(PolicyType.INGRESS)) np.denyAllIngress();
        if (types === undefined || types.includes(PolicyType.EGRESS)) np.denyAllEgress();
      })),
  },
  // Cilium model and policies.
  { name: 'Endpoints factories', programs: endpointsCall.map(([label, make]) => program(`allowFrom(${label})`, c => cnp(c).allowFrom(make()))) },
  {
    name: 'Nodes factories (host policy subject and peer)',
    programs: fc.tuple(labels, selectorOptions).map(([l, o]) => program(call('Nodes.withLabels / Nodes.matching(LabelSelector.of(..))', l, o), c => {
      const p = new CiliumClusterwideNetworkPolicy(c, 'ccnp', { metadata: { name: 'ccnp' }, nodeSelector: Nodes.withLabels(l) });
      p.allowTo(Nodes.withLabels(l));
      p.addSpec({ nodeSelector: Nodes.matching(LabelSelector.of(toSelectorOptions(o))) }).allowFrom(Nodes.all());
    })),
  },
  { name: 'Entity.of', programs: entityName.map(n => program(call('Entity.of', n), c => cnp(c).allowTo(Entity.of(n)))) },
  {
    name: 'Cidr.of',
    programs: fc.tuple(cidr, fc.option(fc.array(cidr, { maxLength: 2 }), { nil: undefined })).map(([b, ex]) =>
      program(call('Cidr.of', b, ex), c => cnp(c).allowTo(Cidr.of(b, ex)))),
  },
  {
    name: 'CidrGroup.named / withLabels',
    programs: fc.oneof(
      dnsSubdomain.map(n => program(call('CidrGroup.named', n), c => cnp(c).allowTo(CidrGroup.named(n)))),
      labels.map(l => program(call('CidrGroup.withLabels', l), c => cnp(c).allowFrom(CidrGroup.withLabels(l)))),
      selectorOptions.map(o => program(call('CidrGroup.matching(LabelSelector.of(..))', o), c => cnp(c).denyTo(CidrGroup.matching(LabelSelector.of(toSelectorOptions(o)))))),
    ),
  },
  {
    name: 'Fqdn.named / Fqdn.pattern',
    programs: fc.oneof(
      dnsName.map(n => program(call('Fqdn.named', n), c => cnp(c).allowTo(Fqdn.named(n)).toPort(443))),
      dnsPattern.map(p => program(call('Fqdn.pattern', p), c => cnp(c).allowTo(Fqdn.pattern(p)))),
    ),
  },
  {
    name: 'Service.named / withLabels',
    programs: fc.oneof(
      fc.tuple(dnsLabel, fc.option(dnsLabel, { nil: undefined })).map(([n, ns]) => program(call('Service.named', n, ns), c => cnp(c).allowTo(Service.named(n, ns)))),
      fc.tuple(labels, fc.option(dnsLabel, { nil: undefined })).map(([l, ns]) => program(call('Service.withLabels', l, ns), c => cnp(c).allowTo(Service.withLabels(l, ns)))),
      fc.tuple(selectorOptions, fc.option(dnsLabel, { nil: undefined })).map(([o, ns]) => program(call('Service.matching(LabelSelector.of(..))', o, ns),
        c => new CiliumClusterwideNetworkPolicy(c, 'ccnp', { endpointSelector: Endpoints.all() }).allowTo(Service.matching(LabelSelector.of(toSelectorOptions(o)), ns)))),
    ),
  },
  {
    name: 'Port factories in a Cilium rule (toPorts, toPort)',
    programs: fc.oneof(
      portCall.map(([label, make]) => program(`allowTo(Entity.WORLD).toPorts(${label})`, c => cnp(c).allowTo(Entity.WORLD).toPorts(make()))),
      portNumber.map(n => program(call('denyFrom(Entity.WORLD).toPort', n), c => cnp(c).denyFrom(Entity.WORLD).toPort(n))),
    ),
  },
  { name: 'Icmp factories (toIcmp)', programs: icmpCall.map(([label, make]) => program(`allowTo(Entity.WORLD).toIcmp(${label})`, c => cnp(c).allowTo(Entity.WORLD).toIcmp(make()))) },
  {
    name: 'L7Http factories and builders (withHttp)',
    programs: fc.tuple(fc.constantFrom('method', 'path', 'get', 'post', 'put', 'patch', 'head', 'any'), regex, fc.option(regex, { nil: undefined }), fc.option(hostRegex, { nil: undefined }),
      fc.option(fc.tuple(headerName, fc.option(headerValue, { nil: undefined })), { nil: undefined }),
      fc.option(fc.tuple(headerName, fc.record({ value: headerValue, secret, mismatch: fc.constantFrom(...Object.values(HeaderMismatchAction), 'DROP' as any) }, { requiredKeys: [] })), { nil: undefined }))
      .map(([kind, a, b, host, header, match]) => program(
        (kind === 'method' ? call('L7Http.method', a, b) : kind === 'path' ? call('L7Http.path', a) : kind === 'any' ? call('L7Http.any') : call(`L7Http.${kind}`, b))
          + (host !== undefined ? call('.withHost', host) : '') + (header ? call('.withHeader', ...header) : '') + (match ? call('.withHeaderMatch', ...match) : ''),
        c => {
          let h = kind === 'method' ? L7Http.method(a, b) : kind === 'path' ? L7Http.path(a) : kind === 'any' ? L7Http.any() : (L7Http as any)[kind](b) as L7Http;
          if (host !== undefined) h = h.withHost(host);
          if (header) h = h.withHeader(header[0], header[1]);
          if (match) h = h.withHeaderMatch(match[0], match[1]);
          cnp(c).allowFrom(Endpoints.all()).toPort(8080).withHttp(h);
        })),
  },
  {
    name: 'L7Dns factories (withDns)',
    programs: fc.oneof(
      dnsName.map(n => program(call('withDns(L7Dns.named', n), c => cnp(c).allowTo(Endpoints.all()).toPorts(Port.any(53)).withDns(L7Dns.named(n)))),
      dnsPattern.map(p => program(call('withDns(L7Dns.pattern', p), c => cnp(c).allowTo(Endpoints.all()).toPorts(Port.udp(53)).withDns(L7Dns.pattern(p)))),
      dnsName.map(n => program(call('allowTo(Fqdn.named(..)) with withDns(L7Dns.all())', n), c => {
        const p = cnp(c);
        p.allowTo(Fqdn.named(n));
        p.allowTo(Endpoints.all().inNamespace('kube-system')).toPorts(Port.tcp(53)).withDns(L7Dns.all());
      })),
    ),
  },
  {
    name: 'L7Kafka.of / produce / consume (withKafka)',
    programs: fc.oneof(
      kafkaOptions.map(o => program(call('withKafka(L7Kafka.of', o), c => cnp(c).allowFrom(Endpoints.all()).toPort(9092).withKafka(L7Kafka.of(o)))),
      fc.tuple(fc.boolean(), hostile(fc.stringMatching(/^[a-z0-9._-]{1,10}$/), ['a', '.', ' ', '\\'])).map(([produce, t]) =>
        program(call(produce ? 'L7Kafka.produce' : 'L7Kafka.consume', t), c => cnp(c).allowTo(Endpoints.all()).toPort(9092).withKafka(produce ? L7Kafka.produce(t) : L7Kafka.consume(t)))),
    ),
  },
  {
    name: 'withL7 (generic L7)',
    programs: fc.tuple(hostile(fc.constantFrom('r2d2', 'cassandra'), ['a', '-', '.', ' ', '/']), fc.oneof(fc.array(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), junk), { maxKeys: 2 }), { maxLength: 2 }), junk))
      .map(([proto, rules]) => program(call('withL7', proto, rules), c => cnp(c).allowFrom(Endpoints.all()).toPort(4040).withL7(proto, rules))),
  },
  {
    name: 'serverNames',
    programs: fc.array(serverName, { minLength: 0, maxLength: 3 }).map(names => program(call('serverNames', ...names), c => tlsRule(c).serverNames(...names))),
  },
  {
    name: 'terminatingTls / originatingTls',
    programs: fc.tuple(fc.boolean(), fc.oneof({
      weight: 5,
      arbitrary: fc.record({
        secret,
        certificate: hostile(fc.constantFrom('tls.crt', 'cert.pem'), ['a', '.', '/', ' ']),
        privateKey: hostile(fc.constant('tls.key'), ['a', '.', '/', ' ']),
        trustedCa: hostile(fc.constant('ca.crt'), ['a', '.', '/', ' ']),
      }, { requiredKeys: ['secret'] }),
    }, { weight: 1, arbitrary: junk }))
      .map(([terminating, o]) => program(call(terminating ? 'terminatingTls' : 'originatingTls', o), c => {
        const r = tlsRule(c);
        if (terminating) r.terminatingTls(o); else r.originatingTls(o);
      })),
  },
  {
    name: 'listener',
    programs: fc.oneof({
      weight: 5,
      arbitrary: fc.record({
        envoyConfigName: dnsSubdomain,
        envoyConfigKind: fc.constantFrom(EnvoyConfigKind.CILIUM_ENVOY_CONFIG, EnvoyConfigKind.CILIUM_CLUSTERWIDE_ENVOY_CONFIG, 'Other' as any),
        name: hostile(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), ['a', ' ', '/', '.']),
        priority: fc.oneof(fc.integer({ min: -1, max: 102 }), junk),
      }, { requiredKeys: ['envoyConfigName', 'name'] }),
    }, { weight: 1, arbitrary: junk })
      .map(o => program(call('listener', o), c => tlsRule(c).listener(o))),
  },
  {
    name: 'requires / requireAuthentication',
    programs: fc.tuple(endpointsCall, fc.boolean()).map(([[label, make], auth]) => program(`allowFrom(Endpoints.all()).requires(${label})${auth ? '.requireAuthentication()' : ''}`, c => {
      const r = new CiliumClusterwideNetworkPolicy(c, 'ccnp', { metadata: { name: 'ccnp' }, endpointSelector: Endpoints.all() }).allowFrom(Endpoints.all()).requires(make());
      if (auth) r.requireAuthentication();
    })),
  },
  {
    name: 'CiliumNetworkPolicy props and addSpec (metadata, description, labels, log, enableDefaultDeny, ciliumVersion)',
    programs: fc.tuple(metadata, fc.record({
      description: hostile(fc.string({ minLength: 1, maxLength: 10 }), [' ', 'a', '\n']),
      labels,
      log: hostile(fc.string({ minLength: 1, maxLength: 32 }), ['a', '\u0007', '\u200b', 'é', ' ']),
      enableDefaultDeny: fc.oneof(
        fc.record({ ingress: fc.oneof(fc.boolean(), junk), egress: fc.boolean() }, { requiredKeys: [] }),
        fc.constant(undefined),
      ),
    }, { requiredKeys: [] }), fc.constantFrom('1.16', '1.18', '1.14', 'v1.17.3', '2.0', '1.x'), fc.boolean())
      .map(([md, options, version, addSpec]) => program(call('new CiliumNetworkPolicy', { metadata: md, ...options, ciliumVersion: version }, addSpec), c => {
        const p = new CiliumNetworkPolicy(c, 'cnp', { metadata: md, endpointSelector: Endpoints.all(), ciliumVersion: CiliumVersion.of(version), ...options });
        p.allowFrom(Entity.CLUSTER);
        if (addSpec) p.addSpec({ endpointSelector: Endpoints.withLabels({ app: 'x' }), ...options }).allowFrom(Entity.HOST);
      })),
  },
  // ClusterNetworkPolicy (network-policy-api v1alpha2).
  {
    name: 'ClusterNetworkPolicy props (tier, priority, metadata, subject)',
    programs: fc.tuple(
      fc.oneof(fc.constantFrom(ClusterPolicyTier.ADMIN, ClusterPolicyTier.BASELINE), fc.constantFrom('admin', 'Pass', '', undefined) as fc.Arbitrary<any>),
      fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 1000 }) }, { weight: 1, arbitrary: portNumber }),
      metadata, labels, fc.boolean(),
    ).map(([tier, priority, md, l, pods]) => program(call('new ClusterNetworkPolicy', { tier, priority, metadata: md, subject: l, pods }), c => {
      const subject = pods
        ? ClusterPolicySubject.pods(Pods.withLabels(l).inNamespaces(Namespaces.all()))
        : ClusterPolicySubject.namespaces(Namespaces.withLabels(l));
      new ClusterNetworkPolicy(c, 'clnp', { tier, priority, metadata: md && { ...md, namespace: undefined }, subject }).denyFrom(Namespaces.all());
    })),
  },
  {
    name: 'ClusterNetworkPolicy rules (peers, ports, names) per action and direction',
    programs: fc.tuple(
      fc.constantFrom('acceptFrom', 'acceptTo', 'denyFrom', 'denyTo', 'passFrom', 'passTo'),
      fc.array(fc.oneof(
        labels.map(l => [call('Namespaces.withLabels', l), () => Namespaces.withLabels(l)] as [string, () => any]),
        fc.tuple(labels, fc.boolean()).map(([l, ns]) => [call('Pods.withLabels', l, ns), () => (ns ? Pods.withLabels(l).inNamespaces(Namespaces.all()) : Pods.withLabels(l))] as [string, () => any]),
        cidr.map(b => [call('IpBlock.cidr', b), () => IpBlock.cidr(b)] as [string, () => any]),
      ), { minLength: 1, maxLength: 3 }),
      fc.array(portCall, { maxLength: 3 }),
      fc.option(hostile(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), ['a', ' ', '-']), { nil: undefined }),
    ).map(([method, peers, ports, name]) => program(`${method}(${peers.map(p => p[0]).join(', ')}).toPorts(${ports.map(p => p[0]).join(', ')})${name === undefined ? '' : call('.withName', name)}`, c => {
      const rule = (clusterPolicy(c) as any)[method](...peers.map(p => p[1]()));
      if (ports.length) rule.toPorts(...ports.map(p => p[1]()));
      if (name !== undefined) rule.withName(name);
    })),
  },
  {
    name: 'CiliumCidrGroup',
    programs: fc.tuple(stringList(cidr), metadata).map(([cidrs, md]) => program(call('new CiliumCidrGroup', { cidrs, metadata: md }), c => {
      const g = new CiliumCidrGroup(c, 'g', { cidrs, metadata: md && { ...md, namespace: undefined } });
      cnp(c).allowTo(g.peer);
    })),
  },
  {
    name: 'L7Visibility and VisibilityRule',
    programs: fc.tuple(fc.array(fc.tuple(fc.constantFrom('ingressHttp', 'egressHttp', 'egressDns'), portNumber), { minLength: 1, maxLength: 3 }), fc.constantFrom('1.14', '1.16', '1.18'))
      .map(([rules, version]) => program(call('new L7Visibility', rules, version), c => {
        const made = rules.map(([kind, port]) => (kind === 'ingressHttp' ? VisibilityRule.ingressHttp(port) : kind === 'egressHttp' ? VisibilityRule.egressHttp(port) : VisibilityRule.egressDns(port)));
        new L7Visibility(c, 'v', { rules: made, endpointSelector: Endpoints.withLabels({ app: 'web' }), ciliumVersion: CiliumVersion.of(version) });
      })),
  },
];

// ---------------------------------------------------------------------------------------------
// Builder chains: several builder calls on one Cilium rule, each one allowed to be rejected.

type RuleStep = [string, (r: CiliumPolicyRule) => void];
const ruleStep: fc.Arbitrary<RuleStep> = fc.oneof(
  portCall.map(([label, make]) => [`.toPorts(${label})`, (r: CiliumPolicyRule) => r.toPorts(make())] as RuleStep),
  icmpCall.map(([label, make]) => [`.toIcmp(${label})`, (r: CiliumPolicyRule) => r.toIcmp(make())] as RuleStep),
  regex.map(p => [call('.withHttp(L7Http.path', p), (r: CiliumPolicyRule) => r.withHttp(L7Http.path(p))] as RuleStep),
  dnsPattern.map(p => [call('.withDns(L7Dns.pattern', p), (r: CiliumPolicyRule) => r.withDns(L7Dns.pattern(p))] as RuleStep),
  kafkaOptions.map(o => [call('.withKafka(L7Kafka.of', o), (r: CiliumPolicyRule) => r.withKafka(L7Kafka.of(o))] as RuleStep),
  fc.array(serverName, { maxLength: 2 }).map(n => [call('.serverNames', ...n), (r: CiliumPolicyRule) => r.serverNames(...n)] as RuleStep),
  secret.map(s => [call('.terminatingTls', { secret: s }), (r: CiliumPolicyRule) => r.terminatingTls({ secret: s })] as RuleStep),
  secret.map(s => [call('.originatingTls', { secret: s }), (r: CiliumPolicyRule) => r.originatingTls({ secret: s })] as RuleStep),
  dnsSubdomain.map(n => [call('.listener', { envoyConfigName: n, name: 'l' }), (r: CiliumPolicyRule) => r.listener({ envoyConfigName: n, name: 'l' })] as RuleStep),
  fc.constant(['.requireAuthentication()', (r: CiliumPolicyRule) => r.requireAuthentication()] as RuleStep),
  endpointsCall.map(([label, make]) => [`.requires(${label})`, (r: CiliumPolicyRule) => r.requires(make())] as RuleStep),
);
const peerCall: fc.Arbitrary<[string, () => any]> = fc.oneof(
  endpointsCall,
  entityName.map(n => [call('Entity.of', n), () => Entity.of(n)] as [string, () => any]),
  cidr.map(b => [call('Cidr.of', b), () => Cidr.of(b)] as [string, () => any]),
  dnsName.map(n => [call('Fqdn.named', n), () => Fqdn.named(n)] as [string, () => any]),
  dnsLabel.map(n => [call('Service.named', n), () => Service.named(n)] as [string, () => any]),
  labels.map(l => [call('Nodes.withLabels', l), () => Nodes.withLabels(l)] as [string, () => any]),
);
const DIRECTIONS = ['allowFrom', 'allowTo', 'denyFrom', 'denyTo'] as const;

/** A Cilium policy with one rule built by a chain of builder calls, in either kind of policy. */
export const BUILDER_CHAINS: fc.Arbitrary<Program> = fc.tuple(
  fc.boolean(), fc.constantFrom(...DIRECTIONS),
  fc.array(peerCall, { minLength: 1, maxLength: 2 }), fc.array(ruleStep, { minLength: 1, maxLength: 5 }),
).map(([clusterwide, direction, peers, steps]) => program(
  `${clusterwide ? 'CCNP' : 'CNP'}.${direction}(${peers.map(p => p[0]).join(', ')})${steps.map(s => s[0]).join('')}`,
  c => {
    const props = { metadata: { name: 'p' }, endpointSelector: Endpoints.withLabels({ app: 'web' }) };
    const policy = clusterwide ? new CiliumClusterwideNetworkPolicy(c, 'p', props) : new CiliumNetworkPolicy(c, 'p', props);
    const rule: CiliumPolicyRule = policy[direction](...peers.map(p => p[1]()));
    // Each builder call may be rejected on its own; the chain goes on, as a program handling the error would.
    for (const [, step] of steps) attempt(() => step(rule));
  },
));

// ---------------------------------------------------------------------------------------------
// Workloads as subjects, peers and named ports (Pods.of, Endpoints.of, Port.namedOf): generated
// manifests, valid-looking or not, read at synth. Synth may fail, but only through validation.

const WORKLOAD_KINDS: [string, string][] = [['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'],
  ['v1', 'ReplicationController'], ['batch/v1', 'Job'], ['batch/v1', 'CronJob'], ['v1', 'Pod'], ['argoproj.io/v1alpha1', 'Rollout'],
  ['v1', 'ConfigMap'], ['v1', 'Service']];
const containerPortValue = fc.record({
  name: fc.option(portName, { nil: undefined }),
  containerPort: portNumber,
  protocol: fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp'), { nil: undefined }),
});
const workloadSelector = fc.oneof(
  fc.constantFrom('template labels', 'none', 'empty'),
  labels,
  selectorOptions.map(o => (o && typeof o === 'object' && !Array.isArray(o)
    ? { matchLabels: o.matchLabels, matchExpressions: (o.matchExpressions ?? []).map(([key, op, values]: any[]) => ({ key, operator: op, values })) }
    : o)),
);
const workloadManifest = fc.record({
  kind: fc.constantFrom(...WORKLOAD_KINDS),
  namespace: fc.constantFrom(undefined, 'prod', 'other'),
  labels,
  selector: workloadSelector,
  ports: fc.array(containerPortValue, { maxLength: 3 }),
});

/** The workload as an ApiObject of the chart (its spec and labels as JSON patches, so any value goes). */
function workloadObject(chart: Chart, w: any): ApiObject {
  const [apiVersion, kind] = w.kind;
  const o = new ApiObject(chart, 'w', { apiVersion, kind, metadata: { name: 'w', ...(w.namespace ? { namespace: w.namespace } : {}) } });
  const pod = { containers: [{ name: 'c', image: 'x', ports: w.ports }] };
  const selector = w.selector === 'template labels' ? { matchLabels: w.labels } : w.selector === 'none' ? undefined : w.selector === 'empty' ? {} : w.selector;
  const template = { metadata: { labels: w.labels }, spec: pod };
  if (kind === 'Pod') {
    o.addJsonPatch(JsonPatch.add('/metadata/labels', w.labels), JsonPatch.add('/spec', pod));
  } else if (kind === 'CronJob') {
    o.addJsonPatch(JsonPatch.add('/spec', { schedule: '@daily', jobTemplate: { spec: { template, ...(selector ? { selector } : {}) } } }));
  } else if (kind !== 'ConfigMap' && kind !== 'Service') {
    o.addJsonPatch(JsonPatch.add('/spec', { template, ...(selector ? { selector } : {}) }));
  }
  return o;
}

const USES = ['NetworkPolicy podSelector', 'NetworkPolicy peer', 'CNP endpointSelector', 'CNP peer', 'CCNP peer', 'CNP dnsServer'] as const;

/** Programs naming a generated workload as a subject or peer, with a named port of it. */
export const WORKLOAD_PROGRAMS: fc.Arbitrary<Program> = fc.tuple(
  workloadManifest, fc.constantFrom(...USES), fc.option(fc.tuple(portName, fc.option(protocol, { nil: undefined })), { nil: undefined }),
).map(([w, use, port]) => program(`${use}: ${fc.stringify(w)}${port ? ` ${call('Port.namedOf', ...port)}` : ''}`, c => {
  const o = workloadObject(c, w);
  const ports = port ? [Port.namedOf(o, port[0], port[1])] : [];
  const md = { name: 'p' };
  switch (use) {
    case 'NetworkPolicy podSelector':
      new NetworkPolicy(c, 'p', { metadata: md, podSelector: Pods.of(o) }).allowFrom(Pods.all()).toPorts(...ports);
      break;
    case 'NetworkPolicy peer':
      new NetworkPolicy(c, 'p', { metadata: md, podSelector: Pods.all() }).allowTo(Pods.of(o), Pods.withLabels({ app: 'web' })).toPorts(...ports);
      break;
    case 'CNP endpointSelector':
      new CiliumNetworkPolicy(c, 'p', { metadata: md, endpointSelector: Endpoints.of(o) }).allowFrom(Entity.CLUSTER).toPorts(...ports);
      break;
    case 'CNP peer':
      new CiliumNetworkPolicy(c, 'p', { metadata: md, endpointSelector: Endpoints.all() }).allowTo(Endpoints.of(o), Endpoints.withLabels({ app: 'web' })).toPorts(...ports);
      break;
    case 'CCNP peer':
      new CiliumClusterwideNetworkPolicy(c, 'p', { metadata: md, endpointSelector: Endpoints.of(o) }).allowFrom(Endpoints.of(o)).toPorts(...ports);
      break;
    case 'CNP dnsServer':
      new CiliumNetworkPolicy(c, 'p', { metadata: md, endpointSelector: Endpoints.all(), dnsServer: Endpoints.of(o) }).allowTo(Fqdn.named('example.com')).toPorts(...ports);
      break;
  }
}));

// ---------------------------------------------------------------------------------------------
// Running programs.

/** The library's validation errors: plain `Error`s reading "field: value problem; fix". */
const VALIDATION_MESSAGE = /^[A-Za-z_][^\n]*?: \S/;
/** What cdk8s throws when a construct's validation (our synth-time checks) fails. */
const CDK8S_VALIDATION = /^Validation failed with the following errors:/;

function isValidationError(e: unknown): boolean {
  return e instanceof Error && e.constructor === Error && VALIDATION_MESSAGE.test(e.message);
}

function attempt(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!isValidationError(e)) throw internalError(e);
    return false;
  }
}

function internalError(e: unknown): Error {
  const shown = e instanceof Error ? `${e.constructor.name}: ${e.stack}` : `a thrown ${typeof e}: ${String(e)}`;
  return new Error(`not a validation error (field: value problem; fix) but ${shown}`);
}

/**
 * Runs a program. Returns the synthesised manifests, or undefined when a call rejected its input
 * with a validation error. Throws (failing the property) on an internal error, or when synth
 * fails although every call was accepted (`synthMayFail` false), or fails with anything but
 * cdk8s validation of our messages.
 */
export function runProgram(p: Program, synthMayFail: boolean): any[] | undefined {
  const chart = propertyChart();
  if (!attempt(() => p.build(chart))) return undefined;
  try {
    return Testing.synth(chart);
  } catch (e) {
    if (!synthMayFail) throw new Error(`every call was accepted, but synth failed: ${e instanceof Error ? e.stack : String(e)}`);
    if (!(e instanceof Error && e.constructor === Error && CDK8S_VALIDATION.test(e.message))) throw internalError(e);
    return undefined;
  }
}

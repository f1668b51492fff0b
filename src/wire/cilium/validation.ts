/**
 * What the Cilium agent rejects when it parses a CiliumNetworkPolicy or
 * CiliumClusterwideNetworkPolicy that the API server accepted (pkg/k8s/apis/cilium.io/v2
 * cnp_types.go Parse, pkg/policy/api rule_validation.go Rule.Sanitize and the sanitize methods
 * it calls, Cilium 1.18). A rejected policy is ignored by the agent as a whole: nothing of it is
 * enforced. Every problem is reported, where Cilium stops at the first.
 */
import { CiliumAgentConfig, CILIUM_AGENT_FLAGS } from './agent';
import { CIDRRule } from './cidr';
import { AGENT_ENTITY_NAMES } from './entity';
import { FQDN_MATCH_NAME_CHARS, FQDN_MATCH_PATTERN_CHARS, FQDN_MAX_LENGTH, FQDNSelector } from './fqdn';
import { ICMP_FAMILIES, ICMPRule, ICMPV4, ICMPV6 } from './icmp';
import { CILIUM_L4_PROTOCOLS, PortDenyRule, PortProtocol, PortRule } from './l4';
import { KAFKA_API_KEYS, KAFKA_MAX_API_VERSION, KAFKA_MAX_TOPIC_LENGTH, KAFKA_TOPIC_CHARS, kafkaApiVersionValue, L7Rules } from './l7';
import { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy } from './objects';
import { EgressDenyRule, EgressRule, IngressDenyRule, IngressRule, Rule } from './rule';
import { EndpointSelector } from './selector';
import { compileGoRegExp, parseGoUint } from '../goregexp';
import { validateLabelSelector } from '../kubernetes/validation';
import { ciliumExtendedKey } from '../labels';
import { CILIUM_MAX_ICMP_FIELDS, CILIUM_MAX_PORTS_PER_RULE } from '../limits';
import { parseIp, parsePrefix } from '../net';
import { FieldPath } from '../source';
import { violation, Violation } from '../violation';

type Out = Violation[];
const REJECT = 'cilium-rejects';

function reject(out: Out, path: FieldPath, value: unknown, problem: string, fix: string): void {
  out.push(violation(path, REJECT, value, problem, fix));
}

/** pkg/iana IsSvcName: the port names Cilium accepts (case-insensitive, lowercased). */
const IANA_SVC_NAME = /^([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$/;
export function isCiliumPortName(port: string): boolean {
  return port.length > 0 && port.length <= 15 && IANA_SVC_NAME.test(port);
}

/**
 * A Cilium port string as the agent reads it (PortProtocol.sanitize): an IANA service name
 * (lowercased), else `strconv.ParseUint(port, 0, 16)`: Go integer syntax with base prefixes, so
 * `017` is octal 15 and `1_000` is 1000. Undefined when Go cannot parse it.
 */
export function parseCiliumPort(port: string): { name: string } | { number: number } | undefined {
  if (isCiliumPortName(port)) return { name: port.toLowerCase() };
  const n = parseGoUint(port);
  return n === undefined || n > 65535 ? undefined : { number: n };
}

/** EndpointSelector.sanitize: ValidateLabelSelector on the selector with Cilium's extended keys. */
function validateSelector(sel: EndpointSelector | undefined, path: FieldPath, out: Out): void {
  if (!sel) return;
  const extended: Out = [];
  validateLabelSelector({
    matchLabels: sel.matchLabels && Object.fromEntries(Object.entries(sel.matchLabels).map(([k, v]) => [ciliumExtendedKey(k), v])),
    matchExpressions: sel.matchExpressions?.map((e) => ({ ...e, key: ciliumExtendedKey(e.key) })),
  }, path, extended);
  // report against the key as written
  const keys = Object.keys(sel.matchLabels ?? {});
  for (const v of extended) {
    const p = [...v.path];
    if (p[path.length] === 'matchLabels' && typeof p[path.length + 1] === 'string') {
      const written = keys.find((k) => ciliumExtendedKey(k) === p[path.length + 1]);
      if (written !== undefined) p[path.length + 1] = written;
    }
    out.push({ ...v, path: p, code: REJECT, message: `${v.message} (Cilium checks the key in its extended form "source.key")` });
  }
}

function validateCidr(c: string, path: FieldPath, out: Out): void {
  // CIDR.sanitize: a prefix, or a single address
  if (c === '') return reject(out, path, c, 'is empty', 'give a CIDR such as 10.0.0.0/8');
  if (typeof parsePrefix(c, 'netip') !== 'string') return;
  if (!c.includes('/') && parseIp(c, 'netip')) return;
  const p = parsePrefix(c, 'netip');
  reject(out, path, c, `is not a CIDR Cilium can parse (${typeof p === 'string' ? p : 'invalid'})`, 'write address/length without leading zeros, e.g. 10.0.0.0/8');
}

function validateCidrRule(r: CIDRRule, path: FieldPath, out: Out): void {
  const set = [r.cidr ? 'cidr' : '', r.cidrGroupRef ? 'cidrGroupRef' : '', r.cidrGroupSelector ? 'cidrGroupSelector' : ''].filter((x) => x);
  if (set.length === 0) return reject(out, path, r, 'has none of cidr, cidrGroupRef, cidrGroupSelector', 'set exactly one of them');
  if (set.length > 1) return reject(out, path, set, 'sets more than one of cidr, cidrGroupRef, cidrGroupSelector', 'set exactly one of them (use two entries)');
  if (r.cidrGroupSelector) validateSelector(r.cidrGroupSelector, [...path, 'cidrGroupSelector'], out);
  if (!r.cidr) return;
  const prefix = parsePrefix(r.cidr, 'netip');
  if (typeof prefix === 'string') return reject(out, [...path, 'cidr'], r.cidr, `is not a CIDR Cilium can parse (${prefix})`, 'write address/length, e.g. 10.0.0.0/8');
  (r.except ?? []).forEach((e, i) => {
    const ex = parsePrefix(e, 'netip');
    if (typeof ex === 'string') return reject(out, [...path, 'except', i], e, `is not a CIDR Cilium can parse (${ex})`, 'write address/length, e.g. 10.1.0.0/16');
    // CIDRRule.sanitize: prefix.Contains(except.Addr()), the address as written
    if (ex.family !== prefix.family || ex.address < prefix.first || ex.address > prefix.last) {
      reject(out, [...path, 'except', i], e, `is not inside ${r.cidr} ("allow CIDR prefix does not contain exclude CIDR prefix")`, `use an exception inside ${prefix.canonical}`);
    }
  });
}

function validateEntities(list: readonly string[] | undefined, path: FieldPath, out: Out): void {
  (list ?? []).forEach((e, i) => {
    if (!(AGENT_ENTITY_NAMES as readonly string[]).includes(e)) reject(out, [...path, i], e, 'is not an entity Cilium knows ("unsupported entity")', `use one of ${AGENT_ENTITY_NAMES.join(', ')}`);
  });
}

interface CommonRule {
  readonly [key: string]: any;
}

/** IngressCommonRule.sanitize / EgressCommonRule.sanitize. */
function validateCommon(rule: CommonRule, dir: 'from' | 'to', path: FieldPath, config: CiliumAgentConfig, out: Out, extraL3: string[] = []): void {
  const l3 = [`${dir}Endpoints`, `${dir}CIDR`, `${dir}CIDRSet`, `${dir}Entities`, `${dir}Nodes`, `${dir}Groups`, ...(dir === 'to' ? ['toServices'] : []), ...extraL3];
  const present = l3.filter((k) => Array.isArray(rule[k]) && rule[k].length > 0);
  if (present.length > 1) {
    reject(out, path, present, `combines ${present.join(' and ')} in one rule, which Cilium does not support ("combining ... is not supported yet")`, 'write one rule per kind of peer (a rule allows the union anyway)');
  }
  if (Array.isArray(rule[`${dir}Nodes`]) && rule[`${dir}Nodes`].length > 0 && !config.enableNodeSelectorLabels) {
    reject(out, [...path, `${dir}Nodes`], rule[`${dir}Nodes`].length, `${dir}Nodes rules need the agent flag --${CILIUM_AGENT_FLAGS.enableNodeSelectorLabels}, which is off by default`,
      `set ${CILIUM_AGENT_FLAGS.enableNodeSelectorLabels} in Cilium and say so with the ciliumAgent option (enableNodeSelectorLabels: true), or use ${dir}Entities: [remote-node]`);
  }
  for (const k of [`${dir}Endpoints`, `${dir}Requires`, `${dir}Nodes`]) {
    (rule[k] as EndpointSelector[] | undefined ?? []).forEach((s, i) => validateSelector(s, [...path, k, i], out));
  }
  (rule[`${dir}CIDR`] as string[] | undefined ?? []).forEach((c, i) => validateCidr(c, [...path, `${dir}CIDR`, i], out));
  (rule[`${dir}CIDRSet`] as CIDRRule[] | undefined ?? []).forEach((c, i) => validateCidrRule(c, [...path, `${dir}CIDRSet`, i], out));
  validateEntities(rule[`${dir}Entities`], [...path, `${dir}Entities`], out);
}

function validateIcmps(list: readonly ICMPRule[] | undefined, hasPorts: boolean, path: FieldPath, config: CiliumAgentConfig, out: Out): void {
  if (!list || list.length === 0) return;
  if (!config.enableIcmpRules) reject(out, path, list.length, `ICMP rules need the agent flag --${CILIUM_AGENT_FLAGS.enableIcmpRules}`, `enable ${CILIUM_AGENT_FLAGS.enableIcmpRules} or remove the icmps rules`);
  if (hasPorts) reject(out, path, 'icmps with toPorts', 'may only be present without toPorts', 'define a separate rule for toPorts');
  list.forEach((r, i) => {
    const fields = r.fields ?? [];
    if (fields.length > CILIUM_MAX_ICMP_FIELDS) reject(out, [...path, i, 'fields'], fields.length, `has more than ${CILIUM_MAX_ICMP_FIELDS} types`, `split them into rules of at most ${CILIUM_MAX_ICMP_FIELDS}`);
    fields.forEach((f, j) => {
      if (f.family !== undefined && (f.family as string) !== '' && !(ICMP_FAMILIES as readonly string[]).includes(f.family)) {
        reject(out, [...path, i, 'fields', j, 'family'], f.family, 'is not an ICMP family', 'use IPv4 or IPv6');
      }
      // ICMPField.UnmarshalJSON: a type name must be one of the family's names
      if (typeof f.type === 'string' && !/^[0-9]+$/.test(f.type)) {
        const table = f.family === 'IPv6' ? ICMPV6 : ICMPV4;
        if (!(f.type in table)) reject(out, [...path, i, 'fields', j, 'type'], f.type, `is not an ICMP type name of ${f.family ?? 'IPv4'}`, `use a number 0-255 or one of ${Object.keys(table).join(', ')}`);
      }
    });
  });
}

function validatePortProtocol(p: PortProtocol, hasDns: boolean, path: FieldPath, out: Out): boolean {
  if (p.port === undefined || p.port === '') {
    reject(out, [...path, 'port'], p.port ?? null, 'is required ("Port must be specified")', 'give a port number, "0" for every port, or a port name');
    return false;
  }
  let zero = false;
  if (!isCiliumPortName(p.port)) {
    const n = parseGoUint(p.port);
    if (n === undefined || n > 65535) {
      reject(out, [...path, 'port'], p.port, 'is neither a port number Cilium can parse (Go strconv.ParseUint, base 0) nor a port name', 'use a decimal number 0-65535 or an IANA service name');
    } else {
      zero = n === 0;
      if (hasDns && p.endPort !== undefined && p.endPort > n) reject(out, [...path, 'endPort'], p.endPort, 'makes a port range, which DNS rules do not support', 'use port 53 alone');
    }
  }
  if (p.protocol !== undefined && (p.protocol as string) !== '' && !(CILIUM_L4_PROTOCOLS as readonly string[]).includes(String(p.protocol).toUpperCase())) {
    reject(out, [...path, 'protocol'], p.protocol, 'is not a protocol Cilium accepts here', `use one of ${CILIUM_L4_PROTOCOLS.join(', ')}`);
  }
  return zero;
}

function l7Count(rules: L7Rules | undefined): number {
  if (!rules) return 0;
  return (rules.http?.length ?? 0) + (rules.kafka?.length ?? 0) + (rules.dns?.length ?? 0) + (rules.l7?.length ?? 0);
}

function validateL7(rules: L7Rules, ports: readonly PortProtocol[], path: FieldPath, out: Out): void {
  let kinds = 0;
  if (rules.http !== undefined) {
    kinds++;
    rules.http.forEach((h, i) => {
      for (const f of ['path', 'method'] as const) {
        const v = h[f];
        if (v) {
          const err = compileGoRegExp(v);
          if (err) reject(out, [...path, 'http', i, f], v, `is not a regular expression Cilium can compile (${err})`, 'write it in Go RE2 syntax (no lookaround, no backreferences)');
        }
      }
      (h.headerMatches ?? []).forEach((m, j) => {
        const mp = [...path, 'http', i, 'headerMatches', j];
        if (!m.name) reject(out, [...mp, 'name'], m.name ?? null, 'is missing ("Header name missing")', 'give the header name');
        if (m.secret && !m.secret.name) reject(out, [...mp, 'secret', 'name'], m.secret.name, 'is missing ("Secret name missing")', 'give the Secret name');
      });
    });
  }
  if (rules.kafka !== undefined) {
    kinds++;
    rules.kafka.forEach((k, i) => {
      const kp = [...path, 'kafka', i];
      if (k.apiKey && k.role) reject(out, kp, { role: k.role, apiKey: k.apiKey }, 'sets both role and apiKey', 'keep one of them');
      if (k.apiKey && !KAFKA_API_KEYS.includes(k.apiKey.toLowerCase())) reject(out, [...kp, 'apiKey'], k.apiKey, 'is not a Kafka API key Cilium knows', `use one of ${KAFKA_API_KEYS.join(', ')}`);
      if (k.role && !['produce', 'consume'].includes(k.role.toLowerCase())) reject(out, [...kp, 'role'], k.role, 'is not a Kafka role', 'use produce or consume');
      if (k.apiVersion) {
        if (kafkaApiVersionValue(k.apiVersion) === undefined) reject(out, [...kp, 'apiVersion'], k.apiVersion, 'is not a Kafka API version', `use a decimal number 0-${KAFKA_MAX_API_VERSION}`);
      }
      if (k.topic) {
        if (k.topic.length > KAFKA_MAX_TOPIC_LENGTH) reject(out, [...kp, 'topic'], k.topic, `is longer than ${KAFKA_MAX_TOPIC_LENGTH} characters`, 'use a shorter topic name');
        else if (!KAFKA_TOPIC_CHARS.test(k.topic)) reject(out, [...kp, 'topic'], k.topic, 'is not a Kafka topic name', 'use letters, digits, ".", "_" and "-"');
      }
    });
  }
  if (rules.dns !== undefined) {
    if (ports.length === 0) reject(out, [...path, 'dns'], rules.dns.length, 'needs the port ("port 53 must be specified for DNS rules")', 'add ports: [{port: "53", protocol: ANY}]');
    kinds++;
    rules.dns.forEach((d, i) => validateFqdnSelector(d, [...path, 'dns', i], out, false));
  }
  if (rules.l7 !== undefined && !rules.l7proto) reject(out, [...path, 'l7'], rules.l7.length, 'needs l7proto ("\'l7\' may only be specified when a \'l7proto\' is also specified")', 'set l7proto to the parser name');
  if (rules.l7proto) {
    kinds++;
    (rules.l7 ?? []).forEach((r, i) => {
      if (Object.keys(r).some((k) => k === '')) reject(out, [...path, 'l7', i], r, 'has an empty key', 'give every key a name');
    });
  }
  if (kinds > 1) reject(out, path, Object.keys(rules), 'specifies several L7 protocols in one rule', 'write one port rule per L7 protocol');
}

function validateFqdnSelector(s: FQDNSelector, path: FieldPath, out: Out, exclusive: boolean): void {
  if (exclusive && s.matchName && s.matchPattern) reject(out, path, s, 'sets both matchName and matchPattern', 'use two entries');
  if (s.matchName) {
    if (!FQDN_MATCH_NAME_CHARS.test(s.matchName)) reject(out, [...path, 'matchName'], s.matchName, 'has characters Cilium does not allow in matchName', 'use only 0-9, a-z, A-Z, ".", "_" and "-"');
  }
  if (s.matchPattern) {
    if (s.matchPattern.length > FQDN_MAX_LENGTH) reject(out, [...path, 'matchPattern'], s.matchPattern, `is longer than ${FQDN_MAX_LENGTH} characters`, 'use a shorter pattern');
    else if (!FQDN_MATCH_PATTERN_CHARS.test(s.matchPattern)) reject(out, [...path, 'matchPattern'], s.matchPattern, 'has characters Cilium does not allow in matchPattern', 'use only 0-9, a-z, A-Z, ".", "_", "-" and "*"');
  }
}

function validatePortRule(pr: PortRule, ingress: boolean, path: FieldPath, out: Out): void {
  const hasDns = (pr.rules?.dns?.length ?? 0) > 0;
  const l7 = l7Count(pr.rules) > 0;
  if (ingress && hasDns) reject(out, [...path, 'rules', 'dns'], pr.rules!.dns!.length, 'are not allowed on ingress', 'move the DNS rule to an egress rule');
  if ((pr.serverNames?.length ?? 0) > 0 && l7 && !pr.terminatingTLS) {
    reject(out, [...path, 'serverNames'], pr.serverNames, 'are not allowed with L7 rules without TLS termination', 'add terminatingTLS, or drop serverNames');
  }
  (pr.serverNames ?? []).forEach((n, i) => {
    if (n === '') reject(out, [...path, 'serverNames', i], n, 'is empty', 'remove it or give a server name');
  });
  const ports = pr.ports ?? [];
  if (ports.length > CILIUM_MAX_PORTS_PER_RULE) reject(out, [...path, 'ports'], ports.length, `has more than ${CILIUM_MAX_PORTS_PER_RULE} ports ("too many ports")`, `split it into port rules of at most ${CILIUM_MAX_PORTS_PER_RULE}`);
  let zero = false;
  ports.forEach((p, i) => {
    if (validatePortProtocol(p, hasDns, [...path, 'ports', i], out)) zero = true;
    const proto = p.protocol ? String(p.protocol).toUpperCase() : 'ANY';
    if (l7 && !hasDns && proto !== 'TCP') {
      reject(out, [...path, 'ports', i, 'protocol'], proto, 'is not TCP, and L7 rules other than DNS apply to TCP only', 'set protocol: TCP on this port');
    }
  });
  if (pr.listener) {
    if (ingress) reject(out, [...path, 'listener'], pr.listener.name, 'is not allowed on ingress', 'use the listener in an egress rule');
    if (l7) reject(out, [...path, 'listener'], pr.listener.name, 'is not allowed with L7 rules', 'remove the L7 rules or the listener');
  }
  if (l7) {
    if (zero) reject(out, [...path, 'ports'], '0', 'is port 0, and L7 rules cannot be used when a port is 0', 'give the exact port');
    validateL7(pr.rules!, ports, [...path, 'rules'], out);
  }
}

function validatePortDenyRule(pr: PortDenyRule, path: FieldPath, out: Out): void {
  const ports = pr.ports ?? [];
  if (ports.length > CILIUM_MAX_PORTS_PER_RULE) reject(out, [...path, 'ports'], ports.length, `has more than ${CILIUM_MAX_PORTS_PER_RULE} ports ("too many ports")`, `split it into port rules of at most ${CILIUM_MAX_PORTS_PER_RULE}`);
  ports.forEach((p, i) => validatePortProtocol(p, false, [...path, 'ports', i], out));
}

function validateAllowRule(r: IngressRule | EgressRule, dir: 'ingress' | 'egress', hostPolicy: boolean, path: FieldPath, config: CiliumAgentConfig, out: Out): void {
  const peerDir = dir === 'ingress' ? 'from' : 'to';
  validateCommon(r, peerDir, path, config, out, dir === 'egress' ? ['toFQDNs'] : []);
  const ports = r.toPorts ?? [];
  const l7 = ports.reduce((n, p) => n + l7Count(p.rules), 0);
  const httpOrKafka = ports.reduce((n, p) => n + (p.rules?.http?.length ?? 0) + (p.rules?.kafka?.length ?? 0), 0);
  if (hostPolicy && (dir === 'ingress' ? l7 > 0 : httpOrKafka > 0)) {
    reject(out, [...path, 'toPorts'], l7, `has L7 rules, which host policies do not support on ${dir}`, 'move the L7 rules to an endpoint policy (endpointSelector)');
  }
  if (l7 > 0 && !config.enableL7Proxy) reject(out, [...path, 'toPorts'], l7, `has L7 rules, which need the L7 proxy (--${CILIUM_AGENT_FLAGS.enableL7Proxy})`, 'enable the L7 proxy or remove the L7 rules');
  validateIcmps(r.icmps, ports.length > 0, [...path, 'icmps'], config, out);
  ports.forEach((p, i) => validatePortRule(p, dir === 'ingress', [...path, 'toPorts', i], out));
  if (dir === 'egress') ((r as EgressRule).toFQDNs ?? []).forEach((f, i) => validateFqdnSelector(f, [...path, 'toFQDNs', i], out, true));
}

function validateDenyRule(r: IngressDenyRule | EgressDenyRule, dir: 'ingress' | 'egress', path: FieldPath, config: CiliumAgentConfig, out: Out): void {
  validateCommon(r, dir === 'ingress' ? 'from' : 'to', path, config, out);
  const ports = r.toPorts ?? [];
  validateIcmps(r.icmps, ports.length > 0, [...path, 'icmps'], config, out);
  ports.forEach((p, i) => validatePortDenyRule(p, [...path, 'toPorts', i], out));
}

/** Rule.Sanitize for one spec. */
export function validateCiliumRule(rule: Rule, path: FieldPath, clusterwide: boolean, config: CiliumAgentConfig, out: Out): void {
  if (!rule.ingress?.length && !rule.ingressDeny?.length && !rule.egress?.length && !rule.egressDeny?.length) {
    reject(out, path, undefined, 'has no ingress, ingressDeny, egress or egressDeny rule, and Cilium rejects such a rule ("rule must have at least one of ...")',
      'add a rule, e.g. ingress: [{}] to deny all ingress of the selected endpoints');
  }
  const hasEp = rule.endpointSelector !== undefined;
  const hasNode = rule.nodeSelector !== undefined;
  if (!hasEp && !hasNode) reject(out, path, undefined, 'has neither endpointSelector nor nodeSelector', 'add endpointSelector: {} to select every endpoint (of the namespace, for a CiliumNetworkPolicy)');
  if (hasEp && hasNode) reject(out, path, undefined, 'has both endpointSelector and nodeSelector', 'keep one: endpointSelector for pods, nodeSelector for a host policy');
  if (hasNode && !clusterwide) reject(out, [...path, 'nodeSelector'], rule.nodeSelector, 'is not allowed in a CiliumNetworkPolicy ("rule cannot have NodeSelector")', 'move this rule to a CiliumClusterwideNetworkPolicy');
  validateSelector(rule.endpointSelector, [...path, 'endpointSelector'], out);
  validateSelector(rule.nodeSelector, [...path, 'nodeSelector'], out);
  (rule.ingress ?? []).forEach((r, i) => validateAllowRule(r, 'ingress', hasNode, [...path, 'ingress', i], config, out));
  (rule.ingressDeny ?? []).forEach((r, i) => validateDenyRule(r, 'ingress', [...path, 'ingressDeny', i], config, out));
  (rule.egress ?? []).forEach((r, i) => validateAllowRule(r, 'egress', hasNode, [...path, 'egress', i], config, out));
  (rule.egressDeny ?? []).forEach((r, i) => validateDenyRule(r, 'egress', [...path, 'egressDeny', i], config, out));
}

/** CiliumNetworkPolicy.Parse / CiliumClusterwideNetworkPolicy.Parse: every spec is sanitized; one bad spec rejects the object. */
export function validateCiliumPolicy(policy: CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy, config: CiliumAgentConfig): Violation[] {
  const out: Out = [];
  const clusterwide = policy.kind === 'CiliumClusterwideNetworkPolicy';
  if (policy.spec === undefined && policy.specs === undefined) {
    reject(out, ['spec'], null, 'is missing, and so is specs ("empty CiliumNetworkPolicy")', 'give the policy a spec');
  }
  if (policy.spec) validateCiliumRule(policy.spec, ['spec'], clusterwide, config, out);
  (policy.specs ?? []).forEach((s, i) => validateCiliumRule(s, ['specs', i], clusterwide, config, out));
  return out;
}

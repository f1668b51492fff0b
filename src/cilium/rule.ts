import { validateServerName } from '../model/cilium/dns-names';
import { Icmp } from '../model/cilium/icmp';
import { L7Dns, L7Http, L7Kafka, SecretRef, validateGenericL7 } from '../model/cilium/l7';
import { CiliumPeerConfig, CiliumPeerKind, ciliumPeerKey, Endpoints } from '../model/cilium/peers';
import { CiliumSelectorConfig } from '../model/cilium/selector';
import { CiliumFeature } from '../model/cilium/versions';
import { invalid } from '../model/errors';
import { validateDns1123Label, validateDns1123Subdomain } from '../model/names';
import { Port, Protocol, validateDistinctPorts } from '../model/port';
import { CiliumDirection, CiliumL7Model, CiliumRuleModel } from '../render/cilium';
import { Listener, TLSContext } from '../wire/cilium/l4';
import { PortRuleDNS } from '../wire/cilium/l7';

/** TLS context of a port rule (`terminatingTLS` / `originatingTLS`). */
export interface CiliumTlsOptions {
  /** The Secret holding the certificate, key and/or CA bundle. */
  readonly secret: SecretRef;
  /** Key of the certificate in the Secret. @default "tls.crt" (Cilium's default) */
  readonly certificate?: string;
  /** Key of the private key in the Secret. @default "tls.key" (Cilium's default) */
  readonly privateKey?: string;
  /** Key of the trusted CA bundle in the Secret. @default "ca.crt" (Cilium's default) */
  readonly trustedCa?: string;
}

/** Kind of the Envoy configuration a listener lives in. */
export enum EnvoyConfigKind {
  /** A namespaced CiliumEnvoyConfig. */
  CILIUM_ENVOY_CONFIG = 'CiliumEnvoyConfig',
  /** A CiliumClusterwideEnvoyConfig. */
  CILIUM_CLUSTERWIDE_ENVOY_CONFIG = 'CiliumClusterwideEnvoyConfig',
}

/** A listener of a CiliumEnvoyConfig that matching traffic is redirected to (`listener`). */
export interface CiliumListenerOptions {
  /** Name of the CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig. */
  readonly envoyConfigName: string;
  /** Kind of the Envoy config. @default EnvoyConfigKind.CILIUM_ENVOY_CONFIG (Cilium's default) */
  readonly envoyConfigKind?: EnvoyConfigKind;
  /** Listener name in that config. */
  readonly name: string;
  /** Priority from 1 (highest) to 100 when several listeners apply. @default - Cilium's default (100) */
  readonly priority?: number;
}

/** What a rule needs from its policy. @internal */
export interface CiliumRuleContext {
  /** Fails for removed features, warns for deprecated ones. */
  checkFeature(feature: CiliumFeature, field: string): void;
  /** The selector of `endpoints` in this policy (`Endpoints.of` scoped to the policy's namespace and kind). */
  endpointsSelector(endpoints: Endpoints, field: string, role: 'subject' | 'peer'): CiliumSelectorConfig;
}

/** A peer of a rule: its config, or an `Endpoints.of` peer read from its workload at synth. @internal */
export type CiliumRulePeer = CiliumPeerConfig | Endpoints;

const MAX_PORTS = 40; // pkg/policy/api: "too many ports, the max is 40" (and CRD maxItems)

/**
 * One rule of a Cilium policy: peers of one direction, and what is allowed or denied towards
 * them (ports, L7, ICMP, authentication). Returned by allowFrom/allowTo/denyFrom/denyTo.
 * With no port and no ICMP type the rule covers all traffic to or from its peers.
 */
export class CiliumPolicyRule {
  /** @internal */
  public static _create(field: string, direction: CiliumDirection, peers: CiliumRulePeer[], context: CiliumRuleContext): CiliumPolicyRule {
    return new CiliumPolicyRule(field, direction, peers, context);
  }

  private readonly portList: Port[] = [];
  private readonly icmpList: Icmp[] = [];
  private readonly requiresList: Endpoints[] = [];
  private readonly serverNameList: string[] = [];
  private l7?: CiliumL7Model;
  private l7Kind?: string;
  private terminating?: TLSContext;
  private originating?: TLSContext;
  private listenerRef?: Listener;
  private auth = false;

  private constructor(
    private readonly field: string,
    private readonly direction: CiliumDirection,
    private readonly peerList: CiliumRulePeer[],
    private readonly context: CiliumRuleContext,
  ) {}

  /** The rule list the rule is in. @internal */
  public get _direction(): CiliumDirection {
    return this.direction;
  }

  /** True for denyFrom/denyTo rules. */
  public get isDeny(): boolean {
    return this.direction === 'ingressDeny' || this.direction === 'egressDeny';
  }

  /** True for ingress rules (allowFrom/denyFrom). */
  public get isIngress(): boolean {
    return this.direction === 'ingress' || this.direction === 'ingressDeny';
  }

  /**
   * TCP port `port` (call again or use `toPorts` for more).
   * @param port a TCP port number, 1-65535
   */
  public toPort(port: number): CiliumPolicyRule {
    return this.toPorts(Port.tcp(port));
  }

  /**
   * These ports (TCP, UDP, SCTP or ANY; numbers, ranges, named ports, or every port of a protocol).
   * @param ports the ports, built with `Port`
   */
  public toPorts(...ports: Port[]): CiliumPolicyRule {
    ports.forEach((p, i) => {
      if (!(p instanceof Port)) throw invalid(`${this.field}.toPorts[${this.portList.length + i}]`, p, 'is not a Port', 'use Port.tcp(80), Port.udp(53), Port.any(53), Port.tcpRange(8000, 8080)...');
    });
    validateDistinctPorts(`${this.field}.toPorts[0].ports`, [...this.portList, ...ports]);
    if (this.portList.length + ports.length > MAX_PORTS) {
      throw invalid(`${this.field}.toPorts[0].ports`, this.portList.length + ports.length, `exceeds Cilium's limit of ${MAX_PORTS} ports per port rule`, 'split the ports over several rules');
    }
    this.portList.push(...ports);
    return this;
  }

  /**
   * ICMP / ICMPv6 types (`icmps`); a rule has either ICMP types or ports, not both.
   * @param types ICMP or ICMPv6 types built with `Icmp`
   */
  public toIcmp(...types: Icmp[]): CiliumPolicyRule {
    types.forEach((t, i) => {
      if (!(t instanceof Icmp)) throw invalid(`${this.field}.icmps[${this.icmpList.length + i}]`, t, 'is not an Icmp', 'use Icmp.ipv4(8), Icmp.ipv6Named("EchoRequest")...');
    });
    const seen = new Set(this.icmpList.map(i => i.toString()));
    for (const t of types) {
      if (seen.has(t.toString())) throw invalid(`${this.field}.icmps`, t.toString(), 'is listed twice', 'remove the duplicate ICMP type');
      seen.add(t.toString());
    }
    this.icmpList.push(...types);
    return this;
  }

  /**
   * HTTP L7 rules: only requests matching one of them are allowed (allow rules on TCP ports only).
   * @param rules the requests to allow, built with `L7Http`
   */
  public withHttp(...rules: L7Http[]): CiliumPolicyRule {
    rules.forEach((r, i) => {
      if (!(r instanceof L7Http)) throw invalid(`${this.field}.toPorts[0].rules.http[${i}]`, r, 'is not an L7Http rule', 'use L7Http.get("/path"), L7Http.method("GET|HEAD")...');
    });
    this.setL7('http', 'withHttp', rules.length, { http: rules.map(r => r.toJson()) });
    return this;
  }

  /**
   * DNS L7 rules: the names the DNS proxy lets the pods look up (egress only; UDP, TCP or ANY ports).
   * @param rules the names or patterns the pods may look up, built with `L7Dns`
   */
  public withDns(...rules: L7Dns[]): CiliumPolicyRule {
    rules.forEach((r, i) => {
      if (!(r instanceof L7Dns)) throw invalid(`${this.field}.toPorts[0].rules.dns[${i}]`, r, 'is not an L7Dns rule', 'use L7Dns.named("example.com"), L7Dns.pattern("*.example.com") or L7Dns.all()');
    });
    if (this.isIngress) {
      // pkg/policy/api: "DNS rules are not allowed on ingress"
      throw invalid(`${this.field}.toPorts[0].rules.dns`, rules.map(r => r.toJson()), 'is on an ingress rule, and Cilium only has DNS rules on egress',
        'put the DNS rule on allowTo(...) towards the DNS server');
    }
    this.setL7('dns', 'withDns', rules.length, { dns: rules.map(r => r.toJson()) });
    return this;
  }

  /**
   * Kafka L7 rules (deprecated in Cilium 1.18, removed in 1.20).
   * @param rules the Kafka requests to allow, built with `L7Kafka`
   */
  public withKafka(...rules: L7Kafka[]): CiliumPolicyRule {
    rules.forEach((r, i) => {
      if (!(r instanceof L7Kafka)) throw invalid(`${this.field}.toPorts[0].rules.kafka[${i}]`, r, 'is not an L7Kafka rule', 'use L7Kafka.produce("topic"), L7Kafka.consume("topic") or L7Kafka.of({...})');
    });
    this.context.checkFeature(CiliumFeature.KAFKA, `${this.field}.toPorts[0].rules.kafka`);
    this.setL7('kafka', 'withKafka', rules.length, { kafka: rules.map(r => r.toJson()) });
    return this;
  }

  /**
   * Generic L7 rules for a proxylib parser (`l7proto` + `l7`; deprecated in Cilium 1.18, removed in 1.20).
   * @param protocol the proxylib parser name (`l7proto`)
   * @param rules the parser's rules, each a map of string keys to string values (`l7`)
   */
  public withL7(protocol: string, rules: { [key: string]: string }[]): CiliumPolicyRule {
    validateGenericL7(protocol, rules);
    this.context.checkFeature(CiliumFeature.GENERIC_L7, `${this.field}.toPorts[0].rules.l7proto`);
    this.setL7('l7proto', 'withL7', 1, { l7proto: protocol, l7: rules.map(r => ({ ...r })) });
    return this;
  }

  /**
   * TLS server names (SNI) the rule is limited to (`serverNames`).
   * @param names TLS server names (SNI), at least one
   */
  public serverNames(...names: string[]): CiliumPolicyRule {
    this.checkNotDeny('serverNames', names);
    if (names.length === 0) throw invalid(`${this.field}.toPorts[0].serverNames`, names, 'is empty', 'give at least one server name');
    // Every name is checked before any is added, so a rejected call leaves the rule unchanged.
    const all = [...this.serverNameList];
    names.forEach(n => {
      validateServerName(`${this.field}.toPorts[0].serverNames[${all.length}]`, n);
      // The CRD's serverNames is a set (x-kubernetes-list-type: set): the API server rejects duplicates.
      if (all.includes(n)) throw invalid(`${this.field}.toPorts[0].serverNames`, n, 'is listed twice', 'remove the duplicate');
      all.push(n);
    });
    this.serverNameList.push(...names);
    return this;
  }

  /**
   * Terminate TLS in the proxy with this certificate (`terminatingTLS`), so L7 rules see the plain text.
   * @param options the Secret and the keys of the certificate and private key the proxy presents
   */
  public terminatingTls(options: CiliumTlsOptions): CiliumPolicyRule {
    this.checkNotDeny('terminatingTLS', options);
    if (this.terminating) throw invalid(`${this.field}.toPorts[0].terminatingTLS`, options?.secret?.name, 'is set twice', 'set it once');
    this.terminating = tlsContext(`${this.field}.toPorts[0].terminatingTLS`, options);
    return this;
  }

  /**
   * Originate TLS from the proxy towards the destination with this trust/certificate (`originatingTLS`).
   * @param options the Secret and the keys of the trusted CA bundle (and client certificate) in it
   */
  public originatingTls(options: CiliumTlsOptions): CiliumPolicyRule {
    this.checkNotDeny('originatingTLS', options);
    if (this.originating) throw invalid(`${this.field}.toPorts[0].originatingTLS`, options?.secret?.name, 'is set twice', 'set it once');
    this.originating = tlsContext(`${this.field}.toPorts[0].originatingTLS`, options);
    return this;
  }

  /**
   * Redirect matching traffic to a listener of a CiliumEnvoyConfig (`listener`; egress allow rules without L7 rules).
   * @param options the CiliumEnvoyConfig and listener name
   */
  public listener(options: CiliumListenerOptions): CiliumPolicyRule {
    const f = `${this.field}.toPorts[0].listener`;
    this.checkNotDeny('listener', options);
    if (this.isIngress) {
      // pkg/policy/api PortRule validation: "Listener is not allowed on ingress"
      throw invalid(f, options?.name, 'is on an ingress rule, and Cilium only allows listeners on egress', 'move it to an allowTo(...) rule');
    }
    if (this.listenerRef) throw invalid(f, options?.name, 'is set twice', 'set one listener per rule');
    if (!options || typeof options.name !== 'string' || options.name.length === 0) {
      throw invalid(`${f}.name`, options?.name, 'is empty', 'give the listener name from the CiliumEnvoyConfig');
    }
    validateDns1123Subdomain(`${f}.envoyConfig.name`, options.envoyConfigName);
    if (options.envoyConfigKind !== undefined && !Object.values(EnvoyConfigKind).includes(options.envoyConfigKind)) {
      throw invalid(`${f}.envoyConfig.kind`, options.envoyConfigKind, 'is not an Envoy config kind', 'use EnvoyConfigKind.CILIUM_ENVOY_CONFIG or CILIUM_CLUSTERWIDE_ENVOY_CONFIG');
    }
    if (options.priority !== undefined && (!Number.isInteger(options.priority) || options.priority < 1 || options.priority > 100)) {
      throw invalid(`${f}.priority`, options.priority, 'is out of range', 'use a whole number from 1 (highest) to 100');
    }
    this.listenerRef = {
      envoyConfig: { ...(options.envoyConfigKind ? { kind: options.envoyConfigKind } : {}), name: options.envoyConfigName },
      name: options.name,
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
    };
    return this;
  }

  /** Require mutual authentication of the peers (`authentication.mode: required`); allow rules only. */
  public requireAuthentication(): CiliumPolicyRule {
    if (this.isDeny) {
      // The CRD has no authentication on ingressDeny/egressDeny rules.
      throw invalid(`${this.field}.authentication`, 'required', 'is on a deny rule, and Cilium deny rules carry no authentication', 'require authentication on an allow rule');
    }
    this.auth = true;
    return this;
  }

  /**
   * Requirements the Endpoints peers must also meet (`fromRequires` / `toRequires`; deprecated in
   * Cilium 1.17, removed in 1.19). Cilium adds them to the endpoint selectors of every rule of this
   * direction (allow or deny, as this rule) of every policy that selects the same endpoints, not to
   * this rule alone (pkg/policy/rules.go resolveL4IngressPolicy); entity, CIDR, FQDN, Service and
   * node peers are never narrowed, so the rule must have only Endpoints peers. To narrow without a
   * rule of your own, use the policy's `requireFrom` / `requireTo`.
   * @param endpoints endpoint selectors every Endpoints peer must also match
   */
  public requires(...endpoints: Endpoints[]): CiliumPolicyRule {
    const f = `${this.field}.${this.isIngress ? 'fromRequires' : 'toRequires'}`;
    if (endpoints.length === 0) throw invalid(f, [], 'is empty', 'give at least one Endpoints selector');
    const other = this.peerList.find(p => !(p instanceof Endpoints) && p.kind !== CiliumPeerKind.ENDPOINTS);
    if (other) {
      const { kind, ...rest } = other as CiliumPeerConfig;
      throw invalid(f, endpoints.map(e => e.toString()), `is on a rule with the ${kind} peer ${JSON.stringify(rest)}, which Cilium does not narrow (requirements apply to endpoint selectors only), so that peer would stay allowed in full`,
        `put the Endpoints peers in a rule of their own and call requires() there, or narrow with the policy's ${this.isIngress ? 'requireFrom' : 'requireTo'}(...)`);
    }
    this.context.checkFeature(CiliumFeature.REQUIRES, f);
    endpoints.forEach((e, i) => {
      if (!(e instanceof Endpoints)) throw invalid(`${f}[${i}]`, e, 'is not an Endpoints selector', 'use Endpoints.withLabels({...})');
      this.requiresList.push(e);
    });
    return this;
  }

  /** The ports, in order. */
  public get ports(): Port[] {
    return [...this.portList];
  }

  /** True when the rule has DNS L7 rules. @internal */
  public get _dnsRules(): PortRuleDNS[] | undefined {
    return this.l7?.dns;
  }

  /** The peers given as configs (every kind but `Endpoints.of`, which is read at synth). @internal */
  public get _staticPeers(): CiliumPeerConfig[] {
    return this.peerList.filter((p): p is CiliumPeerConfig => !(p instanceof Endpoints));
  }

  private peerKey(): string {
    return this.direction.startsWith('ingress') ? 'from' : 'to';
  }

  private resolvedPeers(): CiliumPeerConfig[] {
    return this.peerList.map((p, i) => (p instanceof Endpoints
      ? { kind: CiliumPeerKind.ENDPOINTS, selector: this.context.endpointsSelector(p, `${this.field}.${this.peerKey()}[${i}]`, 'peer') }
      : p));
  }

  /** Synth-time checks of what is read from workloads (`Endpoints.of` peers, `Port.namedOf` ports). */
  private workloadErrors(): string[] {
    const errors: string[] = [];
    if (this.peerList.some(p => p instanceof Endpoints) || this.requiresList.some(e => e.isWorkload)) {
      try {
        const seen = new Map<string, number>();
        this.resolvedPeers().forEach((c, i) => {
          const k = ciliumPeerKey(c);
          const first = seen.get(k);
          if (first !== undefined) errors.push(`${this.field}.${this.peerKey()}[${i}]: ${this.peerList[i].toString()} selects the same endpoints as peer ${first} of the rule; remove one of them`);
          else seen.set(k, i);
        });
        this.requiresList.forEach((e, i) => this.context.endpointsSelector(e, `${this.field}.${this.peerKey()}Requires[${i}]`, 'peer'));
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    this.portList.forEach((p, i) => {
      try {
        const problem = p._undeclared(`${this.field}.toPorts[0].ports[${i}]`);
        if (problem) errors.push(problem);
      } catch (e) {
        errors.push((e as Error).message);
      }
    });
    return errors;
  }

  /** Whole-rule checks that depend on several calls; returns error messages. @internal */
  public _validate(hostPolicy: boolean): string[] {
    const errors: string[] = this.workloadErrors();
    const f = this.field;
    if (this.l7) {
      const kind = this.l7Kind!;
      if (this.portList.length === 0) {
        errors.push(`${f}.toPorts[0].ports: [] is empty but the rule has ${kind} L7 rules; L7 rules apply to specific ports: add toPort(...)/toPorts(...)`);
      }
      for (const p of this.portList) {
        if (p.number === undefined && p.name === undefined) {
          // pkg/policy/api: "L7 rules can not be used when a port is 0"
          errors.push(`${f}.toPorts[0].ports: "${p.toString()}" covers every port, and Cilium does not allow L7 rules on port 0; give the port numbers`);
        }
        if (kind === 'dns') {
          if (p.protocol === Protocol.SCTP) errors.push(`${f}.toPorts[0].ports: "${p.toString()}" is SCTP; DNS rules apply to UDP, TCP or ANY ports (e.g. Port.any(53))`);
          // pkg/policy/api PortProtocol.Validate: "DNS rules do not support port ranges"
          if (p.endPort !== undefined) errors.push(`${f}.toPorts[0].ports: "${p.toString()}" is a range, and Cilium's DNS rules do not support port ranges; give the DNS port, e.g. Port.any(53)`);
        } else if (p.protocol !== Protocol.TCP) {
          // pkg/policy/api: "L7 rules can only apply to TCP (not UDP) except for DNS rules"
          errors.push(`${f}.toPorts[0].ports: "${p.toString()}" is ${p.protocol}, but ${kind} L7 rules only apply to TCP; use Port.tcp(${p.number ?? p.name ?? ''})`);
        }
      }
      if (hostPolicy) {
        // pkg/policy/api: "host policies do not support L7 rules yet"
        errors.push(`${f}.toPorts[0].rules: ${kind} L7 rules are in a host policy (nodeSelector), and Cilium host policies do not support L7 rules; remove them or select endpoints instead of nodes`);
      }
      if (this.listenerRef) {
        errors.push(`${f}.toPorts[0].listener: "${this.listenerRef.name}" is combined with ${kind} L7 rules, which Cilium rejects ("Listener is not allowed with L7 rules"); keep one of them`);
      }
      if (this.serverNameList.length && !this.terminating) {
        errors.push(`${f}.toPorts[0].serverNames: ${JSON.stringify(this.serverNameList)} is combined with ${kind} L7 rules without terminatingTLS, which Cilium rejects; add terminatingTls({...}) or drop the server names`);
      }
    }
    const hasPortRule = this.portList.length || this.l7 || this.serverNameList.length || this.terminating || this.originating || this.listenerRef;
    if (this.icmpList.length && hasPortRule) {
      // pkg/policy/api errUnsupportedICMPWithToPorts: "The ICMPs block may only be present without ToPorts"
      errors.push(`${f}.icmps: ${JSON.stringify(this.icmpList.map(i => i.toString()))} is in the same rule as toPorts; Cilium allows ICMPs only without toPorts: put the ICMP types in a separate rule`);
    }
    if ((this.terminating || this.originating || this.serverNameList.length || this.listenerRef) && this.portList.length === 0) {
      errors.push(`${f}.toPorts[0].ports: [] is empty but the rule sets TLS, server names or a listener; add the TCP port(s) they apply to`);
    }
    return errors;
  }

  /** @internal */
  public _toModel(): CiliumRuleModel {
    return {
      direction: this.direction,
      peers: this.resolvedPeers(),
      requires: this.requiresList.map((e, i) => this.context.endpointsSelector(e, `${this.field}.${this.peerKey()}Requires[${i}]`, 'peer')),
      ports: this.portList,
      l7: this.l7,
      serverNames: this.serverNameList,
      terminatingTls: this.terminating,
      originatingTls: this.originating,
      listener: this.listenerRef,
      authentication: this.auth,
      icmps: this.icmpList,
    };
  }

  private setL7(kind: string, method: string, count: number, l7: CiliumL7Model): void {
    const f = `${this.field}.toPorts[0].rules.${kind}`;
    if (this.isDeny) {
      // The CRD's ingressDeny/egressDeny port rules have only `ports`.
      throw invalid(f, method, 'is on a deny rule, and Cilium deny rules have no L7 rules', 'deny at L3/L4 only, or allow the wanted requests with an allow rule\'s L7 rules');
    }
    if (this.l7Kind) {
      // pkg/policy/api: "multiple L7 protocol rule types specified in single rule"
      throw invalid(f, method, `is added to a rule that already has ${this.l7Kind} L7 rules`, 'use one L7 kind per rule: call allowFrom/allowTo again for the other protocol');
    }
    if (count === 0) throw invalid(f, [], 'is empty', `pass at least one rule to ${method}(), e.g. L7Http.any() to match everything`);
    this.l7 = l7;
    this.l7Kind = kind;
  }

  private checkNotDeny(what: string, value: unknown): void {
    if (this.isDeny) {
      throw invalid(`${this.field}.toPorts[0].${what}`, value, 'is on a deny rule, and Cilium deny rules only have ports', `set ${what} on an allow rule`);
    }
  }
}

function tlsContext(field: string, options: CiliumTlsOptions): TLSContext {
  if (!options || !options.secret) throw invalid(`${field}.secret`, options?.secret, 'is required', 'pass { secret: { name: "my-tls" } }');
  validateDns1123Subdomain(`${field}.secret.name`, options.secret.name);
  if (options.secret.namespace !== undefined) validateDns1123Label(`${field}.secret.namespace`, options.secret.namespace);
  const secret = options.secret.namespace !== undefined
    ? { name: options.secret.name, namespace: options.secret.namespace }
    : { name: options.secret.name };
  const out: { -readonly [K in keyof TLSContext]: TLSContext[K] } = { secret };
  for (const [k, wire] of [['certificate', 'certificate'], ['privateKey', 'privateKey'], ['trustedCa', 'trustedCA']] as const) {
    const v: unknown = options[k];
    if (v !== undefined) {
      if (typeof v !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(v)) throw invalid(`${field}.${wire}`, v, 'is not a Secret data key', 'use a key such as "tls.crt"');
      out[wire] = v;
    }
  }
  return out;
}

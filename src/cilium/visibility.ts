import { ApiObject, ApiObjectMetadata, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { CiliumNetworkPolicy } from './policy';
import { Entity } from '../model/cilium/entity';
import { L7Dns, L7Http } from '../model/cilium/l7';
import { Endpoints, ICiliumPeer } from '../model/cilium/peers';
import { CiliumFeature, CiliumVersion, CiliumVersionCheck, checkFeature } from '../model/cilium/versions';
import { invalid } from '../model/errors';
import { Port, validatePortNumber } from '../model/port';
import { TEMPLATED_WORKLOAD_KINDS } from '../wire/kinds';
import { podTemplatePath } from '../wire/kubernetes/pod-template';

/** The annotation that asked Cilium for L7 visibility before Cilium 1.17. */
export const PROXY_VISIBILITY_ANNOTATION = 'policy.cilium.io/proxy-visibility';

/** The L7 parser of a visibility rule. */
export enum VisibilityParser {
  /** HTTP (TCP). */
  HTTP = 'HTTP',
  /** DNS (egress only). */
  DNS = 'DNS',
}

/** One direction/port/parser for which Cilium should show L7 flows. */
export class VisibilityRule {
  /**
   * HTTP requests received on TCP `port`.
   * @param port the TCP port, 1-65535
   */
  public static ingressHttp(port: number): VisibilityRule {
    return new VisibilityRule('Ingress', port, VisibilityParser.HTTP);
  }

  /**
   * HTTP requests sent to TCP `port`.
   * @param port the TCP port, 1-65535
   */
  public static egressHttp(port: number): VisibilityRule {
    return new VisibilityRule('Egress', port, VisibilityParser.HTTP);
  }

  /**
   * DNS look-ups sent to `port`.
   * @param port the DNS server port. Default: 53
   */
  public static egressDns(port?: number): VisibilityRule {
    return new VisibilityRule('Egress', port ?? 53, VisibilityParser.DNS);
  }

  /** `Ingress` or `Egress`. */
  public readonly direction: string;
  /** The port. */
  public readonly port: number;
  /** The L7 parser. */
  public readonly parser: VisibilityParser;

  private constructor(direction: string, port: number, parser: VisibilityParser) {
    validatePortNumber(`VisibilityRule(${direction} ${parser}).port`, port);
    this.direction = direction;
    this.port = port;
    this.parser = parser;
  }

  /** The annotation entry, e.g. `<Ingress/80/TCP/HTTP>` or `<Egress/53/UDP/DNS>`. */
  public toAnnotation(): string {
    return `<${this.direction}/${this.port}/${this.parser === VisibilityParser.DNS ? 'UDP' : 'TCP'}/${this.parser}>`;
  }
}

/** How L7Visibility was realised. */
export enum VisibilityMode {
  /** The `policy.cilium.io/proxy-visibility` annotation on the workload's pods (Cilium < 1.17). */
  ANNOTATION = 'annotation',
  /** A visibility-only CiliumNetworkPolicy (Cilium 1.16+). */
  POLICY = 'policy',
}

/** Properties of L7Visibility. */
export interface L7VisibilityProps {
  /** What to show. */
  readonly rules: VisibilityRule[];
  /**
   * The endpoints to observe: needed for the visibility policy (Cilium 1.16+).
   * @default - none: only the annotation can be used
   */
  readonly endpointSelector?: Endpoints;
  /**
   * A Pod, or an object with a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * Job, CronJob), to annotate: needed for the annotation (Cilium before 1.17).
   * @default - none: only the policy can be used
   */
  readonly workload?: ApiObject;
  /**
   * The peers the visibility rules are written for. A visibility rule is an allow rule: if
   * another policy puts the endpoints in default deny, these rules also allow their port from
   * (or to) these peers. Narrow them to the peers you already allow when that matters.
   * @default - [Entity.ALL]
   */
  readonly peers?: ICiliumPeer[];
  /** Metadata of the visibility policy. @default - generated name, chart namespace */
  readonly metadata?: ApiObjectMetadata;
  /** The Cilium release. @default - the scope's version (CiliumVersion.forScope), else 1.18 */
  readonly ciliumVersion?: CiliumVersion;
}

/**
 * L7 visibility (Hubble shows HTTP requests / DNS look-ups) that never starts dropping traffic.
 *
 * - Cilium 1.16 and newer, with `endpointSelector`: a visibility-only CiliumNetworkPolicy with
 *   match-all L7 rules (`http: [{}]`, `dns: [{matchPattern: "*"}]`) and `enableDefaultDeny`
 *   off in each direction it has rules for (enableDefaultDeny exists since 1.16).
 * - Older releases, or no endpointSelector: the `policy.cilium.io/proxy-visibility`
 *   annotation on the workload's pods (deprecated in 1.15 — a warning —, removed in 1.17 — an
 *   error).
 * @example
 * new L7Visibility(chart, 'api-visibility', {
 *   endpointSelector: Endpoints.withLabels({ app: 'api' }),
 *   rules: [VisibilityRule.ingressHttp(8080), VisibilityRule.egressDns()],
 * });
 */
export class L7Visibility extends Construct {
  /** How the visibility is realised. */
  public readonly mode: VisibilityMode;
  /** The visibility policy, in POLICY mode. @default - none (ANNOTATION mode) */
  public readonly policy?: CiliumNetworkPolicy;
  /** The annotation value, in ANNOTATION mode. @default - none (POLICY mode) */
  public readonly annotationValue?: string;
  /** Warnings (deprecated annotation). */
  public readonly warnings: string[] = [];

  /**
   * Defines L7 visibility for the endpoints or workload in `props`.
   * @param scope the scope (usually a Chart) the visibility policy is created in
   * @param id the construct id, unique within `scope`
   * @param props the rules, the endpoints or workload, the peers and the Cilium version
   */
  public constructor(scope: Construct, id: string, props: L7VisibilityProps) {
    super(scope, id);
    if (!props || !Array.isArray(props.rules) || props.rules.length === 0) {
      throw invalid('L7VisibilityProps.rules', props?.rules, 'is empty', 'give rules such as VisibilityRule.ingressHttp(80), VisibilityRule.egressDns()');
    }
    props.rules.forEach((r, i) => {
      if (!(r instanceof VisibilityRule)) throw invalid(`L7VisibilityProps.rules[${i}]`, r, 'is not a VisibilityRule', 'use VisibilityRule.ingressHttp(80) ...');
    });
    const texts = props.rules.map(r => r.toAnnotation());
    const dup = texts.find((t, i) => texts.indexOf(t) !== i);
    if (dup) throw invalid('L7VisibilityProps.rules', dup, 'is listed twice', 'remove the duplicate');
    const version = props.ciliumVersion ?? CiliumVersion.forScope(this);
    const annotation = checkFeature(version, CiliumFeature.PROXY_VISIBILITY_ANNOTATION);
    const policyPossible = checkFeature(version, CiliumFeature.ENABLE_DEFAULT_DENY).level === CiliumVersionCheck.OK;

    if (policyPossible && props.endpointSelector) {
      this.mode = VisibilityMode.POLICY;
      this.policy = this.createPolicy(props, version);
      return;
    }
    if (annotation.level === CiliumVersionCheck.UNSUPPORTED) {
      throw invalid('L7VisibilityProps.endpointSelector', undefined,
        `is required: ${annotation.message}`, 'pass endpointSelector: Endpoints.withLabels({...}) for the visibility policy');
    }
    if (!props.workload) {
      throw invalid('L7VisibilityProps.workload', undefined,
        `is required on Cilium ${version}, where visibility needs the ${PROXY_VISIBILITY_ANNOTATION} annotation (visibility policies need enableDefaultDeny, Cilium 1.16+)`,
        'pass the Pod or Deployment ApiObject as workload');
    }
    if (annotation.level === CiliumVersionCheck.DEPRECATED) {
      this.warnings.push(`L7Visibility(${this.node.path}): ${annotation.message}`);
      console.warn(`[cdk8s-netpol] warning: ${this.warnings[0]}`);
    }
    this.mode = VisibilityMode.ANNOTATION;
    this.annotationValue = texts.join(',');
    annotate(props.workload, this.annotationValue);
  }

  private createPolicy(props: L7VisibilityProps, version: CiliumVersion): CiliumNetworkPolicy {
    const ingress = props.rules.filter(r => r.direction === 'Ingress');
    const egress = props.rules.filter(r => r.direction === 'Egress');
    const peers = props.peers ?? [Entity.ALL];
    if (peers.length === 0) throw invalid('L7VisibilityProps.peers', [], 'is empty', 'leave it out for Entity.ALL, or name the peers');
    const policy = new CiliumNetworkPolicy(this, 'Policy', {
      metadata: props.metadata,
      endpointSelector: props.endpointSelector,
      ciliumVersion: version,
      enableDefaultDeny: {
        ...(ingress.length ? { ingress: false } : {}),
        ...(egress.length ? { egress: false } : {}),
      },
      description: 'L7 visibility only: match-all L7 rules with default deny off',
    });
    for (const r of props.rules) {
      if (r.parser === VisibilityParser.DNS) {
        policy.allowTo(...peers).toPorts(Port.any(r.port)).withDns(L7Dns.all());
      } else if (r.direction === 'Ingress') {
        policy.allowFrom(...peers).toPort(r.port).withHttp(L7Http.any());
      } else {
        policy.allowTo(...peers).toPort(r.port).withHttp(L7Http.any());
      }
    }
    return policy;
  }
}

/** Adds the proxy-visibility annotation to a Pod or to an object's pod template. */
function annotate(workload: ApiObject, value: string): void {
  const path = podTemplatePath(workload.kind);
  if (!path) {
    throw invalid('L7VisibilityProps.workload', `${workload.apiVersion}/${workload.kind}`, 'has no pod template',
      `annotate a Pod or an object with a pod template (${['Pod', ...TEMPLATED_WORKLOAD_KINDS].join(', ')})`);
  }
  if (path.length === 0) {
    workload.metadata.addAnnotation(PROXY_VISIBILITY_ANNOTATION, value);
    return;
  }
  // JSON patches apply after the object is resolved; add the missing parents as needed.
  let node: any = workload.toJson();
  const pointer: string[] = [];
  for (const key of path) {
    node = node?.[key];
    pointer.push(key);
    if (node === undefined) {
      throw invalid('L7VisibilityProps.workload', workload.kind, `has no ${pointer.join('.')}`, 'give the workload a pod template first');
    }
  }
  const base = `/${pointer.join('/')}`;
  const escaped = PROXY_VISIBILITY_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1');
  if (!node.metadata) workload.addJsonPatch(JsonPatch.add(`${base}/metadata`, { annotations: { [PROXY_VISIBILITY_ANNOTATION]: value } }));
  else if (!node.metadata.annotations) workload.addJsonPatch(JsonPatch.add(`${base}/metadata/annotations`, { [PROXY_VISIBILITY_ANNOTATION]: value }));
  else workload.addJsonPatch(JsonPatch.add(`${base}/metadata/annotations/${escaped}`, value));
}

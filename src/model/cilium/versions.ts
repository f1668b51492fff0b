import { IConstruct } from 'constructs';
import { invalid } from '../errors';

/** The construct-context key that sets the Cilium version for every policy below a scope. */
export const CILIUM_VERSION_CONTEXT_KEY = 'cdk8s-netpol:ciliumVersion';

/**
 * A Cilium minor release that manifests are written for. It decides which fields may be
 * emitted: a field the release removed is an error, a deprecated one a warning.
 */
export class CiliumVersion {
  /** Cilium 1.14 */
  public static readonly V1_14 = new CiliumVersion(1, 14);
  /** Cilium 1.15 */
  public static readonly V1_15 = new CiliumVersion(1, 15);
  /** Cilium 1.16 */
  public static readonly V1_16 = new CiliumVersion(1, 16);
  /** Cilium 1.17 */
  public static readonly V1_17 = new CiliumVersion(1, 17);
  /** Cilium 1.18: the default, and the release whose CRD schemas the library is tested against. */
  public static readonly V1_18 = new CiliumVersion(1, 18);
  /** Cilium 1.19 */
  public static readonly V1_19 = new CiliumVersion(1, 19);
  /** Cilium 1.20 */
  public static readonly V1_20 = new CiliumVersion(1, 20);

  /** The default when neither the policy nor the scope sets a version. */
  public static readonly DEFAULT = CiliumVersion.V1_18;

  /**
   * A version from text such as `"1.17"` or `"1.17.3"` (the patch level is ignored).
   * @param version `major.minor` or `major.minor.patch`
   */
  public static of(version: string): CiliumVersion {
    const m = typeof version === 'string' ? /^v?1\.(\d{1,2})(\.\d+)?$/.exec(version.trim()) : null;
    if (!m) {
      throw invalid('CiliumVersion', version, 'is not a Cilium version', 'write it as "1.<minor>", e.g. "1.18"');
    }
    const minor = Number(m[1]);
    if (minor < 14) {
      throw invalid('CiliumVersion', version, 'is older than the oldest release this library models (1.14)', 'target Cilium 1.14 or newer');
    }
    return new CiliumVersion(1, minor);
  }

  /**
   * Sets the Cilium version for every policy created below `scope` (e.g. a chart), through
   * the construct context key `cdk8s-netpol:ciliumVersion`. Call it before adding policies.
   * @param scope the construct (usually a chart or the app) whose descendants use `version`
   * @param version the Cilium release the policies target
   */
  public static setForScope(scope: IConstruct, version: CiliumVersion): void {
    scope.node.setContext(CILIUM_VERSION_CONTEXT_KEY, version.toString());
  }

  /**
   * The version in force for `scope`: the context key `cdk8s-netpol:ciliumVersion` (a string
   * such as "1.17", set with `setForScope` or `cdk8s.yaml`/app context), else 1.18.
   * @param scope any construct; the version set on it or its nearest ancestor applies
   */
  public static forScope(scope: IConstruct): CiliumVersion {
    const ctx = scope.node.tryGetContext(CILIUM_VERSION_CONTEXT_KEY);
    if (ctx === undefined || ctx === null) return CiliumVersion.DEFAULT;
    if (ctx instanceof CiliumVersion) return ctx;
    return CiliumVersion.of(String(ctx));
  }

  /** Major version (1). */
  public readonly major: number;
  /** Minor version. */
  public readonly minor: number;

  private constructor(major: number, minor: number) {
    this.major = major;
    this.minor = minor;
  }

  /**
   * True when this release is `other` or newer.
   * @param other the release to compare with
   */
  public isAtLeast(other: CiliumVersion): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }

  /** `1.18` */
  public toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

/** A Cilium policy feature whose support depends on the Cilium version. */
export enum CiliumFeature {
  /** Kafka L7 rules (`toPorts[].rules.kafka`). */
  KAFKA = 'kafka',
  /** Generic L7 rules through proxylib parsers (`toPorts[].rules.l7proto` / `l7`). */
  GENERIC_L7 = 'l7proto',
  /** `fromRequires` / `toRequires`. */
  REQUIRES = 'requires',
  /** The `policy.cilium.io/proxy-visibility` pod annotation. */
  PROXY_VISIBILITY_ANNOTATION = 'proxy-visibility-annotation',
  /** `enableDefaultDeny` on a policy. */
  ENABLE_DEFAULT_DENY = 'enableDefaultDeny',
  /** The policy `log` value shown in Hubble flows. */
  POLICY_LOG = 'log',
  /** `cidrGroupSelector` in a CIDR rule. */
  CIDR_GROUP_SELECTOR = 'cidrGroupSelector',
}

/** When a Cilium release introduced, deprecated or removed a feature, and what replaces it. */
export interface CiliumFeatureLifecycle {
  /** The feature. */
  readonly feature: CiliumFeature;
  /** What the feature is called in messages. */
  readonly title: string;
  /** First release that accepts it. @default - every modelled release */
  readonly introducedIn?: string;
  /** Release that deprecated it (still works, warning). @default - not deprecated */
  readonly deprecatedIn?: string;
  /** Release that removed it (error). @default - not removed */
  readonly removedIn?: string;
  /** What to use instead. @default - no replacement */
  readonly replacement?: string;
  /** Where the fact comes from (release notes, pull requests). */
  readonly source: string;
}

/**
 * The one table of version facts, used by the constructs (errors and warnings at synth) and
 * meant for the lint. Each fact cites its source; where the removal release is only
 * announced, not yet confirmed by a release, the source says so.
 */
export const CILIUM_FEATURE_LIFECYCLE: CiliumFeatureLifecycle[] = [
  {
    feature: CiliumFeature.KAFKA,
    title: 'Kafka L7 rules (rules.kafka)',
    deprecatedIn: '1.18',
    removedIn: '1.20',
    replacement: 'a CiliumEnvoyConfig-based Kafka filter selected with a listener (CiliumPolicyRule.listener()), or L4-only rules on the Kafka port',
    // cilium/cilium#40967 (1.18 backport: "Kafka Network Policy support is deprecated and will be
    // removed in Cilium v1.20"); removal: cilium/cilium#43557 (proxylib and Kafka policy removed)
    // and #44610 (kafka, l7proto and l7 fields dropped from the CNP/CCNP CRDs), both on the 1.20
    // development branch. 1.20 is the announced removal release; not yet confirmed by a release.
    source: 'cilium/cilium#40967 (deprecation, 1.18), #43557 and #44610 (removal, announced for 1.20)',
  },
  {
    feature: CiliumFeature.GENERIC_L7,
    title: 'generic L7 rules (rules.l7proto / rules.l7, proxylib)',
    deprecatedIn: '1.18',
    removedIn: '1.20',
    replacement: 'HTTP or DNS rules, or a CiliumEnvoyConfig listener (CiliumPolicyRule.listener())',
    // 1.18 upgrade notes: "The support for proxylib is deprecated" (cilium/cilium#39419).
    source: 'cilium/cilium#39419 (1.18 upgrade notes: proxylib deprecated), #43557 and #44610 (removal, announced for 1.20)',
  },
  {
    feature: CiliumFeature.REQUIRES,
    title: 'fromRequires / toRequires',
    deprecatedIn: '1.17',
    removedIn: '1.19',
    replacement: 'the required labels in each peer selector (e.g. Endpoints.matching(...) with the extra labels), or a deny rule',
    source: 'cilium/cilium#36649 (deprecated, 1.17), #42615 (removed, 1.19 upgrade notes)',
  },
  {
    feature: CiliumFeature.PROXY_VISIBILITY_ANNOTATION,
    title: 'the policy.cilium.io/proxy-visibility annotation',
    deprecatedIn: '1.15',
    removedIn: '1.17',
    replacement: 'a visibility policy with match-all L7 rules and enableDefaultDeny off (L7Visibility does this for Cilium 1.15+)',
    // Deprecated in 1.15 (cilium/cilium#28449 moved the docs to policy-based visibility, with a
    // 1.15 upgrade note); removed by #35019 ("Remove deprecated annotations-based L7
    // visibility", merged for 1.17, with a 1.17 upgrade note); #35151/#35152 (1.15/1.16
    // backports) say the feature "will be removed in Cilium 1.17".
    source: 'cilium/cilium#28449 (deprecated, 1.15), #35019 (removed, 1.17), #35151/#35152',
  },
  {
    feature: CiliumFeature.ENABLE_DEFAULT_DENY,
    title: 'enableDefaultDeny',
    introducedIn: '1.16',
    replacement: 'Cilium 1.16 or newer, or leave enableDefaultDeny out',
    source: 'cilium/cilium#30572 (added, 1.16), cilium/cilium#35558',
  },
  {
    feature: CiliumFeature.POLICY_LOG,
    title: 'the policy log value (spec.log)',
    introducedIn: '1.18',
    replacement: 'Cilium 1.18 or newer, or identify the policy through its labels in Hubble',
    source: 'cilium/cilium#39902 (1.18 release highlights: "Policy Log Fields")',
  },
  {
    feature: CiliumFeature.CIDR_GROUP_SELECTOR,
    title: 'cidrGroupSelector',
    introducedIn: '1.17',
    replacement: 'CidrGroup.named() (cidrGroupRef)',
    source: 'cilium/cilium#36087 (merged Nov 2024, 1.17), docs in #37059',
  },
];

/** Severity of a version check. */
export enum CiliumVersionCheck {
  /** Supported. */
  OK = 'ok',
  /** Supported but deprecated. */
  DEPRECATED = 'deprecated',
  /** Not supported by this version. */
  UNSUPPORTED = 'unsupported',
}

/** The lifecycle entry of a feature. @internal */
export function lifecycleOf(feature: CiliumFeature): CiliumFeatureLifecycle {
  const entry = CILIUM_FEATURE_LIFECYCLE.find(e => e.feature === feature);
  if (!entry) throw new Error(`no lifecycle entry for ${feature}`);
  return entry;
}

/** Whether `version` supports `feature`, and the message to show when it does not or deprecates it. @internal */
export function checkFeature(version: CiliumVersion, feature: CiliumFeature): { level: CiliumVersionCheck; message?: string } {
  const e = lifecycleOf(feature);
  const fix = e.replacement ? `; use ${e.replacement}` : '';
  if (e.introducedIn && !version.isAtLeast(CiliumVersion.of(e.introducedIn))) {
    return { level: CiliumVersionCheck.UNSUPPORTED, message: `${e.title} needs Cilium ${e.introducedIn} or newer, but the target is Cilium ${version}${fix} (${e.source})` };
  }
  if (e.removedIn && version.isAtLeast(CiliumVersion.of(e.removedIn))) {
    return { level: CiliumVersionCheck.UNSUPPORTED, message: `${e.title} was removed in Cilium ${e.removedIn} and the target is Cilium ${version}${fix} (${e.source})` };
  }
  if (e.deprecatedIn && version.isAtLeast(CiliumVersion.of(e.deprecatedIn))) {
    return {
      level: CiliumVersionCheck.DEPRECATED,
      message: `${e.title} is deprecated since Cilium ${e.deprecatedIn}${e.removedIn ? ` and removed in ${e.removedIn}` : ''}${fix} (${e.source})`,
    };
  }
  return { level: CiliumVersionCheck.OK };
}

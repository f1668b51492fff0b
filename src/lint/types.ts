import { CiliumAgentOptions } from '../model/cilium/agent';
/** Severity of a lint finding. */
export enum LintSeverity {
  /** A policy that does not do what it says: fails synth and makes `cdk8s-netpol lint` exit 1. */
  ERROR = 'error',
  /** A likely mistake: printed at synth, reported by the CLI. */
  WARNING = 'warning',
  /** Worth knowing; never fails anything. */
  INFO = 'info',
}

/** The object a finding is about. */
export interface LintObjectRef {
  /** `kind` of the object, e.g. `NetworkPolicy`. */
  readonly kind: string;
  /**
   * Namespace of the object.
   * @default - cluster-scoped, or not set in the manifest
   */
  readonly namespace?: string;
  /** `metadata.name` of the object. */
  readonly name: string;
}

/** One finding of the lint. */
export interface LintFinding {
  /** Stable id of the check, e.g. `NP001`. */
  readonly checkId: string;
  /** Severity. */
  readonly severity: LintSeverity;
  /** The object. */
  readonly object: LintObjectRef;
  /** Path of the field in the object, e.g. `spec.ingress[0].from[1]`. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it (or to silence it). */
  readonly fix: string;
  /**
   * File the object came from.
   * @default - the object was not read from a file
   */
  readonly file?: string;
  /**
   * Line of the object in `file` (1-based).
   * @default - unknown
   */
  readonly line?: number;
}

/** Description of a check, for documentation and `cdk8s-netpol lint --list`. */
export interface LintCheckInfo {
  /** Stable id, e.g. `NP001`. Never reused for another check. */
  readonly id: string;
  /** Short kebab-case name, e.g. `egress-without-dns`. */
  readonly name: string;
  /** Default severity. */
  readonly severity: LintSeverity;
  /** One line about what the check catches. */
  readonly description: string;
  /** Kinds the check looks at. */
  readonly kinds: string[];
  /** True when the check only runs when workloads (Pods, Deployments...) are among the manifests. */
  readonly needsWorkloads: boolean;
}

/** Options of a lint run. */
export interface LintOptions {
  /**
   * Check ids not to run.
   * @default - every check runs
   */
  readonly disabledChecks?: string[];

  /**
   * The Cilium version the policies target (`major.minor`), for deprecated and removed fields and
   * for the checks of where that release enforces NetworkPolicies unlike the specification (NP010-NP015).
   * @default - at synth (Lint.enable): the scope's Cilium version (CiliumVersion.setForScope), else "1.18";
   * elsewhere "1.18"
   */
  readonly ciliumVersion?: string;

  /**
   * Cilium agent settings that decide which Cilium policies the agent accepts (a policy it
   * rejects is a LINT000 error), e.g. `enableNodeSelectorLabels` for `fromNodes`/`toNodes`, and
   * how it enforces NetworkPolicies: `policyDefaultLocalCluster` turns NP012 off and, on 1.18, NP015 on.
   * @default - the targeted Cilium release's defaults (Cilium 1.18's when no version is set)
   */
  readonly ciliumAgent?: CiliumAgentOptions;
}

/** The result of a lint run. */
export interface LintReport {
  /** Findings that are not suppressed, sorted by object, field and check id. */
  readonly findings: LintFinding[];
  /** Findings silenced by a `cdk8s-netpol.io/lint-ignore` annotation with a reason. */
  readonly suppressed: LintFinding[];
  /** Number of error findings. */
  readonly errorCount: number;
  /** Number of warning findings. */
  readonly warningCount: number;
}

/** Options of the SARIF report. */
export interface SarifOptions {
  /**
   * Version of the tool, written in `tool.driver.version`.
   * @default - not written
   */
  readonly toolVersion?: string;
  /**
   * Folder the file locations are relative to (code scanning resolves them against the repository root).
   * @default - the current working directory
   */
  readonly baseDirectory?: string;
}

/** The annotation that silences checks on one policy: `"NP003: reason"`, several separated by newlines or ";". */
export const LINT_IGNORE_ANNOTATION = 'cdk8s-netpol.io/lint-ignore';

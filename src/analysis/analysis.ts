/**
 * Public (jsii) API of the connectivity analyser.
 */
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { buildCluster } from './cluster';
import { DeviationFinding, DEVIATION_IDS, deviationDiagnostics, findDeviations } from './deviations';
import { Engine, ConnectionResult } from './engine';
import { explainQuery, resolvePeer, queryConn, QueryError } from './explain';
import { formatDot, formatMermaid } from './format/graph';
import { connectionsToJson, formatJson, formatMarkdown } from './format/table';
import { formatTxt, txtChunks } from './format/txt';
import { Diagnostic, fromObjects, loadFiles, LoadResult } from './load';
import { Peer } from './model';
import { ConnSet } from './ports';
import { compileSelector } from './selectors';
import { agentConfig, DEFAULT_CILIUM_VERSION, defaultMode, DEVIATION_TITLES, parseEnforcement, semanticsFor } from './semantics';
import { CiliumAgentOptions } from '../model/cilium/agent';
import { readDocuments } from '../wire/reader';

/** Output formats of the connectivity report. */
export enum OutputFormat {
  /** netpol-analyzer connlist text (`SRC => DST : CONNECTIONS`, sorted). */
  TXT = 'txt',
  /** JSON array of connections. */
  JSON = 'json',
  /** Markdown table. */
  MD = 'md',
  /** Graphviz dot graph. */
  DOT = 'dot',
  /** Mermaid flowchart. */
  MERMAID = 'mermaid',
}

/** The peers `--focus` names: a workload (`name` or `namespace/name`), a node, or `ingress-controller`. */
function focusPredicate(f: string): (p: Peer) => boolean {
  return (p) => (p.type === 'workload' && (p.workload!.name === f || `${p.namespace}/${p.workload!.name}` === f)) ||
    (p.type === 'node' && p.node!.name === f) || (p.type === 'ingress-controller' && f === 'ingress-controller');
}

export interface AnalysisOptions {
  /**
   * Cilium agent settings (see CiliumAgentOptions).
   * @default - Cilium 1.18's defaults
   */
  readonly ciliumAgent?: CiliumAgentOptions;
  /**
   * Who enforces the policies: `kubernetes` (NetworkPolicy as the Kubernetes specification
   * defines it, netpol-analyzer's reading; Cilium policies as Cilium enforces them) or `cilium` /
   * `cilium@1.18` (everything as Cilium enforces it, including where Cilium deviates from the
   * specification for NetworkPolicy).
   * @default - `cilium@1.18` when Cilium policies are among the manifests, else `kubernetes`
   */
  readonly cni?: string;
  /**
   * Read what the API server would reject as netpol-analyzer does, where the meaning is not in
   * doubt, with warnings instead of errors: workloads, namespaces, nodes and services as written,
   * and policies whose spec is valid despite problems elsewhere (e.g. a `status` field from a dump
   * of an older cluster). A policy whose spec the API server or Cilium rejects is never analysed.
   * @default false
   */
  readonly lenient?: boolean;

  /**
   * Only report connections from or to this workload (`name` or `namespace/name`), as
   * netpol-analyzer's `--focusworkload`; also a node name (Cilium host policies) or `ingress-controller`.
   * @default - all workloads
   */
  readonly focusWorkload?: string;
}

/** A question about one connection. */
export interface ConnectionQuery {
  /** Source: `namespace/name`, `namespace/name[Kind]`, an IP address, `{ingress-controller}` or `{entity}`. */
  readonly from: string;
  /** Destination, in the same forms (plus an FQDN named in a toFQDNs rule). */
  readonly to: string;
  /**
   * Destination port.
   * @default - any port
   */
  readonly port?: number;
  /**
   * Protocol: TCP, UDP, SCTP (and ICMP, ICMPv6 when Cilium policies are analysed).
   * @default - TCP when a port is given, else any protocol
   */
  readonly protocol?: string;
}

/** A port range of one protocol. */
export interface PortRange {
  readonly protocol: string;
  readonly port: number;
  readonly endPort: number;
}

/** An allowed connection between two peers. */
export interface Connection {
  readonly source: string;
  readonly destination: string;
  /** Connlist text, e.g. `TCP 80,UDP 53` or `All Connections`. */
  readonly description: string;
  readonly allConnections: boolean;
  /** Allowed port ranges (empty when allConnections). */
  readonly ports: PortRange[];
  /** L7 restrictions (Cilium), e.g. `TCP 80: HTTP GET /api`. */
  readonly l7Rules: string[];
}

export interface Verdict {
  readonly allowed: boolean;
  /** The allowed part of the asked connection (connlist text), or `No Connections`. */
  readonly connections: string;
  /** One-line reason naming the deciding policies. */
  readonly reason: string;
}

export interface RuleMatch {
  readonly rule: string;
  readonly connections: string;
}

export interface SideExplanation {
  /** The peer whose policies apply on this side. */
  readonly peer: string;
  /** Whether this side restricts anything (isolated or with deny rules). */
  readonly restricted: boolean;
  readonly isolatedBy: string[];
  readonly allowedBy: RuleMatch[];
  readonly deniedBy: RuleMatch[];
  /** What this side allows towards the other peer. */
  readonly connections: string;
}

export interface Explanation {
  readonly source: string;
  readonly destination: string;
  readonly allowed: boolean;
  readonly connections: string;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
  /** Human-readable explanation. */
  readonly text: string;
}

export interface AnalysisDiagnostic {
  /** error, warning or info */
  readonly severity: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A connection whose verdict the enforcer and the Kubernetes specification disagree on. */
export interface ConnectionDifference {
  readonly source: string;
  readonly destination: string;
  /** What the Kubernetes specification allows (connlist text, `No Connections` for nothing). */
  readonly specification: string;
  /** What Cilium allows. */
  readonly cilium: string;
}

/**
 * A way Cilium enforces NetworkPolicy differently from the Kubernetes specification that changes
 * verdicts of these manifests (whichever mode was analysed).
 */
export interface EnforcerDeviation {
  /** Stable id: `egress-named-ports`, `negative-namespace-selector`, `rules-outside-policy-types`, `identity-label-filter`. */
  readonly id: string;
  /** What Cilium does, with the upstream source or issue. */
  readonly description: string;
  /** The NetworkPolicies that trigger it (`NetworkPolicy namespace/name`). */
  readonly policies: string[];
  /** Every connection whose verdict differs, sorted. */
  readonly differences: ConnectionDifference[];
}

export interface SkippedKind {
  readonly kind: string;
  readonly count: number;
}

function toDiag(d: Diagnostic): AnalysisDiagnostic {
  return { severity: d.severity, file: d.file, line: d.line, column: d.column, message: d.message };
}

/**
 * Connectivity analysis of plain Kubernetes manifests: which workloads can talk to which, under
 * Kubernetes NetworkPolicy and Cilium policies enforced together.
 */
export class ConnectivityAnalysis {
  /** Analyse YAML/JSON files and folders (recursively). */
  public static fromFiles(paths: string[], options?: AnalysisOptions): ConnectivityAnalysis {
    return new ConnectivityAnalysis(loadFiles(paths), options);
  }

  /** Analyse manifests given as plain objects (e.g. parsed YAML). */
  public static fromManifests(manifests: any[], options?: AnalysisOptions): ConnectivityAnalysis {
    return new ConnectivityAnalysis(fromObjects(manifests), options);
  }

  /**
   * Analyse the manifests a cdk8s Chart (or App, or any construct containing charts) synthesises,
   * plus extra manifests (e.g. workloads defined elsewhere).
   */
  public static fromChart(construct: IConstruct, extraManifests?: any[], options?: AnalysisOptions): ConnectivityAnalysis {
    return ConnectivityAnalysis.fromManifests(ConnectivityAnalysis.synth(construct).concat(extraManifests ?? []), options);
  }

  /** The plain manifests of the charts in a construct tree. */
  public static synth(construct: IConstruct): any[] {
    const charts = Chart.isChart(construct) ? [construct as Chart] : construct.node.findAll().filter((c) => Chart.isChart(c)) as Chart[];
    return charts.flatMap((c) => c.toJson());
  }

  private readonly engine: Engine;
  private readonly focus?: string;
  private readonly found: DeviationFinding[];
  private cached?: ConnectionResult[];

  private constructor(loaded: LoadResult, options?: AnalysisOptions) {
    const agent = agentConfig(options?.ciliumAgent);
    const enforcement = options?.cni !== undefined ? parseEnforcement(options.cni) : undefined;
    const read = readDocuments(loaded.documents, { ciliumAgent: agent, lenient: options?.lenient });
    const cluster = buildCluster(read, [...loaded.diagnostics, ...read.diagnostics]);
    const hasCiliumPolicies = cluster.policies.some((p) => p.kind === 'CiliumNetworkPolicy' || p.kind === 'CiliumClusterwideNetworkPolicy');
    const mode = enforcement?.mode ?? defaultMode(hasCiliumPolicies);
    this.engine = new Engine(cluster, semanticsFor(mode, enforcement?.ciliumVersion ?? DEFAULT_CILIUM_VERSION, agent));
    this.found = findDeviations(this.engine);
    this.engine.diagnostics.push(...deviationDiagnostics(this.engine, this.found));
    this.focus = options?.focusWorkload;
    if (this.focus) {
      const focused = focusPredicate(this.focus);
      if (!this.engine.peers.some(focused)) {
        resolvePeer(this.engine, this.focus, 'dst', 'focusWorkload'); // throws with close names
        throw new QueryError(`focusWorkload: "${this.focus}" is not a workload or node; focus on a workload (name or namespace/name), a node name or ingress-controller`);
      }
    }
  }

  /** Diagnostics: malformed documents and policies (file:line:col), unsupported fields. */
  public get diagnostics(): AnalysisDiagnostic[] {
    return this.engine.diagnostics.map(toDiag);
  }

  /** Who the analysis assumes enforces the policies: `kubernetes` or `cilium@<version>` (see AnalysisOptions.cni). */
  public get enforcement(): string {
    const s = this.engine.semantics;
    return s.mode === 'cilium' ? `cilium@${s.ciliumVersion}` : 'kubernetes';
  }

  /**
   * Where Cilium and the Kubernetes specification disagree on verdicts of these manifests, per
   * deviation, with every differing connection (also reported as warnings in `diagnostics`).
   */
  public get deviations(): EnforcerDeviation[] {
    return this.found.map((f) => ({
      id: DEVIATION_IDS[f.deviation],
      description: DEVIATION_TITLES[f.deviation],
      policies: f.policies,
      differences: f.differences.map((d) => ({ source: d.src, destination: d.dst, specification: d.specification, cilium: d.cilium })),
    }));
  }

  /** Documents of unrelated kinds that were skipped, per kind. */
  public get skippedKinds(): SkippedKind[] {
    return [...this.engine.cluster.skipped.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([kind, count]) => ({ kind, count }));
  }

  /** Workload ids (`namespace/name[Kind]`), sorted. */
  public get workloads(): string[] {
    return this.engine.workloadPeers.map((p) => p.id);
  }

  private results(): ConnectionResult[] {
    if (!this.cached) {
      this.cached = this.engine.connections(this.focus ? focusPredicate(this.focus) : undefined);
    }
    return this.cached;
  }

  /** All allowed connections between distinct peers, sorted. */
  public connections(): Connection[] {
    const u = this.engine.universe;
    return this.results().map((c) => {
      const all = c.conn.isAll(u);
      const ports: PortRange[] = [];
      if (!all) {
        for (const [protocol, iv] of [...c.conn.protocols.entries()].sort()) for (const [s, e] of iv) ports.push({ protocol, port: s, endPort: e });
      }
      return {
        source: c.src.id,
        destination: c.dst.id,
        description: c.conn.toString(u),
        allConnections: all,
        ports,
        l7Rules: c.conn.l7.map((r) => `${r.protocol} ${r.start === r.end ? r.start : `${r.start}-${r.end}`}: ${r.rules.join('; ')}`),
      };
    });
  }

  /** Is the connection allowed? (all of the asked protocol/port; any connection when none is given) */
  public isAllowed(query: ConnectionQuery): Verdict {
    const e = this.explain(query);
    const deciding = [...e.egress.allowedBy, ...e.egress.deniedBy, ...e.ingress.allowedBy, ...e.ingress.deniedBy].map((r) => r.rule);
    let reason: string;
    if (e.allowed) reason = deciding.length ? `allowed by ${deciding.join(', ')}` : 'allowed: no policy restricts either side';
    else if (e.egress.connections === 'No Connections' && e.egress.restricted) reason = `denied on egress of ${e.source}: ${e.egress.deniedBy.length ? `denied by ${e.egress.deniedBy.map((r) => r.rule).join(', ')}` : `isolated by ${e.egress.isolatedBy.join(', ')} and no rule allows it`}`;
    else if (e.ingress.restricted) reason = `denied on ingress of ${e.destination}: ${e.ingress.deniedBy.length ? `denied by ${e.ingress.deniedBy.map((r) => r.rule).join(', ')}` : `isolated by ${e.ingress.isolatedBy.join(', ')} and no rule allows it`}`;
    else reason = `not allowed: ${e.text.split('\n')[1]}`;
    return { allowed: e.allowed, connections: e.connections, reason };
  }

  /** Which policies and rules allow or deny one connection. */
  public explain(query: ConnectionQuery): Explanation {
    const r = explainQuery(this.engine, query);
    const u = this.engine.universe;
    const asked = r.asked;
    const rel = (c: ConnSet) => (asked ? c.intersect(asked) : c);
    const side = (peer: Peer, v: typeof r.egress): SideExplanation => ({
      peer: peer.id,
      restricted: !v.unrestricted,
      isolatedBy: v.isolatedBy,
      allowedBy: v.allowedBy.map((a) => ({ rule: a.rule, connections: rel(a.conn).toString(u) })),
      deniedBy: v.deniedBy.map((a) => ({ rule: a.rule, connections: rel(a.conn).toString(u) })),
      connections: rel(v.conn).toString(u),
    });
    return {
      source: r.src.id,
      destination: r.dst.id,
      allowed: r.allowed,
      connections: rel(r.allowedConn).toString(u),
      egress: side(r.src, r.egress),
      ingress: side(r.dst, r.ingress),
      text: r.text,
    };
  }

  /** The report in a format. */
  public format(format: OutputFormat): string {
    const c = this.results();
    const u = this.engine.universe;
    switch (format) {
      case OutputFormat.TXT:
        return formatTxt(c, u);
      case OutputFormat.JSON:
        return formatJson(c, u);
      case OutputFormat.MD:
        return formatMarkdown(c, u);
      case OutputFormat.DOT:
        return formatDot(c, u, this.focus ? [] : this.engine.workloadPeers);
      case OutputFormat.MERMAID:
        return formatMermaid(c, u, this.focus ? [] : this.engine.workloadPeers);
      default:
        throw new QueryError(`format: "${format}" is not one of txt, json, md, dot, mermaid`);
    }
  }

  public toText(): string {
    return this.format(OutputFormat.TXT);
  }

  /**
   * The report in a format, in pieces whose concatenation is `format(format)`: the text report is
   * produced a few thousand lines at a time (the CLI writes them as they come). @internal
   */
  public *_formatChunks(format: OutputFormat): Generator<string> {
    if (format === OutputFormat.TXT) yield* txtChunks(this.results(), this.engine.universe);
    else yield this.format(format);
  }

  public toJson(): any {
    return connectionsToJson(this.results(), this.engine.universe);
  }

  public toMarkdown(): string {
    return this.format(OutputFormat.MD);
  }

  public toDot(): string {
    return this.format(OutputFormat.DOT);
  }

  public toMermaid(): string {
    return this.format(OutputFormat.MERMAID);
  }

  /** Validate a query without analysing it (throws with a clear message). */
  public checkQuery(query: ConnectionQuery): void {
    resolvePeer(this.engine, query.from, 'src', 'from');
    resolvePeer(this.engine, query.to, 'dst', 'to');
    queryConn(query, this.engine.universe);
  }
}

/** A manifest with the file and position it came from. */
export interface LoadedManifest {
  readonly manifest: any;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface LoadedManifests {
  readonly manifests: LoadedManifest[];
  readonly diagnostics: AnalysisDiagnostic[];
}

/**
 * Loads plain manifests from files and folders (YAML or JSON, multi-document, `v1 List`), with
 * positions; malformed documents become diagnostics. Shared with the manifest lint.
 */
export class ManifestLoader {
  public static load(paths: string[]): LoadedManifests {
    const r = loadFiles(paths);
    return {
      manifests: r.documents.map((d) => ({ manifest: d.object, file: d.file, line: d.line, column: d.column })),
      diagnostics: r.diagnostics.map(toDiag),
    };
  }

  private constructor() {}
}

/** Kubernetes label selector matching (matchLabels + matchExpressions). */
export class LabelSelectorMatcher {
  /** Does the selector match the labels? Throws with the offending field when the selector is invalid. */
  public static matches(selector: any, labels: { [key: string]: string }): boolean {
    return compileSelector(selector, 'selector').matches(labels);
  }

  /** Returns an error message for an invalid selector, or undefined when it is valid. */
  public static validate(selector: any, field?: string): string | undefined {
    try {
      compileSelector(selector, field ?? 'selector');
      return undefined;
    } catch (e: any) {
      return e.message;
    }
  }

  private constructor() {}
}

/**
 * Public (jsii) API of the connectivity analyser.
 */
import type { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { buildCluster } from './cluster';
import { ConnectionList } from './connection-list';
import { DeviationFinding, DEVIATION_IDS, deviationDiagnostics, findDeviations } from './deviations';
import { Engine } from './engine';
import { explainQuery, resolvePeer, queryConn, QueryError } from './explain';
import { computeExposure, ExposureItem, isOutsidePeer, selectorDisplay, WorkloadExposureResult } from './exposure';
import { Focus } from './focus';
import { formatExposureCsv, formatExposureDot, formatExposureJson, formatExposureMarkdown, formatExposureTxt } from './format/exposure';
import { checkGraphSize, formatDot, formatMermaid, renderSvg } from './format/graph';
import { buildReport, joinReport } from './format/size';
import { connectionsToJson, csvChunks, jsonChunks, markdownChunks } from './format/table';
import { txtChunks } from './format/txt';
import { Diagnostic, fromObjects, loadFiles, LoadResult } from './load';
import { Peer } from './model';
import { ConnSet } from './ports';
import { compileSelector } from './selectors';
import { agentConfig, DEFAULT_CILIUM_VERSION, defaultMode, DEVIATION_TITLES, parseEnforcement, semanticsFor } from './semantics';
import { CiliumAgentOptions } from '../model/cilium/agent';
import { readDocuments } from '../wire/reader';

/** Hears of each manifest file before it is read (the CLI's progress). */
type FileProgress = (file: string, index: number, count: number) => void;

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
  /** Mermaid flowchart: a box per source with its own boxes for its destinations (see README). */
  MERMAID = 'mermaid',
  /** CSV (`src,dst,conn`), as netpol-analyzer writes it. */
  CSV = 'csv',
  /** SVG drawing of the dot graph (Graphviz compiled to WebAssembly; only through `toSvg()`, which is asynchronous). */
  SVG = 'svg',
}

export interface AnalysisOptions {
  /**
   * Cilium agent settings (see CiliumAgentOptions).
   * @default - Cilium 1.18's defaults
   */
  readonly ciliumAgent?: CiliumAgentOptions;
  /**
   * Who enforces the policies: `kubernetes` (NetworkPolicy as the Kubernetes specification
   * defines it, netpol-analyzer's reading, with the tiers of AdminNetworkPolicy,
   * BaselineAdminNetworkPolicy and ClusterNetworkPolicy around it; Cilium policies as Cilium
   * enforces them) or `cilium` / `cilium@1.18` (everything as Cilium enforces it, including where
   * Cilium deviates from the specification for NetworkPolicy; Cilium does not implement the
   * network-policy API, whose objects are then left out with a warning).
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
   * Same as a one-item `focusWorkloads` (both may be given).
   * @default - all workloads
   */
  readonly focusWorkload?: string;

  /**
   * Only report connections from or to these workloads (netpol-analyzer `--focusworkload`, a list).
   * @default - all workloads
   */
  readonly focusWorkloads?: string[];

  /**
   * With `focusWorkloads`: only connections whose other end is one of these workloads
   * (netpol-analyzer `--focusworkload-peer`).
   * @default - any peer
   */
  readonly focusWorkloadPeers?: string[];

  /**
   * With `focusWorkloads`: `ingress` (connections to them) or `egress` (connections from them),
   * netpol-analyzer `--focus-direction`.
   * @default - both directions
   */
  readonly focusDirection?: string;

  /**
   * Only pairs that allow this connection, `protocol-port` such as `tcp-8080` (netpol-analyzer
   * `--focus-conn`); the report then lists the pairs without connections.
   * @default - every connection
   */
  readonly focusConnection?: string;
}

/** A question about one connection. */
export interface ConnectionQuery {
  /** Source: `namespace/name`, `namespace/name[Kind]`, an IPv4 or IPv6 address, `{ingress-controller}` or `{entity}`. */
  readonly from: string;
  /** Destination, in the same forms, or a host name (matched against `toFQDNs` names and patterns as Cilium matches them). */
  readonly to: string;
  /**
   * Destination port (1-65535); for ICMP and ICMPv6 the ICMP type (0-255, e.g. 0 for an echo reply).
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
  /**
   * L7 restrictions (Cilium), per side whose proxy enforces them, e.g. `egress TCP 80: HTTP GET /api`
   * (the source's egress policy) and `ingress TCP 80: HTTP GET /` (the destination's): a request must
   * pass both.
   */
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
  /** The rules that allow connections on this side (network-policy API rules that decided first come first). */
  readonly allowedBy: RuleMatch[];
  /** The rules that deny connections on this side (network-policy API Deny rules that decided first come first). */
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

/** One peer beyond the input that a workload is open to (exposure analysis). */
export interface ExposureEntry {
  /**
   * netpol-analyzer's name of the peer: `entire-cluster`, an address range `a-b[External]`, or a
   * representative peer such as `[namespace with {team=payments}]/[all pods]`,
   * `[all namespaces]/[pod with {app=web}]` or `payments/[pod with {{Key:app,Operator:Exists,Values:[],}}]`.
   */
  readonly peer: string;
  /**
   * `entire-cluster`, `representative` (namespaces or pods by labels that the input does not hold),
   * `selector` (a Cilium endpoint selector that may match endpoints beyond the input), or the
   * connection list's peer: `external` (an address range), `entity`, `fqdn`, `group`, `service`.
   */
  readonly kind: string;
  /**
   * The representative peer's namespace selector as netpol-analyzer writes it (`{}` for all namespaces).
   * @default - none (not a representative peer)
   */
  readonly namespaceSelector?: string;
  /**
   * The representative peer's pod selector as netpol-analyzer writes it (`{}` for all pods).
   * @default - none (not a representative peer)
   */
  readonly podSelector?: string;
  /** The connections (connlist text; named ports towards peers not in the input stay names, e.g. `TCP http`; `No Connections` for an exception to entire-cluster). */
  readonly connections: string;
}

/** What the policies open one workload to beyond the workloads of the input, per direction. */
export interface WorkloadExposure {
  /** The workload (`namespace/name[Kind]`). */
  readonly workload: string;
  /** Some policy selects the workload for ingress (else it is open to the entire cluster). */
  readonly ingressProtected: boolean;
  /** Some policy selects the workload for egress (else it may reach the entire cluster). */
  readonly egressProtected: boolean;
  /** Peers that may connect to the workload, sorted. */
  readonly ingress: ExposureEntry[];
  /** Peers the workload may connect to, sorted. */
  readonly egress: ExposureEntry[];
}

export interface SkippedKind {
  readonly kind: string;
  readonly count: number;
}

/** The connections with an end outside the cluster, with their text (the exposure analysis reads them). */
function externalConnections(list: ConnectionList, universe: string[]): { src: Peer; dst: Peer; conn: string }[] {
  const out: { src: Peer; dst: Peer; conn: string }[] = [];
  for (let i = 0; i < list.length; i++) {
    const src = list.srcAt(i);
    const dst = list.dstAt(i);
    if (isOutsidePeer(src) || isOutsidePeer(dst)) out.push({ src, dst, conn: list.connAt(i).toString(universe) });
  }
  return out;
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
    // cdk8s is loaded here, not with the analyser: the CLI and plain-manifest analyses never need it
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Chart } = require('cdk8s') as typeof import('cdk8s');
    const charts = Chart.isChart(construct) ? [construct as Chart] : construct.node.findAll().filter((c) => Chart.isChart(c)) as Chart[];
    return charts.flatMap((c) => c.toJson());
  }

  /**
   * Analyses files without checking that the focus names exist (the diff checks them across both
   * sides: a workload may exist on one side only). @internal
   */
  public static _fromFilesUnchecked(paths: string[], options?: AnalysisOptions, onFile?: FileProgress): ConnectivityAnalysis {
    return new ConnectivityAnalysis(loadFiles(paths, onFile), options, false);
  }

  /** As fromFiles, telling `onFile` of each file before it is read (the CLI's progress). @internal */
  public static _fromFilesWithProgress(paths: string[], options: AnalysisOptions | undefined, onFile: FileProgress): ConnectivityAnalysis {
    return new ConnectivityAnalysis(loadFiles(paths, onFile), options);
  }

  private readonly engine: Engine;
  private readonly focus?: Focus;
  private readonly found: DeviationFinding[];
  private cached?: ConnectionList;
  private cachedExposure?: WorkloadExposureResult[];

  private constructor(loaded: LoadResult, options?: AnalysisOptions, checkFocus = true) {
    this.focus = Focus.of(options);
    const agent = agentConfig(options?.ciliumAgent);
    const enforcement = options?.cni !== undefined ? parseEnforcement(options.cni) : undefined;
    const read = readDocuments(loaded.documents, { ciliumAgent: agent, lenient: options?.lenient });
    const cluster = buildCluster(read, [...loaded.diagnostics, ...read.diagnostics]);
    const hasCiliumPolicies = cluster.policies.some((p) => p.kind === 'CiliumNetworkPolicy' || p.kind === 'CiliumClusterwideNetworkPolicy');
    const mode = enforcement?.mode ?? defaultMode(hasCiliumPolicies);
    this.engine = new Engine(cluster, semanticsFor(mode, enforcement?.ciliumVersion ?? DEFAULT_CILIUM_VERSION, agent));
    this.found = findDeviations(this.engine);
    this.engine.diagnostics.push(...deviationDiagnostics(this.engine, this.found));
    if (this.focus && checkFocus) this.focus.check([this._focusablePeers()]);
  }

  /** The peers focus names can name: workloads, nodes, the ingress controller. @internal */
  public _focusablePeers(): Peer[] {
    return this.engine.peers.filter((p) => p.type === 'workload' || p.type === 'node' || p.type === 'ingress-controller');
  }

  /** The focus of this analysis (undefined when none). @internal */
  public get _focus(): Focus | undefined {
    return this.focus;
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

  private results(): ConnectionList {
    if (!this.cached) {
      const f = this.focus;
      // the engine lists the pairs with a focus workload at either end; direction, peers and
      // connection narrow them here (netpol-analyzer includePairOfWorkloads)
      let res = this.engine.connectionList(f?.workloads.length ? (p) => f.isFocusWorkload(p) : undefined);
      if (f) {
        const out = new ConnectionList(this.engine.peers);
        for (let i = 0; i < res.length; i++) {
          const src = res.srcAt(i);
          const dst = res.dstAt(i);
          if (!f.includesPair(src, dst)) continue;
          const conn = f.restrict(res.connAt(i));
          if (conn) out.push(src, dst, conn);
        }
        res = out;
      }
      this.cached = res;
    }
    return this.cached;
  }

  /** Computes the connections now (the CLI does, so that its progress line covers it). @internal */
  public _computeConnections(): number {
    return this.results().length;
  }

  /** Workloads drawn in graphs even without connections: the focus workloads and peers, or all. */
  private graphWorkloads(): Peer[] {
    const f = this.focus;
    if (!f) return this.engine.workloadPeers;
    return this.engine.workloadPeers.filter((p) => f.isFocusWorkload(p) || (f.peers.length > 0 && f.isFocusPeer(p)));
  }

  /** All allowed connections between distinct peers, sorted. */
  public connections(): Connection[] {
    const u = this.engine.universe;
    return this.results().toArray().map((c) => {
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
        l7Rules: c.conn.l7.map((r) => `${r.direction} ${r.protocol} ${r.start === r.end ? r.start : `${r.start}-${r.end}`}: ${r.rules.join(', ')}`),
      };
    });
  }

  private exposureResults(): WorkloadExposureResult[] {
    if (!this.cachedExposure) {
      const f = this.focus;
      if (f?.workloads.length && f.peers.length) {
        // netpol-analyzer ignores the exposure then (connlist.go, with a warning); a CI run should not
        throw new QueryError('exposure: cannot be combined with focusWorkloadPeers (netpol-analyzer ignores the exposure analysis then); focus on workloads only');
      }
      const u = this.engine.universe;
      this.cachedExposure = computeExposure(this.engine, {
        workloads: this.engine.workloadPeers.filter((p) => !f || f.isFocusWorkload(p)),
        directions: f?.direction ? [f.direction] : ['ingress', 'egress'],
        focusConn: f?.conn,
        externalConns: externalConnections(this.results(), u),
      });
    }
    return this.cachedExposure;
  }

  /**
   * Exposure analysis (netpol-analyzer `--exposure`): per workload and direction, what the policies
   * open it to beyond the workloads of the input: the entire cluster, namespaces and pods by labels
   * that the input does not hold, external address ranges. Only workloads with something to report
   * are listed, sorted. Follows the focus options (`focusWorkloadPeers` excepted).
   */
  public exposure(): WorkloadExposure[] {
    const entry = (i: ExposureItem): ExposureEntry => ({
      peer: i.peer,
      kind: i.kind,
      connections: i.conn,
      ...(i.representative
        ? { namespaceSelector: selectorDisplay(i.representative.namespaceSelector), podSelector: selectorDisplay(i.representative.podSelector) }
        : {}),
    });
    const sorted = (list: ExposureItem[]) => list.map(entry).sort((a, b) => (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0));
    return this.exposureResults().map((e) => ({
      workload: e.workload.id,
      ingressProtected: e.ingressProtected,
      egressProtected: e.egressProtected,
      ingress: sorted(e.ingress),
      egress: sorted(e.egress),
    })).sort((a, b) => (a.workload < b.workload ? -1 : 1));
  }

  /**
   * The connection list followed by the exposure analysis, in netpol-analyzer's `--exposure`
   * grammar: `txt`, `json`, `csv`, `md` or `dot` (`svg`: `exposureSvg()`). Mermaid has none
   * (netpol-analyzer has no mermaid output).
   */
  public formatExposure(format: OutputFormat): string {
    const args = [this.results().toArray(), this.exposureResults(), this.engine.universe, this.focus?.conn?.text] as const;
    switch (format) {
      case OutputFormat.TXT:
        return formatExposureTxt(...args);
      case OutputFormat.JSON:
        return formatExposureJson(...args);
      case OutputFormat.CSV:
        return formatExposureCsv(...args);
      case OutputFormat.MD:
        return formatExposureMarkdown(...args);
      case OutputFormat.DOT:
        return formatExposureDot(this.results().toArray(), this.exposureResults(), this.engine.universe, this.graphWorkloads());
      case OutputFormat.SVG:
        throw new QueryError('format: the svg exposure graph is drawn asynchronously; call exposureSvg() (the CLI does)');
      default:
        throw new QueryError(`format: "${format}" has no exposure report; use txt, json, csv, md, dot or svg`);
    }
  }

  /** The exposure dot graph drawn as SVG by Graphviz (as `toSvg()`; throws when the graph is too large to read). */
  public async exposureSvg(): Promise<string> {
    checkGraphSize(this.results().length, 'svg');
    return renderSvg(this.formatExposure(OutputFormat.DOT));
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
    // network-policy API rules that decided part of the asked connections come first (they take precedence)
    const tierRules = (v: typeof r.egress, action: 'allow' | 'deny') => (v.tiers ?? [])
      .filter((t) => t.rule && t.action === action && !rel(t.conn).isEmpty())
      .map((t) => ({ rule: t.rule!, connections: rel(t.conn).toString(u) }));
    const side = (peer: Peer, v: typeof r.egress): SideExplanation => ({
      peer: peer.id,
      restricted: !v.unrestricted,
      isolatedBy: v.isolatedBy,
      allowedBy: [...tierRules(v, 'allow'), ...v.allowedBy.map((a) => ({ rule: a.rule, connections: rel(a.conn).toString(u) }))],
      deniedBy: [...tierRules(v, 'deny'), ...v.deniedBy.map((a) => ({ rule: a.rule, connections: rel(a.conn).toString(u) }))],
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

  /**
   * The report in a format (every format but SVG, which is drawn asynchronously by `toSvg()`).
   * With `focusConnection`, the text, CSV, Markdown and JSON reports list the pairs only, under
   * the connection (as netpol-analyzer does).
   */
  public format(format: OutputFormat): string {
    const c = this.results();
    const u = this.engine.universe;
    switch (format) {
      case OutputFormat.TXT:
      case OutputFormat.JSON:
      case OutputFormat.MD:
      case OutputFormat.CSV:
        // joined with a size check: past V8's string limit the error says to stream or focus
        return joinReport(this._formatChunks(format), format);
      case OutputFormat.DOT:
        return buildReport(format, () => formatDot(c.toArray(), u, this.graphWorkloads()));
      case OutputFormat.MERMAID:
        checkGraphSize(c.length, 'mermaid');
        return buildReport(format, () => formatMermaid(c.toArray(), u, this.graphWorkloads()));
      case OutputFormat.SVG:
        throw new QueryError('format: svg is drawn asynchronously; call toSvg() (the CLI does)');
      default:
        throw new QueryError(`format: "${format}" is not one of txt, json, md, csv, dot, mermaid, svg`);
    }
  }

  /**
   * The dot graph drawn as SVG by Graphviz (compiled to WebAssembly, loaded on first use; no
   * system Graphviz needed). Throws when the graph is too large to read (see README).
   */
  public async toSvg(): Promise<string> {
    const c = this.results();
    checkGraphSize(c.length, 'svg');
    return renderSvg(this.format(OutputFormat.DOT));
  }

  public toText(): string {
    return this.format(OutputFormat.TXT);
  }

  /**
   * The report in a format, in pieces whose concatenation is `format(format)`: the text report is
   * produced a few thousand lines at a time (the CLI writes them as they come). @internal
   */
  public *_formatChunks(format: OutputFormat): Generator<string> {
    const args = [this.results(), this.engine.universe, this.focus?.conn?.text] as const;
    if (format === OutputFormat.TXT) yield* txtChunks(...args);
    else if (format === OutputFormat.JSON) yield* jsonChunks(...args);
    else if (format === OutputFormat.CSV) yield* csvChunks(...args);
    else if (format === OutputFormat.MD) yield* markdownChunks(...args);
    else yield this.format(format);
  }

  public toJson(): any {
    return connectionsToJson(this.results(), this.engine.universe, this.focus?.conn?.text);
  }

  /** The report as CSV (`src,dst,conn`), as netpol-analyzer writes it. */
  public toCsv(): string {
    return this.format(OutputFormat.CSV);
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

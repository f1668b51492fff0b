/**
 * Connectivity diff of two analyses, with netpol-analyzer's semantics and grammar
 * (np-guard/netpol-analyzer pkg/netpol/diff: diff.go diffConnectionsLists, mergeIPblocks,
 * updateNewOrLostFields; diff_formatter*.go for the output). Built on the public analysis API:
 * the allowed connections and the workloads of each side.
 */
import { AnalysisOptions, Connection, ConnectivityAnalysis } from './analysis';
import { QueryError } from './explain';
import { csvRow } from './format/csv';
import { formatDiffDot } from './format/diff-dot';
import { GRAPH_LIMITS, renderSvg } from './format/graph';
import { Family, formatAddress, parseAddress } from './ipranges';

/** Output formats of the connectivity diff. */
export enum DiffFormat {
  /** netpol-analyzer diff text (`Connectivity diff:` and one `diff-type: ...` line per pair). */
  TXT = 'txt',
  /** Markdown table, as netpol-analyzer writes it. */
  MD = 'md',
  /** CSV, as netpol-analyzer writes it. */
  CSV = 'csv',
  /** JSON array of the differences (see ConnectionDiff). */
  JSON = 'json',
  /** Graphviz graph of the differences and the unchanged connections, as netpol-analyzer draws it. */
  DOT = 'dot',
  /** SVG drawing of the dot graph (only through `toSvg()`, which is asynchronous). */
  SVG = 'svg',
}

/** How the allowed connections of one source/destination pair differ between the two sides. */
export interface ConnectionDiff {
  /** `changed`, `added` (no connection on the first side) or `removed` (none on the second). */
  readonly diffType: string;
  /** Source peer, in connlist grammar. */
  readonly source: string;
  /** Destination peer, in connlist grammar. */
  readonly destination: string;
  /** Allowed connections on the first side (`No Connections` when none). */
  readonly ref1: string;
  /** Allowed connections on the second side (`No Connections` when none). */
  readonly ref2: string;
  /** The source is a workload of one side only (added with an `added` line, removed with a `removed` one). */
  readonly sourceNewOrRemoved: boolean;
  /** The destination is a workload of one side only. */
  readonly destinationNewOrRemoved: boolean;
  /** netpol-analyzer's `workloads-diff-info`, e.g. `workload ns/a[Deployment] added` (empty when no workload is new or removed). */
  readonly workloadsDiffInfo: string;
}

/** Options of the diff report. */
export interface DiffFormatOptions {
  /**
   * Name of the first side in the report.
   * @default "ref1"
   */
  readonly ref1Name?: string;
  /**
   * Name of the second side in the report.
   * @default "ref2"
   */
  readonly ref2Name?: string;
}

const NO_CONNECTIONS = 'No Connections';
const INGRESS_CONTROLLER = '{ingress-controller}';
const EXTERNAL = /^(.+)-(.+)\[External\]$/;

interface ExternalRange {
  readonly family: Family;
  readonly start: bigint;
  readonly end: bigint;
}

/** An external peer id (`a-b[External]`) as its address range. */
function externalRange(id: string): ExternalRange | undefined {
  const m = EXTERNAL.exec(id);
  if (!m) return undefined;
  const a = parseAddress(m[1]);
  const b = parseAddress(m[2]);
  if (!a || !b || a.family !== b.family) return undefined;
  return { family: a.family, start: a.start, end: b.end };
}

function rangeId(r: ExternalRange): string {
  return `${formatAddress(r.family, r.start)}-${formatAddress(r.family, r.end)}[External]`;
}

/** The connections between one peer and external ranges, in one direction, on both sides. */
interface ExternalGroup {
  readonly other: string;
  readonly otherIsSource: boolean;
  readonly ranges: { r: ExternalRange; side: 1 | 2; conn: string }[];
}

interface Pair {
  readonly source: string;
  readonly destination: string;
  ref1?: string;
  ref2?: string;
}

/**
 * The pairs with an external peer, per (other peer, direction): the address space is cut where any
 * range of either side starts or ends, each piece gets the connections of both sides, and adjacent
 * pieces with the same connections merge (netpol-analyzer DisjointPeerIPMap,
 * RefineConnListByDisjointPeers, then mergeIPblocks grouping by peer and both connection strings).
 */
function externalPairs(groups: Map<string, ExternalGroup>): Pair[] {
  const out: Pair[] = [];
  for (const g of groups.values()) {
    for (const family of [4, 6] as Family[]) {
      const items = g.ranges.filter((x) => x.r.family === family);
      if (!items.length) continue;
      const cuts = new Set<bigint>();
      for (const x of items) {
        cuts.add(x.r.start);
        cuts.add(x.r.end + 1n);
      }
      const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      let run: { start: bigint; end: bigint; c1?: string; c2?: string } | undefined;
      const flush = () => {
        if (!run) return;
        const id = rangeId({ family, start: run.start, end: run.end });
        const [source, destination] = g.otherIsSource ? [g.other, id] : [id, g.other];
        out.push({ source, destination, ref1: run.c1, ref2: run.c2 });
        run = undefined;
      };
      for (let i = 0; i + 1 < points.length; i++) {
        const start = points[i];
        const end = points[i + 1] - 1n;
        const at = (side: 1 | 2) => items.find((x) => x.side === side && x.r.start <= start && end <= x.r.end)?.conn;
        const c1 = at(1);
        const c2 = at(2);
        if (c1 === undefined && c2 === undefined) {
          flush();
          continue;
        }
        if (run && run.end + 1n === start && run.c1 === c1 && run.c2 === c2) {
          run.end = end;
        } else {
          flush();
          run = { start, end, c1, c2 };
        }
      }
      flush();
    }
  }
  return out;
}

/**
 * The connectivity diff of two analyses (`ref1`, the old manifests, and `ref2`, the new): every
 * source/destination pair whose allowed connections differ, as netpol-analyzer's `diff` reports
 * it. External address ranges are split so that each line's range is uniform on both sides.
 */
export class ConnectivityDiff {
  /** The diff between two analyses (their focus options and enforcers apply as given to each). */
  public static between(ref1: ConnectivityAnalysis, ref2: ConnectivityAnalysis): ConnectivityDiff {
    return new ConnectivityDiff(ref1, ref2);
  }

  /**
   * The diff between two sets of manifest files and folders, analysed with the same options. Focus
   * names must exist on at least one side (a workload may be added or removed).
   */
  public static fromFiles(ref1Paths: string[], ref2Paths: string[], options?: AnalysisOptions): ConnectivityDiff {
    let a1 = ConnectivityAnalysis._fromFilesUnchecked(ref1Paths, options);
    let a2 = ConnectivityAnalysis._fromFilesUnchecked(ref2Paths, options);
    // One enforcer for both sides: when the change adds or removes the only Cilium policies, the
    // default enforcer would differ between the sides and the diff would show the change of reading.
    if (options?.cni === undefined && a1.enforcement !== a2.enforcement) {
      const cni = a1.enforcement === 'kubernetes' ? a2.enforcement : a1.enforcement;
      if (a1.enforcement === 'kubernetes') a1 = ConnectivityAnalysis._fromFilesUnchecked(ref1Paths, { ...options, cni });
      else a2 = ConnectivityAnalysis._fromFilesUnchecked(ref2Paths, { ...options, cni });
    }
    a1._focus?.check([a1._focusablePeers(), a2._focusablePeers()]);
    return new ConnectivityDiff(a1, a2);
  }

  /** The first side (old manifests). */
  public readonly ref1: ConnectivityAnalysis;
  /** The second side (new manifests). */
  public readonly ref2: ConnectivityAnalysis;
  private computed?: ConnectionDiff[];
  private unchanged: ConnectionDiff[] = [];

  private constructor(ref1: ConnectivityAnalysis, ref2: ConnectivityAnalysis) {
    this.ref1 = ref1;
    this.ref2 = ref2;
  }

  /** The differences: changed, then added, then removed, each sorted as in the text report (ingress-controller lines last). */
  public get diffs(): ConnectionDiff[] {
    if (!this.computed) this.computed = this.compute();
    return this.computed;
  }

  /** True when no pair's connections differ. */
  public get isEmpty(): boolean {
    return this.diffs.length === 0;
  }

  private compute(): ConnectionDiff[] {
    const w1 = new Set(this.ref1.workloads);
    const w2 = new Set(this.ref2.workloads);
    const pairs = new Map<string, Pair>();
    const groups = new Map<string, ExternalGroup>();
    const add = (c: Connection, side: 1 | 2) => {
      const srcRange = externalRange(c.source);
      const dstRange = srcRange ? undefined : externalRange(c.destination);
      if (srcRange || dstRange) {
        const other = srcRange ? c.destination : c.source;
        const key = `${srcRange ? 'dst' : 'src'};${other}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { other, otherIsSource: !srcRange, ranges: [] }));
        g.ranges.push({ r: (srcRange ?? dstRange)!, side, conn: c.description });
        return;
      }
      const key = `${c.source};${c.destination}`;
      let p = pairs.get(key);
      if (!p) pairs.set(key, (p = { source: c.source, destination: c.destination }));
      if (side === 1) p.ref1 = c.description;
      else p.ref2 = c.description;
    };
    for (const c of this.ref1.connections()) add(c, 1);
    for (const c of this.ref2.connections()) add(c, 2);

    const isWorkload = (id: string) => w1.has(id) || w2.has(id);
    const changed: ConnectionDiff[] = [];
    const added: ConnectionDiff[] = [];
    const removed: ConnectionDiff[] = [];
    for (const p of [...pairs.values(), ...externalPairs(groups)]) {
      if (p.ref1 !== undefined && p.ref2 !== undefined) {
        if (p.ref1 !== p.ref2) changed.push(entry('changed', p, false, false));
        else this.unchanged.push(entry('unchanged', p, false, false));
      } else if (p.ref1 !== undefined) {
        // a removed pair's peers exist on the first side; they are lost when the second has no such workload
        removed.push(entry('removed', p, isWorkload(p.source) && !w2.has(p.source), isWorkload(p.destination) && !w2.has(p.destination)));
      } else if (p.ref2 !== undefined) {
        added.push(entry('added', p, isWorkload(p.source) && !w1.has(p.source), isWorkload(p.destination) && !w1.has(p.destination)));
      }
    }
    return ordered([...changed, ...added, ...removed], textLine, refNames(undefined)).map((x) => x.d);
  }

  /** The report in a format; empty (`[]` in JSON) when nothing differs, as netpol-analyzer prints nothing then. */
  public format(format: DiffFormat, options?: DiffFormatOptions): string {
    const names = refNames(options);
    const d = this.diffs;
    switch (format) {
      case DiffFormat.TXT:
        if (!d.length) return '';
        return ['Connectivity diff:', ...ordered(d, textLine, names).map((x) => x.line)].join('\n') + '\n';
      case DiffFormat.MD:
        if (!d.length) return '';
        return [
          `| diff-type | source | destination | ${names.ref1} | ${names.ref2} | workloads-diff-info |`,
          '|-----------|--------|-------------|------|------|---------------------|',
          ...ordered(d, mdLine, names).map((x) => x.line),
        ].join('\n') + '\n';
      case DiffFormat.CSV:
        if (!d.length) return '';
        return [csvRow(['diff-type', 'source', 'destination', names.ref1, names.ref2, 'workloads-diff-info']),
          ...ordered(d, csvKey, names).map((x) => csvRow([x.d.diffType, x.d.source, x.d.destination, x.d.ref1, x.d.ref2, x.d.workloadsDiffInfo]))].join('');
      case DiffFormat.JSON:
        return JSON.stringify(d, null, 2) + '\n';
      case DiffFormat.DOT:
        if (!d.length) return '';
        return formatDiffDot(d, this.unchanged, names.ref1) + '\n';
      case DiffFormat.SVG:
        throw new QueryError('format: svg is drawn asynchronously; call toSvg() (the CLI does)');
      default:
        throw new QueryError(`format: "${format}" is not one of txt, md, csv, json, dot, svg`);
    }
  }

  /**
   * The dot graph drawn as SVG by Graphviz (WebAssembly); empty when nothing differs. Throws when the
   * graph is too large to read (README "Output formats").
   */
  public async toSvg(options?: DiffFormatOptions): Promise<string> {
    const dot = this.format(DiffFormat.DOT, options);
    if (!dot) return '';
    const edges = this.diffs.length + this.unchanged.length;
    if (edges > GRAPH_LIMITS.svgEdges) {
      throw new QueryError(`svg: ${edges} connections (at most ${GRAPH_LIMITS.svgEdges} are drawn), too many to draw readably; narrow the diff with --focusworkload (focusWorkloads), `
        + '--focusworkload-peer, --focus-direction or --focus-conn, or use --format txt, md, csv or dot');
    }
    return renderSvg(dot);
  }

  /** The text report. */
  public toText(options?: DiffFormatOptions): string {
    return this.format(DiffFormat.TXT, options);
  }

  /** The Markdown report. */
  public toMarkdown(options?: DiffFormatOptions): string {
    return this.format(DiffFormat.MD, options);
  }

  /** The CSV report. */
  public toCsv(options?: DiffFormatOptions): string {
    return this.format(DiffFormat.CSV, options);
  }
}

interface RefNames {
  readonly ref1: string;
  readonly ref2: string;
}

function refNames(o: DiffFormatOptions | undefined): RefNames {
  const check = (field: string, v: string | undefined, dflt: string) => {
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || !v.trim() || /[\n\r|,;]/.test(v)) {
      throw new QueryError(`${field}: ${JSON.stringify(v)} is not a usable side name; use a short word such as "base" or "head" (no newline, "|", "," or ";")`);
    }
    return v;
  };
  return { ref1: check('ref1Name', o?.ref1Name, 'ref1'), ref2: check('ref2Name', o?.ref2Name, 'ref2') };
}

function entry(diffType: string, p: Pair, srcNew: boolean, dstNew: boolean): ConnectionDiff {
  let info = '';
  if (srcNew || dstNew) {
    // netpol-analyzer getDiffInfo: "workload A and B added"
    info = `workload ${[srcNew ? p.source : '', dstNew ? p.destination : ''].filter((s) => s).join(' and ')} ${diffType}`;
  }
  return {
    diffType,
    source: p.source,
    destination: p.destination,
    ref1: p.ref1 ?? NO_CONNECTIONS,
    ref2: p.ref2 ?? NO_CONNECTIONS,
    sourceNewOrRemoved: srcNew,
    destinationNewOrRemoved: dstNew,
    workloadsDiffInfo: info,
  };
}

function textLine(d: ConnectionDiff, n: RefNames): string {
  const line = `diff-type: ${d.diffType}, source: ${d.source}, destination: ${d.destination}, ${n.ref1}: ${d.ref1}, ${n.ref2}: ${d.ref2}`;
  return d.workloadsDiffInfo ? `${line}, workloads-diff-info: ${d.workloadsDiffInfo}` : line;
}

function mdLine(d: ConnectionDiff): string {
  return `| ${d.diffType} | ${d.source} | ${d.destination} | ${d.ref1} | ${d.ref2} | ${d.workloadsDiffInfo} |`;
}

/** netpol-analyzer sorts the csv rows as `;`-joined strings before writing them. */
function csvKey(d: ConnectionDiff): string {
  return [d.diffType, d.source, d.destination, d.ref1, d.ref2, d.workloadsDiffInfo].join(';');
}

/**
 * The report order of netpol-analyzer writeDiffLinesOrderedByCategory: changed, added, removed,
 * each category's formatted lines sorted (Go sort.Strings, byte order; the ids are ASCII), so the
 * order depends on the format; the lines whose source is the ingress controller come after all others.
 */
function ordered(list: ConnectionDiff[], line: (d: ConnectionDiff, n: RefNames) => string, names: RefNames): { d: ConnectionDiff; line: string }[] {
  const out: { d: ConnectionDiff; line: string }[] = [];
  for (const ingress of [false, true]) {
    for (const t of ['changed', 'added', 'removed']) {
      out.push(...list
        .filter((d) => d.diffType === t && (d.source === INGRESS_CONTROLLER) === ingress)
        .map((d) => ({ d, line: line(d, names) }))
        .sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0)));
    }
  }
  return out;
}

/**
 * The connection list with its exposure analysis, in netpol-analyzer's grammar per format
 * (np-guard/netpol-analyzer pkg/netpol/connlist conns_formatter.go, conns_formatter_txt.go
 * writeExposureOutput, conns_formatter_json.go, conns_formatter_csv.go writeCsvExposureTable,
 * conns_formatter_md.go writeMdExposureLines).
 */
import { ConnectionResult } from '../engine';
import { WorkloadExposureResult } from '../exposure';
import { Peer } from '../model';

/** One line of a table: source, destination, connections (text). */
interface Row {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

interface Sections {
  readonly connlist: Row[];
  readonly egress: Row[];
  readonly ingress: Row[];
  readonly unprotected: string[];
  /** the longest exposed workload id, for the text columns */
  readonly width: number;
}

const bySrc = (a: Row, b: Row) => cmp(a.src, b.src) || cmp(a.dst, b.dst);
const byDst = (a: Row, b: Row) => cmp(a.dst, b.dst) || cmp(a.src, b.src);
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sections(conns: ConnectionResult[], exposure: WorkloadExposureResult[], universe: string[]): Sections {
  const egress: Row[] = [];
  const ingress: Row[] = [];
  const unprotected: string[] = [];
  let width = 0;
  for (const e of exposure) {
    const w = e.workload.id;
    width = Math.max(width, w.length);
    for (const i of e.egress) egress.push({ src: w, dst: i.peer, conn: i.conn });
    for (const i of e.ingress) ingress.push({ src: i.peer, dst: w, conn: i.conn });
    if (!e.ingressProtected) unprotected.push(`${w} is not protected on Ingress`);
    if (!e.egressProtected) unprotected.push(`${w} is not protected on Egress`);
  }
  return {
    connlist: conns.map((c) => ({ src: c.src.id, dst: c.dst.id, conn: c.conn.toString(universe) })),
    egress: egress.sort(bySrc),
    ingress: ingress.sort(byDst),
    unprotected: unprotected.sort(),
    width,
  };
}

function header(focusConn: string | undefined): string {
  return `Exposure Analysis Result${focusConn !== undefined ? ` On ${focusConn}` : ''}:`;
}

/** writeExposureSubSection: the header and the lines, or nothing without lines. */
function subSection(lines: string[], head: string): string {
  return lines.length ? `${head}${lines.join('\n')}\n` : '';
}

/** Text: the connection list, a blank line, then the aligned exposure lines (`%-Ns \t=> \t%s : %s`). */
export function formatExposureTxt(conns: ConnectionResult[], exposure: WorkloadExposureResult[], universe: string[], focusConn?: string): string {
  const s = sections(conns, exposure, universe);
  let res = focusConn !== undefined ? `Permitted connections on ${focusConn}:\n` : '';
  for (const r of s.connlist) res += focusConn !== undefined ? `${r.src} => ${r.dst}\n` : `${r.src} => ${r.dst} : ${r.conn}\n`;
  if (res !== '') res += '\n';
  const line = (w: string, arrow: string, peer: string, conn: string) => `${w.padEnd(s.width)} \t${arrow} \t${peer}${focusConn !== undefined ? '' : ` : ${conn}`}`;
  res += `${header(focusConn)}\n`;
  res += subSection(s.egress.map((r) => line(r.src, '=>', r.dst, r.conn)), 'Egress Exposure:\n');
  res += subSection(s.ingress.map((r) => line(r.dst, '<=', r.src, r.conn)), `${s.egress.length ? '\n' : ''}Ingress Exposure:\n`);
  // unprotected workloads are not listed for a focus connection
  if (focusConn === undefined) res += subSection(s.unprotected, '\nWorkloads not protected by network policies:\n');
  return res;
}

/** Go's encoding/json escapes <, > and & in strings. */
function goJson(value: any): string {
  return JSON.stringify(value, null, 2).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** JSON: `connlist_results` and `exposure_results` (`egress_exposure`, `ingress_exposure`; null when empty, as Go writes a nil list). */
export function formatExposureJson(conns: ConnectionResult[], exposure: WorkloadExposureResult[], universe: string[], focusConn?: string): string {
  const s = sections(conns, exposure, universe);
  const item = (r: Row) => (focusConn !== undefined ? { src: r.src, dst: r.dst } : { src: r.src, dst: r.dst, conn: r.conn });
  // with a focus connection the lists are rebuilt from the sorted ones, never nil (getListWithoutConnData)
  const list = (rows: Row[]) => (rows.length || focusConn !== undefined ? rows.map(item) : null);
  if (focusConn !== undefined) {
    return goJson({
      connlist_conn_focus_results: s.connlist.map(item),
      exposure_conn_focus_results: { egress_exposure: list(s.egress), ingress_exposure: list(s.ingress) },
    });
  }
  return goJson({ connlist_results: s.connlist.map(item), exposure_results: { egress_exposure: list(s.egress), ingress_exposure: list(s.ingress) } });
}

/** A CSV field as Go's encoding/csv writes it (quoted when it holds a comma, quote, line break or starts with a space). */
function csvField(f: string): string {
  if (f === '') return f;
  if (/[",\r\n]/.test(f) || /^\s/.test(f)) return `"${f.replace(/"/g, '""')}"`;
  return f;
}

/** CSV: the connection list, then `Exposure Analysis Result:,,` and a table per direction (ingress with `dst` first). */
export function formatExposureCsv(conns: ConnectionResult[], exposure: WorkloadExposureResult[], universe: string[], focusConn?: string): string {
  const s = sections(conns, exposure, universe);
  const out: string[][] = [];
  const focus = focusConn !== undefined;
  out.push(focus ? ['src', 'dst'] : ['src', 'dst', 'conn']);
  for (const r of s.connlist) out.push(focus ? [r.src, r.dst] : [r.src, r.dst, r.conn]);
  out.push([header(focusConn), '', '']);
  if (s.egress.length) {
    out.push(['Egress Exposure:', '', ''], focus ? ['src', 'dst'] : ['src', 'dst', 'conn']);
    for (const r of s.egress) out.push(focus ? [r.src, r.dst] : [r.src, r.dst, r.conn]);
  }
  if (s.ingress.length) {
    out.push(['Ingress Exposure:', '', ''], focus ? ['dst', 'src'] : ['dst', 'src', 'conn']);
    for (const r of s.ingress) out.push(focus ? [r.dst, r.src] : [r.dst, r.src, r.conn]);
  }
  return out.map((row) => `${row.map(csvField).join(',')}\n`).join('');
}

/** Markdown: the connection table, `## Exposure Analysis Result:` and a `###` table per direction. */
export function formatExposureMarkdown(conns: ConnectionResult[], exposure: WorkloadExposureResult[], universe: string[],
  focusConn?: string): string {
  const s = sections(conns, exposure, universe);
  const focus = focusConn !== undefined;
  const head = (a: string, b: string) => (focus ? `| ${a} | ${b} |\n|-----|-----|` : `| ${a} | ${b} | conn |\n|-----|-----|------|`);
  const row = (a: string, b: string, c: string) => (focus ? `| ${a} | ${b} |` : `| ${a} | ${b} | ${c} |`);
  const lines = [head('src', 'dst'), ...s.connlist.map((r) => row(r.src, r.dst, r.conn)), `## ${header(focusConn)}`];
  lines.push(subSection(s.egress.map((r) => row(r.src, r.dst, r.conn)), `### Egress Exposure:\n${head('src', 'dst')}\n`));
  lines.push(subSection(s.ingress.map((r) => row(r.dst, r.src, r.conn)), `### Ingress Exposure:\n${head('dst', 'src')}\n`));
  return lines.join('\n');
}

/** Go's %q for the ASCII ids and texts of the report. */
function q(s: string): string {
  return JSON.stringify(s);
}

/**
 * Dot: netpol-analyzer's connection graph with the exposure (conns_formatter_dot.go): workloads in a
 * black cluster per namespace, representative peers in a red one per (representative) namespace,
 * `entire-cluster` a red diamond; connections gold, exposure edges dashed (ingress darkorange2,
 * egress darkorange4). Peers outside the cluster are red (Cilium entities and FQDNs too).
 */
export function formatExposureDot(conns: ConnectionResult[], exposure: WorkloadExposureResult[], universe: string[], workloads: Peer[]): string {
  const nsPeers = new Map<string, string[]>();
  const repPeers = new Map<string, string[]>();
  const external: string[] = [];
  const edges: string[] = [];
  const visited = new Set<string>();
  const inNs = (map: Map<string, string[]>, ns: string, line: string) => map.set(`${ns}[namespace]`, [...(map.get(`${ns}[namespace]`) ?? []), `\t${line}`]);
  const peerLine = (p: Peer) => {
    const outside = p.type !== 'workload' || !p.namespace;
    const color = p.type === 'workload' || p.type === 'ingress-controller' ? 'blue' : 'red2';
    const label = outside ? p.id : p.id.slice(p.namespace!.length + 1);
    return { line: `\t${q(p.id)} [label=${q(label)} color=${q(color)} fontcolor=${q(color)}]`, outside };
  };
  const addPeer = (p: Peer) => {
    if (visited.has(p.id)) return;
    visited.add(p.id);
    const { line, outside } = peerLine(p);
    if (outside) external.push(line);
    else inNs(nsPeers, p.namespace!, line);
  };
  for (const c of conns) {
    const src = c.src.id;
    const dst = c.dst.id;
    edges.push(`\t${q(src)} -> ${q(dst)} [label=${q(c.conn.toString(universe))} color="gold2" fontcolor="darkgreen" weight=${src <= dst ? '0.5' : '1'}]`);
    addPeer(c.src);
    addPeer(c.dst);
  }
  for (const w of workloads) if (w.type !== 'external') addPeer(w);
  const reps = new Set<string>();
  let entireCluster = false;
  for (const e of exposure) {
    const w = e.workload;
    if (!visited.has(w.id)) inNs(nsPeers, w.namespace!, peerLine(w).line);
    for (const [dir, items] of [['ingress', e.ingress], ['egress', e.egress]] as const) {
      for (const i of items) {
        let peer: string;
        if (i.kind === 'entire-cluster') {
          entireCluster = true;
          peer = 'entire-cluster';
        } else if (i.graphLabels) {
          // `pod with {...}_in_namespace with {...}`: the peer's node, in a group of its namespace
          const [nsText, podText] = i.graphLabels;
          peer = `${podText}_in_${nsText}`;
          if (!reps.has(peer)) {
            reps.add(peer);
            inNs(repPeers, nsText, `\t${q(peer)} [label=${q(podText)} color="red2" fontcolor="red2"]`);
          }
        } else {
          continue; // a connection-list peer: its edge is drawn already
        }
        edges.push(dir === 'ingress'
          ? `\t${q(peer)} -> ${q(w.id)} [label=${q(i.conn)} color="darkorange2" fontcolor="darkgreen" weight=1 style=dashed]`
          : `\t${q(w.id)} -> ${q(peer)} [label=${q(i.conn)} color="darkorange4" fontcolor="darkgreen" weight=0.5 style=dashed]`);
      }
    }
  }
  if (entireCluster) external.push('\t"entire-cluster" [label="entire-cluster" color="red2" fontcolor="red2" shape=diamond]');
  const sort = (l: string[]) => l.sort((a, b) => cmp(a, b));
  const groups = (map: Map<string, string[]>, color: string) => sort([...map.keys()]).flatMap((ns) => [
    `\tsubgraph "cluster_${ns.replace(/-/g, '_')}" {`, `\t\tcolor=${q(color)}`, `\t\tfontcolor=${q(color)}`, ...sort(map.get(ns)!), `\t\tlabel="${ns}"`, '\t}',
  ]);
  return ['digraph {', ...groups(nsPeers, 'black'), ...groups(repPeers, 'red2'), ...sort(external), ...sort(edges), '}'].join('\n');
}

/**
 * The connection list with its exposure analysis, in netpol-analyzer's grammar per format
 * (np-guard/netpol-analyzer pkg/netpol/connlist conns_formatter.go, conns_formatter_txt.go
 * writeExposureOutput, conns_formatter_json.go, conns_formatter_csv.go writeCsvExposureTable,
 * conns_formatter_md.go writeMdExposureLines).
 */
import { ConnectionResult } from '../engine';
import { WorkloadExposureResult } from '../exposure';

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
    return goJson({ connlist_conn_focus_results: s.connlist.map(item), exposure_conn_focus_results: { egress_exposure: list(s.egress), ingress_exposure: list(s.ingress) } });
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
export function formatExposureMarkdown(conns: ConnectionResult[], exposure: WorkloadExposureResult[], universe: string[], focusConn?: string): string {
  const s = sections(conns, exposure, universe);
  const focus = focusConn !== undefined;
  const head = (a: string, b: string) => (focus ? `| ${a} | ${b} |\n|-----|-----|` : `| ${a} | ${b} | conn |\n|-----|-----|------|`);
  const row = (a: string, b: string, c: string) => (focus ? `| ${a} | ${b} |` : `| ${a} | ${b} | ${c} |`);
  const lines = [head('src', 'dst'), ...s.connlist.map((r) => row(r.src, r.dst, r.conn)), `## ${header(focusConn)}`];
  lines.push(subSection(s.egress.map((r) => row(r.src, r.dst, r.conn)), `### Egress Exposure:\n${head('src', 'dst')}\n`));
  lines.push(subSection(s.ingress.map((r) => row(r.dst, r.src, r.conn)), `### Ingress Exposure:\n${head('dst', 'src')}\n`));
  return lines.join('\n');
}

import { csvRow } from './csv';
import { ConnectionResult } from '../engine';

/**
 * Markdown table (src | dst | conn), sorted like the text output; with a focus connection the
 * pairs only (src | dst), as netpol-analyzer's conns_formatter_md.go.
 */
export function formatMarkdown(conns: ConnectionResult[], universe: string[], focusConn?: string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = focusConn !== undefined ? ['| src | dst |', '|-----|-----|'] : ['| src | dst | conn |', '|-----|-----|------|'];
  for (const c of conns) {
    lines.push(focusConn !== undefined ? `| ${esc(c.src.id)} | ${esc(c.dst.id)} |` : `| ${esc(c.src.id)} | ${esc(c.dst.id)} | ${esc(c.conn.toString(universe))} |`);
  }
  return lines.join('\n') + '\n';
}

/** CSV (`src,dst,conn`; `src,dst` with a focus connection), as netpol-analyzer's conns_formatter_csv.go. */
export function formatCsv(conns: ConnectionResult[], universe: string[], focusConn?: string): string {
  const out = [csvRow(focusConn !== undefined ? ['src', 'dst'] : ['src', 'dst', 'conn'])];
  for (const c of conns) out.push(csvRow(focusConn !== undefined ? [c.src.id, c.dst.id] : [c.src.id, c.dst.id, c.conn.toString(universe)]));
  return out.join('');
}

/**
 * JSON: a sorted array of `{src, dst, conn, allConnections, ports, l7?}` (see README
 * "Connectivity analysis"); with a focus connection `{src, dst}` only, as netpol-analyzer.
 */
export function connectionsToJson(conns: ConnectionResult[], universe: string[], focusConn?: string): any[] {
  if (focusConn !== undefined) return conns.map((c) => ({ src: c.src.id, dst: c.dst.id }));
  return conns.map((c) => {
    const j = c.conn.toJson(universe);
    const o: any = { src: c.src.id, dst: c.dst.id, conn: c.conn.toString(universe), allConnections: !!j.all };
    if (!j.all) o.ports = j.protocols;
    if (j.l7) o.l7 = j.l7;
    return o;
  });
}

export function formatJson(conns: ConnectionResult[], universe: string[], focusConn?: string): string {
  return JSON.stringify(connectionsToJson(conns, universe, focusConn), null, 2) + '\n';
}

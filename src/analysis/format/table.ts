import { ConnectionResult } from '../engine';

/** Markdown table (src | dst | conn), sorted like the text output. */
export function formatMarkdown(conns: ConnectionResult[], universe: string[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| src | dst | conn |', '|-----|-----|------|'];
  for (const c of conns) lines.push(`| ${esc(c.src.id)} | ${esc(c.dst.id)} | ${esc(c.conn.toString(universe))} |`);
  return lines.join('\n') + '\n';
}

/**
 * JSON: a sorted array of `{src, dst, conn, allConnections, ports, l7?}` (see README
 * "Connectivity analysis").
 */
export function connectionsToJson(conns: ConnectionResult[], universe: string[]): any[] {
  return conns.map((c) => {
    const j = c.conn.toJson(universe);
    const o: any = { src: c.src.id, dst: c.dst.id, conn: c.conn.toString(universe), allConnections: !!j.all };
    if (!j.all) o.ports = j.protocols;
    if (j.l7) o.l7 = j.l7;
    return o;
  });
}

export function formatJson(conns: ConnectionResult[], universe: string[]): string {
  return JSON.stringify(connectionsToJson(conns, universe), null, 2) + '\n';
}

import { csvRow } from './csv';
import { ConnectionList } from '../connection-list';
import { ConnectionResult } from '../engine';

/** Lines per chunk of a streamed report (see txt.ts). */
const CHUNK = 4096;

/** `line(c)` for every connection, a chunk of lines at a time. */
function* chunked(conns: ConnectionList, line: (c: ConnectionResult) => string): Generator<string> {
  for (let i = 0; i < conns.length; i += CHUNK) {
    const out: string[] = [];
    for (let j = i; j < Math.min(i + CHUNK, conns.length); j++) out.push(line(conns.at(j)));
    yield out.join('');
  }
}

/**
 * Markdown table (src | dst | conn), sorted like the text output; with a focus connection the
 * pairs only (src | dst), as netpol-analyzer's conns_formatter_md.go; a chunk of rows at a time.
 */
export function* markdownChunks(conns: ConnectionList, universe: string[], focusConn?: string): Generator<string> {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  yield focusConn !== undefined ? '| src | dst |\n|-----|-----|\n' : '| src | dst | conn |\n|-----|-----|------|\n';
  yield* chunked(conns, (c) => (focusConn !== undefined
    ? `| ${esc(c.src.id)} | ${esc(c.dst.id)} |\n`
    : `| ${esc(c.src.id)} | ${esc(c.dst.id)} | ${esc(c.conn.toString(universe))} |\n`));
}

/** CSV (`src,dst,conn`; `src,dst` with a focus connection), as netpol-analyzer's conns_formatter_csv.go, a chunk of rows at a time. */
export function* csvChunks(conns: ConnectionList, universe: string[], focusConn?: string): Generator<string> {
  yield csvRow(focusConn !== undefined ? ['src', 'dst'] : ['src', 'dst', 'conn']);
  yield* chunked(conns, (c) => csvRow(focusConn !== undefined ? [c.src.id, c.dst.id] : [c.src.id, c.dst.id, c.conn.toString(universe)]));
}

/**
 * JSON: a sorted array of `{src, dst, conn, allConnections, ports, l7?}` (see README
 * "Connectivity analysis"); with a focus connection `{src, dst}` only, as netpol-analyzer.
 */
export function connectionsToJson(conns: ConnectionList, universe: string[], focusConn?: string): any[] {
  return conns.toArray().map((c) => connectionJson(c, universe, focusConn));
}

function connectionJson(c: ConnectionResult, universe: string[], focusConn?: string): any {
  if (focusConn !== undefined) return { src: c.src.id, dst: c.dst.id };
  const j = c.conn.toJson(universe);
  const o: any = { src: c.src.id, dst: c.dst.id, conn: c.conn.toString(universe), allConnections: !!j.all };
  if (!j.all) o.ports = j.protocols;
  if (j.l7) o.l7 = j.l7;
  return o;
}

/**
 * The JSON array a chunk of elements at a time, the same text as `JSON.stringify(array, null, 2)`:
 * a report of 20,000 pods is larger than one string may hold.
 */
export function* jsonChunks(conns: ConnectionList, universe: string[], focusConn?: string): Generator<string> {
  if (!conns.length) {
    yield '[]\n';
    return;
  }
  yield '[\n';
  const last = conns.length - 1;
  let i = 0;
  // An element is its src and dst and the text of its connection set, which repeats: the few
  // thousand distinct sets (shared objects) are written once each, the peer ids once each.
  const ids = new Map<unknown, string>();
  const id = (p: ConnectionResult['src']) => {
    let t = ids.get(p);
    if (t === undefined) ids.set(p, (t = JSON.stringify(p.id)));
    return t;
  };
  const tails = new Map<unknown, string>();
  const tail = (c: ConnectionResult) => {
    let t = tails.get(c.conn);
    if (t === undefined) {
      const { src: _s, dst: _d, ...rest } = connectionJson(c, universe, focusConn);
      // JSON.stringify(rest, null, 2) nested one level: '{\n    "conn": ...\n  }' without its '{\n'
      t = JSON.stringify(rest, null, 2).replace(/\n/g, '\n  ').slice(2);
      tails.set(c.conn, t);
    }
    return t;
  };
  yield* chunked(conns, (c) => {
    const head = `  {\n    "src": ${id(c.src)},\n    "dst": ${id(c.dst)}`;
    const body = focusConn !== undefined ? `${head}\n  }` : `${head},\n${tail(c)}`;
    return i++ === last ? `${body}\n` : `${body},\n`;
  });
  yield ']\n';
}

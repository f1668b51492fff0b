import { ConnectionResult } from '../engine';

/** Lines per joined chunk of the text report. */
const CHUNK_LINES = 4096;

/** netpol-analyzer connlist text: `SRC => DST : CONNECTIONS`, one line per connection, sorted. */
export function formatTxt(conns: ConnectionResult[], universe: string[]): string {
  // conns come sorted by `SRC => DST`; peer ids end with ']' or '}', so the lines are sorted too.
  // Lines are joined a chunk at a time: an array of millions of short line strings (and their
  // concatenation nodes) would hold several times the size of the text until the final join.
  const chunks: string[] = [];
  for (let i = 0; i < conns.length; i += CHUNK_LINES) {
    const lines: string[] = [];
    for (const c of conns.slice(i, i + CHUNK_LINES)) lines.push(`${c.src.id} => ${c.dst.id} : ${c.conn.toString(universe)}\n`);
    chunks.push(lines.join(''));
  }
  return chunks.join('');
}

import { ConnectionResult } from '../engine';

/** netpol-analyzer connlist text: `SRC => DST : CONNECTIONS`, one line per connection, sorted. */
export function formatTxt(conns: ConnectionResult[], universe: string[]): string {
  const lines = conns.map((c) => `${c.src.id} => ${c.dst.id} : ${c.conn.toString(universe)}`);
  lines.sort();
  return lines.length ? lines.join('\n') + '\n' : '';
}

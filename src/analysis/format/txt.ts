import { ConnectionResult } from '../engine';

/** netpol-analyzer connlist text: `SRC => DST : CONNECTIONS`, one line per connection, sorted. */
export function formatTxt(conns: ConnectionResult[], universe: string[]): string {
  // conns are sorted by `SRC => DST`; peer ids end with ']' or '}', so the lines are sorted too
  const lines = conns.map((c) => `${c.key} : ${c.conn.toString(universe)}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

import { ConnectionResult } from '../engine';

/** netpol-analyzer connlist text: `SRC => DST : CONNECTIONS`, one line per connection, sorted. */
export function formatTxt(conns: ConnectionResult[], universe: string[]): string {
  // conns come sorted by `SRC => DST`; peer ids end with ']' or '}', so the lines are sorted too
  const lines = conns.map((c) => `${c.src.id} => ${c.dst.id} : ${c.conn.toString(universe)}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

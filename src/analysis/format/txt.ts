import { ConnectionList } from '../connection-list';

/** Lines per joined chunk of the text report. */
const CHUNK_LINES = 4096;

/**
 * netpol-analyzer connlist text: `SRC => DST : CONNECTIONS`, one line per connection, sorted; with a
 * focus connection, `Permitted connections on TCP 8080:` and `SRC => DST` lines
 * (np-guard/netpol-analyzer conns_formatter_txt.go, writeFocusConnTxtOutput). A chunk of lines at a
 * time, so the CLI can write reports larger than one string may hold (V8 strings stop at about 512
 * million characters; the 20,000-pod benchmark report is 225 MB).
 */
export function* txtChunks(conns: ConnectionList, universe: string[], focusConn?: string): Generator<string> {
  if (focusConn !== undefined) yield `Permitted connections on ${focusConn}:\n`;
  // conns come sorted by `SRC => DST`; peer ids end with ']' or '}', so the lines are sorted too.
  // Lines are joined a chunk at a time: an array of millions of short line strings (and their
  // concatenation nodes) would hold several times the size of the text until the final join.
  for (let i = 0; i < conns.length; i += CHUNK_LINES) {
    const lines: string[] = [];
    const end = Math.min(i + CHUNK_LINES, conns.length);
    for (let j = i; j < end; j++) {
      const pair = `${conns.srcAt(j).id} => ${conns.dstAt(j).id}`;
      lines.push(focusConn !== undefined ? `${pair}\n` : `${pair} : ${conns.connAt(j).toString(universe)}\n`);
    }
    yield lines.join('');
  }
}

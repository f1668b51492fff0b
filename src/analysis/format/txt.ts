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
  // Each connection set's ` : TEXT\n` and each source's `SRC => ` are made once (a source's
  // connections are consecutive); a chunk is one concatenation, flattened when it is written.
  const tails: string[] = [];
  for (let i = 0; i < conns.length; i += CHUNK_LINES) {
    let out = '';
    let lastSrc = -1;
    let head = '';
    const end = Math.min(i + CHUNK_LINES, conns.length);
    for (let j = i; j < end; j++) {
      const s = conns.srcIndexAt(j);
      if (s !== lastSrc) {
        lastSrc = s;
        head = `${conns.peerAt(s).id} => `;
      }
      if (focusConn !== undefined) {
        out += `${head}${conns.dstAt(j).id}\n`;
        continue;
      }
      const k = conns.setIndexAt(j);
      const tail = tails[k] ?? (tails[k] = ` : ${conns.setAt(k).toString(universe)}\n`);
      out += head + conns.dstAt(j).id + tail;
    }
    yield out;
  }
}

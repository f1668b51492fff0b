/**
 * A list of allowed connections held compactly: three integers per connection (source and
 * destination peer indexes, and the index of its connection set in a table of distinct sets),
 * instead of an object each. The 20,000-pod benchmark lists 3.3 million connections with a few
 * thousand distinct sets; the reports read the list by index and make their lines as they go.
 */
import { Peer } from './model';
import { ConnSet } from './ports';

/** An allowed connection between two peers. */
export interface ConnectionResult {
  readonly src: Peer;
  readonly dst: Peer;
  readonly conn: ConnSet;
}

export class ConnectionList {
  /** The list of some connection objects (e.g. filtered ones). */
  static of(peers: readonly Peer[], list: readonly ConnectionResult[]): ConnectionList {
    const out = new ConnectionList(peers, list.length);
    for (const c of list) out.push(c.src, c.dst, c.conn);
    return out;
  }

  private src: Int32Array;
  private dst: Int32Array;
  private set: Int32Array;
  private size = 0;
  /** distinct connection sets, and the index of each by ConnSet id */
  private readonly sets: ConnSet[] = [];
  private readonly setIndex = new Map<number, number>();
  private lastSet?: ConnSet;
  private lastIndex = -1;

  /** @param peers the engine's peers, indexed by Peer.index */
  constructor(private readonly peers: readonly Peer[], capacity = 1024) {
    const n = Math.max(16, capacity);
    this.src = new Int32Array(n);
    this.dst = new Int32Array(n);
    this.set = new Int32Array(n);
  }

  get length(): number {
    return this.size;
  }

  push(src: Peer, dst: Peer, conn: ConnSet): void {
    this.pushIndexes(src.index, dst.index, conn);
  }

  /** push() by the peers' indexes (Peer.index). */
  pushIndexes(src: number, dst: number, conn: ConnSet): void {
    if (this.size === this.src.length) this.grow();
    // runs of one set are common (a source's destinations): the last one is checked first
    let k = conn === this.lastSet ? this.lastIndex : this.setIndex.get(conn.id);
    if (k === undefined) {
      this.setIndex.set(conn.id, (k = this.sets.length));
      this.sets.push(conn);
    }
    this.lastSet = conn;
    this.lastIndex = k;
    const i = this.size++;
    this.src[i] = src;
    this.dst[i] = dst;
    this.set[i] = k;
  }

  srcAt(i: number): Peer {
    return this.peers[this.src[i]];
  }

  dstAt(i: number): Peer {
    return this.peers[this.dst[i]];
  }

  connAt(i: number): ConnSet {
    return this.sets[this.set[i]];
  }

  /** The source's peer index of connection i (Peer.index). */
  srcIndexAt(i: number): number {
    return this.src[i];
  }

  /** The index of connection i's set among the list's distinct sets (see setAt). */
  setIndexAt(i: number): number {
    return this.set[i];
  }

  /** The k-th distinct connection set of the list. */
  setAt(k: number): ConnSet {
    return this.sets[k];
  }

  /** The peer of index `index` (Peer.index). */
  peerAt(index: number): Peer {
    return this.peers[index];
  }

  /** The connection as an object (made on each call). */
  at(i: number): ConnectionResult {
    return { src: this.srcAt(i), dst: this.dstAt(i), conn: this.connAt(i) };
  }

  /** Every connection as an object (for the small reports: graphs, diffs). */
  toArray(): ConnectionResult[] {
    const out: ConnectionResult[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.at(i);
    return out;
  }

  private grow(): void {
    const n = this.src.length * 2;
    const copy = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.src = copy(this.src);
    this.dst = copy(this.dst);
    this.set = copy(this.set);
  }
}

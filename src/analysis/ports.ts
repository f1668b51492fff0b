/**
 * Port-set algebra: a connection set maps a protocol to a set of port (or ICMP type) intervals.
 *
 * The protocol universe depends on the analysis: Kubernetes NetworkPolicy knows TCP, UDP and SCTP
 * (ports 1-65535, as netpol-analyzer models them); when Cilium policies are analysed, ICMP and
 * ICMPv6 (types 0-255) are modelled as well.
 */

/** A closed interval [start, end]. */
export type Interval = [number, number];

export const PORT_MIN = 1;
export const PORT_MAX = 65535;
export const ICMP_MIN = 0;
export const ICMP_MAX = 255;

export const L4_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
export const ICMP_PROTOCOLS = ['ICMP', 'ICMPv6'];

export function protocolRange(protocol: string): Interval {
  return protocol.startsWith('ICMP') ? [ICMP_MIN, ICMP_MAX] : [PORT_MIN, PORT_MAX];
}

/** Interval set operations on sorted, disjoint, non-adjacent interval arrays. */
export function normalize(list: Interval[]): Interval[] {
  if (list.length <= 1) return list.slice();
  const s = list.slice().sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  let [cs, ce] = s[0];
  for (let i = 1; i < s.length; i++) {
    const [a, b] = s[i];
    if (a <= ce + 1) {
      if (b > ce) ce = b;
    } else {
      out.push([cs, ce]);
      cs = a;
      ce = b;
    }
  }
  out.push([cs, ce]);
  return out;
}

export function unionIntervals(a: Interval[], b: Interval[]): Interval[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return normalize(a.concat(b));
}

export function intersectIntervals(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i][0], b[j][0]);
    const e = Math.min(a[i][1], b[j][1]);
    if (s <= e) out.push([s, e]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

export function subtractIntervals(a: Interval[], b: Interval[]): Interval[] {
  let out: Interval[] = a;
  for (const [bs, be] of b) {
    const next: Interval[] = [];
    for (const [as, ae] of out) {
      if (be < as || bs > ae) {
        next.push([as, ae]);
        continue;
      }
      if (bs > as) next.push([as, bs - 1]);
      if (be < ae) next.push([be + 1, ae]);
    }
    out = next;
  }
  return out;
}

function sameIntervals(a: Interval[], b: Interval[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  return true;
}

export function intervalsToString(list: Interval[]): string {
  return list.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(',');
}

/**
 * An L7 restriction on a port range of one protocol (Cilium `toPorts[].rules`), e.g. `HTTP GET /api`.
 */
export interface L7Restriction {
  /** The side whose proxy enforces it: the source's egress policy or the destination's ingress policy. */
  readonly direction: 'ingress' | 'egress';
  readonly protocol: string;
  readonly start: number;
  readonly end: number;
  readonly rules: string[];
}

/**
 * An immutable set of allowed connections: protocol -> port intervals, plus L7 restrictions that
 * apply to some of the allowed ports.
 */
export class ConnSet {
  static readonly EMPTY = new ConnSet(new Map());

  /** All connections on the given protocol universe. */
  static all(protocols: string[]): ConnSet {
    const m = new Map<string, Interval[]>();
    for (const p of protocols) m.set(p, [protocolRange(p)]);
    return new ConnSet(m);
  }

  static of(protocol: string, intervals: Interval[], l7: L7Restriction[] = []): ConnSet {
    const n = normalize(intervals.filter(([s, e]) => s <= e));
    if (n.length === 0) return ConnSet.EMPTY;
    return new ConnSet(new Map([[protocol, n]]), l7);
  }

  private static nextId = 1;
  /** Identity for caches (intersection results are memoised per pair of sets). */
  readonly id: number = ConnSet.nextId++;
  private text?: string;
  private textUniverse?: string[];

  constructor(readonly protocols: ReadonlyMap<string, Interval[]>, readonly l7: L7Restriction[] = []) {}

  isEmpty(): boolean {
    return this.protocols.size === 0;
  }

  /** Canonical text of the set (protocols sorted), for interning equal sets. */
  canonicalKey(): string {
    const parts: string[] = [];
    for (const p of [...this.protocols.keys()].sort()) parts.push(`${p}:${intervalsToString(this.protocols.get(p)!)}`);
    if (this.l7.length) parts.push(l7Key(this.l7));
    return parts.join(';');
  }

  union(other: ConnSet): ConnSet {
    if (other === this) return this;
    if (other.isEmpty() && other.l7.length === 0) return this;
    if (this.isEmpty() && this.l7.length === 0) return other;
    const m = new Map(this.protocols);
    for (const [p, iv] of other.protocols) m.set(p, unionIntervals(m.get(p) ?? [], iv));
    // An L7 restriction survives a union only where the other side does not allow the same ports
    // without restriction (an L4-only allow wildcards the L7 policy on that port).
    const l7: L7Restriction[] = [];
    const keep = (r: L7Restriction, otherSet: ConnSet) => {
      const covered = intersectIntervals(otherSet.protocols.get(r.protocol) ?? [], [[r.start, r.end]]).length > 0;
      const otherHasL7 = otherSet.l7.some((o) => o.direction === r.direction && o.protocol === r.protocol && o.start <= r.end && r.start <= o.end);
      return !covered || otherHasL7;
    };
    for (const r of this.l7) if (keep(r, other)) l7.push(r);
    for (const r of other.l7) if (keep(r, this)) l7.push(r);
    return new ConnSet(m, mergeL7(l7));
  }

  intersect(other: ConnSet): ConnSet {
    if (other === this) return this;
    const m = new Map<string, Interval[]>();
    for (const [p, iv] of this.protocols) {
      const o = other.protocols.get(p);
      if (!o) continue;
      const x = intersectIntervals(iv, o);
      if (x.length) m.set(p, x);
    }
    const l7 = this.l7.concat(other.l7).filter((r) => intersectIntervals(m.get(r.protocol) ?? [], [[r.start, r.end]]).length > 0);
    return new ConnSet(m, mergeL7(l7));
  }

  subtract(other: ConnSet): ConnSet {
    if (other.isEmpty()) return this;
    const m = new Map<string, Interval[]>();
    for (const [p, iv] of this.protocols) {
      const o = other.protocols.get(p);
      const x = o ? subtractIntervals(iv, o) : iv;
      if (x.length) m.set(p, x);
    }
    const l7 = this.l7.filter((r) => intersectIntervals(m.get(r.protocol) ?? [], [[r.start, r.end]]).length > 0);
    return new ConnSet(m, l7);
  }

  equals(other: ConnSet): boolean {
    if (this.protocols.size !== other.protocols.size) return false;
    for (const [p, iv] of this.protocols) {
      const o = other.protocols.get(p);
      if (!o || !sameIntervals(iv, o)) return false;
    }
    return l7Key(this.l7) === l7Key(other.l7);
  }

  /** True when every protocol of the universe is fully allowed and nothing is L7-restricted. */
  isAll(universe: string[]): boolean {
    if (this.l7.length) return false;
    for (const p of universe) {
      const iv = this.protocols.get(p);
      const [s, e] = protocolRange(p);
      if (!iv || iv.length !== 1 || iv[0][0] !== s || iv[0][1] !== e) return false;
    }
    return true;
  }

  contains(protocol: string, port: number): boolean {
    const iv = this.protocols.get(protocol);
    return !!iv && iv.some(([s, e]) => s <= port && port <= e);
  }

  /** Restrict to one protocol and (optionally) one port. */
  restrict(protocol: string, port?: number): ConnSet {
    const range: Interval = port === undefined ? protocolRange(protocol) : [port, port];
    return this.intersect(ConnSet.of(protocol, [range]));
  }

  /**
   * netpol-analyzer text: `All Connections`, or protocol groups sorted as strings and joined by `,`,
   * e.g. `TCP 80,8080-8090,UDP 53`. L7 restrictions follow their port: `TCP 80 [HTTP GET /api]`.
   */
  toString(universe: string[]): string {
    if (this.text !== undefined && this.textUniverse === universe) return this.text;
    this.text = this.computeString(universe);
    this.textUniverse = universe;
    return this.text;
  }

  private computeString(universe: string[]): string {
    if (this.isAll(universe)) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    const groups: string[] = [];
    for (const [p, iv] of this.protocols) {
      const items = iv.map(([s, e]) => {
        const txt = s === e ? `${s}` : `${s}-${e}`;
        const rules = this.l7.filter((r) => r.protocol === p && r.start >= s && r.end <= e);
        if (!rules.length) return txt;
        // `TCP 80 [egress: HTTP GET /api; ingress: HTTP GET /]`; a part of a range names its ports
        const one = (r: L7Restriction) => {
          const range = r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`;
          return `${r.direction}${range === txt ? '' : ` ${range}`}: ${r.rules.join(', ')}`;
        };
        return `${txt} [${rules.map(one).join('; ')}]`;
      });
      groups.push(`${p} ${items.join(',')}`);
    }
    groups.sort();
    return groups.join(',');
  }

  toJson(universe: string[]): any {
    if (this.isAll(universe)) return { all: true };
    const out: any[] = [];
    for (const p of [...this.protocols.keys()].sort()) {
      out.push({ protocol: p, ports: this.protocols.get(p)!.map(([s, e]) => (s === e ? { port: s } : { port: s, endPort: e })) });
    }
    const res: any = { all: false, protocols: out };
    if (this.l7.length) {
      res.l7 = this.l7.map((r) => ({
        direction: r.direction, protocol: r.protocol, port: r.start, endPort: r.end !== r.start ? r.end : undefined, rules: r.rules,
      }));
    }
    return res;
  }
}

function mergeL7(list: L7Restriction[]): L7Restriction[] {
  if (list.length <= 1) return list;
  const byKey = new Map<string, L7Restriction>();
  for (const r of list) {
    const k = `${r.direction}/${r.protocol}/${r.start}-${r.end}`;
    const prev = byKey.get(k);
    if (!prev) byKey.set(k, { ...r, rules: [...new Set(r.rules)].sort() });
    else byKey.set(k, { ...prev, rules: [...new Set(prev.rules.concat(r.rules))].sort() });
  }
  return [...byKey.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.start - b.start || a.direction.localeCompare(b.direction));
}

function l7Key(list: L7Restriction[]): string {
  return list.map((r) => `${r.direction}/${r.protocol}/${r.start}-${r.end}:${r.rules.join('|')}`).sort().join(';');
}

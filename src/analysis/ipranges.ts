/**
 * IPv4/IPv6 address interval sets (BigInt), CIDR parsing with `except`, and the split of the
 * address space into maximal ranges on which all policies agree.
 */
/* eslint-disable no-bitwise */ // address arithmetic on BigInt
import * as ipaddr from 'ipaddr.js';
import { addressToBigInt, bigIntToAddress } from '../model/address';

export type Family = 4 | 6;

/** A closed range of addresses of one family. */
export interface IpRange {
  readonly family: Family;
  readonly start: bigint;
  readonly end: bigint;
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

export function familyMax(f: Family): bigint {
  return f === 4 ? V4_MAX : V6_MAX;
}

export function fullRange(f: Family): IpRange {
  return { family: f, start: 0n, end: familyMax(f) };
}

/** Parse `a.b.c.d/n` or `x::/n` (a bare address is a /32 or /128). Throws with a clear message. */
export function parseCidr(text: string): IpRange {
  const t = String(text).trim();
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let bits: number;
  try {
    if (t.includes('/')) {
      const [a, b] = ipaddr.parseCIDR(t);
      addr = a;
      bits = b;
    } else {
      addr = ipaddr.parse(t);
      bits = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    throw new Error(`invalid CIDR "${t}": expected an address with prefix length such as 10.0.0.0/8 or fd00::/8`);
  }
  // ::ffff:a.b.c.d stays IPv6, as Kubernetes treats it. Host bits are masked (not rejected) because
  // the analyser reads manifests the API server accepted; the constructs' strict parser is model/cidr.ts.
  const family: Family = addr.kind() === 'ipv4' ? 4 : 6;
  const width = family === 4 ? 32 : 128;
  const value = addressToBigInt(addr);
  const hostBits = BigInt(width - bits);
  const mask = (1n << hostBits) - 1n;
  const start = value & ~mask & familyMax(family);
  return { family, start, end: start | mask };
}

export function parseAddress(text: string): IpRange | undefined {
  try {
    const a = ipaddr.parse(String(text).trim());
    const family: Family = a.kind() === 'ipv4' ? 4 : 6;
    const v = addressToBigInt(a);
    return { family, start: v, end: v };
  } catch {
    return undefined;
  }
}

export function formatAddress(family: Family, v: bigint): string {
  return bigIntToAddress(v, family === 4 ? 32 : 128);
}

export function formatRange(r: IpRange): string {
  return `${formatAddress(r.family, r.start)}-${formatAddress(r.family, r.end)}`;
}

/** A set of address ranges (both families), kept sorted and merged. */
export class IpSet {
  static fromCidr(cidr: string, except: string[] = []): IpSet {
    const base = parseCidr(cidr);
    let set = new IpSet([base]);
    for (const e of except) {
      const ex = parseCidr(e);
      set = set.subtract(new IpSet([ex]));
    }
    return set;
  }

  static full(f: Family): IpSet {
    return new IpSet([fullRange(f)]);
  }

  readonly ranges: IpRange[];

  constructor(ranges: IpRange[]) {
    const sorted = ranges.slice().sort((a, b) => (a.family - b.family) || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const out: IpRange[] = [];
    for (const r of sorted) {
      const last = out[out.length - 1];
      if (last && last.family === r.family && r.start <= last.end + 1n) {
        if (r.end > last.end) out[out.length - 1] = { family: r.family, start: last.start, end: r.end };
      } else {
        out.push(r);
      }
    }
    this.ranges = out;
  }

  subtract(other: IpSet): IpSet {
    let cur = this.ranges;
    for (const b of other.ranges) {
      const next: IpRange[] = [];
      for (const a of cur) {
        if (a.family !== b.family || b.end < a.start || b.start > a.end) {
          next.push(a);
          continue;
        }
        if (b.start > a.start) next.push({ family: a.family, start: a.start, end: b.start - 1n });
        if (b.end < a.end) next.push({ family: a.family, start: b.end + 1n, end: a.end });
      }
      cur = next;
    }
    return new IpSet(cur);
  }

  /** True when the whole range r is inside this set. */
  containsRange(r: IpRange): boolean {
    return this.ranges.some((x) => x.family === r.family && x.start <= r.start && r.end <= x.end);
  }

  overlaps(r: IpRange): boolean {
    return this.ranges.some((x) => x.family === r.family && x.start <= r.end && r.start <= x.end);
  }

  key(): string {
    return this.ranges.map((r) => `${r.family}:${r.start}-${r.end}`).join(',');
  }
}

/**
 * Split the address space into maximal ranges on which every given set agrees (each range is
 * either wholly inside or wholly outside each set); adjacent ranges with the same membership merge.
 * The IPv4 space is always covered; the IPv6 space only when some set mentions IPv6.
 */
export function atomize(sets: IpSet[], forceV6 = false): IpRange[] {
  const distinct = new Map<string, IpSet>();
  for (const s of sets) distinct.set(s.key(), s);
  const list = [...distinct.values()];
  const families: Family[] = [4];
  if (forceV6 || list.some((s) => s.ranges.some((r) => r.family === 6))) families.push(6);
  const out: IpRange[] = [];
  for (const f of families) {
    const cuts = new Set<bigint>([0n]);
    for (const s of list) {
      for (const r of s.ranges) {
        if (r.family !== f) continue;
        cuts.add(r.start);
        if (r.end < familyMax(f)) cuts.add(r.end + 1n);
      }
    }
    const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let prevSig: string | undefined;
    for (let i = 0; i < points.length; i++) {
      const start = points[i];
      const end = i + 1 < points.length ? points[i + 1] - 1n : familyMax(f);
      const probe: IpRange = { family: f, start, end: start };
      const sig = list.map((s) => (s.containsRange(probe) ? '1' : '0')).join('');
      if (prevSig === sig && out.length) {
        const last = out[out.length - 1];
        out[out.length - 1] = { family: f, start: last.start, end };
      } else {
        out.push({ family: f, start, end });
      }
      prevSig = sig;
    }
  }
  return out;
}

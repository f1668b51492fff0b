/**
 * IP address and CIDR parsing exactly as the Go code that reads manifests does it. Two readers
 * matter and they differ:
 * - Kubernetes (NetworkPolicy ipBlock, k8s.io/utils/net ParseCIDRSloppy through apimachinery's
 *   IsValidCIDRForLegacyField; StrictIPCIDRValidation is alpha and off in 1.33): IPv4 octets may
 *   have leading zeros, read as decimal (`010.0.0.0/8` is 10.0.0.0/8), the prefix length may
 *   have leading zeros, host bits are allowed and masked (`10.0.0.1/8` is 10.0.0.0/8); `10/8`
 *   is not an address.
 * - Cilium (pkg/policy/api cidr.go CIDRRule.sanitize / CIDR.sanitize, Go net/netip
 *   ParsePrefix): no leading zeros in octets or in the prefix length; host bits are allowed.
 * IPv6 zones (`%eth0`) are rejected by both. An IPv4-mapped IPv6 address (`::ffff:10.0.0.0/104`)
 * stays IPv6 here (a policy on it never matches an IPv4 range; the analyser warns).
 */
/* eslint-disable no-bitwise */ // address arithmetic on BigInt
import * as ipaddr from 'ipaddr.js';

export type IpFamilyNumber = 4 | 6;

export interface ParsedPrefix {
  readonly family: IpFamilyNumber;
  readonly prefixLength: number;
  /** The address as written, as an integer. */
  readonly address: bigint;
  /** First and last address of the block (host bits masked). */
  readonly first: bigint;
  readonly last: bigint;
  /** True when the written address has bits set beyond the prefix length. */
  readonly hostBitsSet: boolean;
  /** Canonical `first/prefix` text (dotted IPv4, compressed lowercase IPv6). */
  readonly canonical: string;
  /** The written address is an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`). */
  readonly ipv4Mapped: boolean;
}

/** The address as an unsigned integer (32 bits for IPv4, 128 for IPv6). */
export function addressToBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let v = 0n;
  for (const b of address.toByteArray()) v = (v << 8n) | BigInt(b);
  return v;
}

/** The canonical text of an address of `bits` (32 or 128) bits. */
export function bigIntToAddress(value: bigint, bits: 32 | 128): string {
  const bytes: number[] = [];
  for (let i = bits / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** How a reader parses IPv4 octets and prefix lengths. */
export type CidrDialect = 'kubernetes' | 'netip';

const DECIMAL = /^[0-9]+$/;

function parseIpv4(text: string, dialect: CidrDialect): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    // k8s.io/utils/net parseIPv4 (forked from Go before 1.17) reads any number of decimal
    // digits; netip.ParseAddr allows at most 3 and no leading zero.
    if (!DECIMAL.test(p)) return undefined;
    if (dialect === 'netip' && (p.length > 3 || (p.length > 1 && p.startsWith('0')))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

/** An address: IPv4 dotted decimal or IPv6 (no zone). */
export function parseIp(text: string, dialect: CidrDialect): { family: IpFamilyNumber; value: bigint; ipv4Mapped: boolean } | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  if (!text.includes(':')) {
    const v = parseIpv4(text, dialect);
    return v === undefined ? undefined : { family: 4, value: v, ipv4Mapped: false };
  }
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  // IPv4 embedded in IPv6 (::ffff:1.2.3.4) follows the same octet rules.
  const dotted = /([0-9.]+)$/.exec(text);
  if (dotted && dotted[1].includes('.') && parseIpv4(dotted[1], dialect) === undefined) return undefined;
  const addr = ipaddr.IPv6.parse(text);
  return { family: 6, value: addressToBigInt(addr), ipv4Mapped: addr.isIPv4MappedAddress() };
}

/** Parsed CIDR texts by dialect and text; bounded, so that a long-running process does not keep every text it saw. */
const parsedPrefixes = new Map<string, ParsedPrefix | string>();
const PARSED_PREFIXES_MAX = 10_000;

/**
 * A CIDR `address/length` in the given dialect, or a message saying why it is not one.
 */
export function parsePrefix(text: string, dialect: CidrDialect): ParsedPrefix | string {
  if (typeof text !== 'string') return 'is not a string';
  // The same few CIDRs recur in every policy of a large set: parsed once (the result is read-only).
  const key = `${dialect}\u0000${text}`;
  let parsed = parsedPrefixes.get(key);
  if (parsed === undefined) {
    if (parsedPrefixes.size >= PARSED_PREFIXES_MAX) parsedPrefixes.clear();
    parsedPrefixes.set(key, (parsed = parseUncached(text, dialect)));
  }
  return parsed;
}

function parseUncached(text: string, dialect: CidrDialect): ParsedPrefix | string {
  const slash = text.indexOf('/');
  if (slash < 0) return 'has no prefix length (write address/length, e.g. 10.0.0.0/16)';
  const ip = parseIp(text.slice(0, slash), dialect);
  if (!ip) {
    return dialect === 'netip'
      ? 'is not a valid CIDR (the address must be four decimal numbers 0-255 without leading zeros, or IPv6)'
      : 'is not a valid CIDR (the address must be four decimal numbers 0-255, or IPv6)';
  }
  const lengthText = text.slice(slash + 1);
  const width = ip.family === 4 ? 32 : 128;
  if (!DECIMAL.test(lengthText) || (dialect === 'netip' && lengthText.length > 1 && lengthText.startsWith('0'))) {
    return `is not a valid CIDR (the prefix length must be a decimal number 0-${width})`;
  }
  const prefixLength = Number(lengthText);
  if (prefixLength > width) return `is not a valid CIDR (prefix length ${prefixLength} is more than ${width})`;
  const hostMask = (1n << BigInt(width - prefixLength)) - 1n;
  const first = ip.value & ~hostMask;
  return {
    family: ip.family,
    prefixLength,
    address: ip.value,
    first,
    last: first | hostMask,
    hostBitsSet: first !== ip.value,
    canonical: `${bigIntToAddress(first, width as 32 | 128)}/${prefixLength}`,
    ipv4Mapped: ip.ipv4Mapped,
  };
}

/** True when `inner` lies inside `outer` (same family). */
export function prefixContains(outer: ParsedPrefix, inner: ParsedPrefix): boolean {
  return outer.family === inner.family && inner.first >= outer.first && inner.last <= outer.last;
}

import * as ipaddr from 'ipaddr.js';
import { addressToBigInt, bigIntToAddress } from './address';
import { invalid } from './errors';

/** An address family. */
export enum IpFamily {
  /** IPv4 */
  IPV4 = 'IPv4',
  /** IPv6 */
  IPV6 = 'IPv6',
}

/**
 * A parsed, validated CIDR block. Shared by the Kubernetes ipBlock and the Cilium CIDR peers.
 * @internal
 */
export interface ParsedCidr {
  readonly family: IpFamily;
  readonly prefixLength: number;
  /** First address of the block as an integer. */
  readonly first: bigint;
  /** Last address of the block as an integer. */
  readonly last: bigint;
  /** Canonical text (lowercase, compressed IPv6). */
  readonly text: string;
}

/**
 * Parses and validates a CIDR the way the API server and Cilium accept it: strict syntax,
 * IPv4 in four-part decimal without leading zeros, prefix within the family's width, and no
 * host bits set (`172.17.0.1/24` is rejected with "did you mean 172.17.0.0/24").
 * @internal
 */
export function parseCidr(field: string, text: string): ParsedCidr {
  // Large apps repeat the same blocks thousands of times: parse each text once.
  const cached = typeof text === 'string' ? PARSED.get(text) : undefined;
  if (cached) return cached;
  const parsed = parseCidrUncached(field, text);
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(text, parsed);
  return parsed;
}

/** Successfully parsed CIDRs by their text (results are immutable). */
const PARSED = new Map<string, ParsedCidr>();
const PARSED_MAX = 10_000;

function parseCidrUncached(field: string, text: string): ParsedCidr {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalid(field, text, 'is not a valid CIDR', 'give a block such as "10.0.0.0/16" or "2001:db8::/64"');
  }
  const slash = text.indexOf('/');
  if (slash < 0) {
    const single = ipaddr.isValid(text) ? `${text}/${text.includes(':') ? 128 : 32}` : undefined;
    throw invalid(field, text, 'is not a valid CIDR (no prefix length)',
      single ? `did you mean "${single}"?` : 'write it as address/prefix, e.g. "10.0.0.0/16"');
  }
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const isV6 = addressText.includes(':');
  const width = isV6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width || (prefixText.length > 1 && prefixText.startsWith('0'))) {
    throw invalid(field, text, 'is not a valid CIDR', `use a prefix length from 0 to ${width}`);
  }
  if (isV6 ? !ipaddr.IPv6.isValid(addressText) : !ipaddr.IPv4.isValidFourPartDecimal(addressText)) {
    throw invalid(field, text, 'is not a valid CIDR',
      isV6 ? 'write the address as an IPv6 address such as "2001:db8::"' : 'write the address as four decimal numbers 0-255 without leading zeros, e.g. "10.0.0.0"');
  }
  if (addressText.includes('%')) {
    throw invalid(field, text, 'is not a valid CIDR (has an IPv6 zone)', 'remove the "%zone" part');
  }
  const family = isV6 ? IpFamily.IPV6 : IpFamily.IPV4;
  const prefixLength = Number(prefixText);
  const value = addressToBigInt(ipaddr.parse(addressText));
  const hostBits = BigInt(width - prefixLength);
  const hostMask = (1n << hostBits) - 1n;
  const first = value & ~hostMask;
  const canonical = `${bigIntToAddress(first, family === IpFamily.IPV4 ? 32 : 128)}/${prefixLength}`;
  if (first !== value) {
    throw invalid(field, text, 'has host bits set', `did you mean ${canonical}?`);
  }
  return Object.freeze({ family, prefixLength, first, last: first | hostMask, text: canonical });
}

/** True when `inner` lies inside `outer` (same family). @internal */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return outer.family === inner.family && inner.first >= outer.first && inner.last <= outer.last;
}

/**
 * Validates a CIDR and its exceptions: each exception must be of the same family and a strict
 * subset of the CIDR (Kubernetes ValidateIPBlock: "must be a strict subset of `cidr`"), and
 * exceptions may not repeat.
 * @internal
 */
export function parseCidrWithExcept(field: string, cidr: string, except: string[] = []): { cidr: ParsedCidr; except: ParsedCidr[] } {
  const outer = parseCidr(`${field}.cidr`, cidr);
  if (!Array.isArray(except)) {
    throw invalid(`${field}.except`, except, 'is not a list of CIDRs', 'pass an array such as ["10.1.0.0/16"]');
  }
  const seen = new Set<string>();
  const parsed = except.map((e, i) => {
    const inner = parseCidr(`${field}.except[${i}]`, e);
    if (inner.family !== outer.family) {
      throw invalid(`${field}.except[${i}]`, e, `is ${inner.family} but the cidr ${cidr} is ${outer.family}`, 'use exceptions of the same family');
    }
    if (!cidrContains(outer, inner) || inner.prefixLength <= outer.prefixLength) {
      throw invalid(`${field}.except[${i}]`, e, `is not strictly inside ${outer.text}`,
        inner.prefixLength <= outer.prefixLength && cidrContains(inner, outer)
          ? 'an exception covering the whole block leaves nothing: remove the peer instead'
          : `use a smaller block within ${outer.text}, or remove it`);
    }
    if (seen.has(inner.text)) {
      throw invalid(`${field}.except[${i}]`, e, 'is listed twice', 'remove the duplicate');
    }
    seen.add(inner.text);
    return inner;
  });
  return { cidr: outer, except: parsed };
}

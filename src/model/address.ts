/**
 * IP addresses as BigInt, shared by the constructs' CIDR validation (model/cidr.ts) and the
 * analyser's address ranges (analysis/ipranges.ts). @internal
 */
import * as ipaddr from 'ipaddr.js';

/** The address as an unsigned integer (32 bits for IPv4, 128 for IPv6). */
export function addressToBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let v = 0n;
  for (const b of address.toByteArray()) v = (v << 8n) | BigInt(b);
  return v;
}

/** The canonical text (dotted IPv4, compressed lowercase IPv6) of an address of `bits` (32 or 128) bits. */
export function bigIntToAddress(value: bigint, bits: 32 | 128): string {
  const bytes: number[] = [];
  for (let i = bits / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * IP addresses as BigInt, for the constructs' CIDR validation (model/cidr.ts) and the analyser's
 * address ranges: the one copy lives in the wire layer's Go-faithful parsers. @internal
 */
export { addressToBigInt, bigIntToAddress } from '../wire/net';

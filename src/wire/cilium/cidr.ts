/** Cilium CIDR peers (pkg/policy/api cidr.go): `fromCIDR`/`toCIDR` and `fromCIDRSet`/`toCIDRSet`. */
import { EndpointSelector } from './selector';

/** A CIDR (or, in `fromCIDR`/`toCIDR`, a single address, which Cilium's CIDR.sanitize accepts). */
export type CIDR = string;

/** `CIDRRule`: exactly one of `cidr`, `cidrGroupRef`, `cidrGroupSelector`; `except` only with `cidr`. */
export interface CIDRRule {
  readonly cidr?: CIDR;
  readonly cidrGroupRef?: string;
  readonly cidrGroupSelector?: EndpointSelector;
  readonly except?: readonly CIDR[];
}

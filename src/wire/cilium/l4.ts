/**
 * Cilium L4 rules (pkg/policy/api l4.go). Allow rules take `PortRule` (ports with L7, TLS and
 * listeners); deny rules take `PortDenyRule`, which has only ports: a deny rule cannot carry L7.
 */
import { L7Rules } from './l7';
import { Secret } from './secret';

/** `L4Proto` values accepted on the wire (ParseL4Proto upper-cases; the CRD enum is exact). */
export const CILIUM_L4_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'] as const;
export type CiliumL4Protocol = typeof CILIUM_L4_PROTOCOLS[number];

/** The protocols a port rule of protocol ANY (or none) stands for: Cilium expands it into one filter each (pkg/policy rule.go). */
export const CILIUM_ANY_EXPANSION: readonly string[] = ['TCP', 'UDP', 'SCTP'];

export interface PortProtocol {
  /** A number (0 = every port), or a named port; a string on the wire. */
  readonly port: string;
  readonly endPort?: number;
  /** Absent or empty: ANY. */
  readonly protocol?: CiliumL4Protocol;
}

// In its own module, so that l7.ts (header matches) and this file (TLS contexts) both use it without importing each other.
export type { Secret } from './secret';

export interface TLSContext {
  readonly secret: Secret;
  readonly trustedCA?: string;
  readonly certificate?: string;
  readonly privateKey?: string;
}

export interface EnvoyConfig {
  readonly kind?: 'CiliumEnvoyConfig' | 'CiliumClusterwideEnvoyConfig';
  readonly name: string;
}

export interface Listener {
  readonly envoyConfig: EnvoyConfig;
  readonly name: string;
  readonly priority?: number;
}

export interface PortRule {
  readonly ports?: readonly PortProtocol[];
  readonly terminatingTLS?: TLSContext;
  readonly originatingTLS?: TLSContext;
  readonly serverNames?: readonly string[];
  readonly listener?: Listener;
  readonly rules?: L7Rules;
}

export interface PortDenyRule {
  readonly ports?: readonly PortProtocol[];
}

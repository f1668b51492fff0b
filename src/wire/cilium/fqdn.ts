/** Cilium `toFQDNs` (pkg/policy/api fqdn.go `FQDNSelector`): exactly one of the two per entry. */
export interface FQDNSelector {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

/** pkg/policy/api fqdn.go allowedMatchNameChars / allowedPatternChars (also for `rules.dns`). */
export const FQDN_MATCH_NAME_CHARS = /^[-a-zA-Z0-9_.]+$/;
export const FQDN_MATCH_PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;
/** pkg/fqdn/matchpattern MaxFQDNLength. */
export const FQDN_MAX_LENGTH = 255;

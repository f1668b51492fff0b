/** A Secret reference of Cilium rules (pkg/policy/api l4.go `Secret`): TLS contexts and HTTP header matches. */
export interface Secret {
  readonly namespace?: string;
  readonly name: string;
}

/** Cilium `icmps` (pkg/policy/api icmp.go). */

export const ICMP_FAMILIES = ['IPv4', 'IPv6'] as const;
export type IcmpFamily = typeof ICMP_FAMILIES[number];

export interface ICMPField {
  /** Defaulted to IPv4 when empty (icmp.go: "IPv4 is the default"). */
  readonly family?: IcmpFamily;
  /** A type number 0-255 or a type name such as `EchoRequest`. */
  readonly type: number | string;
}

export interface ICMPRule {
  readonly fields?: readonly ICMPField[];
}

// ICMP type names Cilium accepts, per family (pkg/policy/api/icmp.go; RFC 792 / IANA ICMP
// and ICMPv6 parameters for the numbers).
/** ICMPv4 type names Cilium accepts, with their numbers.  */
export const ICMPV4: { [name: string]: number } = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  Redirect: 5,
  Echo: 8,
  EchoRequest: 8,
  RouterAdvertisement: 9,
  RouterSelection: 10,
  TimeExceeded: 11,
  ParameterProblem: 12,
  Timestamp: 13,
  TimestampReply: 14,
  Photuris: 40,
  ExtendedEchoRequest: 42,
  ExtendedEchoReply: 43,
};
/** ICMPv6 type names Cilium accepts, with their numbers.  */
export const ICMPV6: { [name: string]: number } = {
  DestinationUnreachable: 1,
  PacketTooBig: 2,
  TimeExceeded: 3,
  ParameterProblem: 4,
  EchoRequest: 128,
  EchoReply: 129,
  MulticastListenerQuery: 130,
  MulticastListenerReport: 131,
  MulticastListenerDone: 132,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
  RedirectMessage: 137,
  RouterRenumbering: 138,
  ICMPNodeInformationQuery: 139,
  ICMPNodeInformationResponse: 140,
  InverseNeighborDiscoverySolicitation: 141,
  InverseNeighborDiscoveryAdvertisement: 142,
  HomeAgentAddressDiscoveryRequest: 144,
  HomeAgentAddressDiscoveryReply: 145,
  MobilePrefixSolicitation: 146,
  MobilePrefixAdvertisement: 147,
  DuplicateAddressRequestCodeSuffix: 157,
  DuplicateAddressConfirmationCodeSuffix: 158,
  ExtendedEchoRequest: 160,
  ExtendedEchoReply: 161,
};

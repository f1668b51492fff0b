import { ICMPV4, ICMPV6 } from '../../wire/cilium/icmp';
import { IpFamily } from '../cidr';
import { invalid } from '../errors';

/** ICMP type tables (the one copy lives in the wire layer). @internal */
export { ICMPV4, ICMPV6 };

// The Cilium 1.18 CRD pattern spells this name "ExtendedEcho Reply" (with a space), so the
// API server rejects "ExtendedEchoReply"; it is written as its number instead.
const SCHEMA_REJECTED_NAMES = new Set(['ExtendedEchoReply']);

/** An ICMP (IPv4) or ICMPv6 message type, for a rule's `icmps` field. */
export class Icmp {
  /** ICMP (IPv4) type by number, 0-255. */
  public static ipv4(type: number): Icmp {
    return Icmp.ofNumber(IpFamily.IPV4, type);
  }

  /** ICMPv6 type by number, 0-255. */
  public static ipv6(type: number): Icmp {
    return Icmp.ofNumber(IpFamily.IPV6, type);
  }

  /** ICMP (IPv4) type by Cilium's CamelCase name, e.g. `"EchoRequest"`. */
  public static ipv4Named(name: string): Icmp {
    return Icmp.ofName(IpFamily.IPV4, name);
  }

  /** ICMPv6 type by Cilium's CamelCase name, e.g. `"EchoRequest"`, `"NeighborSolicitation"`. */
  public static ipv6Named(name: string): Icmp {
    return Icmp.ofName(IpFamily.IPV6, name);
  }

  private static ofNumber(family: IpFamily, type: number): Icmp {
    if (!Number.isInteger(type) || type < 0 || type > 255) {
      throw invalid(`Icmp.${family === IpFamily.IPV4 ? 'ipv4' : 'ipv6'}`, type, 'is not an ICMP type', 'use a whole number from 0 to 255, or a named factory');
    }
    return new Icmp(family, type, undefined);
  }

  private static ofName(family: IpFamily, name: string): Icmp {
    const table = family === IpFamily.IPV4 ? ICMPV4 : ICMPV6;
    const field = `Icmp.${family === IpFamily.IPV4 ? 'ipv4Named' : 'ipv6Named'}`;
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(table, name)) {
      const other = family === IpFamily.IPV4 ? ICMPV6 : ICMPV4;
      const hint = typeof name === 'string' && Object.prototype.hasOwnProperty.call(other, name)
        ? `"${name}" is an ${family === IpFamily.IPV4 ? 'ICMPv6' : 'ICMPv4'} name: use Icmp.${family === IpFamily.IPV4 ? 'ipv6Named' : 'ipv4Named'}, or one of ${Object.keys(table).join(', ')}`
        : `use one of ${Object.keys(table).join(', ')}, or a number`;
      throw invalid(field, name, `is not an ${family} ICMP type name`, hint);
    }
    return SCHEMA_REJECTED_NAMES.has(name) ? new Icmp(family, table[name], undefined) : new Icmp(family, table[name], name);
  }

  /** The address family. */
  public readonly family: IpFamily;
  /** The type number. */
  public readonly type: number;
  /** The CamelCase name, when given by name. @default - given by number */
  public readonly typeName?: string;

  private constructor(family: IpFamily, type: number, name: string | undefined) {
    this.family = family;
    this.type = type;
    this.typeName = name;
  }

  /** Stable text, e.g. `IPv4/8`. */
  public toString(): string {
    return `${this.family}/${this.type}`;
  }
}

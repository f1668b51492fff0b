import { IConstruct } from 'constructs';
import { invalid } from './errors';
import { undeclaredWorkloadPort, WorkloadRef } from './workload';

/** A transport protocol. */
export enum Protocol {
  /** TCP */
  TCP = 'TCP',
  /** UDP */
  UDP = 'UDP',
  /** SCTP */
  SCTP = 'SCTP',
  /** Any of TCP, UDP and SCTP. Cilium only; Kubernetes NetworkPolicy has no such protocol. */
  ANY = 'ANY',
}

/**
 * IANA service name rules, as Kubernetes applies them to named container ports
 * (IsValidPortName): 1-15 characters, lowercase letters, digits and "-", at least one
 * letter, no leading, trailing or doubled "-".
 */
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** @internal */
export function validatePortNumber(field: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(field, port, 'is not a valid port', 'use a whole number from 1 to 65535');
  }
}

/** @internal */
export function validatePortName(field: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 15) {
    throw invalid(field, name, 'is not a valid port name', 'use 1 to 15 characters (IANA service name)');
  }
  if (!PORT_NAME.test(name) || name.includes('--') || !/[a-z]/.test(name)) {
    throw invalid(field, name, 'is not a valid port name',
      'use lowercase letters, digits and single "-" (not first or last), with at least one letter, e.g. "http-metrics"');
  }
}

/**
 * A destination port, port range, named port, or all ports of a protocol.
 */
export class Port {
  /**
   * TCP port `port`.
   * @param port a port number, 1-65535
   */
  public static tcp(port: number): Port {
    return Port.of(Protocol.TCP, port);
  }

  /**
   * UDP port `port`.
   * @param port a port number, 1-65535
   */
  public static udp(port: number): Port {
    return Port.of(Protocol.UDP, port);
  }

  /**
   * SCTP port `port`.
   * @param port a port number, 1-65535
   */
  public static sctp(port: number): Port {
    return Port.of(Protocol.SCTP, port);
  }

  /**
   * Port `port` on any protocol (Cilium only).
   * @param port a port number, 1-65535
   */
  public static any(port: number): Port {
    return Port.of(Protocol.ANY, port);
  }

  /**
   * TCP ports `from` to `to`, inclusive.
   * @param from the first port, 1-65535
   * @param to the last port, `from` to 65535
   */
  public static tcpRange(from: number, to: number): Port {
    return Port.range(Protocol.TCP, from, to);
  }

  /**
   * UDP ports `from` to `to`, inclusive.
   * @param from the first port, 1-65535
   * @param to the last port, `from` to 65535
   */
  public static udpRange(from: number, to: number): Port {
    return Port.range(Protocol.UDP, from, to);
  }

  /**
   * SCTP ports `from` to `to`, inclusive.
   * @param from the first port, 1-65535
   * @param to the last port, `from` to 65535
   */
  public static sctpRange(from: number, to: number): Port {
    return Port.range(Protocol.SCTP, from, to);
  }

  /**
   * Port `port` of `protocol`.
   * @param protocol the protocol
   * @param port a port number, 1-65535
   */
  public static of(protocol: Protocol, port: number): Port {
    validateProtocol('Port.protocol', protocol);
    validatePortNumber('Port.port', port);
    return new Port(protocol, port, undefined, undefined);
  }

  /**
   * Ports `from` to `to` of `protocol`, inclusive (`endPort`).
   * @param protocol the protocol
   * @param from the first port, 1-65535
   * @param to the last port, `from` to 65535
   */
  public static range(protocol: Protocol, from: number, to: number): Port {
    validateProtocol('Port.protocol', protocol);
    validatePortNumber('Port.port', from);
    validatePortNumber('Port.endPort', to);
    if (to < from) {
      throw invalid('Port.endPort', to, `is below the start port ${from}`, `use a range from ${Math.min(from, to)} to ${Math.max(from, to)}`);
    }
    return new Port(protocol, from, to === from ? undefined : to, undefined);
  }

  /**
   * The container port named `name` on the selected pods.
   * @param name the container port name (an IANA service name as Kubernetes checks it: at most 15 lowercase letters, digits and single inner hyphens, at least one letter)
   * @param protocol the protocol. Default: Protocol.TCP
   */
  public static named(name: string, protocol?: Protocol): Port {
    validatePortName('Port.named', name);
    const p = protocol ?? Protocol.TCP;
    validateProtocol('Port.protocol', p);
    return new Port(p, undefined, undefined, name);
  }

  /**
   * The container port named `name` of a workload's pods, checked when the policy is synthesised:
   * synth fails when no container of the workload declares a port `name` with this protocol
   * (cdk8s-plus `ports: [{ number, name }]`, or `ports[].name` in the pod template).
   * @param workload the workload that declares the port (as for `Pods.of`)
   * @param name the container port name (an IANA service name as Kubernetes checks it)
   * @param protocol the protocol. Default: Protocol.TCP (as the API server defaults a container port; Protocol.ANY in a Cilium rule matches any)
   */
  public static namedOf(workload: IConstruct, name: string, protocol?: Protocol): Port {
    const ref = WorkloadRef.of('Port.namedOf', workload);
    validatePortName('Port.namedOf', name);
    const p = protocol ?? Protocol.TCP;
    validateProtocol('Port.protocol', p);
    return new Port(p, undefined, undefined, name, ref);
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return new Port(Protocol.TCP, undefined, undefined, undefined);
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port(Protocol.UDP, undefined, undefined, undefined);
  }

  /** Every SCTP port. */
  public static allSctp(): Port {
    return new Port(Protocol.SCTP, undefined, undefined, undefined);
  }

  /**
   * Every port of `protocol`.
   * @param protocol the protocol
   */
  public static allOf(protocol: Protocol): Port {
    validateProtocol('Port.protocol', protocol);
    return new Port(protocol, undefined, undefined, undefined);
  }

  /** The protocol. */
  public readonly protocol: Protocol;
  /** The port number, or the first of a range. @default - a named port or all ports */
  public readonly number?: number;
  /** The last port of a range, inclusive. @default - a single port */
  public readonly endPort?: number;
  /** The container port name. @default - a numbered port or all ports */
  public readonly name?: string;

  private readonly workload?: WorkloadRef;

  private constructor(protocol: Protocol, port: number | undefined, endPort: number | undefined, name: string | undefined, workload?: WorkloadRef) {
    this.protocol = protocol;
    this.number = port;
    this.endPort = endPort;
    this.name = name;
    this.workload = workload;
  }

  /**
   * For `Port.namedOf`: the synth-time check that the workload declares the port; the message
   * when it does not, else undefined.
   * @internal
   */
  public _undeclared(field: string): string | undefined {
    return this.workload ? undeclaredWorkloadPort(this.workload, field, this.name!, this.protocol) : undefined;
  }

  /** Stable text form, e.g. `TCP/80`, `TCP/8000-8080`, `TCP/http`, `UDP/*`. */
  public toString(): string {
    const where = this.name ?? (this.number === undefined ? '*' : this.endPort === undefined ? `${this.number}` : `${this.number}-${this.endPort}`);
    return `${this.protocol}/${where}`;
  }
}

function validateProtocol(field: string, protocol: Protocol): void {
  if (!Object.values(Protocol).includes(protocol)) {
    throw invalid(field, protocol, 'is not a protocol', 'use Protocol.TCP, Protocol.UDP, Protocol.SCTP or Protocol.ANY');
  }
}

/** Rejects repeated ports in one rule. @internal */
export function validateDistinctPorts(field: string, ports: Port[]): void {
  const seen = new Set<string>();
  for (const p of ports) {
    const key = p.toString();
    if (seen.has(key)) throw invalid(field, key, 'is listed twice', 'remove the duplicate port');
    seen.add(key);
  }
}

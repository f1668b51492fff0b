/**
 * Focus options as netpol-analyzer's `list` command has them (np-guard/netpol-analyzer
 * pkg/netpol/connlist/connlist.go, includePairOfWorkloads, isPeerFocusWorkload,
 * validateFocusConnFormatAndValue): workloads, their peers, a direction and one connection.
 */
import { INGRESS_CONTROLLER_ID, INGRESS_CONTROLLER_NAMESPACE } from './engine';
import { QueryError, closeNames } from './explain';
import { Peer } from './model';
import { ConnSet, L4_PROTOCOLS, PORT_MAX, PORT_MIN } from './ports';

/** The name netpol-analyzer gives its ingress-controller pod (common.IngressPodName). */
export const INGRESS_CONTROLLER_NAME = 'ingress-controller';

export type FocusDirection = 'ingress' | 'egress';

/** One `protocol-port` connection (`--focus-conn tcp-8080`). */
export interface FocusConnection {
  readonly protocol: string;
  readonly port: number;
  /** Connlist text, e.g. `TCP 8080`. */
  readonly text: string;
}

export interface FocusOptionsInput {
  readonly focusWorkload?: string;
  readonly focusWorkloads?: string[];
  readonly focusWorkloadPeers?: string[];
  readonly focusDirection?: string;
  readonly focusConnection?: string;
}

/**
 * A peer matches a focus name when its name or `namespace/name` equals it (netpol-analyzer
 * isPeerFocusWorkload); nodes match their name, the ingress controller `ingress-controller`.
 */
export function peerHasName(p: Peer, name: string): boolean {
  switch (p.type) {
    case 'workload':
      return p.workload!.name === name || `${p.namespace}/${p.workload!.name}` === name;
    case 'node':
      return p.node!.name === name;
    case 'ingress-controller':
      return name === INGRESS_CONTROLLER_NAME || name === `${INGRESS_CONTROLLER_NAMESPACE}/${INGRESS_CONTROLLER_NAME}` || name === INGRESS_CONTROLLER_ID;
    default:
      return false;
  }
}

function names(field: string, list: readonly string[] | undefined): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new QueryError(`${field}: ${JSON.stringify(list)} is not a list of workload names; pass e.g. ["shop/web"]`);
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string' || !item.trim()) throw new QueryError(`${field}: ${JSON.stringify(item)} is not a workload name; use name or namespace/name`);
    if (!out.includes(item.trim())) out.push(item.trim());
  }
  return out;
}

/** `tcp-8080` as a connection (protocol case-insensitive, port 1-65535), or a clear error. */
export function parseFocusConnection(text: string, field = 'focusConnection'): FocusConnection {
  const parts = String(text).split('-');
  if (parts.length !== 2) throw new QueryError(`${field}: "${text}" is not <protocol>-<port>; write e.g. tcp-8080 or udp-53`);
  const protocol = L4_PROTOCOLS.find((p) => p.toLowerCase() === parts[0].toLowerCase());
  if (!protocol) throw new QueryError(`${field}: "${text}": protocol "${parts[0]}" is not one of ${L4_PROTOCOLS.join(', ')} (case does not matter)`);
  const port = Number(parts[1]);
  if (!/^\d+$/.test(parts[1]) || port < PORT_MIN || port > PORT_MAX) throw new QueryError(`${field}: "${text}": port "${parts[1]}" is not a number ${PORT_MIN}-${PORT_MAX}`);
  return { protocol, port, text: `${protocol} ${port}` };
}

/** The parsed focus of an analysis; undefined fields do not filter. */
export class Focus {
  /** Parses the options; undefined when they focus on nothing. Throws QueryError on a bad value. */
  static of(o: FocusOptionsInput | undefined): Focus | undefined {
    if (!o) return undefined;
    const workloads = names('focusWorkloads', [...(o.focusWorkload !== undefined ? [o.focusWorkload] : []), ...(o.focusWorkloads ?? [])]);
    const peers = names('focusWorkloadPeers', o.focusWorkloadPeers);
    let direction: FocusDirection | undefined;
    if (o.focusDirection !== undefined && o.focusDirection !== null && o.focusDirection !== '') {
      if (o.focusDirection !== 'ingress' && o.focusDirection !== 'egress') {
        throw new QueryError(`focusDirection: "${o.focusDirection}" is not a direction; use ingress or egress`);
      }
      direction = o.focusDirection;
    }
    // netpol-analyzer warns and ignores these without focus workloads; a CI run should not silently ignore a flag
    if (!workloads.length && peers.length) throw new QueryError('focusWorkloadPeers: applies only with focusWorkloads; name the workloads whose peers these are');
    if (!workloads.length && direction) throw new QueryError('focusDirection: applies only with focusWorkloads; name the workloads whose ingress or egress to show');
    const conn = o.focusConnection !== undefined && o.focusConnection !== '' ? parseFocusConnection(o.focusConnection) : undefined;
    if (!workloads.length && !conn) return undefined;
    return new Focus(workloads, peers, direction, conn);
  }

  private constructor(
    readonly workloads: string[],
    readonly peers: string[],
    readonly direction: FocusDirection | undefined,
    readonly conn: FocusConnection | undefined,
  ) {}

  /** Is the peer one of the focus workloads (every peer when none is named)? */
  isFocusWorkload(p: Peer): boolean {
    return !this.workloads.length || this.workloads.some((n) => peerHasName(p, n));
  }

  /** Is the peer one of the focus peers (every peer when none is named)? */
  isFocusPeer(p: Peer): boolean {
    return !this.peers.length || this.peers.some((n) => peerHasName(p, n));
  }

  /** netpol-analyzer includePairOfWorkloads: the direction applies to the focus workloads, the peers to the other end. */
  includesPair(src: Peer, dst: Peer): boolean {
    if (this.direction === 'ingress' && !this.isFocusWorkload(dst)) return false;
    if (this.direction === 'egress' && !this.isFocusWorkload(src)) return false;
    return (this.isFocusWorkload(src) && this.isFocusPeer(dst)) || (this.isFocusWorkload(dst) && this.isFocusPeer(src));
  }

  /** The part of an allowed connection set the output shows: the focus connection, or all of it; undefined when it is not allowed. */
  restrict(c: ConnSet): ConnSet | undefined {
    if (!this.conn) return c;
    if (!c.contains(this.conn.protocol, this.conn.port)) return undefined;
    return c.restrict(this.conn.protocol, this.conn.port);
  }

  /** Focus names that match no peer of any of the given peer lists (one list per analysis). */
  missing(peerLists: Peer[][]): { field: string; name: string; candidates: Peer[] }[] {
    const out: { field: string; name: string; candidates: Peer[] }[] = [];
    const all = peerLists.flat();
    for (const [field, list] of [['focusWorkloads', this.workloads], ['focusWorkloadPeers', this.peers]] as const) {
      for (const n of list) if (!all.some((p) => peerHasName(p, n))) out.push({ field, name: n, candidates: all });
    }
    return out;
  }

  /** Throws a QueryError naming every focus name no analysis has, with close names. */
  check(peerLists: Peer[][]): void {
    const missing = this.missing(peerLists);
    if (!missing.length) return;
    const m = missing[0];
    const close = closeNames(m.name, m.candidates.filter((p) => p.type === 'workload' || p.type === 'node' || p.type === 'ingress-controller'));
    const more = missing.length > 1 ? ` (also not found: ${missing.slice(1).map((x) => `"${x.name}"`).join(', ')})` : '';
    throw new QueryError(`${m.field}: workload "${m.name}" not found${close.length ? `; close names: ${close.join(', ')}` : ' (no workloads in the manifests)'}${more}`
      + ' (focus on a workload name or namespace/name, a node name or ingress-controller)');
  }
}

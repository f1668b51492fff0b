/**
 * Jest matchers for connectivity: import 'cdk8s-netpol/lib/testing' in a test (or call
 * `installNetpolMatchers()`), then
 *
 *   expect(chart).toAllowConnection({ from: 'shop/web', to: 'shop/api', port: 8080 });
 *   expect(chart).not.toAllowConnection({ from: 'shop/web', to: 'shop/db', port: 5432 });
 *   expect(withManifests(chart, workloads)).toHaveConnections([...]);
 *
 * `received` may be a cdk8s Chart or App (synthesised to plain manifests), a
 * ConnectivityAnalysis, or an array of plain manifests.
 */
import { ConnectivityAnalysis } from '../analysis';

export interface ConnectionExpectation {
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol?: string;
  /** Extra plain manifests (e.g. workloads) analysed together with the received chart. */
  readonly manifests?: any[];
}

const WITH_MANIFESTS = Symbol('cdk8s-netpol.withManifests');

/** Pair a chart/app with extra manifests (e.g. the workloads its policies are about). */
export function withManifests(received: any, manifests: any[]): any {
  return { [WITH_MANIFESTS]: true, received, manifests };
}

const cache = new WeakMap<object, ConnectivityAnalysis>();

/** Build (and cache) the analysis for whatever a matcher received. */
export function analysisOf(received: any, extra: any[] = []): ConnectivityAnalysis {
  if (received instanceof ConnectivityAnalysis) return received;
  if (received && received[WITH_MANIFESTS]) return analysisOf(received.received, received.manifests.concat(extra));
  if (Array.isArray(received)) return ConnectivityAnalysis.fromManifests(received.concat(extra));
  if (received && typeof received === 'object' && received.node) {
    if (!extra.length && cache.has(received)) return cache.get(received)!;
    const a = ConnectivityAnalysis.fromChart(received, extra);
    if (!extra.length) cache.set(received, a);
    return a;
  }
  throw new Error('expected a cdk8s Chart/App, a ConnectivityAnalysis or an array of manifests');
}

function describe(q: ConnectionExpectation): string {
  const what = q.port !== undefined ? `${q.protocol ?? 'TCP'} ${q.port}` : q.protocol ? q.protocol : 'any connection';
  return `${q.from} => ${q.to} : ${what}`;
}

function indent(text: string): string {
  return text.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
}

function toAllowConnection(received: any, q: ConnectionExpectation) {
  const a = analysisOf(received, q.manifests ?? []);
  const e = a.explain(q);
  const v = a.isAllowed(q);
  return {
    pass: e.allowed,
    message: () => e.allowed
      ? `expected ${describe(q)} NOT to be allowed, but it is: ${v.reason}\n${indent(e.text)}`
      : `expected ${describe(q)} to be allowed, but it is not: ${v.reason}\n${indent(e.text)}`,
  };
}

function toDenyConnection(received: any, q: ConnectionExpectation) {
  const a = analysisOf(received, q.manifests ?? []);
  const e = a.explain(q);
  const v = a.isAllowed(q);
  const denied = e.connections === 'No Connections';
  return {
    pass: denied,
    message: () => denied
      ? `expected ${describe(q)} NOT to be denied, but it is: ${v.reason}\n${indent(e.text)}`
      : `expected ${describe(q)} to be denied, but ${e.connections} is allowed: ${v.reason}\n${indent(e.text)}`,
  };
}

/** Exact connectivity, as connlist lines (`SRC => DST : CONNECTIONS`) in any order. */
function toHaveConnections(received: any, expected: string[]) {
  const a = analysisOf(received);
  const actual = a.toText().split('\n').filter((l) => l);
  const want = expected.map((l) => l.trim()).filter((l) => l);
  const missing = want.filter((l) => !actual.includes(l)).sort();
  const unexpected = actual.filter((l) => !want.includes(l)).sort();
  const pass = !missing.length && !unexpected.length;
  return {
    pass,
    message: () => pass
      ? 'expected the connectivity to differ, but it matches exactly'
      : `connectivity differs:\n${missing.map((l) => `  - missing:    ${l}`).join('\n')}${missing.length && unexpected.length ? '\n' : ''}${unexpected.map((l) => `  + unexpected: ${l}`).join('\n')}`,
  };
}

export const netpolMatchers = { toAllowConnection, toDenyConnection, toHaveConnections };

/* eslint-disable @typescript-eslint/no-namespace */
declare global {
  namespace jest {
    interface Matchers<R> {
      toAllowConnection(query: ConnectionExpectation): R;
      toDenyConnection(query: ConnectionExpectation): R;
      toHaveConnections(lines: string[]): R;
    }
  }
}

/** Register the matchers with jest's expect (done automatically on import when expect exists). */
export function installNetpolMatchers(): void {
  const g: any = globalThis as any;
  if (g.expect && typeof g.expect.extend === 'function') g.expect.extend(netpolMatchers);
}

installNetpolMatchers();

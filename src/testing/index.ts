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
import { AnalysisOptions, ConnectivityAnalysis } from '../analysis';

export interface ConnectionExpectation {
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol?: string;
  /** Extra plain manifests (e.g. workloads) analysed together with the received chart. */
  readonly manifests?: any[];
}

const WITH_MANIFESTS = Symbol('cdk8s-netpol.withManifests');

/**
 * Pair a chart/app with extra manifests (e.g. the workloads its policies are about) and, optionally,
 * analysis options (e.g. `{ cni: 'cilium@1.18' }` for NetworkPolicies that Cilium enforces).
 */
export function withManifests(received: any, manifests: any[], options?: AnalysisOptions): any {
  return { [WITH_MANIFESTS]: true, received, manifests, options };
}

/**
 * The last analysis per chart/app, with the manifests it was computed from: reused only while the
 * construct synthesises the same manifests (a policy added after an expectation is seen).
 */
const cache = new WeakMap<object, { key: string; analysis: ConnectivityAnalysis }>();

/** Build (and cache) the analysis for whatever a matcher received. */
export function analysisOf(received: any, extra: any[] = [], options?: AnalysisOptions): ConnectivityAnalysis {
  if (received instanceof ConnectivityAnalysis) return received;
  if (received && received[WITH_MANIFESTS]) {
    return analysisOf(received.received, received.manifests.concat(extra), { ...received.options, ...options });
  }
  if (Array.isArray(received)) return ConnectivityAnalysis.fromManifests(received.concat(extra), options);
  if (received && typeof received === 'object' && received.node) {
    const manifests = ConnectivityAnalysis.synth(received).concat(extra);
    const key = JSON.stringify([manifests, options ?? {}]);
    const hit = cache.get(received);
    if (hit && hit.key === key) return hit.analysis;
    const analysis = ConnectivityAnalysis.fromManifests(manifests, options);
    cache.set(received, { key, analysis });
    return analysis;
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

/**
 * Exact connectivity, as connlist lines (`SRC => DST : CONNECTIONS`) in any order; or any
 * asymmetric matcher over the lines, e.g. `expect.arrayContaining([...])`.
 */
function toHaveConnections(received: any, expected: unknown) {
  const a = analysisOf(received);
  const actual = a.toText().split('\n').filter((l) => l);
  const asymmetric = !!expected && typeof (expected as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
  if (asymmetric) {
    const pass = (expected as { asymmetricMatch(v: unknown): boolean }).asymmetricMatch(actual);
    const shown = typeof (expected as { toString?: () => string }).toString === 'function' ? String(expected) : 'the expectation';
    return {
      pass,
      message: () => `expected the connections ${pass ? 'not ' : ''}to match ${shown}; they are:\n${actual.map((l) => `  ${l}`).join('\n')}`,
    };
  }
  if (!Array.isArray(expected) || expected.some((l) => typeof l !== 'string')) {
    throw new Error(`toHaveConnections: expected connlist lines (an array of strings such as "shop/web[Deployment] => shop/api[Deployment] : TCP 8080") or an asymmetric matcher such as expect.arrayContaining([...]), got ${JSON.stringify(expected)}`);
  }
  const want = (expected as string[]).map((l) => l.trim()).filter((l) => l);
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
      toHaveConnections(lines: string[] | AsymmetricMatcher): R;
    }
  }
}

/** Register the matchers with jest's expect (done automatically on import when expect exists). */
export function installNetpolMatchers(): void {
  const g: any = globalThis as any;
  if (g.expect && typeof g.expect.extend === 'function') g.expect.extend(netpolMatchers);
}

installNetpolMatchers();

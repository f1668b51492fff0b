/**
 * Expected verdicts checked in one run (`cdk8s-netpol check EXPECTATIONS.yaml PATHS...`): a list of
 * connections, each expected to be allowed or denied. The file format is ours (README "Checking
 * expected verdicts"):
 *
 *   expectations:
 *     - from: shop/web
 *       to: shop/api
 *       port: 9090          # optional: any port when left out
 *       protocol: TCP       # optional: TCP when a port is given
 *       expect: allowed     # allowed | denied
 *       description: the web tier calls the API   # optional
 */
import * as fs from 'fs';
import { ConnectionQuery, ConnectivityAnalysis } from './analysis';
import { QueryError } from './explain';
import { loadText } from './load';

/** One expected verdict. */
export interface ConnectionExpectation extends ConnectionQuery {
  /** `allowed` (every asked connection is allowed) or `denied` (none of it is). */
  readonly expect: string;
  /**
   * What the expectation is about, printed with a mismatch.
   * @default - none
   */
  readonly description?: string;
  /**
   * Where the expectation was written (`file:line`), printed with a mismatch.
   * @default - the index in the list
   */
  readonly location?: string;
}

/** The outcome of one expectation. */
export interface ExpectationResult {
  /** The expectation. */
  readonly expectation: ConnectionExpectation;
  /** The verdict is the expected one. */
  readonly passed: boolean;
  /** `allowed` or `denied`. */
  readonly verdict: string;
  /** The allowed part of the asked connection, or `No Connections`. */
  readonly connections: string;
  /** The deciding policies and rules. */
  readonly reason: string;
}

const VERDICTS = ['allowed', 'denied'];
const KEYS = ['from', 'to', 'port', 'protocol', 'expect', 'description'];

/** A list of expected verdicts. */
export class ConnectivityExpectations {
  /** Reads an expectations file (YAML or JSON; see README "Checking expected verdicts"). */
  public static fromFile(file: string): ConnectivityExpectations {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e: any) {
      throw new QueryError(`${file}: cannot read the expectations file (${e?.code ?? e?.message ?? e}); pass an existing YAML file`);
    }
    return ConnectivityExpectations.parse(text, file);
  }

  /** Parses expectations from YAML or JSON text; `file` names it in messages. */
  public static parse(text: string, file?: string): ConnectivityExpectations {
    const name = file ?? '<expectations>';
    const r = loadText(text, name);
    const err = r.diagnostics.find((d) => d.severity === 'error');
    if (err) throw new QueryError(`${name}:${err.line}:${err.column}: ${err.message}`);
    const docs = r.documents.filter((d) => d.object !== null && d.object !== undefined);
    if (docs.length !== 1) throw new QueryError(`${name}: expected one YAML document with an "expectations:" list, found ${docs.length}`);
    const doc = docs[0];
    const top = doc.object;
    if (!top || typeof top !== 'object' || Array.isArray(top) || !Array.isArray(top.expectations)) {
      throw new QueryError(`${name}:${doc.line}: the file must be a mapping with an "expectations:" list (see README "Checking expected verdicts")`);
    }
    const unknownTop = Object.keys(top).filter((k) => k !== 'expectations');
    if (unknownTop.length) throw new QueryError(`${name}:${doc.line}: unknown field "${unknownTop[0]}"; the file has one field, "expectations"`);
    const list: ConnectionExpectation[] = top.expectations.map((item: any, i: number) => {
      const line = doc.locate?.(['expectations', i])?.line ?? doc.line;
      return { ...item, location: `${name}:${line}` };
    });
    return ConnectivityExpectations.of(list);
  }

  /** Expectations given in code; each is checked (fields, verdict) with a clear message. */
  public static of(expectations: ConnectionExpectation[]): ConnectivityExpectations {
    if (!Array.isArray(expectations)) throw new QueryError(`expectations: ${JSON.stringify(expectations)} is not a list; pass [{from, to, expect}]`);
    expectations.forEach((e, i) => {
      const where = `${e?.location ?? `expectations[${i}]`}`;
      if (!e || typeof e !== 'object' || Array.isArray(e)) throw new QueryError(`${where}: expectations[${i}] is not a mapping with from, to and expect`);
      const unknown = Object.keys(e).filter((k) => !KEYS.includes(k) && k !== 'location');
      if (unknown.length) throw new QueryError(`${where}: expectations[${i}].${unknown[0]}: unknown field; use ${KEYS.join(', ')}`);
      for (const k of ['from', 'to'] as const) {
        if (typeof e[k] !== 'string' || !e[k].trim()) throw new QueryError(`${where}: expectations[${i}].${k}: required, a peer as explain takes it (namespace/name, an IP address, {entity})`);
      }
      if (!VERDICTS.includes(e.expect)) throw new QueryError(`${where}: expectations[${i}].expect: ${JSON.stringify(e.expect)} is not allowed or denied`);
      if (e.port !== undefined && (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535)) {
        throw new QueryError(`${where}: expectations[${i}].port: ${JSON.stringify(e.port)} is not a port number 1-65535`);
      }
      if (e.protocol !== undefined && typeof e.protocol !== 'string') throw new QueryError(`${where}: expectations[${i}].protocol: ${JSON.stringify(e.protocol)} is not a protocol name such as TCP`);
    });
    return new ConnectivityExpectations(expectations);
  }

  /** The mismatches as lines (`file:line: from -> to port: expected X, got Y (reason)`), then a summary line. */
  public static formatReport(results: ExpectationResult[]): string {
    const lines: string[] = [];
    for (const r of results) {
      if (r.passed) continue;
      const e = r.expectation;
      const conn = e.port !== undefined ? ` ${e.protocol ?? 'TCP'} ${e.port}` : e.protocol ? ` ${e.protocol}` : '';
      const got = r.verdict === 'allowed' || r.connections !== 'No Connections' ? `${r.verdict === 'allowed' ? 'allowed' : 'partly allowed'} (${r.connections})` : 'denied';
      lines.push(`${e.location ? `${e.location}: ` : ''}${e.from} -> ${e.to}${conn}: expected ${e.expect}, got ${got}: ${r.reason}${e.description ? ` [${e.description}]` : ''}`);
    }
    const failed = results.filter((r) => !r.passed).length;
    lines.push(`${results.length - failed} of ${results.length} expectation(s) met${failed ? `, ${failed} not met` : ''}`);
    return lines.join('\n') + '\n';
  }

  /** The expectations, in the order written. */
  public readonly expectations: ConnectionExpectation[];

  private constructor(expectations: ConnectionExpectation[]) {
    this.expectations = expectations;
  }

  /** Checks every expectation against an analysis (an unknown peer throws, naming the expectation). */
  public check(analysis: ConnectivityAnalysis): ExpectationResult[] {
    return this.expectations.map((e, i) => {
      let v;
      try {
        v = analysis.isAllowed({ from: e.from, to: e.to, port: e.port, protocol: e.protocol });
      } catch (err: any) {
        throw new QueryError(`${e.location ?? `expectations[${i}]`}: ${err?.message ?? err}`);
      }
      const verdict = v.allowed ? 'allowed' : 'denied';
      // "denied" means none of the asked connection is allowed; "allowed" that all of it is
      const passed = e.expect === 'allowed' ? v.allowed : v.connections === 'No Connections';
      return { expectation: e, passed, verdict, connections: v.connections, reason: v.reason };
    });
  }
}

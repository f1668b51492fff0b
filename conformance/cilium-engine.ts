/**
 * Checks the analyser against ../shared/conformance/cilium-engine: per scenario, every probe
 * (source, destination, protocol, port) with the verdict Cilium 1.18.3's own policy engine
 * computes. A probe is allowed by the analyser when a listed connection between the same peers
 * covers its protocol and port; an external probe address matches the listed range containing it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ConnectivityAnalysis } from '../src/analysis';
export const SHARED = path.resolve(__dirname, '..', '..', 'shared');

export const CILIUM_ENGINE_DIR = path.join(SHARED, 'conformance', 'cilium-engine');

export interface Probe {
  readonly src: string;
  readonly dst: string;
  readonly protocol: string;
  readonly port: number;
  readonly allowed: boolean;
  readonly depends?: string;
}

export function readProbes(file: string): Probe[] {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

export function scenarios(): string[] {
  if (!fs.existsSync(CILIUM_ENGINE_DIR)) throw new Error(`${CILIUM_ENGINE_DIR} is missing: clone the project beside ../shared`);
  return fs.readdirSync(CILIUM_ENGINE_DIR).filter((d) => fs.existsSync(path.join(CILIUM_ENGINE_DIR, d, 'expected.jsonl.gz'))).sort();
}

function ipv4(text: string): bigint | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m) return undefined;
  return m.slice(1).reduce((v, o) => (v << 8n) | BigInt(Number(o)), 0n);
}

interface Allowed {
  readonly ports: { protocol: string; port: number; endPort: number }[];
  readonly all: boolean;
}

/** The analyser's verdict per probe, from its connection list. */
export class AnalyserVerdicts {
  private readonly byPair = new Map<string, Allowed>();
  /** external ranges per (other peer, side): [start, end, id] */
  private readonly ranges = new Map<string, [bigint, bigint, string][]>();

  /**
   * @param overrides connlist text per `src\u0000dst` that replaces the analysis' verdict for
   * that pair (e.g. what Cilium allows where it deviates from the specification)
   */
  constructor(readonly analysis: ConnectivityAnalysis, overrides: Map<string, string> = new Map()) {
    for (const c of analysis.connections()) {
      const ports = c.ports.map((p) => ({ protocol: p.protocol, port: p.port, endPort: p.endPort }));
      this.add(c.source, c.destination, { ports, all: c.allConnections });
    }
    for (const [pair, text] of overrides) {
      const [src, dst] = pair.split('\u0000');
      this.add(src, dst, parseConnlist(text), true);
    }
  }

  /** `override`: the pair's ranges are looked up before the analysis' own. */
  private add(src: string, dst: string, allowed: Allowed, override = false): void {
    const seen = this.byPair.has(`${src}\u0000${dst}`);
    this.byPair.set(`${src}\u0000${dst}`, allowed);
    if (seen) return;
    for (const [ext, other, side] of [[src, dst, 'src'], [dst, src, 'dst']] as const) {
      const m = /^([\d.]+)-([\d.]+)\[External\]$/.exec(ext);
      if (!m) continue;
      const key = `${other}\u0000${side}`;
      const list = this.ranges.get(key) ?? [];
      const entry: [bigint, bigint, string] = [ipv4(m[1]) ?? -1n, ipv4(m[2]) ?? -1n, ext];
      if (override) list.unshift(entry);
      else list.push(entry);
      this.ranges.set(key, list);
    }
  }

  private peerId(probePeer: string, other: string, side: 'src' | 'dst'): string | undefined {
    const m = /^([\d.]+)\[External\]$/.exec(probePeer);
    if (!m) return probePeer;
    const a = ipv4(m[1])!;
    return this.ranges.get(`${other}\u0000${side}`)?.find(([s, e]) => s <= a && a <= e)?.[2];
  }

  allowed(p: Probe): boolean {
    return this.pair(p.src, p.dst)(p.protocol, p.port);
  }

  /** The verdicts of one pair of probe peers, per protocol and port (the pair looked up once). */
  pair(probeSrc: string, probeDst: string): (protocol: string, port: number) => boolean {
    const src = this.peerId(probeSrc, probeDst, 'src');
    const dst = this.peerId(probeDst, probeSrc, 'dst');
    const a = src && dst ? this.byPair.get(`${src}\u0000${dst}`) : undefined;
    if (!a) return () => false;
    if (a.all) return () => true;
    return (protocol, port) => a.ports.some((r) => r.protocol === protocol && r.port <= port && port <= r.endPort);
  }
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly probes: number;
  readonly mismatches: Probe[];
}

type Analyse = (dir: string) => ConnectivityAnalysis;

/** Parses connlist text (`TCP 80,443,UDP 53-60`, `All Connections`, `No Connections`). */
export function parseConnlist(text: string): Allowed {
  if (text === 'All Connections') return { ports: [], all: true };
  const ports: Allowed['ports'] = [];
  if (text === 'No Connections') return { ports, all: false };
  let protocol = '';
  for (const token of text.split(',')) {
    const m = /^(?:([A-Z][A-Z0-9]*) )?(\d+)(?:-(\d+))?$/.exec(token);
    if (!m) throw new Error(`connlist text "${text}": cannot read "${token}"`);
    protocol = m[1] ?? protocol;
    ports.push({ protocol, port: Number(m[2]), endPort: Number(m[3] ?? m[2]) });
  }
  return { ports, all: false };
}

/** Cilium 1.18.3 as the corpus configures it (its README, "Agent configuration assumed"): the library's defaults. */
export const CILIUM_1_18: Analyse = (d) => ConnectivityAnalysis.fromFiles([d], { cni: 'cilium@1.18' });

export function checkScenario(scenario: string, analyse: Analyse = CILIUM_1_18): ScenarioResult {
  const dir = path.join(CILIUM_ENGINE_DIR, scenario);
  const verdicts = new AnalyserVerdicts(analyse(path.join(dir, 'in')));
  const probes = readProbes(path.join(dir, 'expected.jsonl.gz'));
  const mismatches = probes.filter((p) => verdicts.allowed(p) !== p.allowed);
  return { scenario, probes: probes.length, mismatches };
}

if (require.main === module) {
  let total = 0;
  let bad = 0;
  let clean = 0;
  const list = process.argv.slice(2).length ? process.argv.slice(2) : scenarios();
  for (const s of list) {
    const r = checkScenario(s);
    total += r.probes;
    bad += r.mismatches.length;
    if (!r.mismatches.length) clean++;
    const sample = r.mismatches.slice(0, 3).map((p) => `${p.src} => ${p.dst} ${p.protocol} ${p.port} expected ${p.allowed}`).join('; ');
    console.log(`${s}\t${r.probes}\t${r.mismatches.length}\t${sample}`);
  }
  console.log(`total ${total} probes, ${bad} mismatches (${(100 * (1 - bad / total)).toFixed(2)}% agree), ${clean}/${list.length} scenarios clean`);
}

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

  constructor(readonly analysis: ConnectivityAnalysis) {
    for (const c of analysis.connections()) {
      this.byPair.set(`${c.source}\u0000${c.destination}`, { ports: c.ports.map((p) => ({ protocol: p.protocol, port: p.port, endPort: p.endPort })), all: c.allConnections });
      for (const [ext, other, side] of [[c.source, c.destination, 'src'], [c.destination, c.source, 'dst']] as const) {
        const m = /^([\d.]+)-([\d.]+)\[External\]$/.exec(ext);
        if (!m) continue;
        const key = `${other}\u0000${side}`;
        const list = this.ranges.get(key) ?? [];
        list.push([ipv4(m[1]) ?? -1n, ipv4(m[2]) ?? -1n, ext]);
        this.ranges.set(key, list);
      }
    }
  }

  private peerId(probePeer: string, other: string, side: 'src' | 'dst'): string | undefined {
    const m = /^([\d.]+)\[External\]$/.exec(probePeer);
    if (!m) return probePeer;
    const a = ipv4(m[1])!;
    return this.ranges.get(`${other}\u0000${side}`)?.find(([s, e]) => s <= a && a <= e)?.[2];
  }

  allowed(p: Probe): boolean {
    const src = this.peerId(p.src, p.dst, 'src');
    const dst = this.peerId(p.dst, p.src, 'dst');
    if (!src || !dst) return false;
    const a = this.byPair.get(`${src}\u0000${dst}`);
    if (!a) return false;
    return a.all || a.ports.some((r) => r.protocol === p.protocol && r.port <= p.port && p.port <= r.endPort);
  }
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly probes: number;
  readonly mismatches: Probe[];
}

type Analyse = (dir: string) => ConnectivityAnalysis;

export function checkScenario(scenario: string, analyse: Analyse = (d) => ConnectivityAnalysis.fromFiles([d])): ScenarioResult {
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

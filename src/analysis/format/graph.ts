import { ConnectionResult } from '../engine';
import { QueryError } from '../explain';
import { formatExposureDot } from './exposure';
import { Peer } from '../model';

/**
 * Graphviz: netpol-analyzer's connection graph (pkg/netpol/connlist conns_formatter_dot.go), the
 * exposure graph without its exposure: workloads in one cluster per namespace, peers outside the
 * cluster (address ranges, entities, FQDNs) red, connections gold, in its order and quoting, so that
 * a graph of ours and one of netpol-analyzer's for the same manifests are the same text.
 */
export function formatDot(conns: ConnectionResult[], universe: string[], workloads: Peer[]): string {
  return formatExposureDot(conns, [], universe, workloads) + '\n';
}

function mq(s: string): string {
  return `"${s.replace(/"/g, '#quot;')}"`;
}

/**
 * Limits of the drawn graphs. Mermaid refuses diagrams over its defaults `maxEdges` (500) and
 * `maxTextSize` (50,000 characters; mermaid-js config.schema.yaml); Graphviz in WebAssembly takes
 * about 1 s for 1,000 edges and 8 s for 2,000 (measured on 200 workloads, README "Output formats"),
 * and neither drawing can be read at that size.
 */
export const GRAPH_LIMITS = { mermaidEdges: 500, mermaidText: 50000, svgEdges: 1000 };

function tooLarge(what: string, count: string): QueryError {
  return new QueryError(`${what}: ${count}, too many to draw readably; narrow the report with --focusworkload (focusWorkloads), `
    + '--focusworkload-peer, --focus-direction or --focus-conn, or use --format txt, csv or dot');
}

/** Throws when the graph is too large to draw readably (GRAPH_LIMITS). */
export function checkGraphSize(connections: number, format: 'svg' | 'mermaid', text?: string): void {
  if (format === 'svg' && connections > GRAPH_LIMITS.svgEdges) throw tooLarge('svg', `${connections} connections (at most ${GRAPH_LIMITS.svgEdges} are drawn)`);
  if (format === 'mermaid' && connections > GRAPH_LIMITS.mermaidEdges) throw tooLarge('mermaid', `${connections} connections (mermaid draws at most ${GRAPH_LIMITS.mermaidEdges} edges)`);
  if (format === 'mermaid' && text !== undefined && text.length > GRAPH_LIMITS.mermaidText) {
    throw tooLarge('mermaid', `${text.length} characters (mermaid draws at most ${GRAPH_LIMITS.mermaidText})`);
  }
}

function mermaidShape(n: Peer): [string, string] {
  if (n.type === 'external' || n.type === 'fqdn' || n.type === 'group') return ['([', '])'];
  if (n.type === 'entity' || n.type === 'ingress-controller') return ['{{', '}}'];
  return ['[', ']'];
}

/**
 * Mermaid flowchart drawn as a forest: one box per peer that sends, each with arrows to boxes of its
 * own for the peers it reaches (a destination appears once per source). Mermaid lays flowcharts out
 * with dagre, whose layered layout routes an arrow between two boxes of a general graph past, and
 * behind, unrelated boxes and namespace frames, where it reads as a connection to them; in a forest
 * each source sits by the block of its own destinations, so no arrow has a box in its way
 * (`test/analysis/mermaid-layout.test.ts` lays the output out with dagre and checks every arrow).
 * Workloads without any connection are listed too, marked as such.
 */
export function formatMermaid(conns: ConnectionResult[], universe: string[], workloads: Peer[]): string {
  const bySource = new Map<string, { peer: Peer; conns: ConnectionResult[] }>();
  const seen = new Set<string>();
  for (const c of conns) {
    const g = bySource.get(c.src.id) ?? { peer: c.src, conns: [] };
    g.conns.push(c);
    bySource.set(c.src.id, g);
    seen.add(c.src.id);
    seen.add(c.dst.id);
  }
  const byId = (a: Peer, b: Peer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const lines = ['flowchart LR'];
  [...bySource.values()].sort((a, b) => byId(a.peer, b.peer)).forEach((g, i) => {
    const [a, b] = mermaidShape(g.peer);
    lines.push(`  s${i}${a}${mq(g.peer.id)}${b}`);
    g.conns.forEach((c, j) => {
      const [x, y] = mermaidShape(c.dst);
      lines.push(`  s${i} -->|${mq(c.conn.toString(universe))}| s${i}_${j}${x}${mq(c.dst.id)}${y}`);
    });
  });
  workloads.filter((w) => !seen.has(w.id)).sort(byId).forEach((p, i) => lines.push(`  i${i}[${mq(`${p.id} (no allowed connections)`)}]`));
  const text = lines.join('\n') + '\n';
  checkGraphSize(conns.length, 'mermaid', text);
  return text;
}

/** The part of @viz-js/viz used here (its types are an ES module, which this CommonJS build cannot import). */
interface VizModule {
  instance(): Promise<{ render(dot: string, options: { format: string }): { status: string; output?: string; errors: { message: string }[] } }>;
}

/** Graphviz (compiled to WebAssembly by @viz-js/viz, required on first use only) draws a dot graph as SVG. */
export async function renderSvg(dot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = await (require('@viz-js/viz') as VizModule).instance();
  const r = viz.render(dot, { format: 'svg' });
  if (r.status !== 'success') throw new Error(`svg: Graphviz could not draw the graph: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.output!;
}

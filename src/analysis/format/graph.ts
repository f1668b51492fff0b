import { ConnectionResult } from '../engine';
import { QueryError } from '../explain';
import { Peer } from '../model';

function nodesOf(conns: ConnectionResult[], extra: Peer[]): Peer[] {
  const m = new Map<string, Peer>();
  for (const p of extra) m.set(p.id, p);
  for (const c of conns) {
    m.set(c.src.id, c.src);
    m.set(c.dst.id, c.dst);
  }
  return [...m.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Graphviz: workloads grouped in one cluster per namespace, external peers outside. */
export function formatDot(conns: ConnectionResult[], universe: string[], workloads: Peer[]): string {
  const nodes = nodesOf(conns, workloads);
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['digraph {', '\tcompound=true', '\tnode [shape=box, fontsize=10]'];
  const byNs = new Map<string, Peer[]>();
  const loose: Peer[] = [];
  for (const n of nodes) {
    if (n.type === 'workload' && n.namespace) {
      if (!byNs.has(n.namespace)) byNs.set(n.namespace, []);
      byNs.get(n.namespace)!.push(n);
    } else {
      loose.push(n);
    }
  }
  let i = 0;
  for (const [ns, list] of [...byNs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lines.push(`\tsubgraph cluster_${i++} {`, `\t\tlabel=${q(ns)}`);
    for (const n of list) lines.push(`\t\t${ids.get(n.id)} [label=${q(n.id.slice(ns.length + 1))}]`);
    lines.push('\t}');
  }
  for (const n of loose) {
    const shape = n.type === 'external' || n.type === 'fqdn' || n.type === 'group' ? 'ellipse' : n.type === 'ingress-controller' || n.type === 'entity' ? 'diamond' : 'box';
    lines.push(`\t${ids.get(n.id)} [label=${q(n.id)}, shape=${shape}]`);
  }
  for (const c of conns) lines.push(`\t${ids.get(c.src.id)} -> ${ids.get(c.dst.id)} [label=${q(c.conn.toString(universe))}]`);
  lines.push('}');
  return lines.join('\n') + '\n';
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
export function checkGraphSize(conns: ConnectionResult[], _workloads: Peer[], format: 'svg' | 'mermaid', text?: string): void {
  if (format === 'svg' && conns.length > GRAPH_LIMITS.svgEdges) throw tooLarge('svg', `${conns.length} connections (at most ${GRAPH_LIMITS.svgEdges} are drawn)`);
  if (format === 'mermaid' && conns.length > GRAPH_LIMITS.mermaidEdges) throw tooLarge('mermaid', `${conns.length} connections (mermaid draws at most ${GRAPH_LIMITS.mermaidEdges} edges)`);
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
 * Mermaid flowchart drawn as two columns: every peer that sends is a box on the left, every peer
 * that receives a box on the right, and each connection an arrow from left to right. Mermaid's
 * layered layout (dagre) puts nodes without incoming edges in the first rank and their targets in
 * the next, so every arrow joins two adjacent columns with nothing between them: no arrow can pass
 * behind a box and be read as a connection it is not (a graph with one box per peer routes arrows
 * past, and behind, unrelated boxes and namespace frames). Workloads without any connection are
 * listed on the left, marked as such.
 */
export function formatMermaid(conns: ConnectionResult[], universe: string[], workloads: Peer[]): string {
  const srcs = new Map<string, Peer>();
  const dsts = new Map<string, Peer>();
  for (const c of conns) {
    srcs.set(c.src.id, c.src);
    dsts.set(c.dst.id, c.dst);
  }
  const byId = (a: Peer, b: Peer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const srcList = [...srcs.values()].sort(byId);
  const dstList = [...dsts.values()].sort(byId);
  const isolated = workloads.filter((w) => !srcs.has(w.id) && !dsts.has(w.id)).sort(byId);
  const sid = new Map(srcList.map((p, i) => [p.id, `s${i}`]));
  const did = new Map(dstList.map((p, i) => [p.id, `d${i}`]));
  const lines = ['flowchart LR'];
  for (const p of srcList) {
    const [a, b] = mermaidShape(p);
    lines.push(`  ${sid.get(p.id)}${a}${mq(p.id)}${b}`);
  }
  isolated.forEach((p, i) => lines.push(`  i${i}[${mq(`${p.id} (no allowed connections)`)}]`));
  for (const p of dstList) {
    const [a, b] = mermaidShape(p);
    lines.push(`  ${did.get(p.id)}${a}${mq(p.id)}${b}`);
  }
  for (const c of conns) lines.push(`  ${sid.get(c.src.id)} -->|${mq(c.conn.toString(universe))}| ${did.get(c.dst.id)}`);
  const text = lines.join('\n') + '\n';
  checkGraphSize(conns, workloads, 'mermaid', text);
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

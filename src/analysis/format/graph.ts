import { ConnectionResult } from '../engine';
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

/** Mermaid flowchart, one subgraph per namespace. */
export function formatMermaid(conns: ConnectionResult[], universe: string[], workloads: Peer[]): string {
  const nodes = nodesOf(conns, workloads);
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  const byNs = new Map<string, Peer[]>();
  for (const n of nodes) {
    if (n.type === 'workload' && n.namespace) {
      if (!byNs.has(n.namespace)) byNs.set(n.namespace, []);
      byNs.get(n.namespace)!.push(n);
    } else {
      const shape = n.type === 'external' || n.type === 'fqdn' || n.type === 'group' ? ['([', '])'] : n.type === 'entity' || n.type === 'ingress-controller' ? ['{{', '}}'] : ['[', ']'];
      lines.push(`  ${ids.get(n.id)}${shape[0]}${mq(n.id)}${shape[1]}`);
    }
  }
  let i = 0;
  for (const [ns, list] of [...byNs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lines.push(`  subgraph ns${i++}[${mq(ns)}]`);
    for (const n of list) lines.push(`    ${ids.get(n.id)}[${mq(n.id.slice(ns.length + 1))}]`);
    lines.push('  end');
  }
  for (const c of conns) lines.push(`  ${ids.get(c.src.id)} -->|${mq(c.conn.toString(universe))}| ${ids.get(c.dst.id)}`);
  return lines.join('\n') + '\n';
}

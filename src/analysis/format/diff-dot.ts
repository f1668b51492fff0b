/**
 * The connectivity diff as a Graphviz graph, as netpol-analyzer draws it
 * (np-guard/netpol-analyzer pkg/netpol/diff/diff_formatter_dot.go, internal/formatting): peers
 * coloured new (green), lost (red) or persistent (blue), grouped in one cluster per namespace;
 * edges coloured added, removed, changed (labelled `new (ref1: old)`) or unchanged; a legend.
 */
/** The fields of a diff line the graph uses (ConnectionDiff of ../diff, which imports this module). */
interface DiffLine {
  readonly diffType: string;
  readonly source: string;
  readonly destination: string;
  readonly ref1: string;
  readonly ref2: string;
  readonly sourceNewOrRemoved: boolean;
  readonly destinationNewOrRemoved: boolean;
}

/** Go's %q for the ASCII ids and texts of the report. */
function q(s: string): string {
  return JSON.stringify(s);
}

const PEER_COLOR = { new: '#008000', lost: 'red', persistent: 'blue' };
const EDGE_COLOR: Record<string, string> = { unchanged: 'grey', changed: 'magenta', removed: 'red2', added: '#008000' };

const LEGEND = [
  '\tnodesep=0.5',
  '\tsubgraph cluster_legend {',
  '\t\tlabel="Legend"',
  '\t\tfontsize = 10',
  '\t\tmargin=0',
  ...'abcdefgh'.split('').map((n) => `\t\t${n} [style=invis height=0 width=0]`),
  '\t\t{rank=source a b c d}',
  '\t\t{rank=same e f g h}',
  ...[['a', 'b', 'added connection', '#008000'], ['c', 'd', 'removed connection', 'red2'], ['e', 'f', 'changed connection', 'magenta'], ['g', 'h', 'unchanged connection', 'grey']]
    .map(([s, d, label, color]) => `\t\t${s} -> ${d} [label=${q(label)}, color=${q(color)} fontcolor=${q(color)} fontsize = 10 arrowsize=0.2]`),
  ...[['np', 'new peer', '#008000'], ['lp', 'lost peer', 'red'], ['pp', 'persistent peer', 'blue']]
    .map(([n, label, color]) => `\t\t${n} [label=${q(label)} color=${q(color)} fontcolor=${q(color)} fontsize = 10]`),
  '\t\t{rank=sink np lp pp}',
  '\t\tnp->lp [style=invis]',
  '\t\tlp->pp [style=invis]',
  '\t}',
];

/** `ns/name[Kind]` as its namespace and `name[Kind]`; undefined for peers outside namespaces. */
function clusterPeer(id: string): { namespace: string; label: string } | undefined {
  if (id.startsWith('{') || id.endsWith('[External]')) return undefined;
  const slash = id.indexOf('/');
  if (slash < 0) return undefined;
  return { namespace: id.slice(0, slash), label: id.slice(slash + 1) };
}

/** The dot graph of the differences and the unchanged connections (`unchanged` have diffType "unchanged"). */
export function formatDiffDot(diffs: DiffLine[], unchanged: DiffLine[], ref1Name: string): string {
  const visited = new Set<string>();
  const byNs = new Map<string, string[]>();
  const external: string[] = [];
  const edges: string[] = [];
  const ingressEdges: string[] = [];
  const categories = ['unchanged', 'changed', 'added', 'removed'];
  const all = [...unchanged, ...diffs];
  for (const t of categories) {
    for (const d of all.filter((x) => x.diffType === t)) {
      for (const [peer, isNew] of [[d.source, d.sourceNewOrRemoved], [d.destination, d.destinationNewOrRemoved]] as [string, boolean][]) {
        if (visited.has(peer)) continue;
        visited.add(peer);
        const color = !isNew ? PEER_COLOR.persistent : t === 'added' ? PEER_COLOR.new : t === 'removed' ? PEER_COLOR.lost : PEER_COLOR.persistent;
        const c = clusterPeer(peer);
        const line = `\t${q(peer)} [label=${q(c ? c.label : peer)} color=${q(color)} fontcolor=${q(color)}]`;
        if (!c) {
          external.push(line);
        } else {
          const key = `${c.namespace}[namespace]`;
          byNs.set(key, [...(byNs.get(key) ?? []), `\t${line}`]);
        }
      }
      const label = t === 'changed' ? `${d.ref2} (${ref1Name}: ${d.ref1})` : t === 'added' ? d.ref2 : d.ref1;
      // netpol-analyzer GetEdgeLine: weight 0.5 when the source sorts before the destination
      const edge = `\t${q(d.source)} -> ${q(d.destination)} [label=${q(label)} color=${q(EDGE_COLOR[t])} fontcolor=${q(EDGE_COLOR[t])} weight=${d.source <= d.destination ? '0.5' : '1'}]`;
      (d.source === '{ingress-controller}' ? ingressEdges : edges).push(edge);
    }
  }
  const sort = (l: string[]) => l.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = ['digraph {'];
  for (const ns of sort([...byNs.keys()])) {
    lines.push(`\tsubgraph "cluster_${ns.replace(/-/g, '_')}" {`, '\t\tcolor="black"', '\t\tfontcolor="black"', ...sort(byNs.get(ns)!), `\t\tlabel=${q(ns)}`, '\t}');
  }
  lines.push(...sort(external), ...sort(edges), ...sort(ingressEdges), ...LEGEND, '}');
  return lines.join('\n');
}

// The mermaid output laid out as mermaid lays out flowcharts (dagre: rankdir LR, nodeSpacing and
// rankSpacing 50, labelled edges; mermaid-js flowchart defaults), with boxes sized from their text:
// no arrow may run through a box other than its two ends, where it would read as a connection to
// that box. The old drawing (one box per peer) fails this check on the same inputs.
import * as path from 'path';
import { deploy, netpol, ns } from './helpers';
import { ConnectivityAnalysis } from '../../src/analysis';

// dagre 3 ships ESM types ("type": "module"), and a CommonJS file may not import them; its `require`
// entry is CommonJS, so it is required, typed by the ESM declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dagre: typeof import('@dagrejs/dagre', { with: { 'resolution-mode': 'import' } }) = require('@dagrejs/dagre');

interface Box { x: number; y: number; width: number; height: number }

/** Arrows (by their index in the text) whose route passes through a box other than their ends. */
function arrowsThroughBoxes(mermaid: string): number {
  const g = new dagre.graphlib.Graph({ multigraph: true, compound: true });
  g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: 50, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const node = (id: string, label: string) => g.setNode(id, { width: label.length * 7 + 30, height: 40 });
  let edges = 0;
  const frames: string[] = [];
  for (const line of mermaid.split('\n')) {
    const frame = /^\s*subgraph (\w+)/.exec(line);
    if (frame) {
      g.setNode(frame[1], {});
      frames.push(frame[1]);
      continue;
    }
    if (/^\s*end$/.test(line)) {
      frames.pop();
      continue;
    }
    const edge = /^\s*(\w+) -->\|"([^"]*)"\| (\w+)(?:[[({]+"([^"]*)")?/.exec(line);
    if (edge) {
      if (edge[4] !== undefined) node(edge[3], edge[4]);
      g.setEdge(edge[1], edge[3], { label: edge[2], width: edge[2].length * 7, height: 18, labelpos: 'c' }, `e${edges++}`);
      continue;
    }
    const box = /^\s*(\w+)[[({]+"([^"]*)"/.exec(line);
    if (box) {
      node(box[1], box[2]);
      if (frames.length) g.setParent(box[1], frames[frames.length - 1]);
    }
  }
  dagre.layout(g);
  const inside = (x: number, y: number, b: Box) =>
    x > b.x - b.width / 2 + 1 && x < b.x + b.width / 2 - 1 && y > b.y - b.height / 2 + 1 && y < b.y + b.height / 2 - 1;
  let bad = 0;
  for (const e of g.edges()) {
    const pts: { x: number; y: number }[] = g.edge(e).points;
    const others = g.nodes().filter((n: string) => n !== e.v && n !== e.w && !g.children(n)?.length).map((n: string) => g.node(n) as Box);
    const crosses = pts.some((p, i) => i > 0 && others.some((b: Box) => {
      for (let t = 0; t <= 1; t += 0.02) if (inside(pts[i - 1].x + (p.x - pts[i - 1].x) * t, pts[i - 1].y + (p.y - pts[i - 1].y) * t, b)) return true;
      return false;
    }));
    if (crosses) bad++;
  }
  return bad;
}

/** The same connections drawn as this tool drew them before: one box per peer, workloads framed by namespace. */
function onePerPeer(a: ConnectivityAnalysis): string {
  const peers = [...new Set(a.connections().flatMap((c) => [c.source, c.destination]))].sort();
  const id = (p: string) => `n${peers.indexOf(p)}`;
  const lines = ['flowchart LR'];
  const byNs = new Map<string, string[]>();
  for (const p of peers) {
    const m = /^([^/[{]+)\/[^[]+\[(?!External)/.exec(p);
    if (m) byNs.set(m[1], [...(byNs.get(m[1]) ?? []), p]);
    else lines.push(`  ${id(p)}(["${p}"])`);
  }
  [...byNs.entries()].forEach(([n, list], i) => lines.push(`  subgraph ns${i}["${n}"]`, ...list.map((p) => `    ${id(p)}["${p}"]`), '  end'));
  for (const c of a.connections()) lines.push(`  ${id(c.source)} -->|"${c.description}"| ${id(c.destination)}`);
  return lines.join('\n') + '\n';
}

// 21 workloads in 4 namespaces, each admitting a varying set of the others on varying ports
const dense = [
  ...['a', 'b', 'c', 'd'].map((n) => ns(n)),
  ...Array.from({ length: 21 }, (_x, i) => deploy('abcd'[i % 4], `w${i}`, { app: `w${i}` }, [{ containerPort: 80 }])),
  ...Array.from({ length: 21 }, (_x, i) => netpol('abcd'[i % 4], `w${i}`, {
    podSelector: { matchLabels: { app: `w${i}` } },
    ingress: [{
      from: Array.from({ length: 21 }, (_y, j) => j).filter((j) => j !== i && (i * 7 + j * 3) % 4 !== 0)
        .map((j) => ({ namespaceSelector: {}, podSelector: { matchLabels: { app: `w${j}` } } })),
      ports: i % 3 ? [{ port: 80 }] : undefined,
    }],
  })),
];

const review = ConnectivityAnalysis.fromFiles([path.join(__dirname, '..', 'cli', 'fixtures', 'review', 'head')]);
const many = ConnectivityAnalysis.fromManifests(dense, { focusWorkloads: ['w0', 'w1', 'w2', 'w3', 'w4', 'w5'] });

test.each([['the review fixture (head)', review], ['21 workloads in 4 namespaces', many]])('%s: no arrow of the mermaid drawing runs through another box', (_name, a) => {
  expect(a.connections().length).toBeGreaterThan(10);
  expect(arrowsThroughBoxes(a.toMermaid())).toBe(0);
});

test('the check can fail: the old drawing of the same connections has arrows through other boxes', () => {
  expect(arrowsThroughBoxes(onePerPeer(many))).toBeGreaterThan(0);
});

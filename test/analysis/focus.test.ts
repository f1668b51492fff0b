// Focus options as netpol-analyzer's `list` has them (--focusworkload list, --focusworkload-peer,
// --focus-direction, --focus-conn): np-guard/netpol-analyzer connlist.go includePairOfWorkloads.
import { deploy, netpol, ns } from './helpers';
import { ConnectivityAnalysis, OutputFormat } from '../../src/analysis';

// shop: web -> api -> db (TCP 5432), ops/monitor -> every pod on TCP 9100; db and api isolated for ingress
const manifests = [
  ns('shop'), ns('ops'),
  deploy('shop', 'web', { app: 'web' }, [{ containerPort: 8080 }]),
  deploy('shop', 'api', { app: 'api' }, [{ containerPort: 9090 }]),
  deploy('shop', 'db', { app: 'db' }, [{ containerPort: 5432 }]),
  deploy('ops', 'monitor', { app: 'monitor' }),
  netpol('shop', 'api', {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 9090 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], ports: [{ port: 9100 }] },
    ],
  }),
  netpol('shop', 'db', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], ports: [{ port: 9100 }] },
    ],
  }),
];

function pairs(a: ConnectivityAnalysis): string[] {
  return a.connections().map((c) => `${c.source} => ${c.destination} : ${c.description}`);
}

describe('focus options', () => {
  const all = ConnectivityAnalysis.fromManifests(manifests);

  test('several focus workloads: every pair with one of them at either end, nothing else', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests, { focusWorkloads: ['db', 'ops/monitor'] });
    const expected = pairs(all).filter((l) => /shop\/db\[|ops\/monitor\[/.test(l));
    expect(pairs(a)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(3);
  });

  test('focusWorkload and focusWorkloads add up', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests, { focusWorkload: 'db', focusWorkloads: ['monitor'] });
    expect(pairs(a)).toEqual(pairs(ConnectivityAnalysis.fromManifests(manifests, { focusWorkloads: ['db', 'monitor'] })));
  });

  test('focus peers: only the pairs whose other end is a focus peer', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests, { focusWorkloads: ['shop/db'], focusWorkloadPeers: ['api', 'monitor'] });
    expect(pairs(a)).toEqual([
      'ops/monitor[Deployment] => shop/db[Deployment] : TCP 9100',
      'shop/api[Deployment] => shop/db[Deployment] : TCP 5432',
      'shop/db[Deployment] => ops/monitor[Deployment] : All Connections',
    ]); // not db => api: api admits web and ops only
  });

  test('focus direction: ingress keeps the connections to the focus workloads, egress those from them', () => {
    const ingress = ConnectivityAnalysis.fromManifests(manifests, { focusWorkloads: ['db'], focusDirection: 'ingress' });
    expect(pairs(ingress)).toEqual(['ops/monitor[Deployment] => shop/db[Deployment] : TCP 9100', 'shop/api[Deployment] => shop/db[Deployment] : TCP 5432']);
    const egress = ConnectivityAnalysis.fromManifests(manifests, { focusWorkloads: ['db'], focusDirection: 'egress' });
    expect(pairs(egress).length).toBeGreaterThan(0);
    for (const l of pairs(egress)) expect(l.startsWith('shop/db[Deployment] => ')).toBe(true);
  });

  test('focus connection: the pairs that allow it, shown without connections', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests, { focusConnection: 'TCP-9100' });
    const expected = all.connections().filter((c) => c.allConnections || c.ports.some((p) => p.protocol === 'TCP' && p.port <= 9100 && 9100 <= p.endPort));
    expect(a.connections().map((c) => `${c.source} => ${c.destination}`)).toEqual(expected.map((c) => `${c.source} => ${c.destination}`));
    expect(a.connections().every((c) => c.description === 'TCP 9100')).toBe(true);
    expect(a.toText().split('\n')[0]).toBe('Permitted connections on TCP 9100:');
    expect(a.toText()).toContain('\nops/monitor[Deployment] => shop/api[Deployment]\n');
    expect(a.toText()).not.toContain('shop/web[Deployment] => shop/api[Deployment]'); // TCP 9090 only
    expect(a.format(OutputFormat.CSV).split('\n')[0]).toBe('src,dst');
    expect(a.format(OutputFormat.MD).split('\n').slice(0, 2)).toEqual(['| src | dst |', '|-----|-----|']);
    expect(a.toJson()[0]).toEqual({ src: expect.any(String), dst: expect.any(String) });
  });

  test.each([
    [{ focusWorkloads: ['dbb'] }, /focusWorkloads: workload "dbb" not found; close names: shop\/db\[Deployment\]/],
    [{ focusWorkloads: ['db'], focusWorkloadPeers: ['nope'] }, /focusWorkloadPeers: workload "nope" not found/],
    [{ focusWorkloadPeers: ['db'] }, /focusWorkloadPeers: applies only with focusWorkloads/],
    [{ focusDirection: 'ingress' }, /focusDirection: applies only with focusWorkloads/],
    [{ focusWorkloads: ['db'], focusDirection: 'in' }, /focusDirection: "in" is not a direction; use ingress or egress/],
    [{ focusConnection: 'udp90' }, /focusConnection: "udp90" is not <protocol>-<port>; write e.g. tcp-8080/],
    [{ focusConnection: 'ucp-90' }, /focusConnection: "ucp-90": protocol "ucp" is not one of TCP, UDP, SCTP/],
    [{ focusConnection: 'tcp-0' }, /focusConnection: "tcp-0": port "0" is not a number 1-65535/],
    [{ focusConnection: 'tcp-65536' }, /port "65536" is not a number 1-65535/],
  ])('%j is refused with a clear message', (options, message) => {
    expect(() => ConnectivityAnalysis.fromManifests(manifests, options)).toThrow(message);
  });

  test('csv quotes the fields Go quotes (a comma in the connections)', () => {
    const a = ConnectivityAnalysis.fromManifests([
      ns('x'), deploy('x', 'a', { app: 'a' }), deploy('x', 'b', { app: 'b' }),
      netpol('x', 'b', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] }] }),
    ], { focusWorkloads: ['a'], focusDirection: 'egress' });
    expect(a.format(OutputFormat.CSV)).toBe('src,dst,conn\nx/a[Deployment],0.0.0.0-255.255.255.255[External],All Connections\nx/a[Deployment],x/b[Deployment],"TCP 80,UDP 53"\n');
  });
});

describe('graphs', () => {
  test('mermaid: a box per source, with an arrow to a box of its own per destination', () => {
    const a = ConnectivityAnalysis.fromManifests(manifests);
    const text = a.toMermaid();
    const arrows = text.split('\n').filter((l) => l.includes('-->'));
    expect(arrows.length).toBe(a.connections().length);
    for (const e of arrows) expect(e).toMatch(/^ {2}s(\d+) -->\|"[^"]+"\| s\1_\d+[[(]+"[^"]+"[\])]+$/);
    expect(text).toContain('  s0(["0.0.0.0-255.255.255.255[External]"])\n  s0 -->|"All Connections"| s0_0["ops/monitor[Deployment]"]\n');
    // every box of a destination is its own: no id is the target of two arrows
    const targets = arrows.map((e) => / (s\d+_\d+)/.exec(e)![1]);
    expect(new Set(targets).size).toBe(targets.length);
  });

  test('mermaid lists workloads without connections on the left', () => {
    const a = ConnectivityAnalysis.fromManifests([ns('x'), deploy('x', 'lonely', { app: 'l' }), netpol('x', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    expect(a.toMermaid()).toBe('flowchart LR\n  i0["x/lonely[Deployment] (no allowed connections)"]\n');
  });

  test('mermaid and svg refuse graphs too large to read, saying how to narrow them', async () => {
    const many = [ns('big'), ...Array.from({ length: 40 }, (_, i) => deploy('big', `w${i}`, { app: `w${i}` }))];
    const a = ConnectivityAnalysis.fromManifests(many); // 40 x 39 + 80 external pairs
    expect(() => a.toMermaid()).toThrow(/mermaid: 1640 connections \(mermaid draws at most 500 edges\), too many to draw readably; narrow the report with --focusworkload/);
    await expect(a.toSvg()).rejects.toThrow(/svg: 1640 connections \(at most 1000 are drawn\)/);
    const focused = ConnectivityAnalysis.fromManifests(many, { focusWorkloads: ['w1'] });
    expect(focused.toMermaid()).toContain('flowchart LR');
  });

  test('svg: Graphviz draws the dot graph (namespace frames, every peer and connection labelled)', async () => {
    const svg = await ConnectivityAnalysis.fromManifests(manifests, { focusWorkloads: ['db'] }).toSvg();
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg');
    expect(svg).toContain('<title>cluster_shop[namespace]</title>');
    expect(svg).toContain('>shop[namespace]</text>');
    expect(svg).toContain('>db[Deployment]</text>');
    expect(svg).toContain('>TCP 5432</text>');
    expect(() => ConnectivityAnalysis.fromManifests(manifests).format(OutputFormat.SVG)).toThrow(/svg is drawn asynchronously; call toSvg\(\)/);
  });
});

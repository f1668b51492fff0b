import * as path from 'path';
import { generateCluster } from '../../bench/analysis';
import { ConnectivityAnalysis, OutputFormat } from '../../src/analysis';
import { buildReport, REPORT_LIMITS, ReportTooLargeError } from '../../src/analysis/format/size';

const app = path.join(__dirname, 'fixtures', 'app');

describe('output formats', () => {
  const a = ConnectivityAnalysis.fromFiles([app]);
  test.each([OutputFormat.TXT, OutputFormat.JSON, OutputFormat.MD, OutputFormat.DOT, OutputFormat.MERMAID])('%s', (f) => {
    expect(a.format(f)).toMatchSnapshot();
  });

  test('the text report comes in chunks of lines (the CLI streams them) that join to the whole report', () => {
    const big = ConnectivityAnalysis.fromManifests(generateCluster(1000, 3));
    const chunks = [...big._formatChunks(OutputFormat.TXT)];
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(c.endsWith('\n')).toBe(true);
    expect(chunks.join('')).toBe(big.toText());
  });

  describe('a report larger than one string may hold', () => {
    const limit = REPORT_LIMITS.maxLength;
    afterEach(() => {
      REPORT_LIMITS.maxLength = limit;
    });

    test.each([OutputFormat.TXT, OutputFormat.JSON, OutputFormat.CSV, OutputFormat.MD])('%s: an error that says to stream or focus, not a V8 abort', (f) => {
      const full = a.format(f);
      REPORT_LIMITS.maxLength = full.length - 1;
      expect(() => a.format(f)).toThrow(ReportTooLargeError);
      expect(() => a.format(f)).toThrow(`format ${f}: the report is over`);
      expect(() => a.format(f)).toThrow(`narrow it with focusWorkloads, focusWorkloadPeers, focusDirection or focusConnection, or write it with the CLI (\`cdk8s-netpol analyze --format ${f} --output FILE\`), which streams it`);
      // the chunks the CLI writes are not limited
      expect([...a._formatChunks(f)].join('')).toBe(full);
      REPORT_LIMITS.maxLength = full.length;
      expect(a.format(f)).toBe(full);
    });

    test('dot: the error names the formats the CLI streams', () => {
      REPORT_LIMITS.maxLength = a.format(OutputFormat.DOT).length - 1;
      expect(() => a.format(OutputFormat.DOT)).toThrow(/^format dot: the report is \d+ characters, more than one string can hold .*or use --format txt, csv, md or json, which the CLI streams/);
    });

    test("V8's `Invalid string length` becomes the same error; other errors pass through", () => {
      expect(() => buildReport('dot', () => { throw new RangeError('Invalid string length'); })).toThrow(/^format dot: the report is too large, more than one string can hold/);
      expect(() => buildReport('dot', () => { throw new RangeError('Maximum call stack size exceeded'); })).toThrow('Maximum call stack size exceeded');
    });
  });

  test('txt is sorted and follows the connlist grammar', () => {
    const l = a.toText().trimEnd().split('\n');
    expect(l).toEqual([...l].sort());
    for (const x of l) expect(x).toMatch(/^\S+ => \S+ : (All Connections|[A-Z]+ [\d,-]+(,[A-Z]+ [\d,-]+)*)$/);
  });

  // np-guard/netpol-analyzer pkg/netpol/connlist conns_formatter_dot.go: quoted peer ids, one
  // black cluster per namespace, workloads blue, outside peers red2, gold edges sorted by text.
  test('dot is netpol-analyzer\'s connection graph', () => {
    const dot = a.format(OutputFormat.DOT);
    const lines = dot.trimEnd().split('\n');
    expect(lines[0]).toBe('digraph {');
    expect(lines[lines.length - 1]).toBe('}');
    const edges = lines.filter((l) => l.includes(' -> '));
    expect(edges.length).toBe(a.connections().length);
    expect([...edges].sort()).toEqual(edges);
    for (const c of a.connections()) {
      expect(edges.some((e) => e.startsWith(`\t${JSON.stringify(c.source)} -> ${JSON.stringify(c.destination)} [label=${JSON.stringify(c.description)} color="gold2"`))).toBe(true);
    }
    const clusters = lines.filter((l) => l.startsWith('\tsubgraph '));
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) expect(c).toMatch(/^\tsubgraph "cluster_[a-z0-9_]+\[namespace\]" \{$/);
    expect(lines.filter((l) => !l.includes(' -> ') && l.includes('[External]" [label=')).every((l) => l.includes('color="red2"'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('\t\t"') && l.includes('[label=')).every((l) => l.includes('color="blue"'))).toBe(true);
  });

  test('json carries ports per protocol', () => {
    const j = a.toJson();
    expect(j.find((c: any) => c.src === 'shop/web[Deployment]' && c.dst === 'shop/api[Deployment]')).toEqual({
      src: 'shop/web[Deployment]',
      dst: 'shop/api[Deployment]',
      conn: 'TCP 9090',
      allConnections: false,
      ports: [{ protocol: 'TCP', ports: [{ port: 9090 }] }],
    });
  });

  test('focus workload keeps only its connections and unknown names are reported with close names', () => {
    const f = ConnectivityAnalysis.fromFiles([app], { focusWorkload: 'api' });
    for (const l of f.toText().trimEnd().split('\n')) expect(l).toContain('shop/api[Deployment]');
    expect(() => ConnectivityAnalysis.fromFiles([app], { focusWorkload: 'apu' })).toThrow(/workload "apu" not found; close names: shop\/api\[Deployment\]/);
    // a peer that exists but is not a workload or node is refused rather than giving an empty report
    expect(() => ConnectivityAnalysis.fromFiles([app], { focusWorkload: '8.8.8.8' })).toThrow(/focusWorkloads: workload "8.8.8.8" not found.*\(focus on a workload name or namespace\/name, a node name or ingress-controller\)/);
  });

  test('explain text', () => {
    expect(a.explain({ from: 'shop/web', to: 'shop/api', port: 9090 }).text).toMatchSnapshot();
    expect(a.explain({ from: 'shop/api', to: 'shop/web', port: 9090 }).text).toMatchSnapshot();
  });
});

describe('streamed formats', () => {
  test.each(['json', 'csv', 'md', 'txt'])('%s: the chunks join to the whole report, and JSON is JSON.stringify(array, null, 2)', (f) => {
    const big = ConnectivityAnalysis.fromManifests(generateCluster(1000, 3));
    const chunks = [...big._formatChunks(f as OutputFormat)];
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(big.format(f as OutputFormat));
    if (f === 'json') expect(chunks.join('')).toBe(JSON.stringify(big.toJson(), null, 2) + '\n');
    const empty = ConnectivityAnalysis.fromManifests([]);
    expect([...empty._formatChunks(f as OutputFormat)].join('')).toBe(f === 'json' ? '[]\n' : empty.format(f as OutputFormat));
  });

  test('json: L7 rules and a focus connection keep JSON.stringify(array, null, 2)', () => {
    const manifests = generateCluster(1000, 3);
    const big = ConnectivityAnalysis.fromManifests(manifests);
    expect(big.toJson().some((c: any) => c.l7)).toBe(true);
    expect([...big._formatChunks(OutputFormat.JSON)].join('')).toBe(JSON.stringify(big.toJson(), null, 2) + '\n');
    const focused = ConnectivityAnalysis.fromManifests(manifests, { focusConnection: 'tcp-80' });
    const text = [...focused._formatChunks(OutputFormat.JSON)].join('');
    expect(JSON.parse(text).length).toBeGreaterThan(0);
    expect(text).toBe(JSON.stringify(focused.toJson(), null, 2) + '\n');
  });
});

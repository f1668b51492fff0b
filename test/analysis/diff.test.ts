// ConnectivityDiff: netpol-analyzer's diff semantics (np-guard/netpol-analyzer pkg/netpol/diff) on
// small inputs; ../shared/conformance/netpol-analyzer-diff is checked in conformance/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deploy, netpol, ns } from './helpers';
import { ConnectivityAnalysis, ConnectivityDiff, DiffFormat } from '../../src/analysis';

const base = [ns('shop'), deploy('shop', 'web', { app: 'web' }), deploy('shop', 'api', { app: 'api' }, [{ containerPort: 9090 }])];
const apiIngress = (ports: any[]) => netpol('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports }] });
const webEgress = (cidr: string) => netpol('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr } }] }] });

function diff(old: any[], next: any[]): ConnectivityDiff {
  return ConnectivityDiff.between(ConnectivityAnalysis.fromManifests(old), ConnectivityAnalysis.fromManifests(next));
}

describe('ConnectivityDiff', () => {
  test('a changed port is one changed line naming both sides', () => {
    const d = diff([...base, apiIngress([{ port: 9090 }])], [...base, apiIngress([{ port: 9090 }, { port: 53, protocol: 'UDP' }])]);
    expect(d.toText()).toBe('Connectivity diff:\ndiff-type: changed, source: shop/web[Deployment], destination: shop/api[Deployment], ref1: TCP 9090, ref2: TCP 9090,UDP 53\n');
    expect(d.diffs).toEqual([{
      diffType: 'changed',
      source: 'shop/web[Deployment]',
      destination: 'shop/api[Deployment]',
      ref1: 'TCP 9090',
      ref2: 'TCP 9090,UDP 53',
      sourceNewOrRemoved: false,
      destinationNewOrRemoved: false,
      workloadsDiffInfo: '',
    }]);
  });

  test('no difference: empty text, Markdown and CSV (netpol-analyzer prints nothing), [] in JSON', () => {
    const d = diff([...base, apiIngress([{ port: 9090 }])], [...base, apiIngress([{ port: 9090 }])]);
    expect(d.isEmpty).toBe(true);
    expect([d.toText(), d.toMarkdown(), d.toCsv(), d.format(DiffFormat.JSON)]).toEqual(['', '', '', '[]\n']);
  });

  test('a new workload: added lines with workloads-diff-info, "A and B" when both ends are new', () => {
    const next = [...base, deploy('shop', 'cache', { app: 'cache' }), deploy('shop', 'queue', { app: 'queue' })];
    const d = diff(base, next);
    const text = d.toText();
    expect(text).toContain('diff-type: added, source: shop/cache[Deployment], destination: shop/queue[Deployment], ref1: No Connections, ref2: All Connections, workloads-diff-info: workload shop/cache[Deployment] and shop/queue[Deployment] added\n');
    expect(text).toContain('diff-type: added, source: shop/web[Deployment], destination: shop/cache[Deployment], ref1: No Connections, ref2: All Connections, workloads-diff-info: workload shop/cache[Deployment] added\n');
    expect(d.diffs.every((x) => x.diffType === 'added')).toBe(true);
    // the reverse is a removal, named the same way
    expect(diff(next, base).toText()).toContain('diff-type: removed, source: shop/cache[Deployment], destination: shop/queue[Deployment], ref1: All Connections, ref2: No Connections, workloads-diff-info: workload shop/cache[Deployment] and shop/queue[Deployment] removed\n');
  });

  test('a connection closed between existing workloads is removed without workloads-diff-info', () => {
    const d = diff([...base, apiIngress([{ port: 9090 }])], [...base, netpol('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] })]);
    expect(d.toText()).toBe('Connectivity diff:\ndiff-type: removed, source: shop/web[Deployment], destination: shop/api[Deployment], ref1: TCP 9090, ref2: No Connections\n');
  });

  test('external ranges are split where either side changes and merged where both agree', () => {
    // old: web reaches 10.0.0.0/8; new: only 10.1.0.0/16 — the rest of 10/8 is removed, 10.1/16 unchanged
    const d = diff([...base, webEgress('10.0.0.0/8')], [...base, webEgress('10.1.0.0/16')]);
    expect(d.toText()).toBe([
      'Connectivity diff:',
      'diff-type: removed, source: shop/web[Deployment], destination: 10.0.0.0-10.0.255.255[External], ref1: All Connections, ref2: No Connections',
      'diff-type: removed, source: shop/web[Deployment], destination: 10.2.0.0-10.255.255.255[External], ref1: All Connections, ref2: No Connections',
      '',
    ].join('\n'));
  });

  test('IPv6 ranges are split and named the same way', () => {
    const egress = (cidrs: string[]) => netpol('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })) }] });
    const d = diff([...base, egress(['fd00::/8', '10.0.0.0/8'])], [...base, egress(['fd00::/16', '10.0.0.0/8'])]);
    expect(d.toText()).toBe('Connectivity diff:\ndiff-type: removed, source: shop/web[Deployment], destination: fd01::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External], ref1: All Connections, ref2: No Connections\n');
  });

  test('touching ranges with the same change merge into one line', () => {
    // old: 10.0.0.0/9 and 10.128.0.0/9 as two rules (one range on the old side); new: none
    const old = [...base, netpol('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/9' } }, { ipBlock: { cidr: '10.128.0.0/9' } }] }] })];
    const d = diff(old, [...base, webEgress('192.168.0.0/16')]);
    expect(d.diffs.map((x) => `${x.diffType} ${x.destination}`)).toEqual([
      'added 192.168.0.0-192.168.255.255[External]',
      'removed 10.0.0.0-10.255.255.255[External]',
    ]);
  });

  test('Markdown, CSV and JSON, with names for the two sides', () => {
    const d = diff([...base, apiIngress([{ port: 9090 }])], [...base, apiIngress([{ port: 9090 }, { port: 53, protocol: 'UDP' }])]);
    const names = { ref1Name: 'main', ref2Name: 'pr' };
    expect(d.toMarkdown(names)).toBe([
      '| diff-type | source | destination | main | pr | workloads-diff-info |',
      '|-----------|--------|-------------|------|------|---------------------|',
      '| changed | shop/web[Deployment] | shop/api[Deployment] | TCP 9090 | TCP 9090,UDP 53 |  |',
      '',
    ].join('\n'));
    expect(d.toCsv(names)).toBe('diff-type,source,destination,main,pr,workloads-diff-info\nchanged,shop/web[Deployment],shop/api[Deployment],TCP 9090,"TCP 9090,UDP 53",\n');
    expect(JSON.parse(d.format(DiffFormat.JSON))).toEqual(d.diffs);
    expect(d.toText(names)).toContain(', main: TCP 9090, pr: TCP 9090,UDP 53');
    expect(() => d.toText({ ref1Name: 'a|b' })).toThrow(/ref1Name: "a\|b" is not a usable side name/);
  });

  test('dot: peers coloured new, lost or persistent; edges added, removed, changed (with the old connections) or unchanged', () => {
    const old = [...base, apiIngress([{ port: 9090 }]), deploy('shop', 'gone', { app: 'gone' })];
    const next = [...base, apiIngress([{ port: 9090 }, { port: 53, protocol: 'UDP' }]), deploy('shop', 'cache', { app: 'cache' })];
    const dot = diff(old, next).format(DiffFormat.DOT, { ref1Name: 'main' });
    const lines = dot.split('\n');
    expect(lines.slice(0, 4)).toEqual(['digraph {', '\tsubgraph "cluster_shop[namespace]" {', '\t\tcolor="black"', '\t\tfontcolor="black"']);
    expect(lines).toContain('\t\t"shop/cache[Deployment]" [label="cache[Deployment]" color="#008000" fontcolor="#008000"]');
    expect(lines).toContain('\t\t"shop/gone[Deployment]" [label="gone[Deployment]" color="red" fontcolor="red"]');
    expect(lines).toContain('\t\t"shop/web[Deployment]" [label="web[Deployment]" color="blue" fontcolor="blue"]');
    expect(lines).toContain('\t"shop/web[Deployment]" -> "shop/api[Deployment]" [label="TCP 9090,UDP 53 (main: TCP 9090)" color="magenta" fontcolor="magenta" weight=1]');
    expect(lines).toContain('\t"shop/web[Deployment]" -> "shop/cache[Deployment]" [label="All Connections" color="#008000" fontcolor="#008000" weight=1]');
    expect(lines).toContain('\t"shop/web[Deployment]" -> "shop/gone[Deployment]" [label="All Connections" color="red2" fontcolor="red2" weight=1]');
    expect(lines).toContain('\t"shop/api[Deployment]" -> "shop/web[Deployment]" [label="All Connections" color="grey" fontcolor="grey" weight=0.5]');
    expect(lines).toContain('\tsubgraph cluster_legend {');
    expect(lines[lines.length - 2]).toBe('}');
  });

  test('svg: the dot graph drawn; nothing when nothing differs', async () => {
    const d = diff([...base, apiIngress([{ port: 9090 }])], [...base, apiIngress([{ port: 9091 }])]);
    const svg = await d.toSvg();
    expect(svg).toContain('<svg');
    expect(svg).toContain('>TCP 9091 (ref1: TCP 9090)</text>');
    expect(svg).toContain('>Legend</text>');
    expect(await diff(base, base).toSvg()).toBe('');
    expect(diff(base, base).format(DiffFormat.DOT)).toBe('');
    expect(() => d.format(DiffFormat.SVG)).toThrow(/svg is drawn asynchronously; call toSvg\(\)/);
  });

  test('lines from the ingress controller come after all other lines of every category', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
    const web = deploy('shop', 'web', { app: 'web' }, [{ containerPort: 8080 }]);
    const ing = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } };
    const old = [ns('shop'), web, deploy('shop', 'api', { app: 'api' })];
    const d = diff(old, [...old, svc, ing, deploy('shop', 'zz', { app: 'zz' })]);
    const types = d.diffs.map((x) => `${x.diffType} ${x.source}`);
    expect(types[types.length - 1]).toBe('added {ingress-controller}');
    expect(types.filter((t) => t.startsWith('added')).length).toBe(types.length);
  });

  test('fromFiles accepts a focus workload that exists on one side only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-'));
    const write = (name: string, docs: any[]) => {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'all.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
      return path.join(dir, name);
    };
    const a = write('a', base);
    const b = write('b', [...base, deploy('shop', 'cache', { app: 'cache' })]);
    const d = ConnectivityDiff.fromFiles([a], [b], { focusWorkloads: ['cache'] });
    expect(d.diffs.length).toBeGreaterThan(0);
    expect(d.diffs.every((x) => x.source === 'shop/cache[Deployment]' || x.destination === 'shop/cache[Deployment]')).toBe(true);
    expect(() => ConnectivityDiff.fromFiles([a], [b], { focusWorkloads: ['cahce'] })).toThrow(/focusWorkloads: workload "cahce" not found; close names: shop\/cache\[Deployment\]/);
  });
});

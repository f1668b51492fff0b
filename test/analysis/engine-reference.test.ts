/**
 * The engine's connections (profiles, per-profile result rows, memoised set operations) against a
 * naive reference that folds every selecting policy's rules for every pair.
 */
import * as path from 'path';
import { engineLines, engineOf, referenceLines } from './reference';
import { generateCluster, generatePolicyApi } from '../../bench/analysis';
import { fromObjects, loadFiles } from '../../src/analysis/load';
import { Peer, RuleModel } from '../../src/analysis/model';
import { semanticsFor } from '../../src/analysis/semantics';

const isCilium = (o: any) => String(o.apiVersion).startsWith('cilium.io/');

describe('engine vs naive reference', () => {
  test.each([
    [300, 1, Infinity],
    [600, 42, Infinity],
    [800, 7, 2],
  ])('generated cluster of %d pods (seed %d, at most %d cluster-wide policies)', (pods, seed, maxClusterwide) => {
    const e = engineOf(fromObjects(generateCluster(pods, seed, maxClusterwide)));
    const lines = engineLines(e);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines).toEqual(referenceLines(e));
  });

  test('fixture app (named ports)', () => {
    const e = engineOf(loadFiles([path.join(__dirname, 'fixtures', 'app')]));
    expect(engineLines(e)).toEqual(referenceLines(e));
  });

  test('generated cluster with Ingress targets (ingress controller)', () => {
    const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
    const extra = ['app0', 'app3', 'app6', 'app9', 'app12'].flatMap((app) => [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: 'ns0' }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 'http' }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: app, namespace: 'ns0' },
        spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend(app) }] } }] },
      },
      // lets the ingress controller in where the generated policies isolate the target
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `from-all-${app}`, namespace: 'ns0' }, spec: { podSelector: { matchLabels: { app } }, ingress: [{ from: [{ namespaceSelector: {} }] }] } },
    ]);
    const e = engineOf(fromObjects([...generateCluster(400, 3), ...extra]));
    const lines = engineLines(e);
    expect(lines.some((l) => l.startsWith('{ingress-controller} => '))).toBe(true);
    expect(lines).toEqual(referenceLines(e));
  });

  test.each([
    [300, 5],
    [600, 11],
  ])('generated cluster of %d pods with network-policy API tiers (seed %d): ANP, BANP, ClusterNetworkPolicy of both tiers', (pods, seed) => {
    const objects = [...generateCluster(pods, seed).filter((o) => !isCilium(o)), ...generatePolicyApi(pods, seed)];
    const e = engineOf(fromObjects(objects));
    expect(e.semantics.mode).toBe('kubernetes');
    expect(e.tierPolicies.length).toBeGreaterThan(4);
    // every tier and action is exercised
    const rules = e.tierPolicies.flatMap((p) => p.rules);
    for (const tier of ['admin', 'baseline']) {
      for (const action of tier === 'admin' ? ['allow', 'deny', 'pass'] : ['allow', 'deny']) {
        expect([tier, action, rules.some((r) => r.tier === tier && r.action === action)]).toEqual([tier, action, true]);
      }
    }
    const lines = engineLines(e);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines).toEqual(referenceLines(e));
    // the tiers change the result: without them the connections differ
    const plain = engineOf(fromObjects(generateCluster(pods, seed).filter((o) => !isCilium(o))));
    expect(engineLines(plain)).not.toEqual(lines);
  });

  test('network-policy API tiers beside Cilium policies in kubernetes mode (Cilium policies in the NetworkPolicy tier)', () => {
    const objects = [...generateCluster(300, 9), ...generatePolicyApi(300, 9)];
    const e = engineOf(fromObjects(objects), {}, semanticsFor('kubernetes', '1.18'));
    expect(e.tierPolicies.length).toBeGreaterThan(4);
    expect(e.diagnostics.some((d) => d.code === 'mixed-enforcers')).toBe(true);
    expect(engineLines(e)).toEqual(referenceLines(e));
  });
});

describe('rules matched in bulk (rule scopes and the peer index) vs every peer tried', () => {
  test.each([
    ['kubernetes', Infinity],
    ['cilium', Infinity],
    ['cilium', 2],
  ] as const)('%s mode, generated cluster (at most %d cluster-wide policies): every rule lists the peers matchPeer accepts', (mode, maxClusterwide) => {
    const objects = [...generateCluster(600, 42, maxClusterwide), ...(mode === 'kubernetes' ? generatePolicyApi(600, 42) : [])];
    const e: any = engineOf(fromObjects(objects), {}, semanticsFor(mode, '1.18'));
    const rules = new Set<RuleModel>([...e.ingressRules, ...e.egressRules].flat().filter(Boolean));
    const all: number[] = e.peers.map((p: Peer) => p.index);
    let scoped = 0;
    for (const r of rules) {
      const expected = all.filter((q) => r.matchPeer(e.peers[q]));
      const m = e.matchedPeers(r);
      const listed = new Set<number>(m.peers);
      const matched = m.complement ? all.filter((q) => !listed.has(q)) : [...listed];
      expect({ rule: r.description, peers: matched }).toEqual({ rule: r.description, peers: expected });
      if (r.peerScope) scoped++;
    }
    // most rules go through a scope (ipBlocks, namespace and pod selectors, Cilium endpoint selectors)
    expect(scoped).toBeGreaterThan(rules.size / 2);
  });
});

/**
 * The engine's connections (profiles, per-profile result rows, memoised set operations) against a
 * naive reference that folds every selecting policy's rules for every pair.
 */
import * as path from 'path';
import { generateCluster } from '../../bench/analysis';
import { buildCluster } from '../../src/analysis/cluster';
import { Engine } from '../../src/analysis/engine';
import { fromObjects, LoadResult, loadFiles } from '../../src/analysis/load';
import { Direction, Peer } from '../../src/analysis/model';
import { ConnSet } from '../../src/analysis/ports';
import { readDocuments } from '../../src/wire/reader';

function referenceSide(e: Engine, dir: Direction, subject: Peer, remote: Peer, dst: Peer): ConnSet {
  if (subject.type !== 'workload') return e.all;
  const policies = e.policies.filter((p) => p.selects(subject));
  const isolated = policies.some((p) => (dir === 'ingress' ? p.isolatesIngress : p.isolatesEgress));
  let allowed = isolated ? ConnSet.EMPTY : e.all;
  let denied = ConnSet.EMPTY;
  for (const p of policies) {
    for (const r of p.rules) {
      if (r.direction !== dir || !r.matchPeer(remote)) continue;
      if (r.deny) denied = denied.union(r.conn(dst));
      else if (isolated) allowed = allowed.union(r.conn(dst));
    }
  }
  return denied.isEmpty() ? allowed : allowed.subtract(denied);
}

function referenceLines(e: Engine): string[] {
  const out: string[] = [];
  const ic = e.ingressController;
  for (const src of ic ? [...e.srcPeers, ic] : e.srcPeers) {
    for (const dst of e.dstPeers) {
      if (src === dst || (src.type !== 'workload' && dst.type !== 'workload')) continue;
      const eg = referenceSide(e, 'egress', src, dst, dst);
      const ing = referenceSide(e, 'ingress', dst, src, dst);
      let c = eg.intersect(ing);
      if (src === ic) {
        const target = e.ingressTargetConn(dst);
        if (!target) continue;
        c = target.intersect(c);
      }
      if (!c.isEmpty()) out.push(`${src.id} => ${dst.id} : ${c.toString(e.universe)}`);
    }
  }
  return out.sort();
}

function engineLines(e: Engine): string[] {
  return e.connections().map((c) => `${c.src.id} => ${c.dst.id} : ${c.conn.toString(e.universe)}`);
}

function engineOf(loaded: LoadResult): Engine {
  return new Engine(buildCluster(readDocuments(loaded.documents), loaded.diagnostics.slice()));
}

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
});

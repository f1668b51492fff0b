/**
 * A naive reference for the engine: every selecting policy's rules folded for every pair, with
 * none of the engine's profiles, partitions or memos.
 */
import { buildCluster } from '../../src/analysis/cluster';
import { Engine } from '../../src/analysis/engine';
import { hasLabel, reservedLabel } from '../../src/analysis/identity';
import { LoadResult } from '../../src/analysis/load';
import { Direction, Peer, PolicyModel } from '../../src/analysis/model';
import { ConnSet } from '../../src/analysis/ports';
import { allowsLocalhost, Semantics } from '../../src/analysis/semantics';
import { readDocuments, ReadOptions } from '../../src/wire/reader';

function referenceSide(e: Engine, dir: Direction, subject: Peer, remote: Peer, dst: Peer): ConnSet {
  if (subject.type !== 'workload' && subject.type !== 'node') return e.all;
  const policies = e.policies.filter((p) => !p.tier && p.selects(subject));
  const isolated = policies.some((p) => (dir === 'ingress' ? p.isolatesIngress : p.isolatesEgress));
  // allow-localhost: the node's identities reach its pods whatever the ingress rules
  const localhost = dir === 'ingress' && subject.type === 'workload' && hasLabel(remote.ciliumLabels, reservedLabel('host')) && allowsLocalhost(e.semantics);
  let allowed = isolated && !localhost ? ConnSet.EMPTY : e.all;
  let denied = ConnSet.EMPTY;
  for (const p of policies) {
    for (const r of p.rules) {
      if (r.direction !== dir || !r.matchPeer(remote)) continue;
      if (r.deny) denied = denied.union(r.conn(dst));
      else if (isolated && !localhost) allowed = allowed.union(r.conn(dst));
    }
  }
  const np = denied.isEmpty() ? allowed : allowed.subtract(denied);
  return tiered(e, dir, subject, remote, dst, isolated, np);
}

/** The network-policy API's order within a tier, as the README states it (priority, kind, name; the BANP last). */
function precedence(a: PolicyModel, b: PolicyModel): number {
  const kinds = ['AdminNetworkPolicy', 'ClusterNetworkPolicy', 'BaselineAdminNetworkPolicy'];
  const pa = a.priority ?? 1e9;
  const pb = b.priority ?? 1e9;
  return pa - pb || kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * The tiers around the NetworkPolicy tier's result `np`, for one connection set at a time: Admin
 * rules in order (first match decides, Pass falls through), then NetworkPolicy for isolated
 * sides, else Baseline rules in order, else allowed.
 */
function tiered(e: Engine, dir: Direction, subject: Peer, remote: Peer, dst: Peer, isolated: boolean, np: ConnSet): ConnSet {
  const policies = e.policies.filter((p) => p.tier && p.selects(subject)).sort(precedence);
  if (!policies.length) return np;
  const firstMatch = (tier: string) => {
    let done = ConnSet.EMPTY;
    const by = { allow: ConnSet.EMPTY, deny: ConnSet.EMPTY, pass: ConnSet.EMPTY };
    for (const p of policies.filter((x) => x.tier === tier)) {
      for (const r of p.rules) {
        if (r.direction !== dir || !r.matchPeer(remote)) continue;
        const c = r.conn(dst);
        by[r.action!] = by[r.action!].union(c.subtract(done));
        done = done.union(c);
      }
    }
    return by;
  };
  const admin = firstMatch('admin');
  const rest = e.all.subtract(admin.allow).subtract(admin.deny);
  const below = isolated ? rest.intersect(np) : rest.intersect(np).subtract(firstMatch('baseline').deny);
  return admin.allow.union(below);
}

export function referenceLines(e: Engine): string[] {
  const out: string[] = [];
  const ic = e.ingressController;
  for (const src of ic ? [...e.srcPeers, ic] : e.srcPeers) {
    for (const dst of e.dstPeers) {
      // pairs with a workload, or with a node a host policy selects
      const listed = (p: Peer) => p.type === 'workload' || (p.type === 'node' && e.policies.some((q) => q.selects(p)));
      if (src === dst || (!listed(src) && !listed(dst))) continue;
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

export function engineLines(e: Engine): string[] {
  return e.connections().map((c) => `${c.src.id} => ${c.dst.id} : ${c.conn.toString(e.universe)}`);
}

export function engineOf(loaded: LoadResult, options: ReadOptions = {}, semantics?: Semantics): Engine {
  const read = readDocuments(loaded.documents, options);
  return new Engine(buildCluster(read, [...loaded.diagnostics, ...read.diagnostics]), semantics);
}


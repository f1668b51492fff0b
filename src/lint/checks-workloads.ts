// Checks that need the workloads (Pods, Deployments...) among the manifests. They reuse the
// analyser's cluster model and label-selector matcher.
import { Emit, K8S_POLICY, k8sIsolates, LintCheck, LintContext, LintPolicy } from './context';
import { LintSeverity } from './types';
import { Cluster, Workload } from '../analysis/cluster';
import { compileSelector } from '../analysis/selectors';

function matches(sel: any, labels: { [k: string]: string }): boolean {
  try {
    return compileSelector(sel, 'selector').matches(labels);
  } catch {
    return false; // an invalid selector is the API server's error, not a lint finding
  }
}

function namespaceHasWorkloads(cluster: Cluster, ns: string | undefined): boolean {
  return cluster.workloads.some(w => w.namespace === ns);
}

function selected(cluster: Cluster, p: LintPolicy): Workload[] {
  return cluster.workloads.filter(w => w.namespace === p.namespace && matches(p.spec?.podSelector ?? {}, w.labels));
}

/** Workloads a Kubernetes peer selects (undefined for ipBlock peers). */
function peerWorkloads(cluster: Cluster, p: LintPolicy, peer: any): Workload[] | undefined {
  if (!peer || peer.ipBlock) return undefined;
  const nsNames = peer.namespaceSelector === undefined
    ? [p.namespace]
    : [...cluster.namespaces.values()].filter(n => matches(peer.namespaceSelector, n.labels)).map(n => n.name);
  return cluster.workloads.filter(w => nsNames.includes(w.namespace) && matches(peer.podSelector ?? {}, w.labels));
}

function k8sPolicies(ctx: LintContext): LintPolicy[] {
  return ctx.policies.filter(p => p.kind === K8S_POLICY);
}

/** NP005: a policy whose selector matches none of the given workloads of its namespace. */
export const selectsNoWorkload: LintCheck = {
  info: {
    id: 'NP005',
    name: 'selects-no-workload',
    severity: LintSeverity.WARNING,
    description: 'The podSelector matches none of the workloads given for the policy\'s namespace.',
    kinds: [K8S_POLICY],
    needsWorkloads: true,
  },
  run(ctx: LintContext, emit: Emit) {
    const cluster = ctx.cluster;
    if (!cluster) return;
    for (const p of k8sPolicies(ctx)) {
      if (!namespaceHasWorkloads(cluster, p.namespace)) continue;
      if (selected(cluster, p).length) continue;
      const names = cluster.workloads.filter(w => w.namespace === p.namespace).map(w => w.id).sort();
      emit(p, `${p.specPath}.podSelector`, `matches none of the ${names.length} workload(s) given in namespace ${p.namespace} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}): the policy has no effect`,
        'fix the selector labels (compare with the pod template labels), or remove the policy');
    }
  },
};

/** NP006: a peer that matches none of the given workloads. */
export const peerMatchesNothing: LintCheck = {
  info: {
    id: 'NP006',
    name: 'peer-matches-nothing',
    severity: LintSeverity.WARNING,
    description: 'A pod/namespace peer matches none of the given workloads.',
    kinds: [K8S_POLICY],
    needsWorkloads: true,
  },
  run(ctx: LintContext, emit: Emit) {
    const cluster = ctx.cluster;
    if (!cluster) return;
    for (const p of k8sPolicies(ctx)) {
      for (const [dir, key] of [['ingress', 'from'], ['egress', 'to']]) {
        (Array.isArray(p.spec?.[dir]) ? p.spec[dir] : []).forEach((r: any, i: number) => {
          (Array.isArray(r?.[key]) ? r[key] : []).forEach((peer: any, j: number) => {
            const found = peerWorkloads(cluster, p, peer);
            if (found === undefined || found.length) return;
            emit(p, `${p.specPath}.${dir}[${i}].${key}[${j}]`,
              `matches none of the ${cluster.workloads.length} workload(s) given${peer.namespaceSelector === undefined ? ` (it only looks in namespace ${p.namespace})` : ''}`,
              'check the labels (and the namespace: a podSelector alone means the policy\'s own namespace); if the peer is deployed elsewhere, add its manifests or silence NP006 with a reason');
          });
        });
      }
    }
  },
};

/** NP007: a named port that no container of the relevant pods declares. */
export const undeclaredNamedPort: LintCheck = {
  info: {
    id: 'NP007',
    name: 'undeclared-named-port',
    severity: LintSeverity.WARNING,
    description: 'A rule names a port that no container of the destination pods declares, so it allows nothing.',
    kinds: [K8S_POLICY],
    needsWorkloads: true,
  },
  run(ctx: LintContext, emit: Emit) {
    const cluster = ctx.cluster;
    if (!cluster) return;
    for (const p of k8sPolicies(ctx)) {
      for (const dir of ['ingress', 'egress']) {
        if (!k8sIsolates(p.spec, dir === 'ingress' ? 'Ingress' : 'Egress')) continue;
        (Array.isArray(p.spec?.[dir]) ? p.spec[dir] : []).forEach((r: any, i: number) => {
          // The port is resolved on the destination: the selected pods for ingress, the peers for egress.
          let destinations: Workload[] | undefined;
          if (dir === 'ingress') {
            destinations = selected(cluster, p);
          } else {
            const peers: any[] = Array.isArray(r?.to) ? r.to : [];
            if (peers.length && !peers.some(x => x?.ipBlock)) destinations = peers.flatMap(x => peerWorkloads(cluster, p, x) ?? []);
          }
          if (!destinations || destinations.length === 0) return;
          (Array.isArray(r?.ports) ? r.ports : []).forEach((port: any, j: number) => {
            if (typeof port?.port !== 'string' || /^\d+$/.test(port.port)) return;
            const proto = String(port.protocol ?? 'TCP').toUpperCase();
            const declared = destinations!.some(w => w.ports.some(cp => cp.name === port.port && cp.protocol === proto));
            if (declared) return;
            emit(p, `${p.specPath}.${dir}[${i}].ports[${j}].port`,
              `names port "${port.port}" (${proto}), which no container of the ${dir === 'ingress' ? 'selected' : 'destination'} workloads (${[...new Set(destinations!.map(w => w.id))].sort().slice(0, 5).join(', ')}) declares: the rule allows nothing on it`,
              `declare containerPort name "${port.port}" with protocol ${proto} in the pod template, or use the port number`);
          });
        });
      }
    }
  },
};

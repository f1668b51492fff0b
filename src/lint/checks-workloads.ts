// Checks that need the workloads (Pods, Deployments...) among the manifests. They reuse the
// analyser's cluster model and label-selector matcher.
import { CCNP, CILIUM_KINDS, Emit, K8S_POLICY, k8sIsolates, LintCheck, LintContext, LintPolicy, stripSource } from './context';
import { LintSeverity } from './types';
import { ciliumLabelsFor } from '../analysis/cilium';
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

const CILIUM_NS_KEY = 'io.kubernetes.pod.namespace';

/** Workloads a Cilium selector selects, with Cilium's endpoint labels; undefined when it names reserved: entities. */
/**
 * The given workloads a policy applies to (Kubernetes podSelector or Cilium endpointSelector);
 * undefined when that cannot be told (host policies, reserved: selectors, invalid selectors).
 * @internal
 */
export function policySubjects(cluster: Cluster, p: LintPolicy): Workload[] | undefined {
  if (p.kind === K8S_POLICY) return selected(cluster, p);
  if (p.spec?.nodeSelector !== undefined) return undefined;
  return ciliumSelected(cluster, p.spec?.endpointSelector, p.kind === CCNP ? undefined : p.namespace);
}

function ciliumSelected(cluster: Cluster, sel: any, onlyNamespace: string | undefined): Workload[] | undefined {
  let cs;
  try {
    // Only the k8s:/any: sources name pod labels; reserved: (entities) and others keep their prefix.
    cs = compileSelector(sel ?? {}, 'selector', k => (/^(k8s|any):/.test(k) ? stripSource(k) : k));
  } catch {
    return undefined;
  }
  if (cs.requirements.some(r => r.key.startsWith('reserved:'))) return undefined;
  const scoped = onlyNamespace !== undefined && !cs.keys().includes(CILIUM_NS_KEY);
  return cluster.workloads.filter(w => {
    if (scoped && w.namespace !== onlyNamespace) return false;
    const ns = cluster.namespaces.get(w.namespace);
    return cs.matches(ciliumLabelsFor(w.labels, w.namespace, ns?.labels ?? {}, w.serviceAccount));
  });
}

function ciliumPolicies(ctx: LintContext): LintPolicy[] {
  return ctx.policies.filter(p => CILIUM_KINDS.includes(p.kind) && p.spec?.nodeSelector === undefined);
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
    description: 'The podSelector (endpointSelector) matches none of the workloads given for the policy\'s namespace.',
    kinds: [K8S_POLICY, ...CILIUM_KINDS],
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
    for (const p of ciliumPolicies(ctx)) {
      if (p.kind !== CCNP && !namespaceHasWorkloads(cluster, p.namespace)) continue;
      const found = ciliumSelected(cluster, p.spec?.endpointSelector, p.kind === CCNP ? undefined : p.namespace);
      if (found === undefined || found.length) continue;
      emit(p, `${p.specPath}.endpointSelector`,
        `matches none of the workloads given${p.kind === CCNP ? '' : ` in namespace ${p.namespace}`} (with Cilium's labels: pod labels, io.kubernetes.pod.namespace, io.cilium.k8s.namespace.labels.*): the policy has no effect`,
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
    description: 'A pod/namespace peer (or Cilium endpoint peer) matches none of the given workloads.',
    kinds: [K8S_POLICY, ...CILIUM_KINDS],
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
    for (const p of ciliumPolicies(ctx)) {
      for (const dir of ['ingress', 'egress', 'ingressDeny', 'egressDeny']) {
        const key = dir.startsWith('ingress') ? 'fromEndpoints' : 'toEndpoints';
        (Array.isArray(p.spec?.[dir]) ? p.spec[dir] : []).forEach((r: any, i: number) => {
          (Array.isArray(r?.[key]) ? r[key] : []).forEach((sel: any, j: number) => {
            const found = ciliumSelected(cluster, sel, p.kind === CCNP ? undefined : p.namespace);
            if (found === undefined || found.length) return;
            emit(p, `${p.specPath}.${dir}[${i}].${key}[${j}]`,
              `matches none of the ${cluster.workloads.length} workload(s) given${p.kind !== CCNP && !JSON.stringify(sel ?? {}).includes(CILIUM_NS_KEY) ? ` (without ${CILIUM_NS_KEY} it only looks in namespace ${p.namespace})` : ''}`,
              `check the labels; select another namespace with k8s:${CILIUM_NS_KEY}; if the peer is deployed elsewhere, add its manifests or silence NP006 with a reason`);
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

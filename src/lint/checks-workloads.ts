// Checks that need the workloads (Pods, Deployments...) among the manifests. They reuse the
// analyser's cluster model and label-selector matcher.
import {
  CCNP, CILIUM_KINDS, isIngress, K8S_POLICY, LintCheck, LintContext, LintPolicy, list, PolicyRule, policyRules, workloadCheck,
} from './context';
import { LintSeverity } from './types';
import { compiledSelector, WorkloadIndex } from './workload-index';
import { CILIUM_NAMESPACE_LABEL, ownNamespaceSelector } from '../analysis/cilium';
import { Cluster, clusterNamedPortDeclarations, NamedPortDeclaration, Workload } from '../analysis/cluster';
import { CompiledSelector } from '../analysis/selectors';
import { CILIUM_ANY_EXPANSION } from '../wire/cilium/l4';
import { CILIUM_NAMESPACE_LABELS_PREFIX } from '../wire/labels';

function index(cluster: Cluster): WorkloadIndex {
  return WorkloadIndex.of(cluster);
}

function namespaceHasWorkloads(cluster: Cluster, ns: string | undefined): boolean {
  return index(cluster).hasWorkloads(ns);
}

function selected(cluster: Cluster, p: LintPolicy): readonly Workload[] {
  const cs = compiledSelector(p.spec?.podSelector ?? {});
  return cs ? index(cluster).matchingPods(cs, [p.namespace]) : [];
}

/** The known namespaces a Kubernetes pod/namespace peer looks in: the policy's own, or those its namespaceSelector matches. */
function peerNamespaces(cluster: Cluster, p: LintPolicy, peer: any): (string | undefined)[] {
  if (peer.namespaceSelector === undefined) return [p.namespace];
  const cs = compiledSelector(peer.namespaceSelector);
  return cs ? index(cluster).namespacesMatching(cs) : [];
}

/** Workloads a Kubernetes peer selects (undefined for ipBlock peers). */
function peerWorkloads(cluster: Cluster, p: LintPolicy, peer: any): readonly Workload[] | undefined {
  if (!peer || peer.ipBlock) return undefined;
  const nsNames = peerNamespaces(cluster, p, peer);
  const cs = compiledSelector(peer.podSelector ?? {});
  return cs ? index(cluster).matchingPods(cs, nsNames) : [];
}

/**
 * Whether the workloads of some namespace a Cilium peer selector looks in are given. A CNP peer
 * without `io.kubernetes.pod.namespace` looks in the policy's own namespace (Cilium adds it); other
 * peers in the namespaces their namespace requirements (`io.kubernetes.pod.namespace`,
 * `io.cilium.k8s.namespace.labels.*`) hold for, every namespace when they have none.
 */
function ciliumPeerNamespaceGiven(cluster: Cluster, p: LintPolicy, sel: any): boolean {
  const cs = compiledSelector(sel ?? {}, true);
  if (!cs) return false;
  if (p.kind !== CCNP && !cs.keys().includes(CILIUM_NAMESPACE_LABEL)) return namespaceHasWorkloads(cluster, p.namespace);
  const nsRequirements = cs.requirements.filter(r => r.key === CILIUM_NAMESPACE_LABEL || r.key.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX));
  const nsSelector = new CompiledSelector(nsRequirements, '');
  const idx = index(cluster);
  return [...cluster.namespaces.values()].some(n => namespaceHasWorkloads(cluster, n.name) && nsSelector.matches(idx.namespaceEndpointLabels(n)));
}

/**
 * The given workloads a policy applies to (Kubernetes podSelector or Cilium endpointSelector);
 * undefined when that cannot be told (host policies, reserved: selectors, invalid selectors).
 * The list is shared: do not change it.
 * @internal
 */
export function policySubjects(cluster: Cluster, p: LintPolicy): readonly Workload[] | undefined {
  if (p.kind === K8S_POLICY) return selected(cluster, p);
  if (p.spec?.nodeSelector !== undefined) return undefined;
  // A CNP's own endpointSelector always applies in its namespace, as the analyser reads it
  // (ownNamespaceSelector); only peer selectors may leave the namespace.
  const ns = p.kind === CCNP ? undefined : p.namespace;
  return ciliumSelected(cluster, ownNamespaceSelector(p.spec?.endpointSelector, ns, 'endpointSelector'), ns, true);
}

/** Workloads a Cilium selector selects, with Cilium's endpoint labels; undefined when it names reserved: entities. */
function ciliumSelected(cluster: Cluster, sel: any, onlyNamespace: string | undefined, alwaysScoped = false): readonly Workload[] | undefined {
  const cs = compiledSelector(sel ?? {}, true);
  if (!cs) return undefined;
  if (cs.requirements.some(r => r.key.startsWith('reserved:'))) return undefined;
  const scoped = onlyNamespace !== undefined && (alwaysScoped || !cs.keys().includes(CILIUM_NAMESPACE_LABEL));
  return index(cluster).matchingEndpoints(cs, scoped ? onlyNamespace : undefined);
}

/** Workloads a Cilium peer selector selects: without io.kubernetes.pod.namespace, a CNP's peers are in its own namespace. */
function ciliumPeerWorkloads(cluster: Cluster, p: LintPolicy, sel: any): readonly Workload[] | undefined {
  return ciliumSelected(cluster, sel, p.kind === CCNP ? undefined : p.namespace);
}

function ciliumPolicies(ctx: LintContext): LintPolicy[] {
  return ctx.policies.filter(p => CILIUM_KINDS.includes(p.kind) && p.spec?.nodeSelector === undefined);
}

function k8sPolicies(ctx: LintContext): LintPolicy[] {
  return ctx.policies.filter(p => p.kind === K8S_POLICY);
}

/** NP005: a policy whose selector matches none of the given workloads of its namespace. */
export const selectsNoWorkload: LintCheck = workloadCheck({
  id: 'NP005',
  name: 'selects-no-workload',
  severity: LintSeverity.WARNING,
  description: 'The podSelector (endpointSelector) matches none of the workloads given for the policy\'s namespace.',
  kinds: [K8S_POLICY, ...CILIUM_KINDS],
}, (ctx, cluster, emit) => {
  for (const p of k8sPolicies(ctx)) {
    if (!namespaceHasWorkloads(cluster, p.namespace)) continue;
    if (selected(cluster, p).length) continue;
    const names = index(cluster).sortedIdsIn(p.namespace);
    emit(p, `${p.specPath}.podSelector`, `matches none of the ${names.length} workload(s) given in namespace ${p.namespace} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}): the policy has no effect`,
      'fix the selector labels (compare with the pod template labels), or remove the policy');
  }
  for (const p of ciliumPolicies(ctx)) {
    if (p.kind !== CCNP && !namespaceHasWorkloads(cluster, p.namespace)) continue;
    const found = policySubjects(cluster, p);
    if (found === undefined || found.length) continue;
    emit(p, `${p.specPath}.endpointSelector`,
      `matches none of the workloads given${p.kind === CCNP ? '' : ` in namespace ${p.namespace}`} (with Cilium's labels: pod labels, io.kubernetes.pod.namespace, io.cilium.k8s.namespace.labels.*): the policy has no effect`,
      'fix the selector labels (compare with the pod template labels), or remove the policy');
  }
});

/** NP006: a peer that matches none of the given workloads. */
export const peerMatchesNothing: LintCheck = workloadCheck({
  id: 'NP006',
  name: 'peer-matches-nothing',
  severity: LintSeverity.WARNING,
  description: 'A pod/namespace peer (or Cilium endpoint peer) matches none of the given workloads; judged only when workloads of a namespace the peer looks in are given.',
  kinds: [K8S_POLICY, ...CILIUM_KINDS],
}, (ctx, cluster, emit) => {
  for (const { policy: p, rule, field, peerKey } of policyRules([...k8sPolicies(ctx), ...ciliumPolicies(ctx)])) {
    const k8s = p.kind === K8S_POLICY;
    list(rule?.[peerKey]).forEach((peer, j) => {
      // Only peers in namespaces whose workloads are given are judged: a peer elsewhere (the cluster
      // DNS in kube-system, a scraper in monitoring) is deployed by someone else, and NP006 would fire
      // in every app that uses it (the library's own patterns included).
      const judged = k8s
        ? !peer || peer.ipBlock || peerNamespaces(cluster, p, peer).some(ns => namespaceHasWorkloads(cluster, ns))
        : ciliumPeerNamespaceGiven(cluster, p, peer);
      if (!judged) return;
      const found = k8s ? peerWorkloads(cluster, p, peer) : ciliumPeerWorkloads(cluster, p, peer);
      if (found === undefined || found.length) return;
      // Both kinds look in the policy's own namespace unless the peer names others; say so when it does not.
      const ownNamespaceOnly = k8s
        ? peer.namespaceSelector === undefined
        : p.kind !== CCNP && !JSON.stringify(peer ?? {}).includes(CILIUM_NAMESPACE_LABEL);
      const scope = !ownNamespaceOnly ? '' : k8s ? ` (it only looks in namespace ${p.namespace})` : ` (without ${CILIUM_NAMESPACE_LABEL} it only looks in namespace ${p.namespace})`;
      emit(p, `${field}.${peerKey}[${j}]`, `matches none of the ${cluster.workloads.length} workload(s) given${scope}`, k8s
        ? 'check the labels (and the namespace: a podSelector alone means the policy\'s own namespace); if the peer is deployed elsewhere, add its manifests or silence NP006 with a reason'
        : `check the labels; select another namespace with k8s:${CILIUM_NAMESPACE_LABEL}; if the peer is deployed elsewhere, add its manifests or silence NP006 with a reason`);
    });
  }
});

/** Cilium L3 peer fields of an egress rule other than toEndpoints: destinations that are not (only) pods. */
const CILIUM_NON_POD_PEERS = ['toEntities', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toServices', 'toNodes', 'toGroups'];

/**
 * The workloads on which a rule's named ports resolve: the policy's own pods for ingress, the peers
 * for egress. Undefined when they cannot be told: an egress rule open to every destination, or with a
 * peer that is not (only) pods (ipBlock; Cilium entities, CIDRs, FQDNs, services...), may reach pods
 * that are not given, so its named ports are not judged.
 */
function namedPortDestinations(cluster: Cluster, r: PolicyRule): readonly Workload[] | undefined {
  const p = r.policy;
  if (isIngress(r.dir)) return policySubjects(cluster, p);
  if (p.kind === K8S_POLICY) {
    const peers = list(r.rule?.to);
    if (!peers.length || peers.some(x => x?.ipBlock)) return undefined;
    return peers.flatMap(x => peerWorkloads(cluster, p, x) ?? []);
  }
  const selectors = list(r.rule?.toEndpoints);
  if (!selectors.length || CILIUM_NON_POD_PEERS.some(k => r.rule?.[k] !== undefined)) return undefined;
  const found = selectors.map(sel => ciliumPeerWorkloads(cluster, p, sel));
  // A reserved: (entity) or invalid selector is the Cilium counterpart of an ipBlock peer.
  if (found.some(f => f === undefined)) return undefined;
  return found.flatMap(f => f!);
}

/** The port entries of a rule with their field paths: Kubernetes `ports[]`, Cilium `toPorts[].ports[]`. */
function rulePorts(r: PolicyRule): [string, any][] {
  if (r.policy.kind === K8S_POLICY) return list(r.rule?.ports).map((port, j) => [`${r.field}.ports[${j}]`, port]);
  return list(r.rule?.toPorts).flatMap((pr, i) => list(pr?.ports).map((port, j): [string, any] => [`${r.field}.toPorts[${i}].ports[${j}]`, port]));
}

/** NP007: a named port that no container of the relevant pods declares. */
export const undeclaredNamedPort: LintCheck = workloadCheck({
  id: 'NP007',
  name: 'undeclared-named-port',
  severity: LintSeverity.WARNING,
  description: 'A rule names a port (Kubernetes ports[].port, Cilium toPorts[].ports[].port) that no container of the destination pods declares, so it allows (or denies) nothing.',
  kinds: [K8S_POLICY, ...CILIUM_KINDS],
}, (ctx, cluster, emit) => {
  // Rules of a direction a Kubernetes policy does not isolate have no effect; Cilium rules always apply.
  for (const r of policyRules([...k8sPolicies(ctx), ...ciliumPolicies(ctx)], { isolatedOnly: true })) {
    const destinations = namedPortDestinations(cluster, r);
    if (!destinations || destinations.length === 0) continue;
    const k8s = r.policy.kind === K8S_POLICY;
    for (const [field, port] of rulePorts(r)) {
      if (typeof port?.port !== 'string' || /^\d+$/.test(port.port)) continue;
      // Kubernetes defaults to TCP; Cilium to ANY, which a container port of any protocol satisfies.
      const proto = String(port.protocol ?? (k8s ? 'TCP' : 'ANY')).toUpperCase();
      const anyProto = !k8s && proto === 'ANY';
      const declared = destinations.some(w => w.ports.some(cp => cp.name === port.port && (anyProto || cp.protocol === proto)));
      if (declared) continue;
      const deny = r.dir.endsWith('Deny');
      const verb = deny ? 'denies' : 'allows';
      const undeclared = `names port "${port.port}" (${proto}), which no container of the ${isIngress(r.dir) ? 'selected' : 'destination'} workloads (${[...new Set(destinations.map(w => w.id))].sort().slice(0, 5).join(', ')}) declares`;
      // Cilium resolves an egress named port once for the whole cluster (NP010), so other pods'
      // declarations give the rule a number towards these destinations too.
      const resolved = !k8s && !isIngress(r.dir) ? clusterResolutions(ctx, cluster, port.port, portProtocols(port, k8s)) : [];
      if (resolved.length) {
        emit(r.policy, `${field}.port`,
          `${undeclared}; Cilium resolves egress named ports once for the whole cluster (pkg/types/portmap.go namedPortMultiMap.GetNamedPort), so the rule ${verb} ${resolved.map(x => `${x.protocol} ${x.port} (declared by ${listed(x.workloads)})`).join(', ')} towards them`,
          `write port ${resolved[0].port} if that number is meant, or declare containerPort name "${port.port}" in the destination pod templates`);
        continue;
      }
      emit(r.policy, `${field}.port`, `${undeclared}: the rule ${verb} nothing on it`,
        `declare containerPort name "${port.port}"${anyProto ? '' : ` with protocol ${proto}`} in the pod template, or use the port number`);
    }
  }
});

// ---- egress named ports, resolved once for the whole cluster by Cilium ----

/** Named port declarations of the given workloads (clusterNamedPortDeclarations), per context. */
const declarationCache = new WeakMap<LintContext, (name: string, protocol: string) => NamedPortDeclaration[]>();

function declarations(ctx: LintContext, cluster: Cluster): (name: string, protocol: string) => NamedPortDeclaration[] {
  let d = declarationCache.get(ctx);
  if (!d) declarationCache.set(ctx, (d = clusterNamedPortDeclarations(cluster.workloads)));
  return d;
}

/** The protocols a port entry stands for: a NetworkPolicy port's (TCP by default); Cilium's ANY expanded. */
function portProtocols(port: any, k8s: boolean): string[] {
  const proto = String(port?.protocol ?? (k8s ? 'TCP' : 'ANY')).toUpperCase();
  return proto === 'ANY' ? [...CILIUM_ANY_EXPANSION] : [proto];
}

interface Resolution extends NamedPortDeclaration {
  readonly protocol: string;
}

/** The number Cilium gives an egress named port per protocol, where the given pods give it exactly one. */
function clusterResolutions(ctx: LintContext, cluster: Cluster, name: string, protocols: string[]): Resolution[] {
  const out: Resolution[] = [];
  for (const protocol of protocols) {
    const found = declarations(ctx, cluster)(name, protocol);
    if (found.length === 1) out.push({ protocol, ...found[0] });
  }
  return out;
}

/** `a, b, c, ...`: at most `max` names. */
function listed(names: string[], max = 3): string {
  return names.slice(0, max).join(', ') + (names.length > max ? ', ...' : '');
}

/** Named egress port entries of the rules Cilium enforces: NetworkPolicy egress (whatever policyTypes says), Cilium egress and egressDeny. */
function egressNamedPorts(ctx: LintContext, kinds: string[]): { r: PolicyRule; field: string; port: any; k8s: boolean }[] {
  const policies = [...k8sPolicies(ctx), ...ciliumPolicies(ctx)].filter(p => kinds.includes(p.kind));
  const out: { r: PolicyRule; field: string; port: any; k8s: boolean }[] = [];
  for (const r of policyRules(policies, { directions: ['egress', 'egressDeny'] })) {
    for (const [field, port] of rulePorts(r)) {
      if (typeof port?.port !== 'string' || /^\d+$/.test(port.port)) continue;
      out.push({ r, field: `${field}.port`, port, k8s: r.policy.kind === K8S_POLICY });
    }
  }
  return out;
}

/** NP010: an egress named port the given pods give different numbers, which Cilium drops. */
export const egressNamedPortConflict: LintCheck = workloadCheck({
  id: 'NP010',
  name: 'egress-named-port-conflict',
  severity: LintSeverity.WARNING,
  description: 'An egress named port (NetworkPolicy ports[].port, Cilium toPorts[].ports[].port) that the given pods give different numbers: Cilium resolves it once for the whole cluster and drops it, so the rule allows (denies) nothing on it.',
  kinds: [K8S_POLICY, ...CILIUM_KINDS],
}, (ctx, cluster, emit) => {
  if (!ctx.cilium.deviations.egressNamedPortsClusterWide) return;
  for (const { r, field, port, k8s } of egressNamedPorts(ctx, [K8S_POLICY, ...CILIUM_KINDS])) {
    const conflicts = portProtocols(port, k8s)
      .map(protocol => ({ protocol, found: declarations(ctx, cluster)(port.port, protocol) }))
      .filter(x => x.found.length > 1);
    if (!conflicts.length) continue;
    const numbers = conflicts.map(c => `${c.protocol}: ${c.found.map(d => `${d.port} (${listed(d.workloads)})`).join(', ')}`).join('; ');
    const proto = String(port.protocol ?? (k8s ? 'TCP' : 'ANY')).toUpperCase();
    const spec = k8s ? '; the specification resolves it on each destination pod' : '';
    emit(r.policy, field,
      `names port "${port.port}" (${proto}), which the given pods give different numbers (${numbers}): Cilium resolves an egress named port once for the whole cluster and drops a name with two numbers as a duplicate named port (pkg/types/portmap.go namedPortMultiMap.GetNamedPort), so the rule ${r.dir.endsWith('Deny') ? 'denies' : 'allows'} nothing on it${spec}`,
      `write the port number (${[...new Set(conflicts.flatMap(c => c.found.map(d => d.port)))].join(' or ')}) in the rule, or give "${port.port}" one number in every pod template that declares it`);
  }
});

/** NP011: a NetworkPolicy egress named port that Cilium also opens towards peers without the name. */
export const egressNamedPortUndeclaredPeers: LintCheck = workloadCheck({
  id: 'NP011',
  name: 'egress-named-port-cluster-wide',
  severity: LintSeverity.INFO,
  description: 'A NetworkPolicy egress named port that Cilium resolves once for the whole cluster and so allows towards every peer of the rule, also addresses (ipBlock, no "to") and pods that do not declare the name, which the specification leaves out.',
  kinds: [K8S_POLICY],
}, (ctx, cluster, emit) => {
  if (!ctx.cilium.deviations.egressNamedPortsClusterWide) return;
  for (const { r, field, port } of egressNamedPorts(ctx, [K8S_POLICY])) {
    const protocol = String(port.protocol ?? 'TCP').toUpperCase();
    const [resolved] = clusterResolutions(ctx, cluster, port.port, [protocol]);
    if (!resolved) continue;
    const peers = list(r.rule?.to);
    const without: string[] = [];
    if (!peers.length) without.push('every destination outside the cluster (the rule has no "to")');
    for (const peer of peers) {
      if (peer?.ipBlock) without.push(`the addresses of ipBlock ${peer.ipBlock.cidr}`);
    }
    const pods = peers.flatMap(peer => peerWorkloads(cluster, r.policy, peer) ?? []);
    const podsWithout = [...new Set((peers.length ? pods : cluster.workloads)
      .filter(w => !w.ports.some(cp => cp.name === port.port && cp.protocol === protocol))
      .map(w => w.id))].sort();
    if (podsWithout.length) without.push(listed(podsWithout, 5));
    if (!without.length) continue;
    emit(r.policy, field,
      `names port "${port.port}" (${protocol}), which Cilium resolves once for the whole cluster to ${resolved.port} (declared by ${listed(resolved.workloads)}) and allows on ${protocol} ${resolved.port} towards every peer of the rule, also towards ${without.join(', ')}, which do not declare it (pkg/types/portmap.go namedPortMultiMap.GetNamedPort); the specification resolves the name on each destination pod, so nothing reaches those on this port`,
      `write port ${resolved.port} if it is meant towards all of them, or keep the named port in a rule whose "to" peers all declare "${port.port}"`);
  }
});

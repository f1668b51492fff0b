/**
 * The cluster model built from plain manifests: namespaces, workloads (pods grouped by their owner
 * as netpol-analyzer does), policies, services and ingress resources (Route, Ingress).
 */
import { CompiledSelector, compileSelector, Labels } from './selectors';
import { CiliumCIDRGroup } from '../wire/cilium/objects';
import { Diagnostic } from '../wire/diagnostic';
import { TEMPLATED_WORKLOAD_KINDS } from '../wire/kinds';
import { OwnerReference } from '../wire/kubernetes/meta';
import { podTemplateOf } from '../wire/kubernetes/pod-template';
import { CronJob, Ingress, IngressBackend, Pod, PodSpec, Route, Service, TemplatedWorkload } from '../wire/kubernetes/workloads';
import { VirtualMachine } from '../wire/kubevirt';
import { NAMESPACE_NAME_LABEL } from '../wire/labels';
import { ReadResult } from '../wire/reader';
import { SourceDoc } from '../wire/source';

export { DEFAULT_NAMESPACE } from '../wire/reader';
export { NAMESPACE_NAME_LABEL };
export { TEMPLATED_WORKLOAD_KINDS as WORKLOAD_KINDS };

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A workload: the pods of one owner (or one owner-less Pod), sharing labels and ports. */
export interface Workload {
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  /** `namespace/name[Kind]` */
  readonly id: string;
  readonly labels: Labels;
  readonly ports: ContainerPort[];
  readonly serviceAccount: string;
  readonly podCount: number;
  readonly source: SourceRef;
}

export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Labels;
  readonly declared: boolean;
}

export interface ServiceInfo {
  readonly namespace: string;
  readonly name: string;
  /** The Service's own labels (what a Cilium `k8sServiceSelector` matches). */
  readonly labels: Labels;
  /** spec.selector, compiled: the pods behind the Service (undefined: a Service without selector). */
  readonly selector?: CompiledSelector;
  readonly ports: { name?: string; port: number; targetPort?: string | number; protocol: string }[];
}

/** A Node: a peer of Cilium `toNodes`/`fromNodes` rules and the subject of host policies (`nodeSelector`). */
export interface NodeInfo {
  readonly name: string;
  readonly labels: Labels;
  readonly source: SourceRef;
}

/** A CiliumCIDRGroup (cluster-scoped): what `cidrGroupRef`/`cidrGroupSelector` in a CIDR rule stand for. */
export interface CidrGroupInfo {
  readonly name: string;
  readonly labels: Labels;
  readonly cidrs: string[];
}

export interface IngressTarget {
  readonly kind: 'Route' | 'Ingress';
  readonly namespace: string;
  readonly name: string;
  readonly service: string;
  /** Route spec.port.targetPort or Ingress backend port (name or number); undefined = all service ports. */
  readonly port?: string | number;
}

export interface PolicyDoc {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: any;
  readonly source: SourceRef;
}

export interface Cluster {
  readonly namespaces: Map<string, NamespaceInfo>;
  readonly workloads: Workload[];
  readonly policies: PolicyDoc[];
  readonly services: ServiceInfo[];
  readonly cidrGroups: CidrGroupInfo[];
  /** Node objects, sorted by name. */
  readonly nodes: NodeInfo[];
  readonly ingressTargets: IngressTarget[];
  /** kind -> number of documents of unrelated kinds that were skipped */
  readonly skipped: Map<string, number>;
  readonly diagnostics: Diagnostic[];
}

function ref(d: SourceDoc): SourceRef {
  return { file: d.file, line: d.line, column: d.column };
}

// Objects read with the lenient option are taken as written, so what is read from
// workloads is checked here too: a value of the wrong type is left out.

function labelsOf(x: { readonly [key: string]: string } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

function list<T>(x: readonly T[] | undefined): readonly T[] {
  return Array.isArray(x) ? x : [];
}

function containerPorts(spec: PodSpec | undefined): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of list(spec?.containers)) {
    for (const p of list(c?.ports)) {
      if (!Number.isInteger(p?.containerPort) || p.containerPort < 1 || p.containerPort > 65535) continue;
      out.push({ name: typeof p.name === 'string' && p.name ? p.name : undefined, port: p.containerPort, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' });
    }
  }
  return out;
}

function implicitNamespace(name: string): NamespaceInfo {
  return { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false };
}

/** Build the cluster model from the objects the strict reader accepted. */
export function buildCluster(read: ReadResult, diagnostics: Diagnostic[] = []): Cluster {
  const diags = diagnostics;
  const namespaces = new Map<string, NamespaceInfo>();
  const groups = new Map<string, { w: Workload; labelKey: string; variants: Set<string> }>();
  const policies: PolicyDoc[] = [];
  const services: ServiceInfo[] = [];
  const cidrGroups: CidrGroupInfo[] = [];
  const nodes: NodeInfo[] = [];
  const ingressTargets: IngressTarget[] = [];
  const skipped = new Map<string, number>(read.skipped);

  const addWorkload = (w: Workload) => {
    const key = w.id;
    const labelKey = JSON.stringify(Object.entries(w.labels).sort());
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { w, labelKey, variants: new Set([labelKey]) });
    } else {
      g.variants.add(labelKey);
      groups.set(key, { ...g, w: { ...g.w, podCount: g.w.podCount + w.podCount } });
    }
  };

  for (const obj of read.objects) {
    const src = ref(obj.doc);
    const kind = obj.kind;
    const name = obj.name;
    const ns = obj.namespace ?? '';
    const o = obj.value;
    const meta = o.metadata ?? {};
    switch (kind) {
      case 'Namespace': {
        const labels = labelsOf(meta.labels);
        // The API server sets kubernetes.io/metadata.name on every namespace (Kubernetes >= 1.21).
        labels[NAMESPACE_NAME_LABEL] = name;
        namespaces.set(name, { name, labels, declared: true });
        break;
      }
      case 'Pod': {
        const pod = o as Pod;
        let ownerName = name;
        let ownerKind = 'Pod';
        // netpol-analyzer: the controller owner reference (not a Node) names the workload.
        const ctl = list<OwnerReference>(meta.ownerReferences).find((r) => r?.controller === true);
        if (ctl && ctl.kind !== 'Node' && ctl.name) {
          ownerName = String(ctl.name);
          ownerKind = ctl.kind ? String(ctl.kind) : 'Pod';
        }
        addWorkload({
          namespace: ns,
          name: ownerName,
          kind: ownerKind,
          id: `${ns}/${ownerName}[${ownerKind}]`,
          labels: labelsOf(meta.labels),
          ports: containerPorts(pod.spec),
          serviceAccount: String(pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default'),
          podCount: 1,
          source: src,
        });
        break;
      }
      case 'VirtualMachine': {
        // one pod (the VM's launcher), labelled from the VMI template (wire/kubevirt.ts)
        const vm = o as VirtualMachine;
        addWorkload({
          namespace: ns,
          name,
          kind,
          id: `${ns}/${name}[${kind}]`,
          labels: labelsOf(vm.spec?.template?.metadata?.labels),
          ports: [],
          serviceAccount: 'default',
          podCount: 1,
          source: src,
        });
        break;
      }
      case 'Node':
        nodes.push({ name, labels: labelsOf(meta.labels), source: src });
        break;
      case 'CiliumCIDRGroup':
        cidrGroups.push({ name, labels: labelsOf(meta.labels), cidrs: [...((o as CiliumCIDRGroup).spec?.externalCIDRs ?? [])] });
        break;
      case 'Service': {
        const spec = (o as Service).spec ?? {};
        services.push({
          namespace: ns,
          name,
          labels: labelsOf(meta.labels),
          selector: spec.selector ? compileSelector({ matchLabels: labelsOf(spec.selector) }, 'spec.selector') : undefined,
          ports: (spec.ports ?? []).map((p) => ({ name: p.name || undefined, port: p.port, targetPort: p.targetPort, protocol: p.protocol ?? 'TCP' })),
        });
        break;
      }
      case 'Route': {
        const spec = (o as Route).spec;
        const port = spec.port?.targetPort;
        for (const t of [spec.to, ...(spec.alternateBackends ?? [])]) {
          if (!t?.name) continue;
          if (t.kind && t.kind !== 'Service') {
            diags.push({ ...src, severity: 'warning', message: `Route ${ns}/${name}: target kind ${t.kind} is not supported (only Service); ignored` });
            continue;
          }
          ingressTargets.push({ kind: 'Route', namespace: ns, name, service: t.name, port });
        }
        break;
      }
      case 'Ingress': {
        const spec = (o as Ingress).spec ?? {};
        const backends: IngressBackend[] = [];
        if (spec.defaultBackend) backends.push(spec.defaultBackend);
        for (const r of spec.rules ?? []) for (const p of r.http?.paths ?? []) backends.push(p.backend);
        for (const b of backends) {
          const svc = b?.service;
          if (!svc?.name) continue;
          ingressTargets.push({ kind: 'Ingress', namespace: ns, name, service: svc.name, port: svc.port?.name || svc.port?.number });
        }
        break;
      }
      default: {
        if (obj.info.role === 'policy') {
          policies.push({ kind, namespace: ns, name, object: o, source: src });
          break;
        }
        if (!TEMPLATED_WORKLOAD_KINDS.includes(kind)) break;
        const w = o as TemplatedWorkload & CronJob;
        const template = podTemplateOf(kind, w.spec).template ?? ({} as any);
        const replicas = kind === 'Job' ? w.spec?.parallelism : w.spec?.replicas;
        addWorkload({
          namespace: ns,
          name,
          kind,
          id: `${ns}/${name}[${kind}]`,
          labels: labelsOf(template.metadata?.labels),
          ports: containerPorts(template.spec),
          serviceAccount: String(template.spec?.serviceAccountName || template.spec?.serviceAccount || 'default'),
          podCount: typeof replicas === 'number' ? replicas : 1,
          source: src,
        });
      }
    }
  }

  const workloads: Workload[] = [];
  for (const g of groups.values()) {
    if (g.variants.size > 1) {
      diags.push({
        ...g.w.source,
        severity: 'warning',
        message: `pods of ${g.w.id} have different labels; the labels of the first pod are used for the whole workload ` +
          '(netpol-analyzer rejects this when a policy selects on a differing label)',
      });
    }
    workloads.push(g.w);
  }
  workloads.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // namespaces used but not declared exist implicitly with their name label
  for (const w of workloads) {
    if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, implicitNamespace(w.namespace));
  }
  for (const p of policies) {
    if (p.namespace && !namespaces.has(p.namespace)) namespaces.set(p.namespace, implicitNamespace(p.namespace));
  }
  nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { namespaces, workloads, policies, services, cidrGroups, nodes, ingressTargets, skipped, diagnostics: diags };
}

/** The number a destination pod gives a named port of a protocol (the specification's reading, and Cilium's on ingress). */
export function ownNamedPort(dst: { readonly workload?: Workload }, name: string, protocol: string): number | undefined {
  return dst.workload?.ports.find((c) => c.name === name && c.protocol === protocol)?.port;
}

/** One number that pods give a named port of a protocol, with the workloads (ids, sorted) that give it. */
export interface NamedPortDeclaration {
  readonly port: number;
  readonly workloads: string[];
}

/**
 * The numbers all pods of the cluster give each named port, per protocol, sorted by number: what
 * Cilium's named port multi-map holds (pkg/types/portmap.go namedPortMultiMap, fed from the
 * ipcache). A port number below 1 is not a named port Cilium can use.
 */
export function clusterNamedPortDeclarations(workloads: readonly Workload[]): (name: string, protocol: string) => NamedPortDeclaration[] {
  const index = new Map<string, Map<number, Set<string>>>();
  for (const w of workloads) {
    for (const p of w.ports) {
      if (!p.name || p.port < 1) continue;
      const key = `${p.protocol}/${p.name}`;
      let byPort = index.get(key);
      if (!byPort) index.set(key, (byPort = new Map()));
      let ids = byPort.get(p.port);
      if (!ids) byPort.set(p.port, (ids = new Set()));
      ids.add(w.id);
    }
  }
  return (name, protocol) => [...(index.get(`${protocol}/${name}`) ?? new Map<number, Set<string>>()).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([port, ids]) => ({ port, workloads: [...ids].sort() }));
}

/**
 * The named ports of all pods of the cluster, as Cilium resolves an egress named port
 * (pkg/types/portmap.go namedPortMultiMap.GetNamedPort): the one number that pods give the name
 * with a matching protocol; none when they give it two numbers (ErrDuplicateNamedPorts) or none.
 */
export function clusterNamedPorts(workloads: readonly Workload[]): (name: string, protocol: string) => number | undefined {
  const declarations = clusterNamedPortDeclarations(workloads);
  const resolved = new Map<string, number | undefined>(); // the engine asks once per rule and peer
  return (name, protocol) => {
    const key = `${protocol}/${name}`;
    if (!resolved.has(key)) {
      const found = declarations(name, protocol);
      resolved.set(key, found.length === 1 ? found[0].port : undefined);
    }
    return resolved.get(key);
  };
}

/**
 * The cluster model built from plain manifests: namespaces, workloads (pods grouped by their owner
 * as netpol-analyzer does), policies, services and ingress resources (Route, Ingress).
 */
import { Diagnostic, SourceDoc } from './load';
import { CompiledSelector, compileSelector, Labels } from './selectors';

export const DEFAULT_NAMESPACE = 'default';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];
export const POLICY_KINDS = ['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];
const OTHER_USED_KINDS = ['Namespace', 'Pod', 'Service', 'Route', 'Ingress', 'CiliumCIDRGroup', 'Node'];

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

function labelsOf(x: any): Record<string, string> {
  const out: Record<string, string> = {};
  if (x && typeof x === 'object' && !Array.isArray(x)) {
    for (const k of Object.keys(x)) out[k] = x[k] === null || x[k] === undefined ? '' : String(x[k]);
  }
  return out;
}

function containerPorts(spec: any, where: string, src: SourceRef, diags: Diagnostic[]): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers = Array.isArray(spec?.containers) ? spec.containers : [];
  containers.forEach((c: any, ci: number) => {
    const ports = Array.isArray(c?.ports) ? c.ports : [];
    ports.forEach((p: any, pi: number) => {
      const n = Number(p?.containerPort);
      const protocol = String(p?.protocol ?? 'TCP').toUpperCase();
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        diags.push({
          ...src,
          severity: 'warning',
          message: `${where}.containers[${ci}].ports[${pi}].containerPort: ${JSON.stringify(p?.containerPort)} is not a port number 1-65535; ` +
            'this container port is ignored (check the spelling: containerPort)',
        });
        if (p?.name) out.push({ name: String(p.name), port: -1, protocol });
        return;
      }
      out.push({ name: p?.name ? String(p.name) : undefined, port: n, protocol });
    });
  });
  return out;
}

function implicitNamespace(name: string): NamespaceInfo {
  return { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false };
}

/** Build the cluster model from loaded documents. */
export function buildCluster(docs: SourceDoc[], diagnostics: Diagnostic[] = []): Cluster {
  const diags = diagnostics;
  const namespaces = new Map<string, NamespaceInfo>();
  const groups = new Map<string, { w: Workload; labelKey: string; variants: Set<string> }>();
  const policies: PolicyDoc[] = [];
  const services: ServiceInfo[] = [];
  const cidrGroups: CidrGroupInfo[] = [];
  const nodes: NodeInfo[] = [];
  const ingressTargets: IngressTarget[] = [];
  const skipped = new Map<string, number>();
  const policyKeys = new Set<string>();

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

  for (const d of docs) {
    const o = d.object;
    const src = ref(d);
    const kind = typeof o.kind === 'string' ? o.kind : undefined;
    if (!kind) {
      diags.push({ ...src, severity: 'error', message: 'document has no "kind"; skipped (every manifest needs apiVersion and kind)' });
      continue;
    }
    const meta = o.metadata && typeof o.metadata === 'object' ? o.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : undefined;
    const ns = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : DEFAULT_NAMESPACE;
    if (!WORKLOAD_KINDS.includes(kind) && !POLICY_KINDS.includes(kind) && !OTHER_USED_KINDS.includes(kind)) {
      skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
      continue;
    }
    if (!name) {
      diags.push({ ...src, severity: 'error', message: `${kind} has no metadata.name; skipped` });
      continue;
    }
    switch (kind) {
      case 'Namespace': {
        const labels = labelsOf(meta.labels);
        // The API server sets kubernetes.io/metadata.name on every namespace (Kubernetes >= 1.21).
        labels[NAMESPACE_NAME_LABEL] = name;
        namespaces.set(name, { name, labels, declared: true });
        break;
      }
      case 'Pod': {
        let ownerName = name;
        let ownerKind = 'Pod';
        const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences : [];
        // netpol-analyzer: the controller owner reference (not a Node) names the workload.
        const ctl = refs.find((r: any) => r && r.controller === true);
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
          ports: containerPorts(o.spec, 'spec', src, diags),
          serviceAccount: String(o.spec?.serviceAccountName ?? 'default'),
          podCount: 1,
          source: src,
        });
        break;
      }
      case 'Node':
        nodes.push({ name, labels: labelsOf(meta.labels), source: src });
        break;
      case 'CiliumCIDRGroup': {
        const cidrs = o.spec?.externalCIDRs;
        if (!name || !Array.isArray(cidrs)) {
          diags.push({ ...src, severity: 'error', message: 'CiliumCIDRGroup needs metadata.name and a spec.externalCIDRs list; ignored' });
          break;
        }
        cidrGroups.push({ name, labels: labelsOf(meta.labels), cidrs: cidrs.map(String) });
        break;
      }
      case 'Service': {
        const spec = o.spec ?? {};
        services.push({
          namespace: ns,
          name,
          labels: labelsOf(o.metadata?.labels),
          selector: spec.selector && typeof spec.selector === 'object' ? compileSelector({ matchLabels: labelsOf(spec.selector) }, 'spec.selector') : undefined,
          ports: (Array.isArray(spec.ports) ? spec.ports : []).map((p: any) => ({
            name: p?.name ? String(p.name) : undefined,
            port: Number(p?.port),
            targetPort: p?.targetPort,
            protocol: String(p?.protocol ?? 'TCP').toUpperCase(),
          })),
        });
        break;
      }
      case 'Route': {
        const spec = o.spec ?? {};
        const port = spec.port?.targetPort;
        const targets = [spec.to, ...(Array.isArray(spec.alternateBackends) ? spec.alternateBackends : [])];
        for (const t of targets) {
          if (!t || !t.name) continue;
          if (t.kind && t.kind !== 'Service') {
            diags.push({ ...src, severity: 'warning', message: `Route ${ns}/${name}: target kind ${t.kind} is not supported (only Service); ignored` });
            continue;
          }
          ingressTargets.push({ kind: 'Route', namespace: ns, name, service: String(t.name), port });
        }
        break;
      }
      case 'Ingress': {
        const spec = o.spec ?? {};
        const backends: any[] = [];
        if (spec.defaultBackend) backends.push(spec.defaultBackend);
        for (const r of Array.isArray(spec.rules) ? spec.rules : []) {
          for (const p of Array.isArray(r?.http?.paths) ? r.http.paths : []) backends.push(p?.backend);
        }
        for (const b of backends) {
          const svc = b?.service;
          if (!svc?.name) continue;
          const port = svc.port?.name ?? svc.port?.number;
          ingressTargets.push({ kind: 'Ingress', namespace: ns, name, service: String(svc.name), port });
        }
        break;
      }
      default: {
        if (POLICY_KINDS.includes(kind)) {
          const pns = kind === 'CiliumClusterwideNetworkPolicy' ? '' : ns;
          const key = `${kind}/${pns}/${name}`;
          if (policyKeys.has(key)) {
            diags.push({ ...src, severity: 'error', message: `duplicate ${kind} ${pns ? pns + '/' : ''}${name}: a later document with the same name replaces nothing; this one is ignored (rename it)` });
            break;
          }
          policyKeys.add(key);
          policies.push({ kind, namespace: pns, name, object: o, source: src });
          break;
        }
        // workloads: one equivalence class per workload, from the pod template
        let template: any;
        if (kind === 'CronJob') template = o.spec?.jobTemplate?.spec?.template;
        else template = o.spec?.template;
        if (!template || typeof template !== 'object') {
          diags.push({ ...src, severity: 'error', message: `${kind} ${ns}/${name}: no pod template (spec${kind === 'CronJob' ? '.jobTemplate.spec' : ''}.template); skipped` });
          break;
        }
        const replicas = kind === 'Job' ? o.spec?.parallelism : o.spec?.replicas;
        addWorkload({
          namespace: ns,
          name,
          kind,
          id: `${ns}/${name}[${kind}]`,
          labels: labelsOf(template.metadata?.labels),
          ports: containerPorts(template.spec, 'spec.template.spec', src, diags),
          serviceAccount: String(template.spec?.serviceAccountName ?? 'default'),
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

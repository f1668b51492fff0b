import { Linter, LintOptions } from '../../src';

export function np(name: string, spec: any, extra: { namespace?: string; annotations?: Record<string, string> } = {}): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: extra.namespace ?? 'shop', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec,
  };
}

export function cnp(name: string, spec: any, extra: { namespace?: string; annotations?: Record<string, string> } = {}): any {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name, namespace: extra.namespace ?? 'shop', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec,
  };
}

export function ccnp(name: string, spec: any): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

/** `ID field` of every finding. */
export function ids(manifests: any[], options?: LintOptions): string[] {
  return Linter.lintManifests(manifests, options).findings.map(f => `${f.checkId} ${f.field}`);
}

/** Ids of the findings of one check. */
export function only(id: string, manifests: any[], options?: LintOptions): string[] {
  return ids(manifests, options).filter(x => x.startsWith(`${id} `));
}

export const DNS_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

export const KUBE_DNS_CILIUM = {
  toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
  toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
};

// Workloads and namespaces for connectivity assertions on patterns (plain manifests).
import { Chart, Testing } from 'cdk8s';
import { Lint } from '../../src';
import { withManifests } from '../../src/testing';

export function namespace(name: string, labels: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export interface ContainerPortDef {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export function pod(ns: string, name: string, labels: Record<string, string>, ports: ContainerPortDef[] = []): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'main', image: 'registry.example/app:1', ports }] },
  };
}

/** The cluster DNS as most clusters run it. */
export function coreDns(): any[] {
  return [
    namespace('kube-system'),
    pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [
      { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    ]),
  ];
}

/** A chart in a fresh app, without namespace (manifests default to "default"). */
export function bareChart(ns?: string): Chart {
  return new Chart(Testing.app(), 'test', ns ? { namespace: ns } : {});
}

/** A chart in namespace `shop` with the lint enabled (warnings kept in `lint.findings`, not printed). */
export function shopChart(): { chart: Chart; lint: Lint } {
  const chart = bareChart('shop');
  const lint = Lint.enable(chart, { printWarnings: false });
  return { chart, lint };
}

/** The pattern's manifests together with the workloads of `cluster`, for the analyser matchers. */
export function onCluster(cluster: any[]): (manifests: any[]) => ReturnType<typeof withManifests> {
  return (manifests) => withManifests(manifests, cluster);
}

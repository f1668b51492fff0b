import { ConnectivityAnalysis } from '../../src/analysis';

export function ns(name: string, labels: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export interface PortDef { name?: string; containerPort: number; protocol?: string }

export function deploy(namespace: string, name: string, labels: Record<string, string>, ports: PortDef[] = [], extra: any = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports }], ...extra } },
    },
  };
}

export function netpol(namespace: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

export function cnp(namespace: string, name: string, spec: any): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec };
}

export function ccnp(name: string, spec: any): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

export function lines(manifests: any[]): string[] {
  return ConnectivityAnalysis.fromManifests(manifests).toText().split('\n').filter((l) => l);
}

export function analyze(manifests: any[]): ConnectivityAnalysis {
  return ConnectivityAnalysis.fromManifests(manifests);
}

/** Two namespaces, a web and an api workload in `shop` and a client in `other`. */
export function baseCluster(): any[] {
  return [
    ns('shop', { team: 'shop' }),
    ns('other', { team: 'other' }),
    deploy('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
    deploy('shop', 'api', { app: 'api', tier: 'backend' }, [{ name: 'http', containerPort: 9090 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
    deploy('other', 'client', { app: 'client' }),
  ];
}

export const WEB = 'shop/web[Deployment]';
export const API = 'shop/api[Deployment]';
export const CLIENT = 'other/client[Deployment]';
export const WORLD = '0.0.0.0-255.255.255.255[External]';

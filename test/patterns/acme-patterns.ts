// The pattern package of docs/publishing-patterns.md, compiled and tested here (publishing.test.ts
// checks that the page shows exactly this code, with the import from 'cdk8s-netpol').
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Lint, NetworkPolicy, NetworkPolicyPatterns, Pods, Port } from '../../src';

export interface AcmeServiceOptions {
  /** The service's pods. */
  readonly app: Pods;
  /** Ports the mesh gateway may reach. @default [Port.tcp(8080)] */
  readonly ports?: Port[];
  /** Metadata of the policies. @default - generated names */
  readonly metadata?: ApiObjectMetadata;
}

export class AcmePatterns {
  /** Default deny for the namespace, DNS through our resolver, and the gateway in. */
  public static service(scope: Construct, id: string, options: AcmeServiceOptions): NetworkPolicy {
    if (!(options?.app instanceof Pods)) {
      throw new Error(`AcmeServiceOptions.app: ${String(options?.app)} is required; pass Pods.withLabels({ app: "..." })`);
    }
    NetworkPolicyPatterns.defaultDenyAll(scope, `${id}-deny`);
    NetworkPolicyPatterns.allowDnsEgress(scope, `${id}-dns`, { dnsNamespace: 'dns', dnsPodLabels: { app: 'unbound' } });
    const gateway = NetworkPolicyPatterns.allowFromIngressController(scope, id, {
      metadata: options.metadata,
      podSelector: options.app,
      controllerNamespace: 'mesh-gateway',
      controllerPodLabels: { app: 'gateway' },
      ports: options.ports ?? [Port.tcp(8080)],
    });
    Lint.enable(gateway); // the lint runs at synth for every chart that uses the pattern
    return gateway;
  }

  private constructor() {}
}

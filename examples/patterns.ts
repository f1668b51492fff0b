// Patterns and the "Kubernetes Network Policy Recipes" catalogue.
// docs/recipes.md is generated from the recipe bodies below (between the `// <id>` and `// </id>`
// markers) and the YAML they synthesise; test/patterns/recipes-doc.test.ts keeps it in sync.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CiliumPolicyPatterns, Endpoints, Lint, NetworkPolicyPatterns, NetworkPolicyRecipes, Pods, Port } from '../src';

/** One recipe of the catalogue: its number, title and the code that writes it. */
export interface RecipeExample {
  readonly id: string;
  readonly title: string;
  readonly build: (scope: Construct) => void;
}

export const RECIPE_EXAMPLES: RecipeExample[] = [
  {
    id: '01',
    title: 'Deny all traffic to an application',
    build: (scope) => {
      // <01>
      NetworkPolicyRecipes.denyAllToApp(scope, 'web-deny-all', {
        metadata: { name: 'web-deny-all' },
        app: Pods.withLabels({ app: 'web' }),
      });
      // </01>
    },
  },
  {
    id: '02',
    title: 'Limit traffic to an application',
    build: (scope) => {
      // <02>
      NetworkPolicyRecipes.limitTrafficToApp(scope, 'api-allow', {
        metadata: { name: 'api-allow' },
        app: Pods.withLabels({ app: 'bookstore', role: 'api' }),
        from: [Pods.withLabels({ app: 'bookstore' })],
      });
      // </02>
    },
  },
  {
    id: '02a',
    title: 'Allow all traffic to an application',
    build: (scope) => {
      // <02a>
      NetworkPolicyRecipes.allowAllToApp(scope, 'web-allow-all', {
        metadata: { name: 'web-allow-all' },
        app: Pods.withLabels({ app: 'web' }),
      });
      // </02a>
    },
  },
  {
    id: '03',
    title: 'Deny all non-whitelisted traffic in the namespace',
    build: (scope) => {
      // <03>
      NetworkPolicyRecipes.denyAllNonWhitelisted(scope, 'default-deny-all', {
        metadata: { name: 'default-deny-all' },
      });
      // </03>
    },
  },
  {
    id: '04',
    title: 'Deny traffic from other namespaces',
    build: (scope) => {
      // <04>
      NetworkPolicyRecipes.denyFromOtherNamespaces(scope, 'deny-from-other-namespaces', {
        metadata: { name: 'deny-from-other-namespaces' },
      });
      // </04>
    },
  },
  {
    id: '05',
    title: 'Allow traffic to an application from all namespaces',
    build: (scope) => {
      // <05>
      NetworkPolicyRecipes.allowFromAllNamespaces(scope, 'web-allow-all-namespaces', {
        metadata: { name: 'web-allow-all-namespaces' },
        app: Pods.withLabels({ app: 'web' }),
      });
      // </05>
    },
  },
  {
    id: '06',
    title: 'Allow traffic to an application from a namespace',
    build: (scope) => {
      // <06>
      NetworkPolicyRecipes.allowFromNamespace(scope, 'web-allow-prod', {
        metadata: { name: 'web-allow-prod' },
        app: Pods.withLabels({ app: 'web' }),
        namespaceLabels: { purpose: 'production' },
      });
      // </06>
    },
  },
  {
    id: '07',
    title: 'Allow traffic from some pods in another namespace',
    build: (scope) => {
      // <07>
      NetworkPolicyRecipes.allowFromPodsInNamespace(scope, 'web-allow-all-ns-monitoring', {
        metadata: { name: 'web-allow-all-ns-monitoring' },
        app: Pods.withLabels({ app: 'web' }),
        namespaceLabels: { team: 'operations' },
        podLabels: { type: 'monitoring' },
      });
      // </07>
    },
  },
  {
    id: '08',
    title: 'Allow external traffic to an application',
    build: (scope) => {
      // <08>
      NetworkPolicyRecipes.allowExternal(scope, 'web-allow-external', {
        metadata: { name: 'web-allow-external' },
        app: Pods.withLabels({ app: 'web' }),
      });
      // </08>
    },
  },
  {
    id: '09',
    title: 'Allow traffic only to a port of an application',
    build: (scope) => {
      // <09>
      NetworkPolicyRecipes.allowToPort(scope, 'api-allow-5000', {
        metadata: { name: 'api-allow-5000' },
        app: Pods.withLabels({ app: 'apiserver' }),
        from: [Pods.withLabels({ role: 'monitoring' })],
        ports: [Port.tcp(5000)],
      });
      // </09>
    },
  },
  {
    id: '10',
    title: 'Allow traffic from applications using multiple selectors',
    build: (scope) => {
      // <10>
      NetworkPolicyRecipes.allowFromMultipleSelectors(scope, 'redis-allow-services', {
        metadata: { name: 'redis-allow-services' },
        app: Pods.withLabels({ app: 'bookstore', role: 'db' }),
        from: [
          Pods.withLabels({ app: 'bookstore', role: 'search' }),
          Pods.withLabels({ app: 'bookstore', role: 'api' }),
          Pods.withLabels({ app: 'inventory', role: 'web' }),
        ],
      });
      // </10>
    },
  },
  {
    id: '11',
    title: 'Deny egress traffic from an application (keeping DNS)',
    build: (scope) => {
      // <11>
      NetworkPolicyRecipes.denyEgressFromApp(scope, 'foo-deny-egress', {
        metadata: { name: 'foo-deny-egress' },
        app: Pods.withLabels({ app: 'foo' }),
        allowDns: true,
      });
      // </11>
    },
  },
  {
    id: '12',
    title: 'Deny all non-whitelisted egress traffic in the namespace',
    build: (scope) => {
      // <12>
      const deny = NetworkPolicyRecipes.denyAllEgressInNamespace(scope, 'default-deny-all-egress', {
        metadata: { name: 'default-deny-all-egress' },
      });
      // Without DNS nothing resolves; the lint (NP001) says so unless the decision is recorded:
      Lint.suppress(deny.apiObject, 'NP001', 'DNS is allowed per application by other policies');
      // </12>
    },
  },
  {
    id: '14',
    title: 'Deny external egress traffic',
    build: (scope) => {
      // <14>
      NetworkPolicyRecipes.denyExternalEgress(scope, 'foo-deny-external-egress', {
        metadata: { name: 'foo-deny-external-egress' },
        app: Pods.withLabels({ app: 'foo' }),
      });
      // </14>
    },
  },
];

/** The building blocks for one namespace: default deny plus the usual allows. */
export function shopPatterns(scope: Construct): void {
  NetworkPolicyPatterns.defaultDenyAll(scope, 'default-deny', { metadata: { name: 'default-deny' } });
  NetworkPolicyPatterns.allowDnsEgress(scope, 'allow-dns', { metadata: { name: 'allow-dns' } });
  NetworkPolicyPatterns.allowSameNamespace(scope, 'allow-same-namespace', { metadata: { name: 'allow-same-namespace' } });
  NetworkPolicyPatterns.allowFromIngressController(scope, 'allow-ingress-controller', {
    metadata: { name: 'allow-ingress-controller' },
    podSelector: Pods.withLabels({ app: 'web' }),
    ports: [Port.tcp(8080)],
  });
  NetworkPolicyPatterns.allowPrometheusScrape(scope, 'allow-prometheus', {
    metadata: { name: 'allow-prometheus' },
    metricsPort: Port.named('metrics'),
  });
  NetworkPolicyPatterns.allowToApiServer(scope, 'allow-apiserver', {
    metadata: { name: 'allow-apiserver' },
    podSelector: Pods.withLabels({ app: 'operator' }),
    cidrs: ['10.96.0.1/32', '172.18.0.2/32'],
  });
  NetworkPolicyPatterns.allowFromNamespace(scope, 'allow-from-frontend', {
    metadata: { name: 'allow-from-frontend' },
    podSelector: Pods.withLabels({ app: 'api' }),
    namespace: 'frontend',
    ports: [Port.tcp(8080)],
  });
}

/**
 * Kubernetes has no deny rule: denyCloudMetadata allows every egress but the metadata endpoint, so it
 * belongs in a namespace without an egress default deny (next to one, the lint reports the other egress
 * rules as shadowed, NP004).
 */
export function batchPatterns(scope: Construct): void {
  NetworkPolicyPatterns.denyCloudMetadata(scope, 'deny-cloud-metadata', { metadata: { name: 'deny-cloud-metadata' } });
}

/**
 * The Cilium flavours: a cluster-wide default deny (DNS kept), FQDN egress, the API server, no cloud
 * metadata. The cluster-wide policies sit in the same chart as the namespaced ones so that the
 * synth-time lint sees that DNS is allowed (a lint per chart sees its chart only; Lint.enable(app)
 * lints all charts together).
 */
export function ciliumPatterns(shop: Construct): void {
  CiliumPolicyPatterns.clusterwideDefaultDeny(shop, 'cluster-default-deny', { metadata: { name: 'cluster-default-deny' } });
  CiliumPolicyPatterns.denyCloudMetadata(shop, 'deny-cloud-metadata', { metadata: { name: 'deny-cloud-metadata' }, clusterwide: true });
  CiliumPolicyPatterns.allowFromIngressController(shop, 'allow-ingress', {
    metadata: { name: 'allow-ingress' },
    endpointSelector: Endpoints.withLabels({ app: 'web' }),
    ports: [Port.tcp(8080)],
  });
  CiliumPolicyPatterns.allowFqdnEgress(shop, 'allow-payments-api', {
    metadata: { name: 'allow-payments-api' },
    endpointSelector: Endpoints.withLabels({ app: 'checkout' }),
    fqdns: ['api.stripe.com'],
  });
  CiliumPolicyPatterns.allowToApiServer(shop, 'allow-apiserver', {
    metadata: { name: 'allow-apiserver' },
    endpointSelector: Endpoints.withLabels({ app: 'operator' }),
  });
}

export function patternExamples(app: App): void {
  // its own namespace: the shop chart of kubernetes.ts has a default-deny and allow-dns too, and one
  // object per kind, namespace and name is what a cluster keeps
  shopPatterns(new Chart(app, 'network-policy-patterns', { namespace: 'store' }));
  batchPatterns(new Chart(app, 'cloud-metadata-pattern', { namespace: 'batch' }));
  ciliumPatterns(new Chart(app, 'cilium-patterns', { namespace: 'shop-cilium' }));
  for (const r of RECIPE_EXAMPLES) {
    r.build(new Chart(app, `recipe-${r.id}`, { namespace: 'default' }));
  }
}

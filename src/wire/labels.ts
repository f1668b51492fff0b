/**
 * Label keys, label sources and annotation keys with a meaning for network policy: the one
 * table of them. Kubernetes sets some (kubernetes.io/metadata.name); Cilium derives others for
 * every endpoint's identity (pkg/k8s/apis/cilium.io const.go, pkg/labels).
 */

/** Set by the API server on every Namespace (Kubernetes 1.21+, NamespaceDefaultLabelName). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Cilium: the pod's namespace (`k8s:` source). */
export const CILIUM_POD_NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
/** Cilium: prefix of the labels copied from the pod's Namespace (`io.cilium.k8s.namespace.labels.<key>`). */
/** Pod labels under this prefix are Cilium's own: Cilium drops them from the pod's labels (pkg/k8s/utils RemoveCiliumLabels). */
export const CILIUM_OWNED_LABEL_PREFIX = 'io.cilium.k8s';

export const CILIUM_NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** Cilium: the pod's service account. */
export const CILIUM_SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';
/** Cilium: the cluster name (`default` unless configured). */
export const CILIUM_CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
/** Cilium: policy labels derived for a rule (derived-from, name, namespace, uid). */
export const CILIUM_POLICY_DERIVED_FROM_KEY = 'io.cilium.k8s.policy.derived-from';

/** Label sources Cilium knows (pkg/labels: LabelSource*): a key `source:name`. */
export const CILIUM_LABEL_SOURCES = ['k8s', 'any', 'reserved', 'unspec', 'container', 'cidr', 'fqdn', 'cilium-generated', 'kvstore', 'node', 'cluster', 'unknown'] as const;
/** Sources under which a selector key names a Kubernetes pod (or namespace) label. */
export const CILIUM_K8S_SOURCES = ['k8s', 'any'] as const;
/** The source of Cilium's reserved identities (`reserved:world`, `reserved:host`, ...). */
export const CILIUM_RESERVED_SOURCE = 'reserved';

/** `k8s:io.kubernetes.pod.namespace`: the form the constructs write. */
export const CILIUM_POD_NAMESPACE_LABEL = `k8s:${CILIUM_POD_NAMESPACE_KEY}`;

/**
 * A Cilium selector key as the label key it matches: `k8s:`/`any:` name pod labels (the source is
 * dropped), everything else (`reserved:host`, plain keys) is kept as written.
 */
export function ciliumKeyWithoutK8sSource(key: string): string {
  if (key.startsWith('k8s:') || key.startsWith('any:')) return key.slice(4);
  return key;
}

/** The annotation that suppresses lint checks on an object (`"NP001: reason"`). */
export const LINT_IGNORE_ANNOTATION = 'cdk8s-netpol.io/lint-ignore';
/** Cilium's L7 visibility annotation on pods (removed in 1.17). */
export const CILIUM_PROXY_VISIBILITY_ANNOTATION = 'policy.cilium.io/proxy-visibility';

/**
 * Cilium's extended form of a selector key (pkg/labels GetExtendedKeyFrom): `source.key`, with
 * `any` when no source is given, `$x` meaning `reserved.x`, a bare `reserved:`-less key starting
 * with `reserved.` kept, and anything from `=` on dropped. Cilium validates selectors in this form.
 */
export function ciliumExtendedKey(key: string): string {
  let src = '';
  let next = key;
  if (key.startsWith('$')) {
    src = CILIUM_RESERVED_SOURCE;
    next = key.slice(1);
  } else {
    const i = key.indexOf(':');
    if (i >= 0) {
      src = key.slice(0, i);
      next = key.slice(i + 1);
    } else if (key.startsWith(`${CILIUM_RESERVED_SOURCE}.`)) {
      src = CILIUM_RESERVED_SOURCE;
      next = key.slice(CILIUM_RESERVED_SOURCE.length + 1);
    }
  }
  if (src === '') src = 'any';
  const eq = next.indexOf('=');
  return `${src}.${eq >= 0 ? next.slice(0, eq) : next}`;
}

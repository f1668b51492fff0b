/**
 * Cilium's default identity label filter: which pod labels become part of an endpoint's security
 * identity, and so can be matched by a selector (pkg/labelsfilter filter.go: defaultLabelPrefixCfg,
 * LabelPrefix.matches, labelPrefixCfg.filterLabels). A selector on a label the filter drops matches
 * no endpoint. Agents started with `--labels` or a label prefix file filter differently.
 */

interface LabelPrefix {
  readonly pattern: RegExp;
  readonly ignore: boolean;
}

const include = (p: string): LabelPrefix => ({ pattern: new RegExp(p), ignore: false });
const ignore = (p: string): LabelPrefix => ({ pattern: new RegExp(p), ignore: true });
const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** defaultLabelPrefixCfg, in its order (reserved: labels are not pod labels and are left out). */
const DEFAULT_LABEL_PREFIXES: readonly LabelPrefix[] = [
  include(quote('io.kubernetes.pod.namespace')),
  include(quote('io.cilium.k8s.namespace.labels')),
  include(quote('app.kubernetes.io')),
  include(quote('io.cilium.k8s.policy.cluster')),
  ignore('io\\.kubernetes'),
  ignore('kubernetes\\.io'),
  ignore(quote('statefulset.kubernetes.io/pod-name')),
  ignore(quote('apps.kubernetes.io/pod-index')),
  ignore(quote('batch.kubernetes.io/job-completion-index')),
  ignore(quote('batch.kubernetes.io/controller-uid')),
  ignore('.*beta\\.kubernetes\\.io'),
  ignore('k8s\\.io'),
  ignore('pod-template-generation'),
  ignore('pod-template-hash'),
  ignore('controller-revision-hash'),
  ignore('controller-uid'),
  ignore('annotation.*'),
  ignore('etcd_node'),
];

/**
 * Whether a pod label key is kept in the identity by the default filter. A prefix matches when its
 * leftmost match starts the key (LabelPrefix.matches); a key is kept when no ignore prefix matches,
 * or an include prefix matches a longer start than the shortest matching ignore prefix.
 */
export function isCiliumIdentityLabel(key: string): boolean {
  // a cluster has few distinct label keys, each asked for once per pod
  let kept = identityLabelCache.get(key);
  if (kept === undefined) {
    if (identityLabelCache.size >= IDENTITY_LABEL_CACHE_SIZE) identityLabelCache.clear();
    identityLabelCache.set(key, (kept = matchesDefaultFilter(key)));
  }
  return kept;
}

const IDENTITY_LABEL_CACHE_SIZE = 10000;
const identityLabelCache = new Map<string, boolean>();

function matchesDefaultFilter(key: string): boolean {
  let included = 0;
  let ignored = 0;
  for (const p of DEFAULT_LABEL_PREFIXES) {
    const m = p.pattern.exec(key);
    if (!m || m.index !== 0) continue;
    const len = m[0].length;
    if (p.ignore) {
      if (ignored === 0 || len < ignored) ignored = len;
    } else if (len > included) {
      included = len;
    }
  }
  return ignored === 0 || included > ignored;
}

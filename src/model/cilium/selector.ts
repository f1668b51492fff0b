import { CILIUM_NAMESPACE_LABELS_PREFIX as WIRE_NS_PREFIX, CILIUM_POD_NAMESPACE_LABEL } from '../../wire/labels';
import { invalid } from '../errors';
import { validateDns1123Label, validateLabelKey, validateLabelValue } from '../names';
import { LabelOperator, LabelSelector } from '../selector';

/**
 * Label keys Cilium adds to every endpoint's identity (pkg/k8s/apis/cilium.io/const.go).
 * The `k8s:` source prefix makes sure they only match labels that come from Kubernetes.
 */
export { CILIUM_POD_NAMESPACE_LABEL } from '../../wire/labels';
/** Prefix of the labels Cilium copies from an endpoint's namespace: `k8s:io.cilium.k8s.namespace.labels.<key>`. */
export const CILIUM_NAMESPACE_LABELS_PREFIX = `k8s:${WIRE_NS_PREFIX}`;

/** One requirement of a selector in Cilium's wire format (keys may carry a source such as `k8s:`). */
export interface CiliumSelectorRequirement {
  /** Label key, possibly with a Cilium source prefix. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /** Values for In/NotIn. @default - none */
  readonly values?: string[];
}

/** A label selector in Cilium's wire format (an EndpointSelector / NodeSelector). */
export interface CiliumSelectorConfig {
  /** Label equality requirements, keys sorted. */
  readonly matchLabels: { [key: string]: string };
  /** Expression requirements, in order. */
  readonly matchExpressions: CiliumSelectorRequirement[];
}

/** The wire form of a shared LabelSelector plus Cilium-only requirements. @internal */
export function ciliumSelector(selector: LabelSelector, extraLabels: { [key: string]: string } = {},
  extraExpressions: CiliumSelectorRequirement[] = []): CiliumSelectorConfig {
  const matchLabels: { [key: string]: string } = { ...selector.matchLabels, ...extraLabels };
  const sorted: { [key: string]: string } = {};
  for (const k of Object.keys(matchLabels).sort()) sorted[k] = matchLabels[k];
  return {
    matchLabels: sorted,
    matchExpressions: [
      ...selector.matchExpressions.map(e => (e.values.length
        ? { key: e.key, operator: e.operator, values: [...e.values] }
        : { key: e.key, operator: e.operator })),
      ...extraExpressions,
    ],
  };
}

/** A Kubernetes namespace label key as Cilium sees it on endpoints. @internal */
export function namespaceLabelKey(field: string, key: string): string {
  validateLabelKey(field, key);
  return `${CILIUM_NAMESPACE_LABELS_PREFIX}${key}`;
}

/** Validates namespace names and returns the Cilium requirement selecting them. @internal */
export function namespaceRequirement(field: string, names: string[]):
{ labels: { [key: string]: string }; expressions: CiliumSelectorRequirement[] } {
  if (!Array.isArray(names) || names.length === 0) {
    throw invalid(field, names, 'needs at least one namespace name', 'pass names, or use inAnyNamespace()');
  }
  names.forEach((n, i) => validateDns1123Label(`${field}[${i}]`, n));
  const unique = Array.from(new Set(names)).sort();
  return unique.length === 1
    ? { labels: { [CILIUM_POD_NAMESPACE_LABEL]: unique[0] }, expressions: [] }
    : { labels: {}, expressions: [{ key: CILIUM_POD_NAMESPACE_LABEL, operator: LabelOperator.IN, values: unique }] };
}

/** Validates namespace labels and returns their Cilium form. @internal */
export function namespaceLabels(field: string, labels: { [key: string]: string }): { [key: string]: string } {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels) || Object.keys(labels).length === 0) {
    throw invalid(field, labels, 'is not a non-empty map of namespace labels', 'pass an object such as { team: "payments" }');
  }
  const out: { [key: string]: string } = {};
  for (const key of Object.keys(labels).sort()) {
    const k = namespaceLabelKey(`${field} key`, key);
    validateLabelValue(`${field}["${key}"]`, labels[key]);
    out[k] = labels[key];
  }
  return out;
}

/** Stable text of a wire selector. @internal */
export function selectorText(s: CiliumSelectorConfig): string {
  const parts = [
    ...Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...s.matchExpressions.map(e => (e.values ? `${e.key} ${e.operator} (${e.values.join(',')})` : `${e.operator} ${e.key}`)),
  ];
  return parts.join(',') || '*';
}

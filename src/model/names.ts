import { invalid } from './errors';

// Kubernetes object-name and label syntax, as enforced by the API server
// (k8s.io/apimachinery/pkg/util/validation: IsDNS1123Label, IsDNS1123Subdomain,
// IsQualifiedName, IsValidLabelValue).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** @internal */
export function validateDns1123Label(field: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid(field, name, 'is empty', 'give a lowercase RFC 1123 label such as "my-name"');
  }
  if (name.length > 63) {
    throw invalid(field, name, `is ${name.length} characters long`, 'use at most 63 characters (RFC 1123 label)');
  }
  if (!DNS1123_LABEL.test(name)) {
    throw invalid(field, name, 'is not a valid RFC 1123 label',
      'use lowercase letters, digits and "-", starting and ending with a letter or digit');
  }
}

/** @internal */
export function validateDns1123Subdomain(field: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid(field, name, 'is empty', 'give a lowercase RFC 1123 subdomain such as "my-policy"');
  }
  if (name.length > 253) {
    throw invalid(field, name, `is ${name.length} characters long`, 'use at most 253 characters (RFC 1123 subdomain)');
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    throw invalid(field, name, 'is not a valid RFC 1123 subdomain',
      'use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit');
  }
}

// Keys and values already found valid: large apps repeat the same few thousands of times.
const VALID_KEYS = new Set<string>();
const VALID_VALUES = new Set<string>();
const VALID_MAX = 10_000;

function remember(set: Set<string>, text: string): void {
  if (set.size >= VALID_MAX) set.clear();
  set.add(text);
}

/** Label keys are qualified names: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. @internal */
export function validateLabelKey(field: string, key: string): void {
  if (VALID_KEYS.has(key)) return;
  checkLabelKey(field, key);
  remember(VALID_KEYS, key);
}

function checkLabelKey(field: string, key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalid(field, key, 'is an empty label key', 'give a key such as "app" or "example.com/tier"');
  }
  const parts = key.split('/');
  if (parts.length > 2) {
    throw invalid(field, key, 'is not a valid label key (more than one "/")', 'use "prefix/name" or "name"');
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      throw invalid(field, key, 'has an invalid prefix', 'the part before "/" must be a lowercase DNS subdomain such as "example.com"');
    }
  }
  if (name.length === 0 || name.length > 63) {
    throw invalid(field, key, 'has a name part that is empty or longer than 63 characters', 'use 1 to 63 characters after the prefix');
  }
  if (!QUALIFIED_NAME_PART.test(name)) {
    throw invalid(field, key, 'is not a valid label key',
      'use letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
  }
}

/** @internal */
export function validateLabelValue(field: string, value: string): void {
  if (VALID_VALUES.has(value)) return;
  checkLabelValue(field, value);
  remember(VALID_VALUES, value);
}

function checkLabelValue(field: string, value: string): void {
  if (typeof value !== 'string') {
    throw invalid(field, value, 'is not a string', 'label values are strings; quote numbers and booleans');
  }
  if (value.length > 63) {
    throw invalid(field, value, `is ${value.length} characters long`, 'label values have at most 63 characters');
  }
  if (!LABEL_VALUE.test(value)) {
    throw invalid(field, value, 'is not a valid label value',
      'use letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or the empty string)');
  }
}

/**
 * cdk8s renders every map of a manifest through its sanitizeValue (cdk8s src/_util.ts), which
 * rejects an object whose `constructor` is not Object: a map with a key named "constructor" fails
 * synth with "can't render non-simple object". The API server would accept the key; cdk8s cannot
 * write it, so the constructs refuse it where it is given. @internal
 */
export function validateRenderableKey(field: string, key: string): void {
  if (key === 'constructor') {
    throw invalid(field, key, 'is a map key cdk8s cannot render (its sanitizeValue reads obj.constructor)', 'rename the key');
  }
}

/** Validates a label map and returns a copy with keys in sorted order. @internal */
export function validatedLabels(field: string, labels: { [key: string]: string }): { [key: string]: string } {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw invalid(field, labels, 'is not a map of labels', 'pass an object such as { app: "web" }');
  }
  const out: { [key: string]: string } = {};
  for (const key of Object.keys(labels).sort()) {
    validateLabelKey(`${field} key`, key);
    validateRenderableKey(`${field} key`, key);
    validateLabelValue(`${field}["${key}"]`, labels[key]);
    out[key] = labels[key];
  }
  return out;
}

// apimachinery pkg/api/validation ValidateAnnotations: TotalAnnotationSizeLimitB, keys plus values.
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * The labels and annotations of an object's metadata, as the API server's ValidateObjectMeta
 * checks them (label keys and values, annotation keys, the total annotation size). @internal
 */
export function validateMetadataLabelsAndAnnotations(kind: string,
  metadata: { labels?: { [key: string]: string }; annotations?: { [key: string]: string } } | undefined): void {
  if (metadata === undefined) return;
  if (metadata === null || typeof metadata !== 'object') {
    throw invalid(`${kind}.metadata`, metadata, 'is not an object', 'pass { name: "my-policy", labels: {...} }');
  }
  if (metadata.labels !== undefined) validatedLabels(`${kind}.metadata.labels`, metadata.labels);
  const annotations = metadata.annotations;
  if (annotations === undefined) return;
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) {
    throw invalid(`${kind}.metadata.annotations`, annotations, 'is not a map of annotations', 'pass an object such as { "example.com/owner": "team-a" }');
  }
  let size = 0;
  for (const key of Object.keys(annotations).sort()) {
    validateLabelKey(`${kind}.metadata.annotations key`, key);
    validateRenderableKey(`${kind}.metadata.annotations key`, key);
    const value = annotations[key];
    if (typeof value !== 'string') {
      throw invalid(`${kind}.metadata.annotations["${key}"]`, value, 'is not a string', 'annotation values are strings; quote numbers and booleans');
    }
    size += key.length + value.length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    throw invalid(`${kind}.metadata.annotations`, `${size} bytes`, `exceed the API server's total of ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`, 'move large data out of annotations');
  }
}

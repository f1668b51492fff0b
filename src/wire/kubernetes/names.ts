/**
 * Name, label and port syntax as the API server checks it (k8s.io/apimachinery
 * pkg/util/validation validation.go: IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName,
 * IsValidLabelValue, IsValidPortName, IsValidPortNum). Each function returns the problem and
 * the fix as one message, or undefined when the value is valid; the constructs turn the
 * message into an error, the reader into a diagnostic.
 */
import { DNS1123_LABEL_MAX_LENGTH, DNS1123_SUBDOMAIN_MAX_LENGTH, LABEL_VALUE_MAX_LENGTH, PORT_MAX, PORT_MIN, PORT_NAME_MAX_LENGTH, QUALIFIED_NAME_MAX_LENGTH } from '../limits';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PORT_NAME_CHARS = /^[-a-z0-9]+$/;

/** A problem with a value: what is wrong, then how to fix it. */
export interface SyntaxProblem {
  readonly problem: string;
  readonly fix: string;
}

export function dns1123LabelProblem(name: string): SyntaxProblem | undefined {
  if (name.length === 0) return { problem: 'is empty', fix: 'give a lowercase RFC 1123 label such as "my-name"' };
  if (name.length > DNS1123_LABEL_MAX_LENGTH) return { problem: `is ${name.length} characters long`, fix: `use at most ${DNS1123_LABEL_MAX_LENGTH} characters (RFC 1123 label)` };
  if (!DNS1123_LABEL.test(name)) {
    return { problem: 'is not a valid RFC 1123 label', fix: 'use lowercase letters, digits and "-", starting and ending with a letter or digit' };
  }
  return undefined;
}

export function dns1123SubdomainProblem(name: string): SyntaxProblem | undefined {
  if (name.length === 0) return { problem: 'is empty', fix: 'give a lowercase RFC 1123 subdomain such as "my-policy"' };
  if (name.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    return { problem: `is ${name.length} characters long`, fix: `use at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters (RFC 1123 subdomain)` };
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return { problem: 'is not a valid RFC 1123 subdomain', fix: 'use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit' };
  }
  return undefined;
}

/** Label and annotation keys: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function qualifiedNameProblem(key: string): SyntaxProblem | undefined {
  if (key.length === 0) return { problem: 'is an empty key', fix: 'give a key such as "app" or "example.com/tier"' };
  // (indexes rather than split: keys are checked for every label of every object read)
  const slash = key.indexOf('/');
  if (slash >= 0 && key.indexOf('/', slash + 1) >= 0) return { problem: 'is not a valid key (more than one "/")', fix: 'use "prefix/name" or "name"' };
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > DNS1123_SUBDOMAIN_MAX_LENGTH || !DNS1123_SUBDOMAIN.test(prefix)) {
      return { problem: 'has an invalid prefix', fix: 'the part before "/" must be a lowercase DNS subdomain such as "example.com"' };
    }
  }
  if (name.length === 0 || name.length > QUALIFIED_NAME_MAX_LENGTH) {
    return { problem: `has a name part that is empty or longer than ${QUALIFIED_NAME_MAX_LENGTH} characters`, fix: `use 1 to ${QUALIFIED_NAME_MAX_LENGTH} characters after the prefix` };
  }
  if (!QUALIFIED_NAME_PART.test(name)) {
    return { problem: 'is not a valid key', fix: 'use letters, digits, "-", "_" and ".", starting and ending with a letter or digit' };
  }
  return undefined;
}

export function labelValueProblem(value: string): SyntaxProblem | undefined {
  if (value.length > LABEL_VALUE_MAX_LENGTH) return { problem: `is ${value.length} characters long`, fix: `label values have at most ${LABEL_VALUE_MAX_LENGTH} characters` };
  if (!LABEL_VALUE.test(value)) {
    return { problem: 'is not a valid label value', fix: 'use letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or the empty string)' };
  }
  return undefined;
}

/** IANA service names, the form of named container ports. */
export function portNameProblem(name: string): SyntaxProblem | undefined {
  const fix = `use 1-${PORT_NAME_MAX_LENGTH} lowercase letters, digits and "-", with at least one letter, no "--", not starting or ending with "-"`;
  if (name.length === 0 || name.length > PORT_NAME_MAX_LENGTH) return { problem: `is not a valid port name (${name.length} characters)`, fix };
  if (!PORT_NAME_CHARS.test(name)) return { problem: 'is not a valid port name (only lowercase letters, digits and "-")', fix };
  if (!/[a-z]/.test(name)) return { problem: 'is not a valid port name (needs a letter)', fix };
  if (name.includes('--')) return { problem: 'is not a valid port name (contains "--")', fix };
  if (name.startsWith('-') || name.endsWith('-')) return { problem: 'is not a valid port name (starts or ends with "-")', fix };
  return undefined;
}

export function portNumberProblem(port: number): SyntaxProblem | undefined {
  if (!Number.isInteger(port) || port < PORT_MIN || port > PORT_MAX) return { problem: `is not a port number ${PORT_MIN}-${PORT_MAX}`, fix: `use a number from ${PORT_MIN} to ${PORT_MAX}` };
  return undefined;
}

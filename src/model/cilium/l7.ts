import { KAFKA_API_KEYS, KAFKA_MAX_API_VERSION, KAFKA_MAX_TOPIC_LENGTH, KAFKA_TOPIC_CHARS, kafkaApiVersionValue } from '../../wire/cilium/l7';
import { compileGoRegExp } from '../../wire/goregexp';
import { invalid } from '../errors';
import { validateDns1123Label, validateDns1123Subdomain, validateRenderableKey } from '../names';
import { validateDnsName, validateDnsPattern } from './dns-names';


/**
 * Cilium (Envoy) evaluates HTTP method, path and host as RE2 regular expressions
 * (pkg/policy/api/http.go: "extended POSIX regex"; Envoy's safe_regex is RE2), which have no
 * lookaround and no backreferences. The same engine (re2js) checks them here.
 */
function validateRe2(field: string, value: string, example: string): void {
  if (typeof value !== 'string') {
    throw invalid(field, value, 'is not a string', `give a regular expression such as ${example}, or leave it out to match everything`);
  }
  if (value.length === 0) {
    throw invalid(field, value, 'is empty', `give a regular expression such as ${example}, or leave it out to match everything`);
  }
  const detail = compileGoRegExp(value);
  if (detail !== undefined) {
    throw invalid(field, value, `is not a valid RE2 regular expression (${detail})`,
      'RE2 has no lookahead/lookbehind ("(?=", "(?!", "(?<=") and no backreferences ("\\1"); rewrite it without them');
  }
}

/** Longest host name the CRD's `format: idn-hostname` admits (RFC 1034 names, as schema checkers apply it). */
const MAX_HOST_LENGTH = 253;

// RFC 9110 field-name token.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function validateHeaderName(field: string, name: string): void {
  if (typeof name !== 'string' || !HEADER_NAME.test(name)) {
    throw invalid(field, name, 'is not a valid HTTP header name', 'use an RFC 9110 token such as "X-Request-Id" (no spaces, colons or quotes)');
  }
}

function validateHeaderValue(field: string, value: string): void {
  if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
    throw invalid(field, value, 'is not a valid HTTP header value', 'use a single-line string without CR, LF or NUL');
  }
  if (value !== value.trim()) {
    throw invalid(field, value, 'has leading or trailing whitespace, which HTTP strips', 'remove the surrounding spaces');
  }
}

/** What Cilium does when a header match fails. */
export enum HeaderMismatchAction {
  /** Log the mismatch and let the request through. */
  LOG = 'LOG',
  /** Add the header with the expected value. */
  ADD = 'ADD',
  /** Remove the header. */
  DELETE = 'DELETE',
  /** Replace the header's value with the expected one. */
  REPLACE = 'REPLACE',
}

/** A reference to a Kubernetes Secret. */
export interface SecretRef {
  /** Secret name. */
  readonly name: string;
  /** Secret namespace. @default - the policy's namespace (for a clusterwide policy, Cilium's secrets namespace) */
  readonly namespace?: string;
}

function validateSecret(field: string, secret: SecretRef): void {
  if (!secret || typeof secret !== 'object') throw invalid(field, secret, 'is not a secret reference', 'pass { name: "my-secret" }');
  validateDns1123Subdomain(`${field}.name`, secret.name);
  if (secret.namespace !== undefined) validateDns1123Label(`${field}.namespace`, secret.namespace);
}

function renderSecret(secret: SecretRef): { name: string; namespace?: string } {
  return secret.namespace !== undefined ? { name: secret.name, namespace: secret.namespace } : { name: secret.name };
}

/** Options of an HTTP header match. */
export interface HeaderMatchOptions {
  /** The expected value. @default - the value comes from `secret`, or only presence is required */
  readonly value?: string;
  /** A Secret whose value is the expected value. @default - no secret */
  readonly secret?: SecretRef;
  /** What to do on mismatch. @default - the request is denied */
  readonly mismatch?: HeaderMismatchAction;
}

/** One HTTP L7 rule: every given part must match (an empty rule matches every request). */
export class L7Http {
  /** Every request (a match-all rule, used for visibility). */
  public static any(): L7Http {
    return new L7Http(undefined, undefined, undefined, [], []);
  }

  /**
   * GET requests whose path matches `path` (RE2).
   * @param path an RE2 regular expression the whole request path must match. Default: any path
   */
  public static get(path?: string): L7Http {
    return L7Http.method('GET', path);
  }

  /**
   * POST requests whose path matches `path` (RE2).
   * @param path an RE2 regular expression the whole request path must match. Default: any path
   */
  public static post(path?: string): L7Http {
    return L7Http.method('POST', path);
  }

  /**
   * PUT requests whose path matches `path` (RE2).
   * @param path an RE2 regular expression the whole request path must match. Default: any path
   */
  public static put(path?: string): L7Http {
    return L7Http.method('PUT', path);
  }

  /**
   * PATCH requests whose path matches `path` (RE2).
   * @param path an RE2 regular expression the whole request path must match. Default: any path
   */
  public static patch(path?: string): L7Http {
    return L7Http.method('PATCH', path);
  }

  /**
   * HEAD requests whose path matches `path` (RE2).
   * @param path an RE2 regular expression the whole request path must match. Default: any path
   */
  public static head(path?: string): L7Http {
    return L7Http.method('HEAD', path);
  }

  /**
   * Requests whose method matches `method` and path matches `path` (both RE2, e.g. `"GET|HEAD"`).
   * @param method an RE2 regular expression the request method must match
   * @param path an RE2 regular expression the whole request path must match. Default: any path
   */
  public static method(method: string, path?: string): L7Http {
    validateRe2('L7Http.method', method, '"GET" or "GET|HEAD"');
    if (path !== undefined) validateRe2('L7Http.path', path, '"/api/v1/.*"');
    return new L7Http(method, path, undefined, [], []);
  }

  /**
   * Requests of any method whose path matches `path` (RE2).
   * @param path an RE2 regular expression the whole request path must match
   */
  public static path(path: string): L7Http {
    validateRe2('L7Http.path', path, '"/api/v1/.*"');
    return new L7Http(undefined, path, undefined, [], []);
  }

  /** The method regex. @default - any method */
  public readonly httpMethod?: string;
  /** The path regex. @default - any path */
  public readonly httpPath?: string;
  /** The host regex. @default - any host */
  public readonly host?: string;
  private readonly headerList: string[];
  private readonly headerMatchList: any[];

  private constructor(method: string | undefined, path: string | undefined, host: string | undefined, headers: string[], headerMatches: any[]) {
    this.httpMethod = method;
    this.httpPath = path;
    this.host = host;
    this.headerList = headers;
    this.headerMatchList = headerMatches;
  }

  /**
   * The same rule, also requiring the Host header to match `host` (RE2, e.g. `"api\\.example\\.com"`).
   * @param host an RE2 regular expression the Host header must match
   */
  public withHost(host: string): L7Http {
    validateRe2('L7Http.host', host, '"api\\\\.example\\\\.com"');
    // The CRD types host as `format: idn-hostname`, which schema checkers read as a host name of at
    // most 253 characters without whitespace or "/" (the API server itself ignores that format:
    // apiextensions-apiserver pkg/apiserver/validation/formats.go lists no idn-hostname). Cilium
    // itself does not check the host; Envoy matches it as an RE2 regex on the :authority header.
    if (/[\s/]/.test(host)) {
      throw invalid('L7Http.host', host, 'contains whitespace or "/", which the CRD\'s idn-hostname format rejects', 'give only the host name regex (no scheme or path)');
    }
    if (host.length > MAX_HOST_LENGTH) {
      throw invalid('L7Http.host', `${host.slice(0, 40)}…`, `is ${host.length} characters long, more than the ${MAX_HOST_LENGTH} of the CRD's idn-hostname format`,
        `shorten the regex to at most ${MAX_HOST_LENGTH} characters`);
    }
    if (this.host !== undefined) throw invalid('L7Http.host', host, `is set twice (already "${this.host}")`, 'use one host regex, with "|" for alternatives');
    return new L7Http(this.httpMethod, this.httpPath, host, this.headerList, this.headerMatchList);
  }

  /**
   * The same rule, also requiring header `name` (with `value`, when given) — Cilium's `headers`
   * list, written `Name: value`.
   * @param name the header name
   * @param value the exact header value. Default: the header only has to be present
   */
  public withHeader(name: string, value?: string): L7Http {
    validateHeaderName('L7Http.headers name', name);
    if (value !== undefined) validateHeaderValue(`L7Http.headers["${name}"]`, value);
    const entry = value === undefined || value === '' ? name : `${name}: ${value}`;
    if (this.headerList.some(h => h.split(':')[0].toLowerCase() === name.toLowerCase())) {
      throw invalid('L7Http.headers', name, 'is required twice', 'require each header once');
    }
    return new L7Http(this.httpMethod, this.httpPath, this.host, [...this.headerList, entry], this.headerMatchList);
  }

  /**
   * The same rule, with a header match (`headerMatches`): a value or secret, and a mismatch action.
   * @param name the header name
   * @param options the expected value or secret and the mismatch action. Default: the header only has to be present
   */
  public withHeaderMatch(name: string, options?: HeaderMatchOptions): L7Http {
    validateHeaderName('L7Http.headerMatches name', name);
    const o = options ?? {};
    if (o.value !== undefined) validateHeaderValue(`L7Http.headerMatches["${name}"].value`, o.value);
    if (o.secret !== undefined) validateSecret(`L7Http.headerMatches["${name}"].secret`, o.secret);
    if (o.value !== undefined && o.secret !== undefined) {
      throw invalid(`L7Http.headerMatches["${name}"]`, o, 'has both value and secret', 'give the expected value either inline or from a Secret');
    }
    if (o.mismatch !== undefined && !Object.values(HeaderMismatchAction).includes(o.mismatch)) {
      throw invalid(`L7Http.headerMatches["${name}"].mismatch`, o.mismatch, 'is not a mismatch action', 'use HeaderMismatchAction.LOG, ADD, DELETE or REPLACE');
    }
    if ((o.mismatch === HeaderMismatchAction.ADD || o.mismatch === HeaderMismatchAction.REPLACE) && o.value === undefined && o.secret === undefined) {
      throw invalid(`L7Http.headerMatches["${name}"].mismatch`, o.mismatch, 'needs a value to add or replace with', 'give options.value or options.secret');
    }
    const m: any = { name };
    if (o.value !== undefined) m.value = o.value;
    if (o.secret !== undefined) m.secret = renderSecret(o.secret);
    if (o.mismatch !== undefined) m.mismatch = o.mismatch;
    return new L7Http(this.httpMethod, this.httpPath, this.host, this.headerList, [...this.headerMatchList, m]);
  }

  /** The wire form (`PortRuleHTTP`). */
  public toJson(): any {
    const out: any = {};
    if (this.httpMethod !== undefined) out.method = this.httpMethod;
    if (this.httpPath !== undefined) out.path = this.httpPath;
    if (this.host !== undefined) out.host = this.host;
    if (this.headerList.length) out.headers = [...this.headerList];
    if (this.headerMatchList.length) out.headerMatches = this.headerMatchList.map(m => ({ ...m }));
    return out;
  }
}

/** One DNS L7 rule (the names the DNS proxy lets pods look up). */
export class L7Dns {
  /**
   * Look-ups of exactly this name (`matchName`). The issue's `L7Dns.name` (TS2699 forbids a static `name`).
   * @param name a DNS name
   */
  public static named(name: string): L7Dns {
    return new L7Dns(validateDnsName('L7Dns.named', name), undefined);
  }

  /**
   * Look-ups of names matching the pattern (`matchPattern`, `*` wildcard).
   * @param pattern a DNS name pattern, `*` matching any run of DNS characters
   */
  public static pattern(pattern: string): L7Dns {
    return new L7Dns(undefined, validateDnsPattern('L7Dns.pattern', pattern));
  }

  /** Look-ups of any name (`matchPattern: "*"`). */
  public static all(): L7Dns {
    return new L7Dns(undefined, '*');
  }

  /** Exact name. @default - a pattern */
  public readonly matchName?: string;
  /** Pattern. @default - an exact name */
  public readonly matchPattern?: string;

  private constructor(name: string | undefined, pattern: string | undefined) {
    this.matchName = name;
    this.matchPattern = pattern;
  }

  /** The wire form (`PortRuleDNS`). */
  public toJson(): any {
    return this.matchName !== undefined ? { matchName: this.matchName } : { matchPattern: this.matchPattern };
  }
}

/** Kafka role (a shorthand for a set of API keys). */
export enum KafkaRole {
  /** Produce requests and what a producer needs. */
  PRODUCE = 'produce',
  /** Fetch requests and what a consumer needs. */
  CONSUME = 'consume',
}

/** Options of a Kafka rule. */
export interface L7KafkaOptions {
  /** Role; excludes apiKey. @default - no role */
  readonly role?: KafkaRole;
  /** Kafka API key name (any case), e.g. "produce", "fetch", "metadata"; excludes role. @default - any API key */
  readonly apiKey?: string;
  /** Kafka API version, a whole number from 0 to 32767 as text. @default - any version */
  readonly apiVersion?: string;
  /** Client ID. @default - any client */
  readonly clientId?: string;
  /** Topic. @default - any topic */
  readonly topic?: string;
}

// Kafka rules as Cilium 1.18 accepts them: the CRD (role enum, topic maxLength 255, every other field
// any string) and cilium/proxy pkg/policy/api/kafka PortRule.Sanitize, which Cilium's
// L7Rules.Validate calls (vendored in cilium/cilium).

// The tables (API key names, compared lowercased, never numbers; topic length and characters, which
// admit a backslash; the int16 API version) are the wire layer's, wire/cilium/l7.ts.
const KAFKA_OPTION_KEYS = ['role', 'apiKey', 'apiVersion', 'clientId', 'topic'];

/** One Kafka option: a non-empty string, or left out. */
function kafkaString(field: string, value: unknown, what: string, example: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(field, value, 'is not a string', `give ${what} as a string, e.g. ${example}`);
  // Cilium reads an empty value as "any" (kafka.go: "If omitted or empty"); leaving it out says so plainly.
  if (value.length === 0) throw invalid(field, value, `is empty, which Cilium reads as any ${what}`, `leave ${field.replace('L7Kafka.', '')} out to allow any ${what}`);
  return value;
}

/** One Kafka L7 rule (deprecated in Cilium 1.18, removed in 1.20; see CILIUM_FEATURE_LIFECYCLE). */
export class L7Kafka {
  /**
   * Producing to `topic`.
   * @param topic the Kafka topic
   */
  public static produce(topic: string): L7Kafka {
    return L7Kafka.of({ role: KafkaRole.PRODUCE, topic });
  }

  /**
   * Consuming from `topic`.
   * @param topic the Kafka topic
   */
  public static consume(topic: string): L7Kafka {
    return L7Kafka.of({ role: KafkaRole.CONSUME, topic });
  }

  /**
   * A rule from options.
   * @param options role or API key, topic, client id and API version
   */
  public static of(options: L7KafkaOptions): L7Kafka {
    const o = options ?? {};
    if (typeof o !== 'object' || Array.isArray(o)) {
      throw invalid('L7Kafka.of', o, 'is not an options object', 'pass { role: KafkaRole.PRODUCE, topic: "orders" } or { apiKey: "fetch" }');
    }
    for (const key of Object.keys(o)) {
      if (!KAFKA_OPTION_KEYS.includes(key) && (o as any)[key] !== undefined) {
        throw invalid(`L7Kafka.${key}`, (o as any)[key], 'is not a Kafka rule option', `use ${KAFKA_OPTION_KEYS.join(', ')}${key === 'clientID' ? ' (clientId)' : ''}`);
      }
    }
    const role = kafkaString('L7Kafka.role', o.role, 'role', 'KafkaRole.PRODUCE');
    // The CRD's role enum is exact (Cilium's own check ignores case, but the API server rejects "Produce").
    if (role !== undefined && !Object.values(KafkaRole).includes(role as KafkaRole)) {
      throw invalid('L7Kafka.role', role, 'is not a Kafka role', 'use KafkaRole.PRODUCE or KafkaRole.CONSUME');
    }
    const apiKey = kafkaString('L7Kafka.apiKey', o.apiKey, 'API key', '"fetch"');
    if (role !== undefined && apiKey !== undefined) {
      // kafka.go Sanitize: "cannot set both Role and APIKey together"
      throw invalid('L7Kafka', o, 'sets both role and apiKey', 'give either a role or an apiKey');
    }
    if (apiKey !== undefined && !KAFKA_API_KEYS.includes(apiKey.toLowerCase())) {
      throw invalid('L7Kafka.apiKey', apiKey, 'is not a Kafka API key Cilium knows (names only, not numbers)',
        `use one of ${KAFKA_API_KEYS.join(', ')}`);
    }
    const apiVersion = kafkaString('L7Kafka.apiVersion', o.apiVersion, 'API version', '"0"');
    if (apiVersion !== undefined && kafkaApiVersionValue(apiVersion) === undefined) {
      throw invalid('L7Kafka.apiVersion', apiVersion, 'is not a Kafka API version', `use a whole number from 0 to ${KAFKA_MAX_API_VERSION}, e.g. "0"`);
    }
    const clientId = kafkaString('L7Kafka.clientId', o.clientId, 'client ID', '"svc-a"');
    const topic = kafkaString('L7Kafka.topic', o.topic, 'topic', '"orders"');
    if (topic !== undefined && topic.length > KAFKA_MAX_TOPIC_LENGTH) {
      throw invalid('L7Kafka.topic', `${topic.slice(0, 40)}…`, `is ${topic.length} characters long, more than Cilium's ${KAFKA_MAX_TOPIC_LENGTH}`,
        `shorten it to at most ${KAFKA_MAX_TOPIC_LENGTH} characters (Kafka itself allows 249)`);
    }
    if (topic !== undefined && !KAFKA_TOPIC_CHARS.test(topic)) {
      throw invalid('L7Kafka.topic', topic, 'is not a valid Kafka topic', 'use letters, digits, ".", "_" and "-"');
    }
    return new L7Kafka({ role: role as KafkaRole | undefined, apiKey, apiVersion, clientId, topic });
  }

  private readonly options: L7KafkaOptions;

  private constructor(options: L7KafkaOptions) {
    this.options = options;
  }

  /** The wire form (`PortRuleKafka`). */
  public toJson(): any {
    const o = this.options;
    const out: any = {};
    if (o.role !== undefined) out.role = o.role;
    if (o.apiKey !== undefined) out.apiKey = o.apiKey;
    if (o.apiVersion !== undefined) out.apiVersion = o.apiVersion;
    if (o.clientId !== undefined) out.clientID = o.clientId;
    if (o.topic !== undefined) out.topic = o.topic;
    return out;
  }
}

/** Validates a generic L7 (proxylib) rule set. @internal */
export function validateGenericL7(protocol: string, rules: { [key: string]: string }[]): void {
  if (typeof protocol !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(protocol)) {
    throw invalid('withL7.protocol', protocol, 'is not an L7 parser name', 'give the proxylib parser name, e.g. "r2d2" or "cassandra"');
  }
  if (!Array.isArray(rules)) throw invalid(`withL7("${protocol}").rules`, rules, 'is not a list', 'pass a list of string maps');
  rules.forEach((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      throw invalid(`withL7("${protocol}").rules[${i}]`, r, 'is not a map of strings', 'pass { key: "value" } objects');
    }
    for (const [k, v] of Object.entries(r)) {
      validateRenderableKey(`withL7("${protocol}").rules[${i}] key`, k);
      if (k.length === 0 || typeof v !== 'string') {
        throw invalid(`withL7("${protocol}").rules[${i}]["${k}"]`, v, 'is not a string value with a non-empty key', 'use string keys and string values');
      }
    }
  });
}

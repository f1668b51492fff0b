/** Cilium L7 rules (pkg/policy/api l7.go, http.go, kafka, dns): at most one kind per port rule. */
import { Secret } from './secret';

export const HEADER_MISMATCH_ACTIONS = ['LOG', 'ADD', 'DELETE', 'REPLACE'] as const;
export type HeaderMismatchActionName = typeof HEADER_MISMATCH_ACTIONS[number];

export interface HeaderMatch {
  readonly mismatch?: HeaderMismatchActionName;
  readonly name: string;
  readonly secret?: Secret;
  readonly value?: string;
}

export interface PortRuleHTTP {
  readonly path?: string;
  readonly method?: string;
  readonly host?: string;
  readonly headers?: readonly string[];
  readonly headerMatches?: readonly HeaderMatch[];
}

export const KAFKA_ROLES = ['produce', 'consume'] as const;

export interface PortRuleKafka {
  readonly role?: typeof KAFKA_ROLES[number];
  readonly apiKey?: string;
  readonly apiVersion?: string;
  readonly clientID?: string;
  readonly topic?: string;
}

export interface PortRuleDNS {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

/** A generic (proxylib) L7 rule: a map of string keys to string values. */
export type PortRuleL7 = { readonly [key: string]: string };

export interface L7Rules {
  readonly http?: readonly PortRuleHTTP[];
  readonly kafka?: readonly PortRuleKafka[];
  readonly dns?: readonly PortRuleDNS[];
  readonly l7proto?: string;
  readonly l7?: readonly PortRuleL7[];
}

/**
 * Kafka API key names Cilium accepts in `apiKey` (cilium/proxy pkg/policy/api/kafka APIKeyMap,
 * compared lowercased), by their protocol number.
 */
export const KAFKA_API_KEYS: readonly string[] = [
  'produce', 'fetch', 'offsets', 'metadata', 'leaderandisr', 'stopreplica', 'updatemetadata', 'controlledshutdown',
  'offsetcommit', 'offsetfetch', 'findcoordinator', 'joingroup', 'heartbeat', 'leavegroup', 'syncgroup', 'describegroups',
  'listgroups', 'saslhandshake', 'apiversions', 'createtopics', 'deletetopics', 'deleterecords', 'initproducerid',
  'offsetforleaderepoch', 'addpartitionstotxn', 'addoffsetstotxn', 'endtxn', 'writetxnmarkers', 'txnoffsetcommit',
  'describeacls', 'createacls', 'deleteacls', 'describeconfigs', 'alterconfigs',
];
/** kafka MaxTopicLen. */
export const KAFKA_MAX_TOPIC_LENGTH = 255;
/**
 * kafka TopicValidChar, `^[a-zA-Z0-9\\._\\-]+$` in a Go raw string: the class also admits a
 * backslash, which Cilium therefore accepts in topic names.
 */
export const KAFKA_TOPIC_CHARS = /^[a-zA-Z0-9\\._\\-]+$/;
/** kafka APIVersion: a decimal int16 0-32767 (strconv.ParseInt(v, 10, 16)). */
export const KAFKA_MAX_API_VERSION = 32767;

// kafka.go: strconv.ParseInt(apiVersion, 10, 16) with n >= 0, so an optional sign and decimal digits.
const KAFKA_API_VERSION = /^[+-]?[0-9]+$/;

/** A decimal string as Go's ParseInt(s, 10, 16) reads it, when it is a Kafka API version (0..32767). */
export function kafkaApiVersionValue(text: string): number | undefined {
  if (!KAFKA_API_VERSION.test(text)) return undefined;
  const negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
  if (digits.length > 5) return undefined;
  const n = Number(digits);
  if (n > KAFKA_MAX_API_VERSION || (negative && n !== 0)) return undefined;
  return n;
}


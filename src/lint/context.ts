// Internal model of a lint run: the policies and (optionally) the cluster built by the analyser's
// loader, and the helpers the checks share. Everything works on plain manifests.
import { LintCheckInfo, LintFinding, LintObjectRef, LintOptions, LintSeverity } from './types';
import { buildCluster, Cluster } from '../analysis/cluster';
import { agentConfig, NetworkPolicyDeviations, semanticsFor } from '../analysis/semantics';
import { CiliumVersion } from '../model/cilium/versions';
import { CiliumAgentConfig } from '../wire/cilium/agent';
import { CILIUM_POD_NAMESPACE_KEY, ciliumKeyWithoutK8sSource } from '../wire/labels';
import { ReadResult } from '../wire/reader';

export const K8S_POLICY = 'NetworkPolicy';
export const CNP = 'CiliumNetworkPolicy';
export const CCNP = 'CiliumClusterwideNetworkPolicy';
export const CILIUM_KINDS = [CNP, CCNP];

/** Any object of the manifests (policies, workloads...), for findings and suppressions. */
export interface LintObject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly object: any;
  readonly ref: LintObjectRef;
  readonly file?: string;
  readonly line?: number;
}

/** A policy document. Cilium policies with `specs` give one PolicyDoc per spec. */
export interface LintPolicy extends LintObject {
  readonly kind: string;
  /** Namespace; undefined for cluster-wide policies. Kubernetes and CNP default to "default". */
  readonly namespace?: string;
  readonly name: string;
  readonly object: any;
  /**
   * The spec (`spec`, or `specs[i]` for Cilium) as the API server stores it: decoded by the strict
   * reader (nulls resolved) and defaulted (a NetworkPolicy's policyTypes and port protocols).
   */
  readonly spec: any;
  /** The spec as written, for checks about how it is written (e.g. an implicit policyTypes). */
  readonly writtenSpec: any;
  /** Field path of the spec: `spec` or `specs[0]`. */
  readonly specPath: string;
  readonly ref: LintObjectRef;
  readonly file?: string;
  readonly line?: number;
}

export interface Emit {
  (policy: LintObject, field: string, message: string, fix: string, severity?: LintSeverity): void;
}

/** How the targeted Cilium release, with the agent settings of the options, enforces policies. */
export interface CiliumReadings {
  /** `major.minor` of LintOptions.ciliumVersion (default 1.18). */
  readonly version: string;
  /** The agent settings: the release's defaults with LintOptions.ciliumAgent over them. */
  readonly agent: CiliumAgentConfig;
  /** Where this release and configuration read a NetworkPolicy unlike the specification (analysis/semantics.ts, the one table). */
  readonly deviations: NetworkPolicyDeviations;
}

export interface LintContext {
  readonly policies: LintPolicy[];
  /** Every object with a kind and a name. */
  readonly objects: LintObject[];
  /** The cluster model, when workloads are among the manifests. */
  readonly cluster?: Cluster;
  readonly options: LintOptions;
  readonly cilium: CiliumReadings;
}

export interface LintCheck {
  readonly info: LintCheckInfo;
  run(ctx: LintContext, emit: Emit): void;
}

/** A check that needs the workloads: it runs only when they are among the manifests (`ctx.cluster` is set). */
export function workloadCheck(info: Omit<LintCheckInfo, 'needsWorkloads'>, run: (ctx: LintContext, cluster: Cluster, emit: Emit) => void): LintCheck {
  return {
    info: { ...info, needsWorkloads: true },
    run(ctx: LintContext, emit: Emit) {
      if (ctx.cluster) run(ctx, ctx.cluster, emit);
    },
  };
}

/** A check that looks at one rule at a time: `visit` sees every rule of the policies of `info.kinds` (policyRules). */
export function ruleCheck(info: LintCheckInfo, visit: (r: PolicyRule, emit: Emit) => void): LintCheck {
  return {
    info,
    run(ctx: LintContext, emit: Emit) {
      // (rule by rule, without a list of all rules: a generated chart has tens of thousands)
      for (const p of ctx.policies) {
        if (!info.kinds.includes(p.kind)) continue;
        for (const r of rulesOfPolicy(p)) visit(r, emit);
      }
    },
  };
}

/** Builds the context from the objects the strict reader accepted (rejected ones are findings already). */
export function buildContext(read: ReadResult, options: LintOptions): LintContext {
  const policies: LintPolicy[] = [];
  const objects: LintObject[] = [];
  let hasWorkloads = false;
  for (const r of read.objects) {
    const o = r.raw;
    const v = r.value;
    const kind = r.kind;
    if (r.info.role === 'workload') hasWorkloads = true;
    const name = r.name;
    const namespace = r.namespace;
    const ref: LintObjectRef = namespace === undefined ? { kind, name } : { kind, namespace, name };
    const fromFile = r.doc.file !== '<manifests>';
    const file = fromFile ? r.doc.file : undefined;
    const line = fromFile ? r.doc.line : undefined;
    // (object literals of one shape: copies by spread get a hidden class each, which for the
    // thousands of policies of a generated chart costs several times the objects themselves)
    const policy = (spec: any, writtenSpec: any, specPath: string): LintPolicy =>
      ({ kind, namespace, name, object: o, ref, file, line, spec, writtenSpec, specPath });
    if (kind !== K8S_POLICY && !CILIUM_KINDS.includes(kind)) {
      objects.push({ kind, namespace, name, object: o, ref, file, line });
    } else if (CILIUM_KINDS.includes(kind) && Array.isArray(v.specs)) {
      objects.push({ kind, namespace, name, object: o, ref, file, line });
      v.specs.forEach((s: any, i: number) => policies.push(policy(s, o.specs?.[i], `specs[${i}]`)));
      if (v.spec) policies.push(policy(v.spec, o.spec, 'spec'));
    } else {
      // one spec: the policy is also the object's entry
      const only = policy(v.spec ?? {}, o.spec ?? {}, 'spec');
      objects.push(only);
      policies.push(only);
    }
  }
  const cluster = hasWorkloads ? buildCluster(read, []) : undefined;
  return { policies, objects, cluster, options, cilium: ciliumReadings(options) };
}

/** The Cilium release and agent configuration the options target, and so its deviations (semantics.ts). */
export function ciliumReadings(options: LintOptions): CiliumReadings {
  const version = CiliumVersion.of(options.ciliumVersion ?? CiliumVersion.DEFAULT.toString()).toString();
  const s = semanticsFor('cilium', version, agentConfig(options.ciliumAgent));
  return { version, agent: s.agent, deviations: s.ciliumDeviations };
}

// ---- helpers shared by the checks ----

/** Canonical JSON: keys sorted, so equal objects give equal text. */
export function canonical(value: any): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    // (a sort allocates, even of one key; most objects of a policy have one or two)
    return `{${(keys.length > 1 ? keys.sort() : keys).map(k => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A selector object with no requirement (matches everything). */
export function isEmptySelector(sel: any): boolean {
  if (!sel || typeof sel !== 'object') return false;
  const ml = sel.matchLabels ? Object.keys(sel.matchLabels).length : 0;
  const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0;
  return ml === 0 && me === 0;
}

/** Requirements of a selector as canonical strings. */
export function requirements(sel: any): string[] {
  if (!sel || typeof sel !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) out.push(`${k}=${String(v)}`);
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    out.push(canonical({ key: e?.key, operator: e?.operator, values: Array.isArray(e?.values) ? [...e.values].map(String).sort() : [] }));
  }
  return out;
}

/** One requirement of a selector as written, with its field path. */
export interface WrittenRequirement {
  readonly key: string;
  /** `In` for a matchLabels entry. */
  readonly operator: string;
  readonly values: string[];
  /** `<selector>.matchLabels["key"]` or `<selector>.matchExpressions[i].key`. */
  readonly field: string;
}

/** The requirements of a selector as written, each with its field path: matchLabels, then matchExpressions. */
export function writtenRequirements(sel: any, field: string): WrittenRequirement[] {
  if (!sel || typeof sel !== 'object') return [];
  return [
    ...Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, operator: 'In', values: [String(v)], field: `${field}.matchLabels["${key}"]` })),
    ...list(sel.matchExpressions).map((e: any, i: number) => ({
      key: String(e?.key), operator: String(e?.operator), values: list(e?.values).map(String), field: `${field}.matchExpressions[${i}].key`,
    })),
  ];
}

/** True when every object `narrow` selects is also selected by `broad` (requirement subset). */
export function selectorCovers(broad: any, narrow: any): boolean {
  const n = new Set(requirements(narrow));
  return requirements(broad).every(r => n.has(r));
}

/** Does a Kubernetes NetworkPolicy isolate egress? (policyTypes, or its defaulting when absent) */
export function k8sIsolates(spec: any, direction: 'Ingress' | 'Egress'): boolean {
  if (Array.isArray(spec?.policyTypes) && spec.policyTypes.length) return spec.policyTypes.includes(direction);
  return direction === 'Ingress' ? true : Array.isArray(spec?.egress) && spec.egress.length > 0;
}

/** Does a Kubernetes port list allow `protocol`/`port`? Absent or empty lists allow every port. */
export function k8sPortsAllow(ports: any, protocol: string, port: number, names: string[] = []): boolean {
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return ports.some((p: any) => {
    if (String(p?.protocol ?? 'TCP').toUpperCase() !== protocol) return false;
    if (p?.port === undefined || p?.port === null) return true;
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) return names.includes(p.port);
    const from = Number(p.port);
    const to = p.endPort !== undefined ? Number(p.endPort) : from;
    return port >= from && port <= to;
  });
}

/** Does a Cilium toPorts list allow `protocol`/`port`? Absent lists allow every port. */
export function ciliumPortsAllow(toPorts: any, protocol: string, port: number): boolean {
  if (!Array.isArray(toPorts) || toPorts.length === 0) return true;
  return toPorts.some((pr: any) => (Array.isArray(pr?.ports) ? pr.ports : []).some((p: any) => {
    const proto = String(p?.protocol ?? 'ANY').toUpperCase();
    if (proto !== 'ANY' && proto !== protocol) return false;
    const from = Number(p?.port ?? 0);
    if (from === 0) return true;
    const to = p?.endPort !== undefined ? Number(p.endPort) : from;
    return port >= from && port <= to;
  }));
}

/** The endpoint/pod selector of a policy (Kubernetes podSelector or Cilium endpointSelector). */
export function subjectSelector(p: LintPolicy): any {
  if (p.kind === K8S_POLICY) return p.spec?.podSelector ?? {};
  return p.spec?.endpointSelector ?? {};
}

/** A Cilium selector key as the pod (or namespace) label key it matches (only `k8s:`/`any:` name Kubernetes labels). */
export const stripSource = ciliumKeyWithoutK8sSource;

/** Cilium selector with source prefixes stripped, for comparisons. */
export function plainSelector(sel: any): any {
  if (!sel || typeof sel !== 'object') return sel;
  const ml: { [k: string]: string } = {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) ml[stripSource(k)] = String(v);
  const me = (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).map((e: any) => ({ ...e, key: stripSource(String(e?.key)) }));
  return { matchLabels: ml, matchExpressions: me };
}

/**
 * Could policy `other` apply to (at least) every pod `p` selects? Same namespace (a cluster-wide
 * policy applies everywhere) and a subject selector with a subset of `p`'s requirements. Without
 * workloads this is the best static answer; it errs towards "covered" to avoid noise.
 */
export function covers(other: LintPolicy, p: LintPolicy): boolean {
  if (other.namespace !== undefined && other.namespace !== p.namespace) return false;
  const broad = other.kind === K8S_POLICY ? subjectSelector(other) : plainSelector(subjectSelector(other));
  const narrow = p.kind === K8S_POLICY ? subjectSelector(p) : plainSelector(subjectSelector(p));
  if (other.namespace === undefined && p.namespace !== undefined) {
    // A cluster-wide selector may pin the namespace with io.kubernetes.pod.namespace; ignore that key.
    const b = plainSelector(broad);
    delete b.matchLabels[CILIUM_POD_NAMESPACE_KEY];
    b.matchExpressions = b.matchExpressions.filter((e: any) => e.key !== CILIUM_POD_NAMESPACE_KEY);
    return selectorCovers(b, narrow);
  }
  return selectorCovers(broad, narrow);
}

/** Policies by namespace (undefined: cluster-wide), in the order given. */
export function byNamespace(policies: readonly LintPolicy[]): Map<string | undefined, LintPolicy[]> {
  const out = new Map<string | undefined, LintPolicy[]>();
  for (const p of policies) {
    let inNamespace = out.get(p.namespace);
    if (!inNamespace) out.set(p.namespace, (inNamespace = []));
    inNamespace.push(p);
  }
  return out;
}

/**
 * The policies of `index` (byNamespace) that `covers(other, p)` may hold for: those of p's
 * namespace, then the cluster-wide ones (a namespaced policy never covers a cluster-wide one).
 */
export function sameNamespaceOrClusterwide(index: Map<string | undefined, LintPolicy[]>, p: LintPolicy): LintPolicy[] {
  const own = index.get(p.namespace) ?? [];
  if (p.namespace === undefined) return own;
  const clusterwide = index.get(undefined);
  return clusterwide ? [...own, ...clusterwide] : own;
}

/** A rule list of a policy: Kubernetes has `ingress`/`egress`; Cilium also `ingressDeny`/`egressDeny`. */
export type RuleDirection = 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';

export const K8S_DIRECTIONS: RuleDirection[] = ['ingress', 'egress'];
export const CILIUM_DIRECTIONS: RuleDirection[] = ['ingress', 'egress', 'ingressDeny', 'egressDeny'];

/** One rule of one policy, as the checks visit it. */
export interface PolicyRule {
  readonly policy: LintPolicy;
  readonly dir: RuleDirection;
  /** Position in the direction's list. */
  readonly index: number;
  readonly rule: any;
  /** Field path of the rule, e.g. `spec.ingress[0]`. */
  readonly field: string;
  /** Key of the rule's pod peers: `from`/`to` (Kubernetes, ipBlocks included), `fromEndpoints`/`toEndpoints` (Cilium). */
  readonly peerKey: string;
}

/** Ingress rules (allow or deny) look at traffic into the policy's pods; egress rules at traffic out. */
export function isIngress(dir: RuleDirection): boolean {
  return dir === 'ingress' || dir === 'ingressDeny';
}

/** `value` when it is a list, else an empty list: manifests are not validated before the lint. */
export function list(value: any): any[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Every rule of `policies`, policy by policy, direction by direction, in manifest order (which
 * keeps findings and "repeats ..." references stable). Kubernetes policies have only ingress and
 * egress; with `isolatedOnly`, only the directions their policyTypes isolate, since rules of a
 * direction that is not isolated have no effect. `directions` narrows the lists visited.
 */
export function policyRules(policies: LintPolicy[], options: { directions?: RuleDirection[]; isolatedOnly?: boolean } = {}): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const policy of policies) {
    const k8s = policy.kind === K8S_POLICY;
    for (const r of rulesOfPolicy(policy)) {
      if (options.directions && !options.directions.includes(r.dir)) continue;
      if (k8s && options.isolatedOnly && !k8sIsolates(policy.spec, r.dir === 'ingress' ? 'Ingress' : 'Egress')) continue;
      out.push(r);
    }
  }
  return out;
}

/**
 * The rules of one policy that have an effect: policyRules([policy], { isolatedOnly: true }),
 * without a copy when every rule of the policy is in an isolated direction (the usual case).
 */
export function isolatedRulesOf(policy: LintPolicy): readonly PolicyRule[] {
  const rules = rulesOfPolicy(policy);
  if (policy.kind !== K8S_POLICY) return rules;
  const effective = (r: PolicyRule) => k8sIsolates(policy.spec, r.dir === 'ingress' ? 'Ingress' : 'Egress');
  return rules.every(effective) ? rules : rules.filter(effective);
}

/** Rule field paths by spec path and direction: the same few texts for every policy of a chart. */
const ruleFields = new Map<string, Map<RuleDirection, string[]>>();

/** `<specPath>.<dir>[<index>]`, one copy of each text. */
function ruleField(specPath: string, dir: RuleDirection, index: number): string {
  let byDir = ruleFields.get(specPath);
  if (!byDir) ruleFields.set(specPath, (byDir = new Map()));
  let fields = byDir.get(dir);
  if (!fields) byDir.set(dir, (fields = []));
  return fields[index] ?? (fields[index] = `${specPath}.${dir}[${index}]`);
}

/** Every rule of each policy, direction by direction, made once: every check visits them. */
const policyRuleCache = new WeakMap<LintPolicy, readonly PolicyRule[]>();

function rulesOfPolicy(policy: LintPolicy): readonly PolicyRule[] {
  let rules = policyRuleCache.get(policy);
  if (!rules) {
    const out: PolicyRule[] = [];
    const k8s = policy.kind === K8S_POLICY;
    for (const dir of k8s ? K8S_DIRECTIONS : CILIUM_DIRECTIONS) {
      const peerKey = k8s ? (isIngress(dir) ? 'from' : 'to') : (isIngress(dir) ? 'fromEndpoints' : 'toEndpoints');
      list(policy.spec?.[dir]).forEach((rule, index) => {
        out.push({ policy, dir, index, rule, field: ruleField(policy.specPath, dir, index), peerKey });
      });
    }
    // (an exact copy: a list grown by push keeps room for 16 or more, for every policy)
    policyRuleCache.set(policy, (rules = out.slice()));
  }
  return rules;
}

/** Stable sort of findings: file and line (when read from files), object, field, check id, message. */
export function sortFindings(findings: LintFinding[]): LintFinding[] {
  // The order is that of the texts joined with NUL (file, line as 9 digits, namespace, kind, name,
  // field, check id, message): compared field by field, it is the same order without building a
  // key per finding, as long as no text holds a NUL and no line has more than 9 digits.
  const nul = (t: string | undefined) => t !== undefined && t.includes('\u0000');
  const plain = findings.every(f => (f.line === undefined || (Number.isInteger(f.line) && f.line >= 0 && f.line < 1e9))
    && !nul(f.file) && !nul(f.object.namespace) && !nul(f.object.kind) && !nul(f.object.name) && !nul(f.field) && !nul(f.checkId) && !nul(f.message));
  if (plain) {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...findings].sort((a, b) => cmp(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)
      || cmp(a.object.namespace ?? '', b.object.namespace ?? '') || cmp(a.object.kind, b.object.kind) || cmp(a.object.name, b.object.name)
      || cmp(a.field, b.field) || cmp(a.checkId, b.checkId) || cmp(a.message, b.message));
  }
  const sortKey = (f: LintFinding) => [f.file ?? '', String(f.line ?? 0).padStart(9, '0'), f.object.namespace ?? '', f.object.kind, f.object.name,
    f.field, f.checkId, f.message].join('\u0000');
  const keyed = findings.map(f => ({ f, k: sortKey(f) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map(x => x.f);
}

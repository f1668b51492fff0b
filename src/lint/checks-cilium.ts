// Checks specific to CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy.
import {
  byNamespace, CILIUM_DIRECTIONS, CILIUM_KINDS, covers, Emit, isIngress, LintCheck, LintContext, LintObject, LintPolicy, list, policyRules,
  sameNamespaceOrClusterwide, stripSource, writtenRequirements,
} from './context';
import { LintSeverity } from './types';
import { PROXY_VISIBILITY_ANNOTATION } from '../cilium/visibility';
import { checkFeature, CiliumFeature, CiliumVersion, CiliumVersionCheck } from '../model/cilium/versions';
import { isCiliumIdentityLabel } from '../wire/cilium/identity-labels';
import { CILIUM_NAMESPACE_LABELS_PREFIX, CILIUM_POD_NAMESPACE_KEY, NAMESPACE_NAME_LABEL } from '../wire/labels';

const PEER_SELECTOR_FIELDS = ['fromEndpoints', 'toEndpoints'];

function ciliumPolicies(ctx: LintContext): LintPolicy[] {
  return ctx.policies.filter(p => CILIUM_KINDS.includes(p.kind));
}

function rules(p: LintPolicy, dir: string): any[] {
  return list(p.spec?.[dir]);
}

function hasDnsProxyRule(p: LintPolicy): boolean {
  return rules(p, 'egress').some(r => list(r?.toPorts).some(pr => list(pr?.rules?.dns).length > 0));
}

/** CNP001: toFQDNs without a DNS proxy rule for the same endpoints. */
export const fqdnWithoutDnsProxy: LintCheck = {
  info: {
    id: 'CNP001',
    name: 'fqdn-without-dns-proxy',
    severity: LintSeverity.ERROR,
    description: 'A toFQDNs rule, but no egress rule with rules.dns (the DNS proxy) for the same endpoints: the names are never resolved to IPs, so nothing is allowed.',
    kinds: CILIUM_KINDS,
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    const all = ciliumPolicies(ctx);
    // covers() needs the same namespace, or a cluster-wide policy: look only at those.
    const proxies = byNamespace(all.filter(hasDnsProxyRule));
    for (const { policy: p, rule: r, field } of policyRules(all, { directions: ['egress'] })) {
      if (list(r?.toFQDNs).length === 0) continue;
      if (sameNamespaceOrClusterwide(proxies, p).some(o => covers(o, p))) continue;
      emit(p, `${field}.toFQDNs`,
        'needs the DNS proxy to learn the addresses of these names, but no egress rule for the same endpoints has toPorts[].rules.dns',
        'add an egress rule to kube-dns (k8s:io.kubernetes.pod.namespace=kube-system, k8s:k8s-app=kube-dns) on port 53 ANY with rules: {dns: [{matchPattern: "*"}]} (CiliumPatterns DNS pattern)');
    }
  },
};

/** The label keys a selector names, each with its field path (matchLabels, then matchExpressions). */
function selectorKeys(sel: any, field: string): [string, string][] {
  return writtenRequirements(sel, field).map(r => [r.key, r.field]);
}

const NAMESPACE_KEYS: { [key: string]: string } = {
  [NAMESPACE_NAME_LABEL]: CILIUM_POD_NAMESPACE_KEY,
  'namespace': CILIUM_POD_NAMESPACE_KEY,
  'io.kubernetes.namespace': CILIUM_POD_NAMESPACE_KEY,
};

/** Whether CNP002 reports a Cilium selector key (a plain key meant as the namespace), so NP014 need not. */
export function isPlainNamespaceKey(key: string): boolean {
  return NAMESPACE_KEYS[stripSource(key)] !== undefined;
}

/** CNP002: namespace selection through plain labels. */
export const namespacePlainLabels: LintCheck = {
  info: {
    id: 'CNP002',
    name: 'namespace-plain-labels',
    severity: LintSeverity.WARNING,
    description: 'An endpoint selector selects a namespace through a plain label key; Cilium knows the namespace as io.kubernetes.pod.namespace and namespace labels as io.cilium.k8s.namespace.labels.<key>.',
    kinds: CILIUM_KINDS,
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    // Labels that exist only on namespaces (when namespaces and workloads are given) are namespace labels too.
    const podKeys = new Set<string>();
    const nsKeys = new Set<string>();
    if (ctx.cluster) {
      for (const w of ctx.cluster.workloads) Object.keys(w.labels).forEach(k => podKeys.add(k));
      for (const n of ctx.cluster.namespaces.values()) if (n.declared) Object.keys(n.labels).forEach(k => nsKeys.add(k));
    }
    for (const p of ciliumPolicies(ctx)) {
      const selectors: [string, any][] = [[`${p.specPath}.endpointSelector`, p.spec?.endpointSelector]];
      for (const { rule, field: at } of policyRules([p])) {
        PEER_SELECTOR_FIELDS.forEach(f => list(rule?.[f]).forEach((s, j) => selectors.push([`${at}.${f}[${j}]`, s])));
      }
      for (const [field, sel] of selectors) {
        for (const [key, keyField] of selectorKeys(sel, field)) {
          const plain = stripSource(key);
          const suggestion = NAMESPACE_KEYS[plain];
          if (suggestion) {
            // kubernetes.io/metadata.name is also a key the identity label filter drops from pods
            const unless = isCiliumIdentityLabel(plain) ? 'it matches no endpoint unless pods carry that label' : 'and Cilium\'s identity label filter drops it from pods, so it matches no endpoint';
            emit(p, keyField, `selects on "${key}", which Cilium reads as a pod label, so the namespace is not selected (${unless})`,
              `use "k8s:${suggestion}" for the namespace name, or "k8s:io.cilium.k8s.namespace.labels.${plain}" for a namespace label`);
          } else if (nsKeys.has(plain) && !podKeys.has(plain) && !plain.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX)) {
            emit(p, keyField, `selects on "${key}", a label of the given namespaces that no given pod carries: as an endpoint label it matches nothing`,
              `use "k8s:io.cilium.k8s.namespace.labels.${plain}" to select by namespace label`);
          }
        }
      }
    }
  },
};

/** CNP003: shapes Cilium reads differently from Kubernetes (empty direction and peer lists). */
export const emptyLists: LintCheck = {
  info: {
    id: 'CNP003',
    name: 'empty-list-semantics',
    severity: LintSeverity.WARNING,
    description: 'An empty direction list (ingress: []) or peer list (fromEndpoints: []): Cilium reads them unlike Kubernetes.',
    kinds: CILIUM_KINDS,
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    for (const { policy: p, rule: r, field } of policyRules(ciliumPolicies(ctx))) {
      for (const f of Object.keys(r ?? {})) {
        if (!/^(from|to)(Endpoints|Entities|CIDR|CIDRSet|Services|FQDNs|Groups|Nodes|Requires)$/.test(f)) continue;
        if (Array.isArray(r[f]) && r[f].length === 0) {
          emit(p, `${field}.${f}`,
            'is an empty list, which Cilium reads as "no peer" (the rule selects nothing), whereas an empty "from"/"to" in a Kubernetes NetworkPolicy means every peer',
            `remove ${f} to leave the rule unrestricted at L3, or list the peers`);
        }
      }
    }
    // An empty direction list has no rule to visit: the lists themselves are checked here.
    for (const p of ciliumPolicies(ctx)) {
      for (const dir of CILIUM_DIRECTIONS) {
        const v = p.spec?.[dir];
        if (Array.isArray(v) && v.length === 0) {
          emit(p, `${p.specPath}.${dir}`,
            `is an empty list: Cilium treats it as absent (the policy does not apply to ${dir.startsWith('ingress') ? 'ingress' : 'egress'}, no default deny), unlike a Kubernetes policy where an isolated direction without rules denies everything; Cilium 1.17+ rejects a policy whose four rule lists are all empty`,
            'remove the empty list; to deny everything use a Kubernetes NetworkPolicy default deny (NetworkPolicyPatterns.defaultDenyIngress) or a Cilium rule with enableDefaultDeny and no allowed peer');
        }
      }
    }
  },
};

/** CNP004: a deny-only policy silently switches on default deny. */
export const denyOnlyDefaultDeny: LintCheck = {
  info: {
    id: 'CNP004',
    name: 'deny-only-default-deny',
    severity: LintSeverity.WARNING,
    description: 'A policy with only deny rules in a direction puts the endpoints in default deny for that direction: everything not allowed elsewhere is dropped, not only the denied traffic.',
    kinds: CILIUM_KINDS,
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    for (const p of ciliumPolicies(ctx)) {
      for (const [deny, allow, dd] of [['ingressDeny', 'ingress', 'ingress'], ['egressDeny', 'egress', 'egress']]) {
        if (rules(p, deny).length === 0 || rules(p, allow).length > 0) continue;
        if (p.spec?.enableDefaultDeny?.[dd] === false) continue;
        emit(p, `${p.specPath}.${deny}`,
          `has only deny rules for ${dd}, which still switches the selected endpoints to default deny for ${dd}: all ${dd} traffic not allowed by another policy is dropped`,
          `set ${p.specPath}.enableDefaultDeny.${dd}: false (Cilium 1.16+) to deny only what is listed, or add the ${allow} rules you mean`);
      }
    }
  },
};

/** Where each version-dependent feature shows in a manifest: [feature, field path, what it does (for the message)]. */
function featureUses(p: LintPolicy): [CiliumFeature, string, string?][] {
  const uses: [CiliumFeature, string, string?][] = [];
  if (p.spec?.enableDefaultDeny !== undefined) uses.push([CiliumFeature.ENABLE_DEFAULT_DENY, `${p.specPath}.enableDefaultDeny`]);
  if (p.spec?.log !== undefined) uses.push([CiliumFeature.POLICY_LOG, `${p.specPath}.log`]);
  for (const { rule: r, field: at, dir } of policyRules([p])) {
    for (const f of ['fromRequires', 'toRequires']) {
      if (r?.[f] === undefined) continue;
      // pkg/policy rules.go resolveL4IngressPolicy/resolveL4EgressPolicy collect the requirements
      // of every rule selecting the endpoint and add them to the endpoint selectors of all rules
      // (allow and deny apart); Cilium's docs: they "apply fully to all rules that share the same
      // endpoint selector" (cilium/cilium#36644).
      const kind = dir.endsWith('Deny') ? 'deny' : 'allow';
      uses.push([CiliumFeature.REQUIRES, `${at}.${f}`,
        `${f} adds its requirements to the endpoint selectors (${f === 'fromRequires' ? 'fromEndpoints' : 'toEndpoints'}, and NetworkPolicy pod peers) of every ${isIngress(dir) ? 'ingress' : 'egress'} ${kind} rule of every policy selecting these endpoints, not only this one, and allows nothing by itself`]);
    }
    for (const f of ['fromCIDRSet', 'toCIDRSet']) {
      list(r?.[f]).forEach((c, j) => {
        if (c?.cidrGroupSelector !== undefined) uses.push([CiliumFeature.CIDR_GROUP_SELECTOR, `${at}.${f}[${j}].cidrGroupSelector`]);
      });
    }
    list(r?.toPorts).forEach((pr, j) => {
      if (pr?.rules?.kafka !== undefined) uses.push([CiliumFeature.KAFKA, `${at}.toPorts[${j}].rules.kafka`]);
      for (const f of ['l7proto', 'l7']) if (pr?.rules?.[f] !== undefined) uses.push([CiliumFeature.GENERIC_L7, `${at}.toPorts[${j}].rules.${f}`]);
    });
  }
  return uses;
}

/** The proxy-visibility annotation on a Pod or a workload's pod template. */
function visibilityAnnotation(o: LintObject): string | undefined {
  if (o.object?.metadata?.annotations?.[PROXY_VISIBILITY_ANNOTATION] !== undefined && o.kind === 'Pod') {
    return `metadata.annotations["${PROXY_VISIBILITY_ANNOTATION}"]`;
  }
  const template = o.kind === 'CronJob' ? o.object?.spec?.jobTemplate?.spec?.template : o.object?.spec?.template;
  if (template?.metadata?.annotations?.[PROXY_VISIBILITY_ANNOTATION] !== undefined) {
    return `${o.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template'}.metadata.annotations["${PROXY_VISIBILITY_ANNOTATION}"]`;
  }
  return undefined;
}

/** CNP006: fields deprecated in, removed from, or newer than the targeted Cilium version (the Cilium version table). */
export const ciliumVersionFields: LintCheck = {
  info: {
    id: 'CNP006',
    name: 'cilium-version-fields',
    severity: LintSeverity.ERROR,
    description: 'A field the targeted Cilium version removed or does not have yet (error), or deprecates (warning): kafka, l7proto/l7, fromRequires/toRequires, the proxy-visibility annotation, enableDefaultDeny, log, cidrGroupSelector.',
    kinds: [...CILIUM_KINDS, 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    const version = CiliumVersion.of(ctx.options.ciliumVersion ?? CiliumVersion.DEFAULT.toString());
    const report = (o: LintObject, feature: CiliumFeature, field: string, what?: string) => {
      const r = checkFeature(version, feature);
      if (r.level === CiliumVersionCheck.OK || !r.message) return;
      const [found, ...rest] = r.message.split('; use ');
      const problem = what ? `${what}; ${found}` : found;
      const fix = rest.length ? `use ${rest.join('; use ')}` : `target another Cilium version (LintOptions.ciliumVersion, now ${version})`;
      emit(o, field, problem, fix, r.level === CiliumVersionCheck.UNSUPPORTED ? LintSeverity.ERROR : LintSeverity.WARNING);
    };
    for (const p of ciliumPolicies(ctx)) {
      for (const [feature, field, what] of featureUses(p)) report(p, feature, field, what);
    }
    for (const o of ctx.objects) {
      const field = visibilityAnnotation(o);
      if (field) report(o, CiliumFeature.PROXY_VISIBILITY_ANNOTATION, field);
    }
  },
};

const CNP = 'CiliumNetworkPolicy';

/** CNP007: a CiliumNetworkPolicy whose endpointSelector names a namespace. */
export const cnpSubjectNamespace: LintCheck = {
  info: {
    id: 'CNP007',
    name: 'cnp-subject-namespace',
    severity: LintSeverity.ERROR,
    description: 'A CiliumNetworkPolicy endpointSelector that names io.kubernetes.pod.namespace: Cilium always applies the policy in its own namespace and replaces (or contradicts) that match.',
    kinds: [CNP],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    // ParseToCiliumRule (pkg/k8s/apis/cilium.io/utils) logs "illegal namespace match in EndpointSelector"
    // and sets k8s:io.kubernetes.pod.namespace to the policy's namespace.
    for (const p of ctx.policies.filter(x => x.kind === CNP)) {
      for (const [key, field] of selectorKeys(p.spec?.endpointSelector, `${p.specPath}.endpointSelector`)) {
        if (stripSource(key) !== CILIUM_POD_NAMESPACE_KEY) continue;
        emit(p, field, `names the namespace, but a CiliumNetworkPolicy only ever selects endpoints of its own namespace (${p.namespace}): Cilium replaces this match, or the selector matches nothing`,
          'drop it and create the policy in the namespace you mean (metadata.namespace), or use a CiliumClusterwideNetworkPolicy to select across namespaces');
      }
    }
  },
};

/** CNP008: toServices without a namespace. */
export const serviceWithoutNamespace: LintCheck = {
  info: {
    id: 'CNP008',
    name: 'service-without-namespace',
    severity: LintSeverity.WARNING,
    description: 'A toServices entry without a namespace selects the Services of that name (or labels) in every namespace, not only the policy\'s.',
    kinds: CILIUM_KINDS,
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    // Cilium copies toServices unchanged (ParseToCiliumRule) and matches an empty namespace against
    // every Service namespace (pkg/k8s rule_translate.go serviceMatches).
    for (const { policy: p, rule: r, field } of policyRules(ciliumPolicies(ctx), { directions: ['egress', 'egressDeny'] })) {
      list(r?.toServices).forEach((s: any, j: number) => {
        const ref = s?.k8sService ?? s?.k8sServiceSelector;
        if (!ref || typeof ref !== 'object' || ref.namespace) return;
        const what = s.k8sService ? `the Service "${s.k8sService.serviceName}"` : 'the Services this selector matches';
        emit(p, `${field}.toServices[${j}].${s.k8sService ? 'k8sService' : 'k8sServiceSelector'}.namespace`,
          `is not set, so ${what} in every namespace are allowed${p.namespace ? `, not only in ${p.namespace}` : ''}`,
          `set namespace${p.namespace ? `: ${p.namespace}` : ''} (the constructs' Service.named()/withLabels() write it for a CiliumNetworkPolicy)`);
      });
    }
  },
};

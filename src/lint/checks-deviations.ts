// Checks for where Cilium enforces a NetworkPolicy unlike the Kubernetes specification, and for
// Cilium selectors on labels Cilium never has: each deviation of analysis/semantics.ts
// (NetworkPolicyDeviations) that a policy triggers, found statically. A check runs only when the
// targeted Cilium release and agent configuration (LintOptions.ciliumVersion, ciliumAgent) have
// the deviation. The egress named port deviation needs workloads: NP010/NP011 in checks-workloads.ts.
import { isPlainNamespaceKey } from './checks-cilium';
import {
  CILIUM_KINDS, Emit, isIngress, K8S_POLICY, LintCheck, LintContext, LintPolicy, list, policyRules, RuleDirection, writtenRequirements,
} from './context';
import { LintSeverity } from './types';
import { CLUSTER_ENTITY_MEMBERS } from '../wire/cilium/entity';
import { isCiliumIdentityLabel } from '../wire/cilium/identity-labels';
import { CILIUM_LABEL_SOURCES, CILIUM_NAMESPACE_LABELS_PREFIX, ciliumKeyWithoutK8sSource, NAMESPACE_NAME_LABEL } from '../wire/labels';

const POSITIVE = ['In', 'Exists'];

function k8sPolicies(ctx: LintContext): LintPolicy[] {
  return ctx.policies.filter(p => p.kind === K8S_POLICY);
}

function verb(dir: RuleDirection): string {
  return dir.endsWith('Deny') ? 'denies' : 'allows';
}

/** NP012: a NetworkPolicy peer whose namespaceSelector has only negative requirements. */
export const negativeNamespaceSelector: LintCheck = {
  info: {
    id: 'NP012',
    name: 'negative-namespace-selector',
    severity: LintSeverity.WARNING,
    description: 'A NetworkPolicy peer whose namespaceSelector has only NotIn/DoesNotExist requirements and whose podSelector has no In/Exists one: Cilium also matches identities that are not pods (the world, CIDRs, host, remote nodes, other entities).',
    kinds: [K8S_POLICY],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    // With policy-default-local-cluster the peer also requires this cluster's label, which only
    // pods carry (analysis/kubernetes.ts ciliumNamespacePeer, identity.ts), so nothing leaks.
    if (!ctx.cilium.deviations.negativeNamespaceSelectorSelectsAll || ctx.cilium.agent.policyDefaultLocalCluster) return;
    // Every rule: Cilium enforces the rules of directions missing from policyTypes too (NP013).
    for (const { policy: p, dir, rule, field, peerKey } of policyRules(k8sPolicies(ctx))) {
      list(rule?.[peerKey]).forEach((peer, j) => {
        const ns = writtenRequirements(peer?.namespaceSelector, '');
        if (!ns.length || ns.some(r => POSITIVE.includes(r.operator))) return;
        if (writtenRequirements(peer?.podSelector, '').some(r => POSITIVE.includes(r.operator))) return;
        const written = ns.map(r => `${r.key} ${r.operator}${r.values.length ? ` [${r.values.join(', ')}]` : ''}`).join(', ');
        const way = isIngress(dir) ? 'from' : 'to';
        emit(p, `${field}.${peerKey}[${j}].namespaceSelector`,
          `has only negative requirements (${written}) and the peer no positive pod requirement: Cilium ${ctx.cilium.version} translates it without a namespace requirement `
          + `(pkg/k8s/network_policy.go parseNetworkPolicyPeer; cilium/cilium#46949), so the rule also ${verb(dir)} traffic ${way} identities that are not pods: `
          + `addresses outside the cluster (world, CIDRs) and the entities ${CLUSTER_ENTITY_MEMBERS.join(', ')}; the specification selects only pods of the matching namespaces`,
          `add a positive requirement to the namespaceSelector, e.g. {key: ${NAMESPACE_NAME_LABEL}, operator: Exists} (every namespace has that label, so the specification's reading is unchanged and Cilium then matches pods only)`);
      });
    }
  },
};

/** NP013: NetworkPolicy rules of a direction that policyTypes does not list. */
export const rulesOutsidePolicyTypes: LintCheck = {
  info: {
    id: 'NP013',
    name: 'rules-outside-policy-types',
    severity: LintSeverity.WARNING,
    description: 'A NetworkPolicy with ingress (egress) rules but policyTypes without Ingress (Egress): the specification ignores the rules, Cilium enforces them and isolates that direction.',
    kinds: [K8S_POLICY],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    if (!ctx.cilium.deviations.rulesOutsidePolicyTypes) return;
    for (const p of k8sPolicies(ctx)) {
      // policyTypes as the API server stores it: an absent list is defaulted to every direction
      // with rules (NP009's case), so only a written list can leave rules out.
      const types: string[] = list(p.spec?.policyTypes).map(String);
      for (const [dir, type] of [['ingress', 'Ingress'], ['egress', 'Egress']]) {
        const rules = list(p.spec?.[dir]);
        if (!rules.length || types.includes(type)) continue;
        emit(p, `${p.specPath}.${dir}`,
          `has ${rules.length} rule(s), but policyTypes ${JSON.stringify(types)} does not list ${type}: the specification ignores them (the policy does not isolate ${dir}), `
          + `while Cilium ${ctx.cilium.version} enforces them and isolates ${dir} of the selected pods, dropping all other ${dir} (pkg/k8s/network_policy.go ParseNetworkPolicy; cilium/cilium#48703)`,
          `add "${type}" to policyTypes to enforce the rules under every enforcer, or remove ${p.specPath}.${dir} to leave ${dir} open`);
      }
    }
  },
};

/** A selector the identity label filter check looks at; its field and what it selects, for the message, are made when reported. */
interface IdentitySelector {
  readonly selector: any;
  /** A namespaceSelector: its keys are namespace labels, `io.cilium.k8s.namespace.labels.<key>` in the identity. */
  readonly namespaceLabels?: boolean;
  field(): string;
  /** What matching no pod means here. */
  consequence(): string;
}

/** The selectors of a policy that the identity label filter check looks at, those `wanted` only. */
function identitySelectors(p: LintPolicy, wanted: (selector: any, namespaceLabels: boolean) => boolean): IdentitySelector[] {
  const k8s = p.kind === K8S_POLICY;
  const out: IdentitySelector[] = [];
  const subject = k8s ? 'podSelector' : 'endpointSelector';
  if (p.spec?.[subject] !== undefined && wanted(p.spec[subject], false)) {
    out.push({ field: () => `${p.specPath}.${subject}`, selector: p.spec[subject], consequence: () => 'the policy applies to no pod' });
  }
  for (const { dir, rule, field, peerKey } of policyRules([p])) {
    const way = isIngress(dir) ? 'from' : 'to';
    const nothing = () => `the rule ${verb(dir)} nothing ${way} this peer`;
    list(rule?.[peerKey]).forEach((peer, j) => {
      if (k8s) {
        if (peer?.podSelector !== undefined && wanted(peer.podSelector, false)) {
          out.push({ field: () => `${field}.${peerKey}[${j}].podSelector`, selector: peer.podSelector, consequence: nothing });
        }
        if (peer?.namespaceSelector !== undefined && wanted(peer.namespaceSelector, true)) {
          out.push({ field: () => `${field}.${peerKey}[${j}].namespaceSelector`, selector: peer.namespaceSelector, consequence: nothing, namespaceLabels: true });
        }
      } else if (wanted(peer, false)) {
        out.push({ field: () => `${field}.${peerKey}[${j}]`, selector: peer, consequence: nothing });
      }
    });
    if (k8s) continue;
    const requires = isIngress(dir) ? 'fromRequires' : 'toRequires';
    list(rule?.[requires]).forEach((sel, j) => {
      if (!wanted(sel, false)) return;
      out.push({
        field: () => `${field}.${requires}[${j}]`,
        selector: sel,
        consequence: () => `every ${dir.endsWith('Deny') ? 'deny' : 'allow'} rule it narrows (of every policy selecting these endpoints) ${verb(dir)} nothing ${way} pods`,
      });
    });
  }
  return out;
}

/** Whether `test` holds for a key a selector's requirements name (matchLabels, then matchExpressions). */
function someRequirementKey(sel: any, test: (key: string) => boolean): boolean {
  if (!sel || typeof sel !== 'object') return false;
  for (const key of Object.keys(sel.matchLabels ?? {})) if (test(key)) return true;
  for (const e of list(sel.matchExpressions)) if (test(String(e?.key))) return true;
  return false;
}

/** The pod label key a selector key names, or undefined for keys of other label sources (`reserved:host`, `cidr:...`). */
function podLabelKey(key: string, k8s: boolean): string | undefined {
  if (k8s) return key;
  const plain = ciliumKeyWithoutK8sSource(key);
  const colon = plain.indexOf(':');
  if (colon >= 0 && (CILIUM_LABEL_SOURCES as readonly string[]).includes(plain.slice(0, colon))) return undefined;
  return plain;
}

/** NP014: a pod selector on a label Cilium leaves out of security identities. */
export const identityFilteredLabel: LintCheck = {
  info: {
    id: 'NP014',
    name: 'identity-filtered-label',
    severity: LintSeverity.WARNING,
    description: 'A pod selector (NetworkPolicy podSelector, Cilium endpointSelector, fromEndpoints/toEndpoints, fromRequires/toRequires) on a label Cilium\'s default identity label filter drops (pod-template-hash, statefulset.kubernetes.io/pod-name, controller-revision-hash...): under Cilium it matches no pod.',
    kinds: [K8S_POLICY, ...CILIUM_KINDS],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    // Cilium policies always match identities; NetworkPolicies do under Cilium (semantics.ts).
    const policies = ctx.policies.filter(p => (p.kind === K8S_POLICY
      ? ctx.cilium.deviations.selectorsMatchIdentityLabels
      : p.spec?.nodeSelector === undefined));
    const filteredKey = (namespaceLabels: boolean | undefined, key: string, k8s: boolean): string | undefined => {
      const identityKey = namespaceLabels ? CILIUM_NAMESPACE_LABELS_PREFIX + key : podLabelKey(key, k8s);
      if (identityKey === undefined || isCiliumIdentityLabel(identityKey)) return undefined;
      if (!k8s && isPlainNamespaceKey(key)) return undefined; // CNP002's finding: the namespace was meant
      return identityKey;
    };
    const wanted = (k8s: boolean) => (selector: any, namespaceLabels: boolean) =>
      someRequirementKey(selector, key => filteredKey(namespaceLabels, key, k8s) !== undefined);
    const wantedK8s = wanted(true);
    const wantedCilium = wanted(false);
    for (const p of policies) {
      const k8s = p.kind === K8S_POLICY;
      const spec = k8s ? ' (the specification matches the pod\'s own labels)' : '';
      for (const s of identitySelectors(p, k8s ? wantedK8s : wantedCilium)) {
        for (const r of writtenRequirements(s.selector, s.field())) {
          const key = filteredKey(s.namespaceLabels, r.key, k8s);
          if (key === undefined) continue;
          const filter = 'Cilium\'s default identity label filter leaves it out of security identities (pkg/labelsfilter defaultLabelPrefixCfg)';
          const fix = `select the pods on a label Cilium keeps (e.g. app or app.kubernetes.io/name from the pod template); if the agent is configured to keep "${key}" (--labels), silence NP014 with a reason`;
          if (POSITIVE.includes(r.operator)) {
            emit(p, r.field, `selects on "${r.key}", but ${filter}, so under Cilium this selector matches no pod: ${s.consequence()}${spec}`, fix);
          } else {
            emit(p, r.field, `requires "${r.key}" ${r.operator}${r.values.length ? ` [${r.values.join(', ')}]` : ''}, but ${filter}, so under Cilium the requirement holds for every pod and narrows nothing${spec}`, fix);
          }
        }
      }
    }
  },
};

/** NP015: with policy-default-local-cluster, Cilium 1.18 lets an ipBlock peer select the namespace's pods. */
export const ipBlockSelectsNamespacePods: LintCheck = {
  info: {
    id: 'NP015',
    name: 'ip-block-selects-namespace-pods',
    severity: LintSeverity.ERROR,
    description: 'A NetworkPolicy ipBlock peer under Cilium 1.18 with policy-default-local-cluster (LintOptions.ciliumAgent): the peer also selects every pod of the policy\'s namespace, opening traffic (cilium/cilium#46305).',
    kinds: [K8S_POLICY],
    needsWorkloads: false,
  },
  run(ctx: LintContext, emit: Emit) {
    if (!ctx.cilium.deviations.ipBlockPeerSelectsNamespacePods) return;
    for (const { policy: p, dir, rule, field, peerKey } of policyRules(k8sPolicies(ctx))) {
      list(rule?.[peerKey]).forEach((peer, j) => {
        if (!peer?.ipBlock) return;
        emit(p, `${field}.${peerKey}[${j}].ipBlock`,
          `is ipBlock ${peer.ipBlock.cidr}, but with policy-default-local-cluster Cilium ${ctx.cilium.version} adds the local cluster requirement to a pod selector this peer does not have `
          + `(pkg/k8s/network_policy.go parseNetworkPolicyPeer), so the peer also selects every pod of namespace ${p.namespace} and the rule ${verb(dir)} traffic ${isIngress(dir) ? 'from' : 'to'} all of them `
          + '(cilium/cilium#46305, fixed in Cilium 1.19 patch releases)',
          'set policy-default-local-cluster to false on the agent (ciliumAgent.policyDefaultLocalCluster), upgrade to a Cilium release with the fix (1.19), or allow the addresses with a CiliumNetworkPolicy toCIDRSet/fromCIDRSet rule instead');
      });
    }
  },
};

/**
 * What the analysis says about network-policy API objects beside the verdicts: who enforces them
 * in the chosen mode, and where the manifests cannot show what a cluster would do.
 */
import { Cluster, PolicyDoc } from './cluster';
import { parseCidr } from './ipranges';
import { Diagnostic } from './load';
import { isPolicyApiKind, tierPolicyTitle } from './policy-api';
import { Semantics } from './semantics';

/** The title of a policy-API document as explain and diagnostics name it. */
export function policyApiDocTitle(doc: PolicyDoc): string {
  const spec = doc.object?.spec ?? {};
  if (doc.kind === 'BaselineAdminNetworkPolicy') return tierPolicyTitle(doc.kind, doc.name, 'baseline');
  const tier = doc.kind === 'ClusterNetworkPolicy' && spec.tier === 'Baseline' ? 'baseline' : 'admin';
  return tierPolicyTitle(doc.kind, doc.name, tier, spec.priority);
}

/** Address ranges that commonly hold pod and node addresses (RFC 1918, RFC 6598, RFC 4193). */
const INTERNAL_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map(parseCidr);

function overlapsInternal(cidr: string): boolean {
  let r;
  try {
    r = parseCidr(cidr);
  } catch {
    return false;
  }
  return INTERNAL_RANGES.some((i) => i.family === r.family && i.start <= r.end && r.start <= i.end);
}

/**
 * Diagnostics of the network-policy API objects among the manifests, for the mode in force:
 * - `cilium` mode: no Cilium release implements the API (Cilium's Kubernetes compatibility table
 *   lists networking.k8s.io/v1 NetworkPolicy and cilium.io/v2 only; the feature proposal
 *   cilium/cilium#23380 is open), so each object is named as not enforced;
 * - Cilium policies and policy-API objects together: no CNI this tool models enforces both;
 * - `kubernetes` mode: `networks` that may hold pod or node addresses (the API applies them to
 *   cluster-internal traffic too; those addresses are not in the manifests), and IPv6 `networks`
 *   (matched, but the report lists IPv4 ranges only, as netpol-analyzer does).
 */
export function policyApiDiagnostics(cluster: Cluster, semantics: Semantics, hasCiliumPolicies: boolean): Diagnostic[] {
  const docs = cluster.policies.filter((d) => isPolicyApiKind(d.kind));
  if (!docs.length) return [];
  const out: Diagnostic[] = [];
  const names = docs.map(policyApiDocTitle);
  const v = semantics.ciliumVersion;
  if (semantics.mode === 'cilium') {
    for (const d of docs) {
      const title = policyApiDocTitle(d);
      out.push({
        ...d.source,
        severity: 'warning',
        object: title,
        code: 'not-enforced',
        message: `${title}: Cilium ${v} does not implement the network-policy API (policy.networking.k8s.io), so with --cni cilium@${v} this policy `
          + 'is not enforced and the results leave it out; analyse with --cni kubernetes for a CNI that implements it (Calico, OVN-Kubernetes, Antrea, the AWS network policy agent)',
      });
    }
  }
  if (hasCiliumPolicies) {
    const first = docs[0];
    out.push({
      ...first.source,
      severity: 'warning',
      object: names[0],
      code: 'mixed-enforcers',
      message: `the manifests hold Cilium policies and network-policy API objects (${names.join(', ')}); no CNI this tool models enforces both: `
        + (semantics.mode === 'cilium'
          ? `the results follow Cilium ${v} (the default when Cilium policies are present), which enforces none of the network-policy API objects`
          : 'with --cni kubernetes the results evaluate the network-policy API tiers around NetworkPolicy and the Cilium policies together (the Cilium policies in the NetworkPolicy tier), which no known CNI does'),
    });
  }
  if (semantics.mode !== 'kubernetes') return out;
  for (const d of docs) {
    const title = policyApiDocTitle(d);
    const internal: string[] = [];
    const v6: string[] = [];
    for (const dir of ['egress']) {
      (d.object?.spec?.[dir] ?? []).forEach((rule: any, i: number) => {
        for (const peer of rule?.to ?? []) {
          for (const c of peer?.networks ?? []) {
            if (rule.action !== 'Pass' && overlapsInternal(c)) internal.push(`${c} (${dir} rule #${i + 1})`);
            if (String(c).includes(':')) v6.push(`${c} (${dir} rule #${i + 1})`);
          }
        }
      });
    }
    if (internal.length) {
      out.push({
        ...d.source,
        severity: 'warning',
        object: title,
        code: 'networks-in-cluster',
        message: `${title}: networks ${internal.join(', ')} may hold pod or node addresses; the network-policy API applies networks to cluster-internal traffic too, `
          + 'but pod and node addresses are not in the manifests, so this analysis applies them to addresses outside the cluster only (as netpol-analyzer does); '
          + 'Pass or match pod traffic in an earlier rule so that both readings agree',
      });
    }
    if (v6.length) {
      out.push({
        ...d.source,
        severity: 'warning',
        object: title,
        code: 'ipv6-networks',
        message: `${title}: IPv6 networks ${v6.join(', ')} are enforced, but the report lists IPv4 address ranges only (as netpol-analyzer); `
          + 'ask explain about an IPv6 address to see its verdict',
      });
    }
  }
  return out;
}

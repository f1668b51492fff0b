/**
 * What the API server decides about network-policy-api objects beyond the generated schema table,
 * and what it accepts but no implementation can give a meaning.
 *
 * These are custom resources: the API server checks their OpenAPI schema (the schema layer: types,
 * unknown fields, enums, min/max, `minProperties`/`maxProperties` for "exactly one member",
 * `isCIDR`, v1alpha2's `self.start < self.end`), their CEL rules, and ObjectMeta; nothing else
 * (apiextensions-apiserver pkg/registry/customresource/validator.go). Errors here are the CEL rules
 * the schema interpreter does not evaluate (`CEL_RULES_IMPLEMENTED_HERE`, which a test matches
 * against the table's `uncheckedRules`). Warnings are what the API server stores but an
 * implementation reads through Go code that fails or matches nothing (label selectors go through
 * apimachinery LabelSelectorAsSelector; protocols are core/v1 `Protocol`; named ports match only
 * IANA-named container ports), and fields of the experimental-channel CRD only.
 */
import { ANP_ACTIONS, ADMIN_POLICY_PROTOCOLS, BANP_NAME } from './v1alpha1';
import { LabelSelector } from '../kubernetes/meta';
import { portNameProblem } from '../kubernetes/names';
import { validateLabelSelector } from '../kubernetes/validation';
import { FieldPath } from '../source';
import { violation, Violation } from '../violation';

/** The result of the semantic checks of one object. */
export interface PolicyApiChecks {
  /** What the API server rejects. */
  readonly errors: Violation[];
  /** What it accepts but implementations cannot apply as written, or needs the experimental-channel CRD. */
  readonly warnings: Violation[];
}

/**
 * The CEL rules of the committed v1alpha1 CRDs that the schema interpreter leaves to this module
 * (their exact text, as in the CRDs): network-policy-api v0.1.x apis/v1alpha1.
 */
export const CEL_RULES_IMPLEMENTED_HERE: readonly string[] = [
  // baselineadminnetworkpolicy_types.go, BaselineAdminNetworkPolicy
  "self.metadata.name == 'default'",
  // adminnetworkpolicy_types.go, AdminNetworkPolicyEgressRule (experimental channel)
  '!(self.to.exists(peer, has(peer.networks) || has(peer.nodes) || has(peer.domainNames)) && has(self.ports) && self.ports.exists(port, has(port.namedPort)))',
  // baselineadminnetworkpolicy_types.go, BaselineAdminNetworkPolicyEgressRule (experimental channel)
  '!(self.to.exists(peer, has(peer.networks) || has(peer.nodes)) && has(self.ports) && self.ports.exists(port, has(port.namedPort)))',
];

const EXPERIMENTAL_CONSEQUENCE = 'a field of the experimental-channel CRD only: on a cluster with the standard-channel CRD the API server rejects the object as having an unknown field';

function experimental(out: Violation[], path: FieldPath, value: unknown, what: string): void {
  out.push(violation(path, 'experimental-field', value, `is ${what}, ${EXPERIMENTAL_CONSEQUENCE}`,
    'install the experimental-channel CRDs of network-policy-api, or remove the field'));
}

/**
 * A selector the API server stores as written (the CRD schema checks only its shape), checked as
 * LabelSelectorAsSelector (apimachinery pkg/apis/meta/v1/helpers.go) checks it when an
 * implementation converts it: keys, values, operators and their value counts.
 */
function selector(out: Violation[], sel: LabelSelector | undefined, path: FieldPath): void {
  if (!sel) return;
  const found: Violation[] = [];
  validateLabelSelector(sel, path, found);
  for (const v of found) {
    out.push({
      ...v,
      code: 'invalid-selector',
      message: `${v.problem ?? v.message}: the API server does not check selectors of custom resources, but implementations convert them with LabelSelectorAsSelector, which fails on it${v.fix ? `; ${v.fix}` : ''}`,
      problem: `${v.problem ?? v.message}: the API server does not check selectors of custom resources, but implementations convert them with LabelSelectorAsSelector, which fails on it`,
    });
  }
}

type PodsPeer = { namespaceSelector?: LabelSelector; podSelector?: LabelSelector };

function namespacedPod(out: Violation[], pods: PodsPeer | undefined, path: FieldPath): void {
  if (!pods) return;
  selector(out, pods.namespaceSelector, [...path, 'namespaceSelector']);
  selector(out, pods.podSelector, [...path, 'podSelector']);
}

/** A named port must be an IANA service name to match a container port (core/v1 ContainerPort.name is validated so). */
function namedPort(out: Violation[], name: string, path: FieldPath): void {
  const p = portNameProblem(name);
  if (p) {
    out.push(violation(path, 'unmatchable-port', name, `${p.problem}, so it names no container port (container port names are IANA service names) and matches nothing`, p.fix));
  }
}

/** `Port.protocol` and `PortRange.protocol`: core/v1 Protocol, though the CRD has no enum. */
function protocol(out: Violation[], value: string, path: FieldPath): void {
  if ((ADMIN_POLICY_PROTOCOLS as readonly string[]).includes(value)) return;
  const fixed = ADMIN_POLICY_PROTOCOLS.find((p) => p === value.toUpperCase());
  out.push(violation(path, 'unknown-protocol', value,
    'is not TCP, UDP or SCTP: the CRD accepts any string, but implementations match only those protocols (core/v1 Protocol)',
    fixed ? `write "${fixed}" (protocols are case-sensitive)` : 'use TCP, UDP or SCTP'));
}

function adminPorts(w: Violation[], ports: readonly any[] | undefined, base: FieldPath): void {
  (ports ?? []).forEach((port, i) => {
    const p = [...base, 'ports', i];
    if (port.portNumber) protocol(w, port.portNumber.protocol, [...p, 'portNumber', 'protocol']);
    if (port.portRange) {
      protocol(w, port.portRange.protocol, [...p, 'portRange', 'protocol']);
      const { start, end } = port.portRange;
      // v0.1.x documents "the Start value must be less than End" but its CRD has no rule for it
      // (v1alpha2 added CEL `self.start < self.end`); netpol-analyzer rejects such a rule
      // (pkg/netpol/eval/internal/k8s/adminnetpol.go ruleConnections, IllegalPortRangeError).
      if (start > end) {
        w.push(violation([...p, 'portRange'], 'empty-port-range', { start, end },
          'has start after end: the API server accepts it, but the range holds no port and implementations reject or ignore the rule',
          `write start: ${end}, end: ${start}`));
      }
    }
    if (port.namedPort !== undefined) {
      experimental(w, [...p, 'namedPort'], port.namedPort, 'namedPort');
      namedPort(w, port.namedPort, [...p, 'namedPort']);
    }
  });
}

/**
 * AdminNetworkPolicy or BaselineAdminNetworkPolicy (v1alpha1), decoded by the schema layer with
 * no violation (defaults applied: every port protocol is set).
 */
export function validateAdminPolicy(kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy', value: any): PolicyApiChecks {
  const errors: Violation[] = [];
  const warnings: Violation[] = [];
  const baseline = kind === 'BaselineAdminNetworkPolicy';
  const name = value.metadata?.name;
  // CEL on the BaselineAdminNetworkPolicy root: only one BANP, named "default", per cluster
  if (baseline && typeof name === 'string' && name !== '' && name !== BANP_NAME) {
    errors.push(violation(['metadata', 'name'], 'invalid-value', name,
      'is not "default": only one baseline admin network policy, with metadata.name "default", can be created in the cluster',
      'name it "default" and merge the rules of every baseline into it'));
  }
  const spec = value.spec ?? {};
  selector(warnings, spec.subject?.namespaces, ['spec', 'subject', 'namespaces']);
  namespacedPod(warnings, spec.subject?.pods, ['spec', 'subject', 'pods']);
  (spec.ingress ?? []).forEach((rule: any, i: number) => {
    const base: FieldPath = ['spec', 'ingress', i];
    (rule.from ?? []).forEach((peer: any, j: number) => {
      selector(warnings, peer.namespaces, [...base, 'from', j, 'namespaces']);
      namespacedPod(warnings, peer.pods, [...base, 'from', j, 'pods']);
    });
    adminPorts(warnings, rule.ports, base);
  });
  (spec.egress ?? []).forEach((rule: any, i: number) => {
    const base: FieldPath = ['spec', 'egress', i];
    const to: any[] = rule.to ?? [];
    to.forEach((peer: any, j: number) => {
      const p = [...base, 'to', j];
      selector(warnings, peer.namespaces, [...p, 'namespaces']);
      namespacedPod(warnings, peer.pods, [...p, 'pods']);
      if (peer.nodes !== undefined) {
        experimental(warnings, [...p, 'nodes'], peer.nodes, 'nodes');
        selector(warnings, peer.nodes, [...p, 'nodes']);
      }
      if (peer.domainNames !== undefined) {
        experimental(warnings, [...p, 'domainNames'], peer.domainNames, 'domainNames');
        // AdminNetworkPolicyEgressPeer.DomainNames: "DomainNames is only supported for ALLOW rules"
        if (rule.action !== ANP_ACTIONS[0]) {
          warnings.push(violation([...p, 'domainNames'], 'unsupported-action', rule.action,
            'is the action of a rule with domainNames, which the API supports only for Allow rules (implementations may ignore the peer)',
            'allow the domain names here, and deny the rest with a lower-precedence rule'));
        }
      }
    });
    // CEL on the egress rule (experimental channel): no named port towards networks, nodes or domain names
    const addressPeer = to.findIndex((peer) =>
      peer.networks !== undefined || peer.nodes !== undefined || (!baseline && peer.domainNames !== undefined));
    const named = (rule.ports ?? []).findIndex((port: any) => port.namedPort !== undefined);
    if (addressPeer >= 0 && named >= 0) {
      const what = baseline ? 'networks/nodes' : 'networks/nodes/domainNames';
      errors.push(violation([...base, 'ports', named, 'namedPort'], 'forbidden', rule.ports[named].namedPort,
        `is a named port in a rule whose peer ${addressPeer} is a ${what} peer, which has no named ports`,
        'use portNumber or portRange, or move the address peers to a rule of their own'));
    }
    adminPorts(warnings, rule.ports, base);
  });
  return { errors, warnings };
}

/**
 * ClusterNetworkPolicy (v1alpha2, standard channel as in ../shared), decoded by the schema layer
 * with no violation; its CEL rules are all evaluated there, so only warnings come from here.
 */
export function validateClusterPolicy(value: any): PolicyApiChecks {
  const warnings: Violation[] = [];
  const spec = value.spec ?? {};
  selector(warnings, spec.subject?.namespaces, ['spec', 'subject', 'namespaces']);
  namespacedPod(warnings, spec.subject?.pods, ['spec', 'subject', 'pods']);
  const protocols = (rule: any, base: FieldPath, addressPeer: boolean): void => {
    (rule.protocols ?? []).forEach((p: any, k: number) => {
      if (p.destinationNamedPort === undefined) return;
      const path = [...base, 'protocols', k, 'destinationNamedPort'];
      namedPort(warnings, p.destinationNamedPort, path);
      // The experimental channel's CEL rejects this; the standard channel has no rule, and the
      // field's doc says "You can't use this in a rule that targets resources without named ports".
      if (addressPeer) {
        warnings.push(violation(path, 'unmatchable-port', p.destinationNamedPort,
          'is a named port in a rule with a networks peer: addresses have no named ports, so it matches no traffic to them',
          'use tcp/udp/sctp destinationPort for the networks, or put them in a rule of their own'));
      }
    });
  };
  (spec.ingress ?? []).forEach((rule: any, i: number) => {
    const base: FieldPath = ['spec', 'ingress', i];
    (rule.from ?? []).forEach((peer: any, j: number) => {
      selector(warnings, peer.namespaces, [...base, 'from', j, 'namespaces']);
      namespacedPod(warnings, peer.pods, [...base, 'from', j, 'pods']);
    });
    protocols(rule, base, false);
  });
  (spec.egress ?? []).forEach((rule: any, i: number) => {
    const base: FieldPath = ['spec', 'egress', i];
    const to: any[] = rule.to ?? [];
    to.forEach((peer: any, j: number) => {
      selector(warnings, peer.namespaces, [...base, 'to', j, 'namespaces']);
      namespacedPod(warnings, peer.pods, [...base, 'to', j, 'pods']);
    });
    protocols(rule, base, to.some((peer) => peer.networks !== undefined));
  });
  return { errors: [], warnings };
}

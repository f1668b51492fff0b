/**
 * The API server's validation of the kinds we read, beyond the schema (types, unknown fields and
 * required fields are the schema layer's): pkg/apis/networking/validation ValidateNetworkPolicy,
 * apimachinery ValidateObjectMeta / ValidateLabelSelector, core ValidateContainerPorts. Run on
 * the decoded, defaulted object, as the API server does (decode, default, validate).
 */
import { LABEL_SELECTOR_OPERATORS, LabelSelector, ObjectMeta } from './meta';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, portNameProblem, portNumberProblem, qualifiedNameProblem, SyntaxProblem } from './names';
import { NETWORK_POLICY_PROTOCOLS, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, POLICY_TYPES } from './network-policy';
import { ContainerPort, PodSpec } from './workloads';
import { TOTAL_ANNOTATION_SIZE_LIMIT } from '../limits';
import { parsePrefix, prefixContains } from '../net';
import { FieldPath } from '../source';
import { violation, Violation } from '../violation';

type Out = Violation[];

function syntax(out: Out, path: FieldPath, value: string, p: SyntaxProblem | undefined): void {
  if (p) out.push(violation(path, 'invalid-value', value, p.problem, p.fix));
}

/** How an object's name is checked (apimachinery NameIsDNSSubdomain / NameIsDNSLabel / NameIsDNS1035Label). */
export type NameRule = 'subdomain' | 'label' | 'dns1035';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function nameProblem(name: string, rule: NameRule): SyntaxProblem | undefined {
  if (rule === 'subdomain') return dns1123SubdomainProblem(name);
  if (rule === 'label') return dns1123LabelProblem(name);
  const p = dns1123LabelProblem(name);
  if (p) return p;
  return DNS1035_LABEL.test(name) ? undefined : { problem: 'is not a valid DNS-1035 label (it must start with a letter)', fix: 'start the name with a lowercase letter' };
}

/** ValidateObjectMeta: name, namespace, labels, annotations, owner references. */
export function validateObjectMeta(meta: ObjectMeta, nameRule: NameRule, namespaced: boolean, out: Out): void {
  if (meta.name === undefined || meta.name === '') {
    if (!meta.generateName) out.push(violation(['metadata', 'name'], 'required', meta.name, 'is required', 'give the object a name'));
  } else {
    syntax(out, ['metadata', 'name'], meta.name, nameProblem(meta.name, nameRule));
  }
  if (meta.namespace !== undefined && meta.namespace !== '') {
    if (!namespaced) {
      out.push(violation(['metadata', 'namespace'], 'forbidden', meta.namespace, 'is set on a cluster-scoped object', 'remove metadata.namespace'));
    } else {
      syntax(out, ['metadata', 'namespace'], meta.namespace, dns1123LabelProblem(meta.namespace));
    }
  }
  validateLabels(meta.labels, ['metadata', 'labels'], out);
  let size = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    // ValidateAnnotations checks lowercased keys
    syntax(out, ['metadata', 'annotations', k], k, qualifiedNameProblem(k.toLowerCase()));
    size += k.length + String(v).length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    out.push(violation(['metadata', 'annotations'], 'too-long', `${size} bytes`, `exceed the total annotation size limit of ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`, 'move large data out of annotations'));
  }
  (meta.ownerReferences ?? []).forEach((r, i) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (!r[f]) out.push(violation(['metadata', 'ownerReferences', i, f], 'required', r[f], 'is required in an owner reference', `set ${f}`));
    }
  });
  const controllers = (meta.ownerReferences ?? []).filter((r) => r.controller === true);
  if (controllers.length > 1) {
    out.push(violation(['metadata', 'ownerReferences'], 'invalid-value', controllers.map((r) => r.name), 'has more than one controller reference', 'keep controller: true on one owner only'));
  }
}

export function validateLabels(labels: { readonly [key: string]: string } | undefined, path: FieldPath, out: Out): void {
  checkLabels(labels, () => path, out);
}

// The checks below build a field path only for a value with a problem: policies are read by the
// thousand, and their selectors nearly always pass (the paths were most of the reading's garbage).

function checkLabels(labels: { readonly [key: string]: string } | undefined, path: () => FieldPath, out: Out): void {
  if (!labels) return;
  for (const k of Object.keys(labels)) {
    const v = labels[k];
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) syntax(out, [...path(), k], k, keyProblem);
    const valueProblem = typeof v === 'string' ? labelValueProblem(v) : undefined;
    if (valueProblem) syntax(out, [...path(), k], v, valueProblem);
  }
}

/** ValidateLabelSelector (AllowInvalidLabelValueInSelector: false, as for new objects). */
export function validateLabelSelector(sel: LabelSelector | undefined, path: FieldPath, out: Out): void {
  checkLabelSelector(sel, () => path, out);
}

function checkLabelSelector(sel: LabelSelector | undefined, path: () => FieldPath, out: Out): void {
  if (!sel) return;
  checkLabels(sel.matchLabels, () => [...path(), 'matchLabels'], out);
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = () => [...path(), 'matchExpressions', i];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) out.push(violation([...p(), 'values'], 'required', e.values, `must be given when the operator is ${e.operator}`, 'list at least one value'));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) out.push(violation([...p(), 'values'], 'forbidden', values, `may not be given when the operator is ${e.operator}`, 'remove values'));
        break;
      default: {
        const fixed = LABEL_SELECTOR_OPERATORS.find((o) => o.toLowerCase() === String(e.operator).toLowerCase());
        out.push(violation([...p(), 'operator'], 'invalid-value', e.operator, 'is not a valid selector operator',
          fixed ? `write "${fixed}" (operators are case-sensitive)` : `use one of ${LABEL_SELECTOR_OPERATORS.join(', ')}`));
      }
    }
    const keyProblem = qualifiedNameProblem(e.key);
    if (keyProblem) syntax(out, [...p(), 'key'], e.key, keyProblem);
    values.forEach((v, j) => {
      const valueProblem = labelValueProblem(v);
      if (valueProblem) syntax(out, [...p(), 'values', j], v, valueProblem);
    });
  });
}

function validatePort(port: NetworkPolicyPort, path: FieldPath, out: Out): void {
  if (!(NETWORK_POLICY_PROTOCOLS as readonly string[]).includes(port.protocol)) {
    const fixed = NETWORK_POLICY_PROTOCOLS.find((p) => p === String(port.protocol).toUpperCase());
    out.push(violation([...path, 'protocol'], 'not-supported', port.protocol, 'is not a supported protocol',
      fixed ? `write "${fixed}" (protocols are case-sensitive)` : `use one of ${NETWORK_POLICY_PROTOCOLS.join(', ')}`));
  }
  if (port.port !== undefined) {
    if (typeof port.port === 'number') {
      const p = portNumberProblem(port.port);
      if (p) out.push(violation([...path, 'port'], 'invalid-value', port.port, p.problem, p.fix));
      if (port.endPort !== undefined) {
        if (port.endPort < port.port) out.push(violation([...path, 'endPort'], 'invalid-value', port.endPort, `must be greater than or equal to port (${port.port})`, `use an endPort of at least ${port.port}`));
        const e = portNumberProblem(port.endPort);
        if (e) out.push(violation([...path, 'endPort'], 'invalid-value', port.endPort, e.problem, e.fix));
      }
    } else {
      if (port.endPort !== undefined) out.push(violation([...path, 'endPort'], 'invalid-value', port.endPort, `may not be given with the named port "${port.port}"`, 'use a numeric port with endPort, or remove endPort'));
      syntax(out, [...path, 'port'], port.port, portNameProblem(port.port));
    }
  } else if (port.endPort !== undefined) {
    out.push(violation([...path, 'endPort'], 'invalid-value', port.endPort, 'may not be given without port', 'set port (the start of the range) or remove endPort'));
  }
}

function validatePeer(peer: NetworkPolicyPeer, path: FieldPath, out: Out): void {
  let n = 0;
  if (peer.podSelector) {
    n++;
    checkLabelSelector(peer.podSelector, () => [...path, 'podSelector'], out);
  }
  if (peer.namespaceSelector) {
    n++;
    checkLabelSelector(peer.namespaceSelector, () => [...path, 'namespaceSelector'], out);
  }
  if (peer.ipBlock) {
    n++;
    const b = peer.ipBlock;
    const bp = [...path, 'ipBlock'];
    if (!b.cidr) {
      out.push(violation([...bp, 'cidr'], 'required', b.cidr, 'is required', 'give a CIDR such as 10.0.0.0/8'));
    } else {
      const cidr = parsePrefix(b.cidr, 'kubernetes');
      if (typeof cidr === 'string') {
        out.push(violation([...bp, 'cidr'], 'invalid-value', b.cidr, cidr, 'give a CIDR such as 10.0.0.0/8 or 2001:db8::/64'));
      } else {
        (b.except ?? []).forEach((e, i) => {
          const ex = parsePrefix(e, 'kubernetes');
          if (typeof ex === 'string') {
            out.push(violation([...bp, 'except', i], 'invalid-value', e, ex, 'give a CIDR inside cidr'));
          } else if (!prefixContains(cidr, { ...ex, last: ex.first }) || ex.family !== cidr.family || cidr.prefixLength >= ex.prefixLength) {
            // ValidateIPBlock: the except network must contain-start inside cidr and be longer
            out.push(violation([...bp, 'except', i], 'invalid-value', e, `must be a strict subset of cidr ${b.cidr}`, `use a block inside ${cidr.canonical}, or remove it`));
          }
        });
      }
    }
  }
  if (n === 0) out.push(violation(path, 'required', peer, 'must specify a peer', 'give podSelector, namespaceSelector or ipBlock (or remove the peer: no from/to means every peer)'));
  else if (n > 1 && peer.ipBlock) out.push(violation(path, 'forbidden', Object.keys(peer), 'may not specify both ipBlock and another peer', 'split it into separate peers'));
}

/** ValidateNetworkPolicy on a decoded, defaulted policy. */
export function validateNetworkPolicy(np: NetworkPolicy): Violation[] {
  const out: Out = [];
  validateObjectMeta(np.metadata, 'subdomain', true, out);
  const spec = np.spec;
  checkLabelSelector(spec.podSelector, () => ['spec', 'podSelector'], out);
  (spec.ingress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => validatePort(p, ['spec', 'ingress', i, 'ports', j], out));
    (r.from ?? []).forEach((p, j) => validatePeer(p, ['spec', 'ingress', i, 'from', j], out));
  });
  (spec.egress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => validatePort(p, ['spec', 'egress', i, 'ports', j], out));
    (r.to ?? []).forEach((p, j) => validatePeer(p, ['spec', 'egress', i, 'to', j], out));
  });
  if (spec.policyTypes.length > POLICY_TYPES.length) {
    out.push(violation(['spec', 'policyTypes'], 'invalid-value', spec.policyTypes, 'may not specify more than two policyTypes', 'list Ingress, Egress or both, once each'));
  } else {
    spec.policyTypes.forEach((t, i) => {
      if (!(POLICY_TYPES as readonly string[]).includes(t)) {
        const fixed = POLICY_TYPES.find((x) => x.toLowerCase() === String(t).toLowerCase());
        out.push(violation(['spec', 'policyTypes', i], 'not-supported', t, 'is not a policy type', fixed ? `write "${fixed}" (case-sensitive)` : 'use Ingress or Egress'));
      }
    });
  }
  return out;
}

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort (pkg/apis/networking/v1/defaults.go). */
export function defaultNetworkPolicy(np: any): void {
  const spec = np.spec;
  for (const dir of ['ingress', 'egress']) {
    for (const rule of Array.isArray(spec[dir]) ? spec[dir] : []) {
      for (const port of Array.isArray(rule?.ports) ? rule.ports : []) {
        if (port && (port.protocol === undefined || port.protocol === '')) port.protocol = 'TCP';
      }
    }
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

/**
 * ValidateContainerPorts (core/validation), per container: containerPort required and 1-65535,
 * protocol TCP/UDP/SCTP, names valid IANA service names and unique within the container (the
 * same name in two containers of a pod is allowed: only a warning since Kubernetes 1.28).
 */
export function validatePodSpecPorts(spec: PodSpec, path: FieldPath, out: Out): void {
  const lists: [string, readonly { name: string; ports?: readonly ContainerPort[] }[] | undefined][] = [['containers', spec.containers], ['initContainers', spec.initContainers]];
  for (const [list, containers] of lists) {
    (containers ?? []).forEach((c, ci) => {
      const names = new Set<string>();
      (c.ports ?? []).forEach((p, pi) => {
        const pp = [...path, list, ci, 'ports', pi];
        if (!p.containerPort) {
          out.push(violation([...pp, 'containerPort'], 'required', p.containerPort, 'is required', 'give the port number the container listens on'));
        } else {
          const num = portNumberProblem(p.containerPort);
          if (num) out.push(violation([...pp, 'containerPort'], 'invalid-value', p.containerPort, num.problem, num.fix));
        }
        if (p.protocol !== undefined && !(NETWORK_POLICY_PROTOCOLS as readonly string[]).includes(p.protocol)) {
          out.push(violation([...pp, 'protocol'], 'not-supported', p.protocol, 'is not a supported protocol', `use one of ${NETWORK_POLICY_PROTOCOLS.join(', ')}`));
        }
        if (p.name !== undefined && p.name !== '') {
          const bad = portNameProblem(p.name);
          if (bad) syntax(out, [...pp, 'name'], p.name, bad);
          else if (names.has(p.name)) out.push(violation([...pp, 'name'], 'duplicate', p.name, 'is the name of another port of this container', 'give each port of a container its own name'));
          else names.add(p.name);
        }
      });
    });
  }
}

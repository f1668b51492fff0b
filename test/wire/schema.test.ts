import { kindViolation, knownKinds, SchemaResult, validateObject } from '../../src/wire/schema';
import { formatFieldPath } from '../../src/wire/source';

/** `path code: message`, one line per violation, in the order found. */
function problems(r: SchemaResult | undefined): string[] {
  if (!r) throw new Error('no schema for the object');
  return r.violations.map(v => `${formatFieldPath(v.path) || '(root)'} ${v.code}: ${v.message}`);
}

const np = (spec: unknown, metadata: unknown = { name: 'p', namespace: 'shop' }) =>
  validateObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec })!;
const cnp = (spec: unknown, extra: object = {}) =>
  validateObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec, ...extra })!;
const ccnp = (spec: unknown) =>
  validateObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'p' }, spec })!;
const clusterPolicy = (spec: unknown) =>
  validateObject({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'p' }, spec })!;
const web = { matchLabels: { app: 'web' } };

describe('kinds', () => {
  test('knownKinds lists the kinds generated from the schemas, sorted', () => {
    expect(knownKinds().map(k => `${k.apiVersion} ${k.kind}`)).toEqual([
      'apps/v1 DaemonSet', 'apps/v1 Deployment', 'apps/v1 ReplicaSet', 'apps/v1 StatefulSet',
      'batch/v1 CronJob', 'batch/v1 Job',
      'cilium.io/v2 CiliumClusterwideNetworkPolicy', 'cilium.io/v2 CiliumNetworkPolicy', 'cilium.io/v2alpha1 CiliumCIDRGroup',
      'networking.k8s.io/v1 Ingress', 'networking.k8s.io/v1 NetworkPolicy',
      'policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy',
      'policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy',
      'v1 Namespace', 'v1 Node', 'v1 Pod', 'v1 ReplicationController', 'v1 Service',
    ]);
  });

  test.each([
    [{ apiVersion: 'apps/v1beta1', kind: 'Deployment' }, 'apiVersion unknown-kind: apps/v1beta1 Deployment is not a kind this tool reads (apps/v1beta1 does not serve Deployment in Kubernetes 1.33): use apiVersion apps/v1'],
    [{ apiVersion: 'extensions/v1beta1', kind: 'NetworkPolicy' }, 'apiVersion unknown-kind: extensions/v1beta1 NetworkPolicy is not a kind this tool reads (extensions/v1beta1 does not serve NetworkPolicy in Kubernetes 1.33): use apiVersion networking.k8s.io/v1'],
    [{ apiVersion: 'cilium.io/v2', kind: 'CiliumCIDRGroup' }, 'apiVersion unknown-kind: cilium.io/v2 CiliumCIDRGroup is not a kind this tool reads (it reads the CiliumCIDRGroup schema of cilium.io/v2alpha1): use apiVersion cilium.io/v2alpha1'],
    [{ apiVersion: 'networking.k8s.io/v1', kind: 'networkpolicy' }, 'kind unknown-kind: networking.k8s.io/v1 networkpolicy is not a kind this tool reads: kinds are case-sensitive, did you mean NetworkPolicy?'],
    [{ apiVersion: 'Networking.k8s.io/v1', kind: 'NetworkPolicy' }, 'apiVersion unknown-kind: Networking.k8s.io/v1 NetworkPolicy is not a kind this tool reads: apiVersion is case-sensitive, use networking.k8s.io/v1'],
    [{ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy' }, 'kind unknown-kind: projectcalico.org/v3 NetworkPolicy is not a kind this tool reads (it reads NetworkPolicy of networking.k8s.io/v1)'],
    [{ apiVersion: 'v1', kind: 'Pods' }, 'kind unknown-kind: v1 Pods is not a kind this tool reads: did you mean Pod?'],
    [{ apiVersion: 'v1', kind: 'ConfigMap' }, 'kind unknown-kind: v1 ConfigMap is not a kind this tool reads'],
    [{ kind: 'CiliumNetworkPolicy' }, 'apiVersion required: missing apiVersion: add apiVersion: cilium.io/v2'],
    [{ apiVersion: 'v1' }, 'kind required: missing kind: add the kind, e.g. kind: NetworkPolicy'],
    [{ apiVersion: 1, kind: 'Pod' }, 'apiVersion type: apiVersion must be a string, not 1'],
    [['a'], '(root) type: a manifest must be an object with apiVersion and kind, not ["a"]'],
  ])('%j is not read: says why and what to use', (object, expected) => {
    expect(validateObject(object)).toBeUndefined();
    const v = kindViolation(object)!;
    expect(`${formatFieldPath(v.path) || '(root)'} ${v.code}: ${v.message}`).toBe(expected);
  });

  test('a known kind has no kind violation', () => {
    expect(kindViolation({ apiVersion: 'v1', kind: 'Pod' })).toBeUndefined();
  });
});

describe('NetworkPolicy (decoded as the Go struct)', () => {
  test('a valid policy passes and reads back unchanged', () => {
    const spec = {
      podSelector: web,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['fe'] }] } }], ports: [{ protocol: 'TCP', port: 'http' }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 5000, endPort: 5100 }] }],
    };
    const r = np(spec);
    expect(problems(r)).toEqual([]);
    expect(r.value.spec).toEqual(spec);
  });

  describe('unknown fields are errors (strict, case-sensitive decoding), with the likely field', () => {
    test.each([
      [{ podSelector: {}, policyType: ['Ingress'] }, 'spec.policyType unknown-field: unknown field "policyType": did you mean "policyTypes"?'],
      [{ podSelector: {}, Ingress: [] }, 'spec.Ingress unknown-field: unknown field "Ingress": did you mean "ingress"?'],
      [{ podselector: {} }, 'spec.podselector unknown-field: unknown field "podselector": did you mean "podSelector"?'],
      [{ podSelector: {}, ingress: [{ form: [] }] }, 'spec.ingress[0].form unknown-field: unknown field "form": did you mean "from"?'],
      [{ podSelector: {}, rules: [] }, 'spec.rules unknown-field: unknown field "rules": remove it (NetworkPolicySpec fields: egress, ingress, podSelector, policyTypes)'],
    ])('%j', (spec, expected) => {
      expect(problems(np(spec))).toEqual([expected]);
    });

    test('at the root and in metadata too', () => {
      const r = validateObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', apiversion: 'x', metadata: { name: 'p', label: {} }, spec: {} });
      expect(problems(r)).toEqual([
        'apiversion unknown-field: unknown field "apiversion": did you mean "apiVersion"?',
        'metadata.label unknown-field: unknown field "label": did you mean "labels"?',
      ]);
    });

    test('an unknown field is left out of the value', () => {
      expect(np({ podSelector: {}, policyType: ['Ingress'] }).value.spec).toEqual({ podSelector: {} });
    });
  });

  describe('wrong types', () => {
    test.each([
      [{ podSelector: {}, ingress: { from: [] } }, 'spec.ingress type: must be a list, not the object {"from":[]}: write it as a list ("- item" lines or [a, b])'],
      [{ podSelector: { matchLabels: { version: 1 } } }, 'spec.podSelector.matchLabels.version type: must be a string, not the number 1: quote it ("1")'],
      [{ podSelector: { matchLabels: { enabled: true } } }, 'spec.podSelector.matchLabels.enabled type: must be a string, not true: quote it ("true")'],
      [{ podSelector: 'all' }, 'spec.podSelector type: must be an object (a mapping of fields), not the string "all": write it as a mapping of fields (key: value lines, or {key: value}); check the indentation'],
      [{ podSelector: {}, ingress: [{ ports: [{ endPort: '90' }] }] }, 'spec.ingress[0].ports[0].endPort type: must be an integer, not the string "90": write 90 without quotes'],
      [{ podSelector: {}, ingress: [{ ports: [{ endPort: 90.5 }] }] }, 'spec.ingress[0].ports[0].endPort type: must be an integer, not the number 90.5: write an integer here'],
    ])('%j', (spec, expected) => {
      expect(problems(np(spec))).toEqual([expected]);
    });

    test('integers must fit the Go field: int32 overflow fails to decode', () => {
      expect(problems(np({ podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 2147483648 }] }] }))).toEqual([
        'spec.ingress[0].ports[0].endPort range: 2147483648 does not fit a int32: use a value in -2147483648..2147483647',
      ]);
    });
  });

  describe('int-or-string (intstr.IntOrString)', () => {
    test.each([[80], ['http'], ['80'], [-1]])('port %j decodes (port ranges and names are judged by validation)', (port) => {
      expect(problems(np({ podSelector: {}, ingress: [{ ports: [{ port }] }] }))).toEqual([]);
    });

    test.each([
      [80.5, 'type: must be a string or an integer, not the number 80.5: write a string or an integer here'],
      [true, 'type: must be a string or an integer, not true: write a string or an integer here'],
      [{ number: 80 }, 'type: must be a string or an integer, not the object {"number":80}: write a string or an integer here'],
      [2147483648, 'range: 2147483648 does not fit IntOrString (int32): use a value in -2147483648..2147483647'],
    ])('port %j does not', (port, expected) => {
      expect(problems(np({ podSelector: {}, ingress: [{ ports: [{ port }] }] }))).toEqual([`spec.ingress[0].ports[0].port ${expected}`]);
    });
  });

  describe('values validation accepts exactly, in exact case', () => {
    test.each([
      [{ podSelector: {}, ingress: [{ ports: [{ protocol: 'tcp' }] }] }, 'spec.ingress[0].ports[0].protocol enum: unsupported value "tcp": use one of "TCP", "UDP", "SCTP" (did you mean "TCP"?)'],
      [{ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }, 'spec.ingress[0].ports[0].protocol enum: unsupported value "ICMP": use one of "TCP", "UDP", "SCTP"'],
      [{ podSelector: {}, policyTypes: ['ingress'] }, 'spec.policyTypes[0] enum: unsupported value "ingress": use one of "Ingress", "Egress" (did you mean "Ingress"?)'],
      [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] } }, 'spec.podSelector.matchExpressions[0].operator enum: unsupported value "in": use one of "In", "NotIn", "Exists", "DoesNotExist" (did you mean "In"?)'],
      [{ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }, 'spec.policyTypes items: has 3 items: at most 2 allowed'],
    ])('%j', (spec, expected) => {
      expect(problems(np(spec))).toEqual([expected]);
    });
  });

  describe('required fields: the ones Go validation requires, not the OpenAPI list', () => {
    test('ipBlock.cidr and a selector requirement\'s key and operator', () => {
      expect(problems(np({ podSelector: { matchExpressions: [{ values: ['x'] }] }, ingress: [{ from: [{ ipBlock: { except: [] } }] }] }))).toEqual([
        'spec.podSelector.matchExpressions[0].key required: missing required field "key": add it',
        'spec.podSelector.matchExpressions[0].operator required: missing required field "operator": add it',
        'spec.ingress[0].from[0].ipBlock.cidr required: missing required field "cidr": add it',
      ]);
    });

    test('podSelector is required by OpenAPI but the server decodes its absence as {}: all pods', () => {
      const r = np({ ingress: [{}] });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec).toEqual({ ingress: [{}], podSelector: {} });
    });
  });

  describe('null, as encoding/json decodes it into the Go types', () => {
    test('spec.podSelector: null is the zero LabelSelector {}: all pods', () => {
      const r = np({ podSelector: null, ingress: [] });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec).toEqual({ podSelector: {}, ingress: [] });
    });

    test('ingress: [null] is one empty rule [{}] (allow all), ports: [null] one empty port (all ports)', () => {
      const r = np({ podSelector: {}, ingress: [null, { ports: [null], from: [{ podSelector: web }] }] });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec.ingress).toEqual([{}, { ports: [{}], from: [{ podSelector: web }] }]);
    });

    test('spec: null (or no spec) is the zero NetworkPolicySpec: every pod selected, no ingress allowed', () => {
      for (const spec of [null, undefined]) {
        const r = validateObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec })!;
        expect(problems(r)).toEqual([]);
        expect(r.value.spec).toEqual({ podSelector: {} });
      }
    });

    test('from: null and egress: null are nil slices: as if absent', () => {
      const r = np({ podSelector: {}, ingress: [{ from: null }], egress: null });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec).toEqual({ podSelector: {}, ingress: [{}] });
    });

    test('policyTypes: [null] is [""], which validation rejects', () => {
      const r = np({ podSelector: {}, policyTypes: [null] });
      expect(r.value.spec.policyTypes).toEqual(['']);
      expect(problems(r)).toEqual(['spec.policyTypes[0] enum: unsupported value "": use one of "Ingress", "Egress"']);
    });

    test('a null map value is "" (matchLabels {app: null} selects app=""), a null peer field is nil', () => {
      const r = np({ podSelector: { matchLabels: { app: null } }, ingress: [{ from: [{ podSelector: null, namespaceSelector: {} }] }] });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec).toEqual({ podSelector: { matchLabels: { app: '' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    });

    test('a null selector requirement is the zero requirement, which lacks key and operator', () => {
      const r = np({ podSelector: { matchExpressions: [null] } });
      expect(r.value.spec.podSelector).toEqual({ matchExpressions: [{}] });
      expect(problems(r)).toEqual([
        'spec.podSelector.matchExpressions[0].key required: missing required field "key": add it',
        'spec.podSelector.matchExpressions[0].operator required: missing required field "operator": add it',
      ]);
    });

    test('metadata.creationTimestamp: null (as kubectl --dry-run writes it) is the zero time', () => {
      const r = np({ podSelector: {} }, { name: 'p', creationTimestamp: null });
      expect(problems(r)).toEqual([]);
      expect(r.value.metadata).toEqual({ name: 'p' });
    });
  });

  test('metadata times must be RFC 3339 (metav1.Time)', () => {
    expect(problems(np({ podSelector: {} }, { name: 'p', creationTimestamp: '2024-02-30T00:00:00Z' }))).toEqual([
      'metadata.creationTimestamp format: "2024-02-30T00:00:00Z" is not an RFC 3339 time: write e.g. "2024-01-31T12:00:00Z"',
    ]);
  });
});

describe('other built-in kinds', () => {
  const pod = (container: object) => validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', ...container }] } })!;

  test('resource quantities must parse as resource.Quantity', () => {
    expect(problems(pod({ resources: { requests: { cpu: '500m', memory: '1.5Gi' }, limits: { cpu: 2, memory: '1e3' } } }))).toEqual([]);
    expect(problems(pod({ resources: { requests: { cpu: '500 m', memory: '1GB' } } }))).toEqual([
      'spec.containers[0].resources.requests.cpu format: "500 m" is not a quantity: write a number with an optional suffix, e.g. "500m", "2", "1.5Gi"',
      'spec.containers[0].resources.requests.memory format: "1GB" is not a quantity: write a number with an optional suffix, e.g. "500m", "2", "1.5Gi"',
    ]);
  });

  test('a container port out of int32 range and a misspelt field', () => {
    expect(problems(pod({ ports: [{ containerPort: 8080, protocl: 'TCP' }, { containerPort: 4294967296 }] }))).toEqual([
      'spec.containers[0].ports[0].protocl unknown-field: unknown field "protocl": did you mean "protocol"?',
      'spec.containers[0].ports[1].containerPort range: 4294967296 does not fit a int32: use a value in -2147483648..2147483647',
    ]);
  });

  test('owner references need apiVersion, kind, name and uid (validateOwnerReference)', () => {
    const r = validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ownerReferences: [{ name: 'rs' }] }, spec: { containers: [{ name: 'c' }] } });
    expect(problems(r)).toEqual([
      'metadata.ownerReferences[0].apiVersion required: missing required field "apiVersion": add it',
      'metadata.ownerReferences[0].kind required: missing required field "kind": add it',
      'metadata.ownerReferences[0].uid required: missing required field "uid": add it',
    ]);
  });

  test('Deployment: template: null is the zero PodTemplateSpec {}', () => {
    const r = validateObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: web, template: null } })!;
    expect(problems(r)).toEqual([]);
    expect(r.value.spec).toEqual({ selector: web, template: {} });
  });
});

describe('CiliumNetworkPolicy (custom resource: pruning, nulls, defaults, then validation)', () => {
  test('a valid policy passes; schema defaults are applied (ICMP family IPv4)', () => {
    const r = cnp({ endpointSelector: web, ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }, { icmps: [{ fields: [{ type: 8 }] }] }] });
    expect(problems(r)).toEqual([]);
    expect(r.value.spec.ingress[1]).toEqual({ icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] });
  });

  describe('unknown fields are pruned and reported, with the likely field', () => {
    test.each([
      [{ endpointSelector: web, ingress: [{ fromEndpoint: [{}] }] }, 'spec.ingress[0].fromEndpoint unknown-field: unknown field "fromEndpoint": did you mean "fromEndpoints"?'],
      [{ EndpointSelector: web, endpointSelector: web, ingress: [{}] }, 'spec.EndpointSelector unknown-field: unknown field "EndpointSelector": did you mean "endpointSelector"?'],
      [{ endpointSelector: { matchLabels: web.matchLabels, app: 'web' }, ingress: [{}] }, 'spec.endpointSelector.app unknown-field: unknown field "app": remove it (fields here: matchExpressions, matchLabels)'],
    ])('%j', (spec, expected) => {
      expect(problems(cnp(spec))).toEqual([expected]);
    });
  });

  describe('wrong types and values', () => {
    test.each([
      [{ endpointSelector: web, ingress: 'all' }, 'spec.ingress type: must be a list, not the string "all": write it as a list, e.g. ["all"]'],
      [{ endpointSelector: web, ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'tcp' }] }] }] }, 'spec.ingress[0].toPorts[0].ports[0].protocol enum: unsupported value "tcp": use one of "TCP", "UDP", "SCTP", "ANY" (did you mean "TCP"?)'],
      [{ endpointSelector: web, ingress: [{ fromEntities: ['World'] }] }, 'spec.ingress[0].fromEntities[0] enum: unsupported value "World": use one of "all", "world", "cluster", "host", "init", "ingress", "unmanaged", "remote-node", "health", "none", "kube-apiserver" (did you mean "world"?)'],
      [{ endpointSelector: web, ingress: [{ toPorts: [{ ports: [{ protocol: 'TCP' }] }] }] }, 'spec.ingress[0].toPorts[0].ports[0].port required: missing required field "port": add it'],
      [{ endpointSelector: web, ingress: [{ toPorts: [{ ports: [{ port: '80', endPort: 70000 }] }] }] }, 'spec.ingress[0].toPorts[0].ports[0].endPort range: 70000 is above the maximum 65535'],
    ])('%j', (spec, expected) => {
      expect(problems(cnp(spec))).toEqual([expected]);
    });

    test('integers are not range-checked by format int32 in CRDs (kube-openapi checks the type only)', () => {
      expect(problems(cnp({ endpointSelector: web, ingress: [{ toPorts: [{ ports: [{ port: '80', endPort: 65535 }] }] }] }))).toEqual([]);
    });
  });

  describe('null, as apiextensions-apiserver resolves it', () => {
    test('fromEndpoints: null and egress: null are pruned: as if absent', () => {
      const r = cnp({ endpointSelector: web, ingress: [{ fromEndpoints: null }], egress: null });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec).toEqual({ endpointSelector: web, ingress: [{}] });
    });

    test('ingress: [null] is not pruned (list items never are) and fails the type check', () => {
      const r = cnp({ endpointSelector: web, ingress: [null] });
      expect(problems(r)).toEqual(['spec.ingress[0] type: must be an object (a mapping of fields), not null: remove the item or give a value']);
    });

    test('endpointSelector: null is pruned, so the policy selects nothing: oneOf fails', () => {
      const r = cnp({ endpointSelector: null, ingress: [{}] });
      expect(problems(r)).toEqual(['spec one-of: sets none of endpointSelector, nodeSelector: set exactly one of them']);
      expect(r.value.spec).toEqual({ ingress: [{}] });
    });

    test('a null matchLabels value is pruned (unlike a Kubernetes selector, where it is "")', () => {
      const r = cnp({ endpointSelector: { matchLabels: { app: null, tier: 'fe' } }, ingress: [{}] });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec.endpointSelector).toEqual({ matchLabels: { tier: 'fe' } });
    });

    test('a null field with a default takes the default', () => {
      const r = cnp({ endpointSelector: web, ingress: [{ icmps: [{ fields: [{ type: 8, family: null }] }] }] });
      expect(problems(r)).toEqual([]);
      expect(r.value.spec.ingress[0].icmps[0].fields[0]).toEqual({ type: 8, family: 'IPv4' });
    });
  });

  describe('patterns are Go regular expressions, matched unanchored (regexp.MatchString)', () => {
    // The port pattern is `^(6553[0-5]|…|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$`: the
    // first alternative is anchored at the start only, the second at the end only.
    test.each([['80'], ['99999'], ['80abc!'], ['http'], ['my-port']])('port %j matches', (port) => {
      expect(problems(cnp({ endpointSelector: web, ingress: [{ toPorts: [{ ports: [{ port }] }] }] }))).toEqual([]);
    });

    test.each([['-80'], ['!!']])('port %j does not', (port) => {
      expect(problems(cnp({ endpointSelector: web, ingress: [{ toPorts: [{ ports: [{ port }] }] }] }))).toEqual([
        `spec.ingress[0].toPorts[0].ports[0].port pattern: ${JSON.stringify(port)} does not match the pattern ^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$`,
      ]);
    });

    test('RE2 classes JavaScript lacks: log.value must match ^\\PC*$ (no control characters)', () => {
      expect(problems(cnp({ endpointSelector: web, ingress: [{}], log: { value: 'ok éè' } }))).toEqual([]);
      expect(problems(cnp({ endpointSelector: web, ingress: [{}], log: { value: 'bell\u0007' } }))).toEqual([
        'spec.log.value pattern: "bell\\u0007" does not match the pattern ^\\PC*$',
      ]);
    });
  });

  describe('int-or-string with a pattern: the pattern applies to strings only', () => {
    const icmp = (type: unknown) => cnp({ endpointSelector: web, ingress: [{ icmps: [{ fields: [{ type }] }] }] });
    test.each([[8], [300], ['EchoReply'], ['255']])('ICMP type %j passes the schema', (type) => {
      expect(problems(icmp(type))).toEqual([]);
    });

    test('a misspelt ICMP type name gets the closest name', () => {
      expect(problems(icmp('echo'))[0]).toMatch(/^spec\.ingress\[0\]\.icmps\[0\]\.fields\[0\]\.type pattern: "echo" does not match the pattern \^\(\[0-9\]\|.*… \(did you mean "Echo"\?\)$/);
    });

    test.each([[true], [8.5]])('ICMP type %j is neither an integer nor a string', (type) => {
      expect(problems(icmp(type))).toEqual([`spec.ingress[0].icmps[0].fields[0].type type: must be a string or an integer, not ${type === true ? 'true' : 'the number 8.5'}: write a string or an integer here`]);
    });
  });

  describe('formats as the API server checks them (kube-openapi strfmt)', () => {
    const cidr = (c: string) => cnp({ endpointSelector: web, egress: [{ toCIDR: [c] }] });
    // strfmt isCIDR is k8s.io/utils ParseCIDRSloppy (Go 1.16 net.ParseCIDR): leading zeros and host bits are accepted.
    test.each([['10.0.0.0/8'], ['10.0.0.1/8'], ['010.0.0.0/8'], ['10.0.0.0/08'], ['2001:db8::/32'], ['::ffff:10.0.0.0/104']])('cidr %j is valid', (c) => {
      expect(problems(cidr(c))).toEqual([]);
    });

    test.each([['10.0.0.0/33'], ['10.0.0.0'], ['10.0.0.0/'], ['256.0.0.0/8'], ['2001:db8::/129'], ['10.0.0.0/8 ']])('cidr %j is not', (c) => {
      expect(problems(cidr(c))).toEqual([
        `spec.egress[0].toCIDR[0] format: ${JSON.stringify(c)} is not a valid cidr: write an address and a prefix length, e.g. "10.0.0.0/16" or "2001:db8::/64"`,
      ]);
    });

    test('idn-hostname is not a format the API server validates: any host passes', () => {
      expect(problems(cnp({ endpointSelector: web, ingress: [{ toPorts: [{ ports: [{ port: '80' }], rules: { http: [{ host: 'not a host name!' }] } }] }] }))).toEqual([]);
    });
  });

  describe('oneOf / anyOf: one message naming the fields', () => {
    test('endpointSelector and nodeSelector together', () => {
      expect(problems(cnp({ endpointSelector: web, nodeSelector: {}, ingress: [{}] }))).toEqual([
        'spec one-of: sets endpointSelector and nodeSelector: set exactly one of endpointSelector, nodeSelector',
      ]);
    });

    test('a rule without ingress, ingressDeny, egress or egressDeny', () => {
      expect(problems(cnp({ endpointSelector: web }))).toEqual([
        'spec any-of: sets none of ingress, ingressDeny, egress, egressDeny: set at least one of them',
      ]);
    });

    test('a CIDR set entry with two kinds of peer', () => {
      expect(problems(cnp({ endpointSelector: web, egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', cidrGroupRef: 'g' }] }] }))).toEqual([
        'spec.egress[0].toCIDRSet[0] one-of: sets cidr and cidrGroupRef: set exactly one of cidr, cidrGroupRef, cidrGroupSelector',
      ]);
    });
  });

  test('x-kubernetes-list-type set: a repeated server name is a duplicate', () => {
    expect(problems(cnp({ endpointSelector: web, egress: [{ toPorts: [{ ports: [{ port: '443' }], serverNames: ['a.example', 'b.example', 'a.example'] }] }] }))).toEqual([
      'spec.egress[0].toPorts[0].serverNames[2] duplicate: duplicate value "a.example": each value may appear once; remove it',
    ]);
  });

  test('status (a subresource) is pruned on decode, then dropped on create without validation', () => {
    const r = cnp({ endpointSelector: web, ingress: [{}] }, { status: { conditions: 'not a list', derivativePolicy: {} } });
    expect(problems(r)).toEqual(['status.derivativePolicy unknown-field: unknown field "derivativePolicy": did you mean "derivativePolicies"?']);
    expect(r.value.status).toBeUndefined();
  });

  test('metadata is decoded as ObjectMeta, strictly', () => {
    const r = validateObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', Namespace: 'x', labels: { a: 1 } }, spec: { endpointSelector: web, ingress: [{}] } });
    expect(problems(r)).toEqual([
      'metadata.Namespace unknown-field: unknown field "Namespace": did you mean "namespace"?',
      'metadata.labels.a type: must be a string, not the number 1: quote it ("1")',
    ]);
  });
});

describe('CiliumClusterwideNetworkPolicy', () => {
  test('a host policy (nodeSelector) passes; the same checks as CiliumNetworkPolicy apply', () => {
    expect(problems(ccnp({ nodeSelector: {}, ingress: [{ fromEntities: ['cluster'] }] }))).toEqual([]);
    expect(problems(ccnp({ nodeSelector: {}, ingres: [{}], egress: [{ toPorts: [{ ports: [{ port: 'x_' }] }] }] }))).toEqual([
      'spec.ingres unknown-field: unknown field "ingres": did you mean "ingress"?',
      'spec.egress[0].toPorts[0].ports[0].port pattern: "x_" does not match the pattern ^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$',
    ]);
  });

  test('specs: each rule is checked like spec', () => {
    const r = validateObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'p' }, specs: [{ endpointSelector: {}, egress: [{ toCIDR: ['1.2.3.4'] }] }, null] })!;
    expect(problems(r)).toEqual([
      'specs[0].egress[0].toCIDR[0] format: "1.2.3.4" is not a valid cidr: write an address and a prefix length, e.g. "10.0.0.0/16" or "2001:db8::/64"',
      'specs[1] type: must be an object (a mapping of fields), not null: remove the item or give a value',
    ]);
  });
});

describe('CiliumCIDRGroup', () => {
  test('externalCIDRs is required and each entry a CIDR', () => {
    const group = (spec: unknown) => validateObject({ apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', metadata: { name: 'g' }, spec })!;
    expect(problems(group({ externalCIDRs: ['192.0.2.0/24'] }))).toEqual([]);
    expect(problems(group({ externalCIDRs: null }))).toEqual(['spec.externalCIDRs required: missing required field "externalCIDRs": add it']);
    expect(problems(group({ externalCIDR: ['192.0.2.0/24'] }))).toEqual([
      'spec.externalCIDR unknown-field: unknown field "externalCIDR": did you mean "externalCIDRs"?',
      'spec.externalCIDRs required: missing required field "externalCIDRs": add it',
    ]);
  });
});

describe('ClusterNetworkPolicy (x-kubernetes-validations)', () => {
  const base = { tier: 'Admin', priority: 10, subject: { namespaces: {} } };
  const tcpRange = (start: number, end: number) => ({ ...base, ingress: [{ action: 'Accept', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { range: { start, end } } } }] }] });

  test('self.start < self.end', () => {
    expect(problems(clusterPolicy(tcpRange(80, 90)))).toEqual([]);
    expect(problems(clusterPolicy(tcpRange(90, 90)))).toEqual([
      'spec.ingress[0].protocols[0].tcp.destinationPort.range rule: start 90 is not less than end 90: make start smaller than end (rule self.start < self.end)',
    ]);
  });

  test('isCIDR(self) is netip.ParsePrefix: no leading zeros, no IPv4-mapped IPv6', () => {
    const networks = (n: string[]) => clusterPolicy({ ...base, egress: [{ action: 'Deny', to: [{ networks: n }] }] });
    expect(problems(networks(['10.0.0.0/8', '10.0.0.1/8', '2001:db8::/32']))).toEqual([]);
    expect(problems(networks(['010.0.0.0/8', '::ffff:10.0.0.0/104', '10.0.0.0/08']))).toEqual([
      'spec.egress[0].to[0].networks[0] rule: "010.0.0.0/8" is not a valid CIDR: write an address and a prefix length, e.g. "10.0.0.0/16" (rule isCIDR(self))',
      'spec.egress[0].to[0].networks[1] rule: "::ffff:10.0.0.0/104" is not a valid CIDR: write an address and a prefix length, e.g. "10.0.0.0/16" (rule isCIDR(self))',
      'spec.egress[0].to[0].networks[2] rule: "10.0.0.0/08" is not a valid CIDR: write an address and a prefix length, e.g. "10.0.0.0/16" (rule isCIDR(self))',
    ]);
  });

  test('a blocking error (here an enum) means the rules are not evaluated, as the API server does', () => {
    expect(problems(clusterPolicy({ ...tcpRange(90, 80), tier: 'admin' }))).toEqual([
      'spec.tier enum: unsupported value "admin": use one of "Admin", "Baseline" (did you mean "Admin"?)',
    ]);
  });

  test('minProperties/maxProperties 1: exactly one kind of subject', () => {
    expect(problems(clusterPolicy({ ...base, subject: { namespaces: {}, pods: { podSelector: {} } } }))).toEqual([
      'spec.subject properties: sets namespaces and pods: set exactly one of namespaces, pods',
    ]);
    expect(problems(clusterPolicy({ ...base, subject: {} }))).toEqual(['spec.subject properties: is empty: set exactly one of namespaces, pods']);
  });

  test('required fields and bounds', () => {
    expect(problems(clusterPolicy({ subject: { namespaces: {} }, priority: 1001 }))).toEqual([
      'spec.priority range: 1001 is above the maximum 1000',
      'spec.tier required: missing required field "tier": add it',
    ]);
  });
});

describe('output', () => {
  test('violations come in document order and the same input gives the same output', () => {
    const spec = { podSelector: { matchLabels: { a: 1 } }, zzz: 1, ingress: [{ ports: [{ protocol: 'x' }] }], aaa: 2 };
    const first = problems(np(spec));
    expect(first).toEqual([
      'spec.podSelector.matchLabels.a type: must be a string, not the number 1: quote it ("1")',
      'spec.zzz unknown-field: unknown field "zzz": remove it (NetworkPolicySpec fields: egress, ingress, podSelector, policyTypes)',
      'spec.ingress[0].ports[0].protocol enum: unsupported value "x": use one of "TCP", "UDP", "SCTP"',
      'spec.aaa unknown-field: unknown field "aaa": remove it (NetworkPolicySpec fields: egress, ingress, podSelector, policyTypes)',
    ]);
    expect(problems(np(spec))).toEqual(first);
  });

  test('field names like Object.prototype members are fields like any other', () => {
    const spec = JSON.parse('{"podSelector":{"matchLabels":{"__proto__":"x","constructor":"y"}},"__proto__":{},"toString":1}');
    const r = np(spec);
    expect(problems(r)).toEqual([
      'spec.__proto__ unknown-field: unknown field "__proto__": remove it (NetworkPolicySpec fields: egress, ingress, podSelector, policyTypes)',
      'spec.toString unknown-field: unknown field "toString": remove it (NetworkPolicySpec fields: egress, ingress, podSelector, policyTypes)',
    ]);
    expect(Object.getPrototypeOf(r.value.spec.podSelector.matchLabels)).toBe(Object.prototype);
    expect(JSON.stringify(r.value.spec.podSelector.matchLabels)).toBe('{"__proto__":"x","constructor":"y"}');
    const c = cnp(JSON.parse('{"endpointSelector":{"matchLabels":{"constructor":"y","toString":"z"}},"ingress":[{}],"hasOwnProperty":1}'));
    expect(problems(c)).toEqual(['spec.hasOwnProperty unknown-field: unknown field "hasOwnProperty": remove it (fields here: description, egress, egressDeny, enableDefaultDeny, endpointSelector, ingress, ingressDeny, labels, log, nodeSelector)']);
    expect(c.value.spec.endpointSelector).toEqual({ matchLabels: { constructor: 'y', toString: 'z' } });
  });

  test('the input object is not modified', () => {
    const spec = { podSelector: null, ingress: [null], policyType: [] };
    const copy = JSON.parse(JSON.stringify(spec));
    np(spec);
    expect(spec).toEqual(copy);
  });
});

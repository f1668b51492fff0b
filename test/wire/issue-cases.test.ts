/**
 * The manifests users wrote that the analyser used to read loosely, each read now as the API
 * server (strict field validation) and Cilium decide: the exact diagnostic with file:line:column,
 * and the lint reporting the same problem (they share the reader, so they agree on validity).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConnectivityAnalysis } from '../../src/analysis';
import { Linter } from '../../src/lint';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cases-'));
const WORKLOADS = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 5432, name: sql}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web, role: frontend}}
  template:
    metadata: {labels: {app: web, role: frontend}}
    spec: {containers: [{name: c, image: i}]}
`;
fs.writeFileSync(path.join(dir, 'workloads.yaml'), WORKLOADS);

function read(name: string, text: string) {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, text);
  const analysis = ConnectivityAnalysis.fromFiles([file, path.join(dir, 'workloads.yaml')]);
  const own = analysis.diagnostics.filter((d) => d.file === file);
  const lint = Linter.lintFiles([file]).findings.filter((f) => f.checkId.startsWith('LINT'));
  return { analysis, diagnostics: own.map((d) => `${d.line}:${d.column} ${d.severity}: ${d.message}`), lint: lint.map((f) => `${f.checkId} ${f.field}`) };
}

const REJECTED_NP = '(the API server rejects this NetworkPolicy; it is not analysed)';
const REJECTED_CNP = '(the API server rejects this CiliumNetworkPolicy; it is not analysed)';

describe('each bad input is an error with its position, field, value and fix; the policy is not analysed', () => {
  test.each([
    ['operator: in (NetworkPolicy): operators are case-sensitive', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: in, values: [db]}]
`, `6:35 error: NetworkPolicy shop/db spec.podSelector.matchExpressions[0].operator: unsupported value "in": use one of "In", "NotIn", "Exists", "DoesNotExist" (did you mean "In"?) ${REJECTED_NP}`],
    ['operator: in (CiliumNetworkPolicy)', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  endpointSelector: {matchExpressions: [{key: app, operator: in, values: [db]}]}
  ingress: [{}]
`, `5:52 error: CiliumNetworkPolicy shop/db spec.endpointSelector.matchExpressions[0].operator: unsupported value "in": use one of "In", "NotIn", "Exists", "DoesNotExist" (did you mean "In"?) ${REJECTED_CNP}`],
    ['ingres: an unknown field', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingres: [{}]
`, `6:3 error: NetworkPolicy shop/db spec.ingres: unknown field "ingres": did you mean "ingress"? ${REJECTED_NP}`],
    ['apiversion: field names are case-sensitive', `apiversion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec: {podSelector: {}}
`, '1:1 error: NetworkPolicy shop/db apiVersion: missing apiVersion: add apiVersion: networking.k8s.io/v1 ("apiversion" must be spelt "apiVersion": field names are case-sensitive)'
      + ' (the API server rejects a manifest without them; it is not analysed)'],
    ['a top-level description (CiliumNetworkPolicy): it belongs in spec', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
description: only frontends
spec:
  endpointSelector: {}
  ingress: [{}]
`, `4:1 error: CiliumNetworkPolicy shop/db description: unknown field "description": remove it (fields here: apiVersion, kind, metadata, spec, specs, status) ${REJECTED_CNP}`],
    ['the indentation slip: matchLabels beside podSelector, not in it (read as "all pods" before)', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector:
      matchLabels:
        role: frontend
`, `9:7 error: NetworkPolicy shop/db spec.ingress[0].from[0].matchLabels: unknown field "matchLabels": remove it (NetworkPolicyPeer fields: ipBlock, namespaceSelector, podSelector) ${REJECTED_NP}`],
    ['the indentation slip in a CiliumNetworkPolicy: role beside matchLabels', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  endpointSelector: {}
  ingress:
  - fromEndpoints:
    - matchLabels:
      role: frontend
`, `9:7 error: CiliumNetworkPolicy shop/db spec.ingress[0].fromEndpoints[0].role: unknown field "role": remove it (fields here: matchExpressions, matchLabels) ${REJECTED_CNP}`],
    ['protocol: VRRP', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingress: [{ports: [{protocol: VRRP}]}]
`, `6:23 error: NetworkPolicy shop/db spec.ingress[0].ports[0].protocol: unsupported value "VRRP": use one of "TCP", "UDP", "SCTP" ${REJECTED_NP}`],
    ['cidr 10/8 is not an address (read as 0.0.0.0/8 before)', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: 10/8}}]}]
`, `6:32 error: NetworkPolicy shop/db spec.ingress[0].from[0].ipBlock.cidr: "10/8" is not a valid CIDR (the address must be four decimal numbers 0-255, or IPv6); give a CIDR such as 10.0.0.0/8 or 2001:db8::/64 ${REJECTED_NP}`],
    ['a string except (the whole block was allowed before)', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: 10.1.0.0/16}}]}]
`, `6:50 error: NetworkPolicy shop/db spec.ingress[0].from[0].ipBlock.except: must be a list, not the string "10.1.0.0/16": write it as a list, e.g. ["10.1.0.0/16"] ${REJECTED_NP}`],
    ['a rule that is a string (allow-all before)', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingress: [allow-all]
`, `6:13 error: NetworkPolicy shop/db spec.ingress[0]: must be an object (a mapping of fields), not the string "allow-all": write it as a mapping of fields (key: value lines, or {key: value}); check the indentation ${REJECTED_NP}`],
    ['port: true (TCP 1 before)', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingress: [{ports: [{port: true}]}]
`, `6:23 error: NetworkPolicy shop/db spec.ingress[0].ports[0].port: must be a string or an integer, not true: write a string or an integer here ${REJECTED_NP}`],
    ['port: "5432" is a port name, and names need a letter (a named port before)', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  ingress: [{ports: [{port: "5432"}]}]
`, `6:23 error: NetworkPolicy shop/db spec.ingress[0].ports[0].port: "5432" is not a valid port name (needs a letter); use 1-15 lowercase letters, digits and "-", with at least one letter, no "--", not starting or ending with "-" ${REJECTED_NP}`],
    ['enableDefaultDeny.ingress: "false" (true before)', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  endpointSelector: {}
  ingress: [{}]
  enableDefaultDeny: {ingress: "false"}
`, `7:23 error: CiliumNetworkPolicy shop/db spec.enableDefaultDeny.ingress: must be true or false, not the string "false": write false without quotes ${REJECTED_CNP}`],
    ['metadata.namespace: Bad_NS (default before)', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: Bad_NS}
spec: {podSelector: {}}
`, '3:22 error: NetworkPolicy Bad_NS/db metadata.namespace: "Bad_NS" is not a valid RFC 1123 label; use lowercase letters, digits and "-", starting and ending with a letter or digit'
      + ' (the API server rejects this NetworkPolicy; it is not analysed)'],
    ['a CiliumClusterwideNetworkPolicy whose endpointSelector is a string (an internal error before)', `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: x}
spec:
  endpointSelector: app=web
  ingress: [{}]
`, '5:3 error: CiliumClusterwideNetworkPolicy x spec.endpointSelector: must be an object (a mapping of fields), not the string "app=web": write it as a mapping of fields'
      + ' (key: value lines, or {key: value}); check the indentation (the API server rejects this CiliumClusterwideNetworkPolicy; it is not analysed)'],
    ['matchLabels as a string (an internal error before)', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: x, namespace: shop}
spec:
  endpointSelector: {matchLabels: app=web}
  ingress: [{}]
`, `5:22 error: CiliumNetworkPolicy shop/x spec.endpointSelector.matchLabels: must be an object (a mapping of fields), not the string "app=web": write it as a mapping of fields (key: value lines, or {key: value}); check the indentation ${REJECTED_CNP}`],
  ])('%s', (_title, text, expected) => {
    const r = read(_title.replace(/[^a-z0-9]+/gi, '-').slice(0, 40), text);
    expect(r.diagnostics).toEqual([expected]);
    // lint agrees: the same object is an invalid manifest, and nothing else is checked on it
    expect(r.lint).toEqual([`LINT000 ${expected.replace(/^.*? (spec[^:]*|metadata[^:]*|apiVersion|description):.*$/, '$1')}`]);
    // the policy is not analysed: nothing is isolated
    expect(r.analysis.isAllowed({ from: 'shop/web', to: 'shop/db', port: 5432 }).allowed).toBe(true);
  });

  test('CNP rules.HTTP: unknown (keys are case-sensitive), so the port rule names no L7 rule (shown as "TCP 80 [L7 HTTP]" before)', () => {
    const r = read('rules-http', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  endpointSelector: {}
  ingress:
  - toPorts:
    - ports: [{port: "80", protocol: TCP}]
      rules:
        HTTP: [{method: GET}]
`);
    expect(r.diagnostics).toEqual([
      `10:9 error: CiliumNetworkPolicy shop/db spec.ingress[0].toPorts[0].rules.HTTP: unknown field "HTTP": did you mean "http"? ${REJECTED_CNP}`,
      `9:7 error: CiliumNetworkPolicy shop/db spec.ingress[0].toPorts[0].rules: sets none of http, kafka, dns, l7proto: set exactly one of them ${REJECTED_CNP}`,
    ]);
    expect(r.lint.sort()).toEqual(['LINT000 spec.ingress[0].toPorts[0].rules', 'LINT000 spec.ingress[0].toPorts[0].rules.HTTP']);
  });
});

describe('valid manifests that were rejected or misread before', () => {
  test('fromEndpoints: null and egress: null are absent (CRD pruning of non-nullable nulls): an empty rule that isolates and allows nothing', () => {
    const r = read('nulls', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: db}}
  ingress: [{fromEndpoints: null}]
  egress: null
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.lint).toEqual([]);
    expect(r.analysis.isAllowed({ from: 'shop/web', to: 'shop/db', port: 5432 }).allowed).toBe(false);
    expect(r.analysis.isAllowed({ from: 'shop/db', to: 'shop/web', port: 80 }).allowed).toBe(true);
  });

  test('a NetworkPolicy without spec is valid: podSelector {} and policyTypes [Ingress], so every pod of the namespace is isolated for ingress', () => {
    const r = read('no-spec', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.analysis.isAllowed({ from: 'shop/web', to: 'shop/db', port: 5432 }).allowed).toBe(false);
    expect(r.analysis.isAllowed({ from: 'shop/db', to: 'shop/web', port: 80 }).allowed).toBe(false);
    expect(r.analysis.isAllowed({ from: 'shop/db', to: '8.8.8.8', port: 53, protocol: 'UDP' }).allowed).toBe(true); // egress is not isolated
  });

  test('ports: [null] is one port of zero value, defaulted to TCP: every TCP port', () => {
    const r = read('ports-null', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{ports: [null]}]
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.analysis.explain({ from: 'shop/web', to: 'shop/db' }).connections).toBe('TCP 1-65535');
  });

  test('010.0.0.0/8 is 10.0.0.0/8, as the API server parses ipBlock (leading zeros are decimal; 8.0.0.0/8 before)', () => {
    const r = read('leading-zeros', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{ipBlock: {cidr: 010.0.0.0/8}}]}]
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.analysis.isAllowed({ from: '10.1.2.3', to: 'shop/db', port: 5432 }).allowed).toBe(true);
    expect(r.analysis.isAllowed({ from: '8.1.2.3', to: 'shop/db', port: 5432 }).allowed).toBe(false);
  });

  test('Calico projectcalico.org/v3 is not read as a Kubernetes NetworkPolicy (allow-all before); a warning says it is not analysed', () => {
    const r = read('calico', 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {selector: all(), types: [Ingress]}\n');
    expect(r.diagnostics).toEqual([
      '1:1 warning: NetworkPolicy shop/deny apiVersion: "projectcalico.org/v3" is Calico\'s API, whose policies this tool does not analyse; the results ignore this NetworkPolicy; check it with Calico\'s own tools',
    ]);
    expect(r.lint).toEqual(['LINT004 apiVersion']);
  });

  test('the same object twice: the last one wins, as with kubectl apply, with a warning naming both places (the first won before)', () => {
    const policy = (port: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{ports: [{port: ${port}}]}]
`;
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    fs.writeFileSync(a, policy(5432));
    fs.writeFileSync(b, policy(6543));
    const ab = ConnectivityAnalysis.fromFiles([a, b, path.join(dir, 'workloads.yaml')]);
    const ba = ConnectivityAnalysis.fromFiles([b, a, path.join(dir, 'workloads.yaml')]);
    expect(ab.explain({ from: 'shop/web', to: 'shop/db' }).connections).toBe('TCP 6543');
    expect(ba.explain({ from: 'shop/web', to: 'shop/db' }).connections).toBe('TCP 5432');
    expect(ab.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}: ${d.message.replace(dir + path.sep, '')}`)).toEqual([
      'b.yaml:1: NetworkPolicy shop/db is defined twice: a.yaml:1 and here; this later one replaces the earlier (as kubectl apply does)',
    ]);
    expect(Linter.lintFiles([a, b]).findings.filter((f) => f.checkId === 'LINT004').map((f) => f.message.replace(dir + path.sep, ''))).toEqual([
      'NetworkPolicy shop/db is defined twice: a.yaml:1 and here; this later one replaces the earlier (as kubectl apply does)',
    ]);
  });
});

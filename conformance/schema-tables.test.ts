// The committed schema tables must be what the generator makes from ../shared/schemas today, and
// the manifests of ../shared/conformance must read as the API server would read them.
import * as fs from 'fs';
import * as path from 'path';
import { SHARED } from './schema-validator';
import { generateSchemaModule, OUTPUT } from '../projenrc/gen-schema-validators';
import { loadFiles } from '../src/analysis/load';
import { validateObject } from '../src/wire/schema';
import { formatFieldPath } from '../src/wire/source';

test('src/wire/schema/tables.generated.ts is up to date with ../shared/schemas (else run `npx projen gen:schemas`)', () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', OUTPUT), 'utf8');
  const regenerated = generateSchemaModule(path.join(SHARED, 'schemas'));
  // Compared as booleans first: a diff of the whole table would bury the message.
  if (regenerated !== committed) {
    const a = committed.split('\n');
    const b = regenerated.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    throw new Error(`${OUTPUT} is stale from line ${line + 1}: run \`npx projen gen:schemas\` and commit the result\n` +
      `committed:   ${a[line]?.slice(0, 200)}\nregenerated: ${b[line]?.slice(0, 200)}`);
  }
});

test('the manifests of ../shared/conformance pass, except what the API server rejects too', () => {
  const { documents } = loadFiles([path.join(SHARED, 'conformance')]);
  const violations: string[] = [];
  let validated = 0;
  for (const doc of documents) {
    const r = validateObject(doc.object);
    if (!r) continue;
    validated++;
    for (const v of r.violations) {
      violations.push(`${path.relative(path.join(SHARED, 'conformance'), doc.file)} ${doc.object.kind}/${doc.object.metadata?.name}: ${formatFieldPath(v.path)} ${v.code}`);
    }
  }
  expect(validated).toBeGreaterThan(2000);
  // netpol-analyzer's ANP inputs write `pods:` without podSelector (or namespaceSelector), which every
  // network-policy-api v0.1.x CRD requires (apis/v1alpha1 shared_types.go NamespacedPod): the API
  // server rejects them; conformance/policy-api.test.ts reads them leniently.
  const missingPodSelectors = violations.filter(v => /^netpol-analyzer[a-z-]*\/.* (Baseline)?AdminNetworkPolicy\/.*: spec\..*\.pods\.(podSelector|namespaceSelector) required$/.test(v));
  expect(missingPodSelectors.length).toBeGreaterThan(50);
  violations.splice(0, violations.length, ...violations.filter(v => !missingPodSelectors.includes(v)));
  // NetworkPolicy has no status in Kubernetes 1.33 (k8s.io/api networking/v1 types.go: "Status is
  // tombstoned"), and field names are case-sensitive: both fail strict decoding.
  const statusFiles = [
    'netpol-analyzer/netpol-analysis-example-minimal/input/netpols.yaml',
    'netpol-analyzer-diff/netpol-diff-example-minimal_and_netpol-analysis-example-minimal/new-input/netpols.yaml',
    'netpol-analyzer-diff/netpol-diff-example-minimal_and_netpol-analysis-example-minimal/old-input/netpols.yaml',
    'netpol-analyzer-exposure/exposure_test_to_any_namespace_with_podSelector/input/netpols.yaml',
  ];
  expect(violations.sort()).toEqual([
    ...statusFiles.flatMap(f => ['backend-netpol', 'default-deny-in-namespace', 'frontend-netpol'].map(n => `${f} NetworkPolicy/${n}: status unknown-field`)),
    'netpol-analyzer/netpol_named_port_test/input/pods.yaml Deployment/pod-a: spec.template.spec.containers[0].ports[1].containerport unknown-field',
    // Owner references with a name only: apimachinery validateOwnerReference requires apiVersion, kind, name and uid.
    ...['netpol-analyzer-admin/example_pods_w_same_owner_and_labels_gap_anp_good', 'netpol-analyzer/example_pods_w_same_owner_and_labels_gap_no_policy']
      .flatMap(c => ['pod-1', 'pod-2'].flatMap(pod => ['apiVersion', 'kind', 'uid'].map(f => `${c}/input/pods.yaml Pod/${pod}: metadata.ownerReferences[0].${f} required`))),
  ].sort());
});

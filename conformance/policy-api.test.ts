// The AdminNetworkPolicy / BaselineAdminNetworkPolicy inputs of ../shared/conformance/netpol-analyzer-admin
// read as the API server reads them (with the v0.1.8 CRDs committed under projenrc/crds), and
// leniently as netpol-analyzer reads them.
import * as fs from 'fs';
import * as path from 'path';
import { SHARED } from './schema-validator';
import { loadFiles } from '../src/wire/files';
import { readDocuments } from '../src/wire/reader';

const ADMIN = path.join(SHARED, 'conformance', 'netpol-analyzer-admin');
const CASES = fs.readdirSync(ADMIN).filter(d => fs.statSync(path.join(ADMIN, d)).isDirectory()).sort();
const ADMIN_KINDS = /^(AdminNetworkPolicy|BaselineAdminNetworkPolicy) /;

function read(c: string, lenient: boolean) {
  return readDocuments(loadFiles([path.join(ADMIN, c, 'input')]).documents, { lenient });
}

test('every case has admin policies', () => {
  expect(CASES.length).toBe(27);
  for (const c of CASES) expect([c, read(c, true).objects.some(o => ADMIN_KINDS.test(o.id))]).toEqual([c, true]);
});

test('strictly read, the only errors of admin policies are `pods` without podSelector/namespaceSelector (required by every v0.1.x CRD)', () => {
  const other: string[] = [];
  const warnings: string[] = [];
  const casesWithMissing = new Set<string>();
  for (const c of CASES) {
    for (const d of read(c, false).diagnostics) {
      if (!d.object || !ADMIN_KINDS.test(d.object)) continue;
      if (d.severity === 'error' && d.code === 'required' && /\.pods\.(podSelector|namespaceSelector)$/.test(d.field ?? '')) casesWithMissing.add(c);
      else if (d.severity === 'warning') warnings.push(`${c} ${d.object} ${d.field} ${d.code}`);
      else other.push(`${c} ${d.severity} ${d.message}`);
    }
  }
  expect(other).toEqual([]);
  // nodes and namedPort need the experimental-channel CRDs
  expect(warnings).toEqual([
    'anp_and_banp_using_networks_and_nodes_test AdminNetworkPolicy egress-peer-1 spec.egress[0].to[0].nodes experimental-field',
    'anp_and_banp_using_networks_and_nodes_test AdminNetworkPolicy egress-peer-1 spec.egress[1].to[0].nodes experimental-field',
    'anp_and_banp_using_networks_and_nodes_test AdminNetworkPolicy egress-peer-1 spec.egress[2].to[0].nodes experimental-field',
    'anp_banp_test_with_named_port_matched AdminNetworkPolicy pass-example spec.ingress[0].ports[0].namedPort experimental-field',
  ]);
  expect([...casesWithMissing].sort()).toEqual([
    'anp_demo', 'anp_test_10', 'anp_test_11', 'anp_test_12', 'anp_test_3_pass_traffic', 'anp_test_8', 'anp_test_9',
    'anp_test_combining_test_6_and_test_10', 'anp_test_multiple_anps', 'example_pods_w_same_owner_and_labels_gap_anp_good',
  ]);
});

test('leniently read, every admin policy of every case is read with no error; absent selectors become {}', () => {
  let read_ = 0;
  const errors: string[] = [];
  for (const c of CASES) {
    const r = read(c, true);
    for (const d of r.diagnostics) if (d.severity === 'error') errors.push(`${c} ${d.message}`);
    expect(r.rejected.filter(o => ADMIN_KINDS.test(o.id)).map(o => o.id)).toEqual([]);
    read_ += r.objects.filter(o => ADMIN_KINDS.test(o.id)).length;
    for (const o of r.objects.filter(x => ADMIN_KINDS.test(x.id))) {
      for (const dir of ['ingress', 'egress']) {
        for (const rule of o.value.spec[dir] ?? []) {
          for (const peer of rule.from ?? rule.to ?? []) {
            if (peer.pods) expect(Object.keys(peer.pods).sort()).toEqual(['namespaceSelector', 'podSelector']);
          }
        }
      }
    }
  }
  expect(errors).toEqual([]);
  expect(read_).toBe(48);
});

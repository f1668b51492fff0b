// The lint's workload index answers what a scan of every workload answers, in the same order:
// for every selector of a generated cluster's policies, and for random selectors.
import * as fc from 'fast-check';
import { generateCluster } from '../../bench/analysis';
import { ciliumLabelsFor, stripSource } from '../../src/analysis/cilium';
import { Cluster } from '../../src/analysis/cluster';
import { CompiledSelector, compileSelector, Labels } from '../../src/analysis/selectors';
import { buildContext } from '../../src/lint/context';
import { compiledSelector, WorkloadIndex } from '../../src/lint/workload-index';
import { fromObjects } from '../../src/wire/files';
import { readDocuments } from '../../src/wire/reader';

function clusterOf(manifests: any[]): Cluster {
  return buildContext(readDocuments(fromObjects(manifests).documents), {}).cluster!;
}

const CLUSTER = clusterOf(generateCluster(1000));
const NAMESPACES = [...new Set(CLUSTER.workloads.map(w => w.namespace))];

/** The scans the index replaces. */
function scanPods(cluster: Cluster, cs: CompiledSelector, namespaces: string[]): string[] {
  return cluster.workloads.filter(w => namespaces.includes(w.namespace) && cs.matches(w.labels)).map(w => w.id);
}

/** Each workload's Cilium identity labels, derived once per cluster. */
const endpointLabels = new WeakMap<Cluster, Labels[]>();

function scanEndpoints(cluster: Cluster, cs: CompiledSelector, onlyNamespace: string | undefined): string[] {
  let labels = endpointLabels.get(cluster);
  if (!labels) {
    labels = cluster.workloads.map(w => ciliumLabelsFor(w.labels, w.namespace, cluster.namespaces.get(w.namespace)?.labels ?? {}, w.serviceAccount));
    endpointLabels.set(cluster, labels);
  }
  return cluster.workloads.filter((w, i) => (onlyNamespace === undefined || w.namespace === onlyNamespace) && cs.matches(labels![i])).map(w => w.id);
}

function scanNamespaces(cluster: Cluster, cs: CompiledSelector): string[] {
  return [...cluster.namespaces.values()].filter(n => cs.matches(n.labels)).map(n => n.name);
}

/** Every label selector object under `value` (any key ending in "Selector", and Cilium endpoint lists). */
function selectorsIn(value: any, out: any[] = []): any[] {
  if (Array.isArray(value)) {
    value.forEach(v => selectorsIn(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/Selector$/.test(k) && v && typeof v === 'object') out.push(v);
      if (/^(from|to)Endpoints$/.test(k) && Array.isArray(v)) out.push(...v);
      selectorsIn(v, out);
    }
  }
  return out;
}

function expectSameAnswers(cluster: Cluster, sel: any): void {
  const index = WorkloadIndex.of(cluster);
  const namespaces = [...new Set(cluster.workloads.map(w => w.namespace))];
  const plain = compiledSelector(sel);
  const cilium = compiledSelector(sel, true);
  expect(plain).toEqual(compileSelector(sel, 'selector'));
  expect(cilium).toEqual(compileSelector(sel, 'selector', stripSource));
  const scopes = [[namespaces[0]], namespaces.slice(1, 4), namespaces, [], ['no-such-namespace', namespaces[2]]];
  for (const scope of scopes) {
    expect(index.matchingPods(plain!, scope).map(w => w.id)).toEqual(scanPods(cluster, plain!, scope));
  }
  for (const only of [undefined, namespaces[1], 'no-such-namespace']) {
    expect(index.matchingEndpoints(cilium!, only).map(w => w.id)).toEqual(scanEndpoints(cluster, cilium!, only));
  }
  expect(index.namespacesMatching(plain!)).toEqual(scanNamespaces(cluster, plain!));
}

describe('WorkloadIndex', () => {
  test('answers like a scan for every selector of a generated cluster', () => {
    const selectors = selectorsIn(generateCluster(1000).filter(d => /Policy$/.test(d.kind)));
    expect(selectors.length).toBeGreaterThan(500);
    for (const sel of selectors) expectSameAnswers(CLUSTER, sel);
  });

  test('answers like a scan for random selectors (every operator, known and unknown keys and values)', () => {
    const key = fc.constantFrom('app', 'tier', 'group', 'team', 'env', 'k8s:tier', 'k8s:io.kubernetes.pod.namespace',
      'io.cilium.k8s.namespace.labels.team', 'io.cilium.k8s.policy.serviceaccount', 'missing');
    const value = fc.constantFrom('web', 'db', 'g1', 'g3', 'app7', 'app20', 'team2', 'prod', 'dev', 'default', 'nope', ...NAMESPACES.slice(0, 3));
    const expression = fc.oneof(
      fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }) }),
      fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
    );
    const selector = fc.record({
      matchLabels: fc.dictionary(key, value, { maxKeys: 2 }),
      matchExpressions: fc.array(expression, { maxLength: 3 }),
    });
    fc.assert(fc.property(selector, sel => expectSameAnswers(CLUSTER, sel)), { numRuns: 300 });
  });

  test('an invalid selector selects nothing; no selector selects everything', () => {
    expect(compiledSelector({ matchExpressions: [{ key: 'app', operator: 'In' }] })).toBeUndefined();
    expect(compiledSelector('app=web')).toBeUndefined();
    expect(compiledSelector([])).toBeUndefined();
    expect(compiledSelector(undefined)).toBe(CompiledSelector.ALL);
    expect(WorkloadIndex.of(CLUSTER).matchingPods(CompiledSelector.ALL, NAMESPACES).length).toBe(CLUSTER.workloads.length);
  });

  test('sorted ids and the namespaces with workloads', () => {
    const index = WorkloadIndex.of(CLUSTER);
    const ns = NAMESPACES[0];
    expect(index.sortedIdsIn(ns)).toEqual(CLUSTER.workloads.filter(w => w.namespace === ns).map(w => w.id).sort());
    expect(index.sortedIdsIn(undefined)).toEqual([]);
    expect(index.hasWorkloads(ns)).toBe(true);
    expect(index.hasWorkloads('no-such-namespace')).toBe(false);
    expect(index.hasWorkloads(undefined)).toBe(false);
  });
});

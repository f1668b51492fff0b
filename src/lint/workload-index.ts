// The given workloads, indexed for the questions the workload checks ask of every selector of
// every policy ("which workloads does it select, in which namespaces"). Asked by scanning every
// workload, they cost policies x workloads; here a selector costs the candidates of its most
// selective requirement (an In or Exists requirement of a label key, looked up by key and value),
// each answer is remembered per selector and scope, and the Cilium identity labels of a workload
// are derived once. The answer is always the exact one: candidates are filtered with the
// selector's own matcher, in the order of `cluster.workloads`.
import { ciliumLabelsFor, stripSource } from '../analysis/cilium';
import { Cluster, NamespaceInfo, Workload } from '../analysis/cluster';
import { CompiledSelector, compileSelector, Labels } from '../analysis/selectors';

/** Positions (in `cluster.workloads`) of the workloads with each label, by key and by key and value. */
class LabelIndex {
  private readonly byKey = new Map<string, number[]>();
  private readonly byKeyValue = new Map<string, Map<string, number[]>>();

  constructor(readonly labels: readonly Labels[]) {
    labels.forEach((l, i) => {
      for (const key of Object.keys(l)) {
        let all = this.byKey.get(key);
        if (!all) this.byKey.set(key, (all = []));
        all.push(i);
        let values = this.byKeyValue.get(key);
        if (!values) this.byKeyValue.set(key, (values = new Map()));
        let withValue = values.get(l[key]);
        if (!withValue) values.set(l[key], (withValue = []));
        withValue.push(i);
      }
    });
  }

  /**
   * Positions of the workloads whose labels `cs` matches, ascending. `scope` (ascending
   * positions, with a membership test) limits the answer, e.g. to some namespaces.
   */
  select(cs: CompiledSelector, scope?: Scope): ArrayLike<number> {
    // The smallest list every match must be in: the scope, or the workloads having the key of an
    // In (with one of its values) or Exists requirement.
    let best: readonly (readonly number[])[] | undefined;
    let size = scope ? scope.size : this.labels.length;
    for (const r of cs.requirements) {
      let candidates: (readonly number[])[];
      if (r.operator === 'In') {
        const values = this.byKeyValue.get(r.key);
        candidates = [...new Set(r.values)].map(v => values?.get(v) ?? []);
      } else if (r.operator === 'Exists') {
        candidates = [this.byKey.get(r.key) ?? []];
      } else {
        continue;
      }
      const n = candidates.reduce((sum, c) => sum + c.length, 0);
      if (n < size) {
        best = candidates;
        size = n;
      }
    }
    let positions: ArrayLike<number>;
    if (best) positions = best.length === 1 ? best[0] : mergeAscending(best);
    else if (scope) positions = scope.positions();
    else positions = Array.from(this.labels, (_, i) => i);
    const out: number[] = [];
    // candidates of a requirement may lie outside the scope
    const checkScope = best !== undefined && scope !== undefined;
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k];
      if (checkScope && !scope!.has(i)) continue;
      if (cs.matches(this.labels[i])) out.push(i);
    }
    return out;
  }
}

/** Ascending positions (built when first needed) with their number and a membership test. */
interface Scope {
  readonly size: number;
  positions(): ArrayLike<number>;
  has(position: number): boolean;
}

/** The union of disjoint ascending lists (a workload has one value per key, one namespace), ascending. */
function mergeAscending(lists: readonly (readonly number[])[]): ArrayLike<number> {
  const out = new Int32Array(lists.reduce((sum, l) => sum + l.length, 0));
  let k = 0;
  for (const l of lists) for (const i of l) out[k++] = i;
  return out.sort();
}

const indexes = new WeakMap<Cluster, WorkloadIndex>();
/** Selectors compiled as Kubernetes selectors and as Cilium selectors (keys without the k8s: source); null when invalid. */
const compiledPlain = new WeakMap<object, CompiledSelector | null>();
const compiledCilium = new WeakMap<object, CompiledSelector | null>();

/**
 * A label selector object compiled once (per object): `cilium` maps Cilium keys to the label
 * keys they match (`k8s:app` is `app`). Undefined when the selector is invalid: that is the API
 * server's (or Cilium's) error, not a lint finding, and an invalid selector selects nothing.
 */
export function compiledSelector(sel: any, cilium = false): CompiledSelector | undefined {
  if (sel === null || sel === undefined) return CompiledSelector.ALL;
  if (typeof sel !== 'object') return undefined;
  const cache = cilium ? compiledCilium : compiledPlain;
  let cs = cache.get(sel);
  if (cs === undefined) {
    try {
      cs = cilium ? compileSelector(sel, 'selector', stripSource) : compileSelector(sel, 'selector');
    } catch {
      cs = null;
    }
    cache.set(sel, cs);
  }
  return cs ?? undefined;
}

const requirementKeys = new WeakMap<CompiledSelector, string>();

/** The requirements of a selector as text: selectors with equal requirements get the same answers. */
function requirementsKey(cs: CompiledSelector): string {
  let key = requirementKeys.get(cs);
  if (key === undefined) requirementKeys.set(cs, (key = JSON.stringify(cs.requirements)));
  return key;
}

/** The workloads of a cluster indexed by namespace and label (see the module comment); one per cluster. */
export class WorkloadIndex {
  /** The index of `cluster`, built on first use. */
  static of(cluster: Cluster): WorkloadIndex {
    let index = indexes.get(cluster);
    if (!index) indexes.set(cluster, (index = new WorkloadIndex(cluster)));
    return index;
  }

  private readonly workloads: readonly Workload[];
  private readonly namespacePositions = new Map<string, Scope>();
  private readonly positionsIn = new Map<string, readonly number[]>();
  /** Scopes of several namespaces, by their names (as JSON). */
  private readonly scopes = new Map<string, Scope>();
  private readonly podLabels: LabelIndex;
  private ciliumIndex?: LabelIndex;
  private readonly namespaceCilium = new Map<NamespaceInfo, Labels>();
  private readonly answers = new Map<string, Workload[]>();
  private readonly namespaceAnswers = new Map<string, string[]>();
  private readonly sortedIds = new Map<string, string[]>();

  private constructor(private readonly cluster: Cluster) {
    this.workloads = cluster.workloads;
    const byNamespace = new Map<string, number[]>();
    this.workloads.forEach((w, i) => {
      let positions = byNamespace.get(w.namespace);
      if (!positions) byNamespace.set(w.namespace, (positions = []));
      positions.push(i);
    });
    for (const [ns, positions] of byNamespace) {
      this.namespacePositions.set(ns, { size: positions.length, positions: () => positions, has: i => this.workloads[i].namespace === ns });
      this.positionsIn.set(ns, positions);
    }
    this.podLabels = new LabelIndex(this.workloads.map(w => w.labels));
  }

  /** Whether some given workload is in namespace `ns`. */
  hasWorkloads(ns: string | undefined): boolean {
    return ns !== undefined && this.namespacePositions.has(ns);
  }

  /** The ids of the workloads of namespace `ns`, sorted. */
  sortedIdsIn(ns: string | undefined): string[] {
    const key = ns ?? '';
    let ids = this.sortedIds.get(key);
    if (!ids) {
      ids = (ns === undefined ? [] : this.positionsIn.get(ns) ?? []).map(i => this.workloads[i].id).sort();
      this.sortedIds.set(key, ids);
    }
    return ids;
  }

  /**
   * The workloads of the given namespaces whose own labels `cs` matches, in cluster order
   * (a Kubernetes pod selector). The answer is shared: do not change it.
   */
  matchingPods(cs: CompiledSelector, namespaces: readonly (string | undefined)[]): readonly Workload[] {
    const names = [...new Set(namespaces.filter((n): n is string => n !== undefined && this.namespacePositions.has(n)))];
    const namesKey = JSON.stringify(names);
    const key = `pods\u0000${requirementsKey(cs)}\u0000${namesKey}`;
    let found = this.answers.get(key);
    if (!found) {
      found = names.length === 0 ? [] : this.workloadsAt(this.podLabels.select(cs, this.scopeOf(names, namesKey)));
      this.answers.set(key, found);
    }
    return found;
  }

  /**
   * The workloads whose Cilium identity labels (analysis/cilium.ts ciliumLabelsFor: pod labels,
   * namespace, namespace labels, service account) `cs` matches, in cluster order; only those of
   * namespace `onlyNamespace` when given. The answer is shared: do not change it.
   */
  matchingEndpoints(cs: CompiledSelector, onlyNamespace: string | undefined): readonly Workload[] {
    const key = `cilium\u0000${requirementsKey(cs)}\u0000${onlyNamespace === undefined ? '*' : JSON.stringify(onlyNamespace)}`;
    let found = this.answers.get(key);
    if (!found) {
      if (onlyNamespace !== undefined && !this.namespacePositions.has(onlyNamespace)) {
        found = [];
      } else {
        const scope = onlyNamespace === undefined ? undefined : this.namespacePositions.get(onlyNamespace);
        found = this.workloadsAt(this.endpointLabels().select(cs, scope));
      }
      this.answers.set(key, found);
    }
    return found;
  }

  /** The names of the known namespaces (cluster.namespaces, in its order) whose labels `cs` matches. */
  namespacesMatching(cs: CompiledSelector): string[] {
    const key = requirementsKey(cs);
    let names = this.namespaceAnswers.get(key);
    if (!names) {
      names = [...this.cluster.namespaces.values()].filter(n => cs.matches(n.labels)).map(n => n.name);
      this.namespaceAnswers.set(key, names);
    }
    return names;
  }

  /** A namespace's Cilium labels as a selector sees them on an endpoint with no labels of its own (namespace and namespace labels). */
  namespaceEndpointLabels(n: NamespaceInfo): Labels {
    let labels = this.namespaceCilium.get(n);
    if (!labels) this.namespaceCilium.set(n, (labels = ciliumLabelsFor({}, n.name, n.labels, '')));
    return labels;
  }

  private endpointLabels(): LabelIndex {
    if (!this.ciliumIndex) {
      this.ciliumIndex = new LabelIndex(this.workloads.map(w =>
        ciliumLabelsFor(w.labels, w.namespace, this.cluster.namespaces.get(w.namespace)?.labels ?? {}, w.serviceAccount)));
    }
    return this.ciliumIndex;
  }

  private workloadsAt(positions: ArrayLike<number>): Workload[] {
    return Array.from(positions, i => this.workloads[i]);
  }

  /** The scope of some known namespaces (`names`, distinct; `namesKey` their JSON). */
  private scopeOf(names: readonly string[], namesKey: string): Scope {
    if (names.length === 1) return this.namespacePositions.get(names[0])!;
    let scope = this.scopes.get(namesKey);
    if (!scope) {
      const set = new Set(names);
      const lists = names.map(n => this.positionsIn.get(n)!);
      let merged: ArrayLike<number> | undefined;
      scope = {
        size: lists.reduce((sum, l) => sum + l.length, 0),
        positions: () => (merged ??= mergeAscending(lists)),
        has: i => set.has(this.workloads[i].namespace),
      };
      this.scopes.set(namesKey, scope);
    }
    return scope;
  }
}

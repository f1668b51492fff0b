import { docGaps, readAssembly } from './doc-coverage';

// The public API as jsii sees it (.jsii, built by the jsii compile `npm test` runs first).
const assembly = readAssembly();

/** Every type fqn a type reference mentions (named types inside collections and unions too). */
function namedTypes(ref: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(ref)) {ref.forEach((r) => namedTypes(r, out));} else if (ref && typeof ref === 'object') {
    for (const [key, value] of Object.entries(ref)) {
      if (key === 'fqn' && typeof value === 'string') out.add(value);
      else if (key !== 'docs' && key !== 'locationInModule') namedTypes(value, out);
    }
  }
  return out;
}

describe('public API surface', () => {
  // Owners of these folders keep every member documented; src/analysis, src/lint and src/wire are
  // listed by `ts-node --project test/tsconfig.json test/packaging/doc-coverage.ts` instead.
  test('every type, member and parameter of the constructs, model and patterns is documented', () => {
    const gaps = docGaps(assembly, ['src/kubernetes', 'src/cilium', 'src/model', 'src/patterns']);
    expect(gaps.map((g) => `${g.file}: ${g.element} has no ${g.missing}`)).toEqual([]);
  });

  test('the k8s namespace holds only L1 types our own API reaches', () => {
    const ours = Object.values(assembly.types).filter((t) => !t.fqn.startsWith('cdk8s-netpol.k8s.'));
    const reached = new Set<string>();
    const queue = ours.flatMap((t) => [...namedTypes(t, new Set())]);
    while (queue.length) {
      const fqn = queue.pop()!;
      if (reached.has(fqn)) continue;
      reached.add(fqn);
      if (fqn.startsWith('cdk8s-netpol.k8s.')) queue.push(...namedTypes(assembly.types[fqn], new Set()));
    }
    const k8s = Object.keys(assembly.types).filter((fqn) => fqn.startsWith('cdk8s-netpol.k8s.'));
    expect(k8s.length).toBeGreaterThan(0);
    expect(k8s.filter((fqn) => !reached.has(fqn))).toEqual([]);
  });
});

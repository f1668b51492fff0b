import { engineOf } from './reference';
import { generateCluster } from '../../bench/analysis';
import { compareConnectionLists, compareEgressSides } from '../../src/analysis/deviations';
import { Engine } from '../../src/analysis/engine';
import { fromObjects } from '../../src/analysis/load';
import { semanticsFor } from '../../src/analysis/semantics';

describe('egress-named-ports deviation: comparing egress sides equals comparing connection lists', () => {
  test.each([400, 1000])('generated cluster of %d pods, every workload focused', (pods) => {
    const semantics = semanticsFor('cilium', '1.18');
    const mine = engineOf(fromObjects(generateCluster(pods, 11)), {}, semantics);
    // the specification's egress named ports (the deviation switched off), as findDeviations builds it
    const spec = { ...semantics, deviations: { ...semantics.deviations, egressNamedPortsClusterWide: false } };
    const cluster = { ...mine.cluster, diagnostics: [] };
    const shared = new Engine(cluster, spec, mine);
    const fresh = new Engine(cluster, spec);
    const focus = (p: { type: string }) => p.type === 'workload';
    const expected = compareConnectionLists(mine, fresh, focus, true);
    // the generator's named egress ports must change some verdicts, or the test would prove nothing
    expect(expected.length).toBeGreaterThan(0);
    expect(compareEgressSides(mine, shared, focus)).toEqual(expected);
    // the shared engine's own connections are those of an engine that computed everything itself
    expect(shared.connections().map((c) => `${c.src.id} ${c.dst.id} ${c.conn.toString(shared.universe)}`))
      .toEqual(fresh.connections().map((c) => `${c.src.id} ${c.dst.id} ${c.conn.toString(fresh.universe)}`));
  });
});

// The synth-time lint reads the specs a NetworkPolicy rendered from its validated model as their
// own decoding (ReadOptions.decodedSpecs: no copy by the schema layer). That is only right when
// the schema layer would read them as they are: these tests check it for every generated policy,
// and that the synth-time lint finds exactly what the general path (Linter.lintManifests on the
// rendered manifests, every spec decoded) finds, on varied charts and on the fallbacks.
import { ApiObject, App, Chart, IResolver, JsonPatch, ResolutionContext, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { INetworkPolicyPeer, IpBlock, Lint, Linter, Namespaces, NetworkPolicy, PeerConfig, Pods, Port } from '../../src';
import { generatedSchemaCheck, readDocuments } from '../../src/wire/reader';
import { FACTORY_CASES, Program, SEED, WORKLOAD_PROGRAMS } from '../property/constructs';

function policies(scope: Chart | App): NetworkPolicy[] {
  // not instanceof: cdk8s's ApiObject[Symbol.hasInstance] (inherited) holds for every ApiObject
  return scope.node.findAll().filter((c): c is NetworkPolicy => NetworkPolicy.prototype.isPrototypeOf(c));
}

/** Builds a program in `chart`; false when a builder rejected its input. */
function build(p: Program, chart: Chart): boolean {
  try {
    p.build(chart);
    return true;
  } catch {
    return false;
  }
}

/** A copy with the same keys in the same order (JSON values only, as manifests are). */
function copy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

/** The strict reading of one manifest, with the spec taken as decoded or decoded by the schema layer. */
function reading(manifest: any, decoded: boolean): string {
  const read = readDocuments([{ object: manifest, file: '<manifests>', line: 1, column: 0 }], decoded ? { decodedSpecs: new Set([manifest.spec]) } : {});
  return JSON.stringify({
    objects: read.objects.map(o => ({ ...o, doc: undefined })),
    rejected: read.rejected.map(o => ({ ...o, doc: undefined })),
    diagnostics: read.diagnostics,
    skipped: [...read.skipped],
  });
}

let decodedSeen = 0;

/** Every NetworkPolicy of `scope` whose spec the lint takes as decoded reads as the schema layer reads it. */
function expectSpecsReadAsDecoded(scope: Chart | App): void {
  for (const np of policies(scope)) {
    let r: { readonly manifest?: any; readonly specDecoded: boolean };
    try {
      r = np._lintInput(true);
    } catch {
      continue; // not renderable: its own validation says why, and the lint leaves it out
    }
    if (!r.specDecoded) continue;
    decodedSeen++;
    // the schema layer's reading of the spec is the spec, key order included, without a violation
    const checked = generatedSchemaCheck(copy(r.manifest))!;
    expect(checked.violations.filter(v => v.path[0] === 'spec')).toEqual([]);
    expect(JSON.stringify(checked.value.spec)).toBe(JSON.stringify(r.manifest.spec));
    // and the reader gives the same objects and diagnostics either way
    expect(reading(r.manifest, true)).toBe(reading(copy(r.manifest), false));
  }
}

/** The manifests the general path lints: every ApiObject's toJson(), as cdk8s renders it. */
function renderedManifests(scope: Chart | App): any[] {
  const out: any[] = [];
  for (const o of scope.node.findAll()) {
    if (!(o instanceof ApiObject)) continue;
    try {
      out.push(o.toJson());
    } catch {
      // left out by the synth-time lint too (its own validation reports why)
    }
  }
  return out;
}

/** The synth-time lint of `scope` (App or chart) and the general lint of its manifests report the same. */
function expectSameFindings(scope: Chart | App): void {
  const lint = Lint.enable(scope);
  const fast = lint.run();
  const general = Linter.lintManifests(copy(renderedManifests(scope)), { ciliumVersion: '1.18' });
  expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
}

function chartOf(app: App, id: string, namespace = 'prod'): Chart {
  return new Chart(app, id, { namespace });
}

describe('synth-time lint: specs rendered by a NetworkPolicy are read as decoded', () => {
  test.each(FACTORY_CASES.map(c => [c.name, c] as const))('the schema layer reads them as they are: %s', (_name, factoryCase) => {
    fc.assert(fc.property(factoryCase.programs, program => {
      const chart = chartOf(Testing.app(), 'c');
      if (build(program, chart)) expectSpecsReadAsDecoded(chart);
    }), { seed: SEED, numRuns: 40 });
  }, 60_000);

  test('policies on workloads are not taken as decoded (they read the workloads), and read the same', () => {
    fc.assert(fc.property(WORKLOAD_PROGRAMS, program => {
      const chart = chartOf(Testing.app(), 'c');
      if (!build(program, chart)) return;
      for (const np of policies(chart)) {
        try {
          expect(np._lintInput(true).specDecoded).toBe(false);
        } catch {
          // a workload that cannot be placed: left out
        }
      }
      expectSameFindings(chart);
    }), { seed: SEED, numRuns: 100 });
  }, 60_000);

  test('the generated programs took the decoded path', () => {
    expect(decodedSeen).toBeGreaterThan(50);
  });
});

describe('synth-time lint: the same findings as the general path', () => {
  test.each(FACTORY_CASES.map(c => [c.name, c] as const))('one program per chart: %s', (_name, factoryCase) => {
    fc.assert(fc.property(factoryCase.programs, program => {
      const chart = chartOf(Testing.app(), 'c');
      if (build(program, chart)) expectSameFindings(chart);
    }), { seed: SEED, numRuns: 25 });
  }, 60_000);

  test('several programs in an app, linted together (cross-policy checks, duplicates, two namespaces)', () => {
    const everyProgram = fc.oneof(...FACTORY_CASES.map(c => c.programs), WORKLOAD_PROGRAMS);
    fc.assert(fc.property(fc.array(everyProgram, { minLength: 2, maxLength: 6 }), programs => {
      const app = Testing.app();
      programs.forEach((p, i) => build(p, chartOf(app, `c${i}`, i % 2 ? 'prod' : 'shop')));
      expectSpecsReadAsDecoded(app);
      expectSameFindings(app);
    }), { seed: SEED, numRuns: 60 });
  }, 120_000);

  test('the manifests rendered after the lint are those rendered without it (the lint hands its specs to toJson unchanged)', () => {
    const everyProgram = fc.oneof(...FACTORY_CASES.map(c => c.programs), WORKLOAD_PROGRAMS);
    let compared = 0;
    fc.assert(fc.property(fc.array(everyProgram, { minLength: 1, maxLength: 4 }), programs => {
      const linted = Testing.app();
      const plain = Testing.app();
      Lint.disable(plain);
      // (a program a builder rejected leaves the same constructs in both apps)
      programs.forEach((p, i) => expect(build(p, chartOf(linted, `c${i}`))).toBe(build(p, chartOf(plain, `c${i}`))));
      Lint.enable(linted).run();
      if (policies(linted).length === 0) return;
      // twice: the second toJson renders again (the lint's spec is handed out once)
      expect(JSON.stringify(renderedManifests(linted))).toBe(JSON.stringify(renderedManifests(plain)));
      expect(JSON.stringify(renderedManifests(linted))).toBe(JSON.stringify(renderedManifests(plain)));
      compared++;
    }), { seed: SEED, numRuns: 150 });
    expect(compared).toBeGreaterThan(20);
  }, 120_000);

  test('a synthesised app is the same with the lint on and off', () => {
    const make = (lint: boolean) => {
      const app = Testing.app();
      if (!lint) Lint.disable(app);
      for (const ns of ['shop', 'prod']) {
        const chart = chartOf(app, ns, ns);
        for (let i = 0; i < 5; i++) samplePolicy(chart, `np${i}`);
      }
      return app.synthYaml();
    };
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(make(true)).toBe(make(false));
    } finally {
      spy.mockRestore();
    }
  });

  function samplePolicy(chart: Chart, id = 'np'): NetworkPolicy {
    const np = new NetworkPolicy(chart, id, { metadata: { name: id }, podSelector: Pods.withLabels({ app: 'web' }) });
    np.allowFrom(Pods.withLabels({ role: 'frontend' }), Namespaces.withLabels({ project: 'p' })).toPort(8080);
    np.allowFrom(IpBlock.cidr('172.17.0.0/16', ['172.17.1.0/24'])).toPorts(Port.tcp(443), Port.udp(53), Port.named('http'), Port.tcpRange(9000, 9100));
    np.allowTo(IpBlock.cidr('10.0.0.0/24')).toPort(5978);
    return np;
  }

  test('a JSON patch: the general path renders and reads the spec, and the lint sees the patched spec', () => {
    const chart = chartOf(Testing.app(), 'c');
    const np = samplePolicy(chart);
    expect(np._lintInput(true).specDecoded).toBe(true);
    // a patch that empties a peer list (NP008 reports it) and drops a port protocol (defaulted)
    np.addJsonPatch(JsonPatch.replace('/spec/egress/0/to', []), JsonPatch.remove('/spec/ingress/0/ports/0/protocol'));
    expect(np._lintInput(true).specDecoded).toBe(false);
    expectSameFindings(chart);
    expect(Lint.of(chart)!.run().findings.map(f => f.checkId)).toContain('NP008');
  });

  test('an app with its own resolver: the general path', () => {
    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (context.value === 'frontend') context.replaceValue('FRONTEND');
      }
    }
    const app = new App({ resolvers: [new Upper()] });
    const chart = chartOf(app, 'c');
    const np = samplePolicy(chart);
    expect(np._lintInput(true).specDecoded).toBe(false);
    expectSameFindings(chart);
    expect(JSON.stringify(renderedManifests(chart))).toContain('FRONTEND');
  });

  test('metadata changed through the L1 escape hatch is read strictly (an invalid label is LINT000)', () => {
    const chart = chartOf(Testing.app(), 'c');
    const np = samplePolicy(chart);
    expect(Lint.of(chart)!.run().findings.filter(f => f.checkId === 'LINT000')).toEqual([]);
    // changed after a report: the lint recognises the manifest as changed and reads it again
    np.apiObject.metadata.addLabel('not a label key!', 'x');
    np.apiObject.metadata.addAnnotation('note', 'n');
    expect(np._lintInput(true).specDecoded).toBe(true);
    expectSameFindings(chart);
    const lint000 = Lint.of(chart)!.run().findings.filter(f => f.checkId === 'LINT000');
    expect(lint000.map(f => f.field)).toEqual(['metadata.labels["not a label key!"]']);
  });

  test('a peer of a user implementation and a subclass that renders its own manifest: the general path', () => {
    const chart = chartOf(Testing.app(), 'c');
    const peer: INetworkPolicyPeer = { toPeerConfig: () => ({ ipBlock: { cidr: '10.0.0.0/8' } }) as PeerConfig, toString: () => 'mine' };
    const mine = new NetworkPolicy(chart, 'mine', { metadata: { name: 'mine' }, podSelector: Pods.all() });
    mine.allowTo(peer);
    class Annotated extends NetworkPolicy {
      public toJson(): any {
        const m = super.toJson();
        return { ...m, spec: { ...m.spec, policyTypes: undefined } };
      }
    }
    const sub = new Annotated(chart, 'sub', { metadata: { name: 'sub' }, podSelector: Pods.withLabels({ app: 'web' }) });
    sub.allowTo(IpBlock.cidr('10.0.0.0/8'));
    expect(mine._lintInput(true).specDecoded).toBe(false);
    expect(sub._lintInput(true).specDecoded).toBe(false);
    expectSameFindings(chart);
    // the subclass's manifest has no policyTypes: NP009 (implicit policyTypes) is about it
    expect(Lint.of(chart)!.run().findings.some(f => f.checkId === 'NP009' && f.object.name === 'sub')).toBe(true);
  });

  test('a policy with suppressions, and one defined twice in two charts', () => {
    const app = Testing.app();
    const a = samplePolicy(chartOf(app, 'a'), 'suppressed');
    Lint.suppress(a, 'NP001', 'DNS from another policy');
    Lint.suppress(a, 'NP004', 'nothing to silence');
    samplePolicy(chartOf(app, 'a2'), 'twice');
    samplePolicy(chartOf(app, 'b'), 'twice');
    expectSpecsReadAsDecoded(app);
    expectSameFindings(app);
    const report = Lint.of(app)!.run();
    expect(report.findings.some(f => f.checkId === 'LINT004')).toBe(true);
    expect(report.findings.some(f => f.checkId === 'LINT003' && f.object.name === 'suppressed')).toBe(true);
    expect(report.suppressed.map(f => f.checkId)).toEqual(['NP001']);
  });
});

describe('synth-time lint: printing', () => {
  test('a report is printed once; after a change, only the new lines', () => {
    const app = Testing.app();
    const chart = chartOf(app, 'c');
    samplePolicy2(chart, 'one');
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synthYaml();
      const first = spy.mock.calls.map(c => String(c[0])).join('');
      expect(first.split('\n').filter(l => l).length).toBe(Lint.of(chart)!.findings.length);
      expect(first).toContain('NetworkPolicy prod/one');
      spy.mockClear();
      app.synthYaml();
      expect(spy).not.toHaveBeenCalled();
      samplePolicy2(chart, 'two');
      app.synthYaml();
      const second = spy.mock.calls.map(c => String(c[0])).join('');
      expect(second).toContain('NetworkPolicy prod/two');
      expect(second).not.toContain('NetworkPolicy prod/one');
    } finally {
      spy.mockRestore();
    }
  });

  test('many warnings are written whole lines at a time, at most 64 KiB a write, every byte of every line in order', () => {
    const app = Testing.app();
    const chart = chartOf(app, 'c');
    for (let i = 0; i < 1000; i++) samplePolicy2(chart, `p${i}`);
    // an info finding with multi-byte text (the reason of a suppression that silences nothing)
    Lint.suppress(samplePolicy2(chart, 'accent'), 'NP004', 'ça ne peut pas arriver — 🚀');
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synthYaml();
      const writes = spy.mock.calls.map(c => c[0] as Uint8Array | string);
      const expected = Lint.of(chart)!.findings.map(f => `[cdk8s-netpol lint] ${Linter.formatFinding(f)}\n`).join('');
      expect(expected).toContain('ça ne peut pas arriver — 🚀');
      expect(Buffer.byteLength(expected)).toBeGreaterThan(3 * 65536);
      expect(writes.length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(expected) / 65536));
      for (const w of writes) {
        expect(Buffer.byteLength(w as any)).toBeLessThanOrEqual(65536);
        expect(String(w).endsWith('\n')).toBe(true);
      }
      expect(writes.map(w => String(w)).join('')).toBe(expected);
    } finally {
      spy.mockRestore();
    }
  });

  function samplePolicy2(chart: Chart, id: string): NetworkPolicy {
    const np = new NetworkPolicy(chart, id, { metadata: { name: id }, podSelector: Pods.withLabels({ app: id }) });
    np.allowFrom(Pods.withLabels({ role: 'frontend' }), Namespaces.withLabels({ project: 'p' })).toPort(8080);
    np.allowTo(IpBlock.cidr('10.0.0.0/24')).toPort(5978);
    return np;
  }
});

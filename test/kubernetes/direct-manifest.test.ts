// NetworkPolicy.toJson writes its manifest directly (src/render/manifest.ts) when cdk8s's general
// path (ApiObject.toJson: resolvers, sorted copy, JSON patches, L1 mapping) cannot change it: both
// must give the same manifest, key order included, for every policy the builders accept.
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { INetworkPolicyPeer, IpBlock, Lint, Namespaces, NetworkPolicy, PeerConfig, Pods, Port } from '../../src';
import { KubeNetworkPolicy, toJson_ObjectMeta } from '../../src/imports/k8s';
import { renderNetworkPolicySpec } from '../../src/render/kubernetes';
import { directManifest, PLAIN_OBJECT_META_FIELDS } from '../../src/render/manifest';
import { FACTORY_CASES, Program, propertyChart, SEED, WORKLOAD_PROGRAMS } from '../property/constructs';

/** What cdk8s's general path renders for a NetworkPolicy (KubeNetworkPolicy.toJson), or its error. */
function general(np: NetworkPolicy): string {
  try {
    return JSON.stringify(KubeNetworkPolicy.prototype.toJson.call(np));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function rendered(np: NetworkPolicy): string {
  try {
    return JSON.stringify(np.toJson());
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/**
 * The synth-time lint's input for the policy (NetworkPolicy._lintInput), or its error: the manifest
 * it lints (as JSON text) and the fingerprint it recognises it by, which must be the same whether
 * the manifest is made or not.
 */
function lintInput(np: NetworkPolicy): { manifest: string; fingerprint: string } {
  let alone: string;
  try {
    alone = np._lintInput(false).fingerprint;
  } catch (e) {
    alone = `error: ${(e as Error).message}`;
  }
  try {
    const r = np._lintInput(true);
    expect(r.fingerprint).toBe(alone);
    return { manifest: JSON.stringify(r.manifest), fingerprint: r.fingerprint };
  } catch (e) {
    const error = `error: ${(e as Error).message}`;
    expect(error).toBe(alone);
    return { manifest: error, fingerprint: error };
  }
}

/** The manifest the synth-time lint lints. */
function text(np: NetworkPolicy): string {
  return lintInput(np).manifest;
}

/** What the synth-time lint recognises the manifest by. */
function fingerprint(np: NetworkPolicy): string {
  return lintInput(np).fingerprint;
}

function direct(np: NetworkPolicy): any {
  return directManifest(np, KubeNetworkPolicy.GVK, () => renderNetworkPolicySpec(np._toModel()));
}

function policies(chart: Chart): NetworkPolicy[] {
  // not instanceof: cdk8s's ApiObject[Symbol.hasInstance] (inherited) holds for every ApiObject
  return chart.node.findAll().filter((c): c is NetworkPolicy => NetworkPolicy.prototype.isPrototypeOf(c));
}

/** Runs a generated program; the NetworkPolicies it built (none when a builder rejected its input). */
function built(p: Program): NetworkPolicy[] {
  const chart = propertyChart();
  try {
    p.build(chart);
  } catch {
    return [];
  }
  return policies(chart);
}

function samplePolicy(chart: Chart, id = 'np'): NetworkPolicy {
  const np = new NetworkPolicy(chart, id, { metadata: { name: id, labels: { b: '2', a: '1' } }, podSelector: Pods.withLabels({ zone: 'z', app: 'web' }) });
  np.allowFrom(Pods.withLabels({ role: 'frontend' }), Namespaces.withLabels({ project: 'p' })).toPort(8080);
  np.allowFrom(IpBlock.cidr('172.17.0.0/16', ['172.17.1.0/24'])).toPorts(Port.tcp(443), Port.udp(53), Port.named('http'), Port.tcpRange(9000, 9100));
  np.allowTo(IpBlock.cidr('10.0.0.0/24')).toPort(5978);
  np.allowToAnywhere();
  return np;
}

/** The generated programs that build NetworkPolicies (the others build Cilium or cluster policies). */
const KUBERNETES_CASES = FACTORY_CASES.filter(c => fc.sample(c.programs, { seed: SEED, numRuns: 20 }).some(p => built(p).length > 0));

describe('NetworkPolicy manifest written directly', () => {
  test('the generated programs include NetworkPolicies', () => {
    expect(KUBERNETES_CASES.length).toBeGreaterThanOrEqual(5);
  });

  test.each(KUBERNETES_CASES.map(c => [c.name, c] as const))('equals the general path: %s', (_name, factoryCase) => {
    fc.assert(fc.property(factoryCase.programs, program => {
      for (const np of built(program)) {
        expect(rendered(np)).toBe(general(np));
        expect(text(np)).toBe(rendered(np));
      }
    }), { seed: SEED, numRuns: 60 });
  }, 60_000);

  test('equals the general path for policies on workloads (Pods.of subjects and peers, named ports)', () => {
    let directly = 0;
    fc.assert(fc.property(WORKLOAD_PROGRAMS, program => {
      for (const np of built(program)) {
        expect(rendered(np)).toBe(general(np));
        expect(text(np)).toBe(rendered(np));
        if (!rendered(np).startsWith('error:')) directly += direct(np) ? 1 : 0;
      }
    }), { seed: SEED, numRuns: 200 });
    expect(directly).toBeGreaterThan(0);
  }, 60_000);

  test('is taken for a plain policy, with the metadata cdk8s resolves (lazy labels, chart labels, suppressions)', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'prod', labels: { team: 'x' } });
    Lint.disable(chart);
    const np = samplePolicy(chart);
    np.metadata.addLabel('lazy', Lazy.any({ produce: () => 'produced' }) as any);
    np.metadata.addAnnotation('note', 'n');
    Lint.suppress(np, 'NP001', 'egress to anywhere');
    expect(direct(np)).toBeDefined();
    expect(rendered(np)).toBe(general(np));
    expect(np.toJson().metadata.labels).toEqual({ a: '1', b: '2', lazy: 'produced', team: 'x' });
    expect(Object.keys(np.toJson())).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  test('the plain ObjectMeta fields are copied unchanged by the L1 mapping, in sorted order', () => {
    const values: { [field: string]: any } = {
      annotations: { a: '1', b: '2' },
      deletionGracePeriodSeconds: 30,
      finalizers: ['x/y', 'a/b'],
      generateName: 'np-',
      generation: 2,
      labels: { a: '1', z: '2' },
      name: 'np',
      namespace: 'prod',
      resourceVersion: '12',
      selfLink: '/x',
      uid: 'u-1',
    };
    expect(Object.keys(values).sort()).toEqual([...PLAIN_OBJECT_META_FIELDS]);
    expect([...PLAIN_OBJECT_META_FIELDS]).toEqual([...PLAIN_OBJECT_META_FIELDS].sort());
    expect(JSON.stringify(toJson_ObjectMeta(values))).toBe(JSON.stringify(values));
  });

  test('maps other metadata as the L1 does (unknown attributes dropped, owner references mapped)', () => {
    const chart = Testing.chart();
    Lint.disable(chart);
    const np = samplePolicy(chart);
    np.metadata.add('extra', 'dropped by the L1');
    np.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1', controller: true });
    np.metadata.addFinalizers('example.com/f');
    expect(direct(np)).toBeDefined();
    expect(rendered(np)).toBe(general(np));
    expect(np.toJson().metadata.extra).toBeUndefined();
    expect(np.toJson().metadata.ownerReferences).toEqual([{ apiVersion: 'v1', controller: true, kind: 'ConfigMap', name: 'owner', uid: 'u-1' }]);
  });

  test('the lint fingerprint follows every change of the policy and of its metadata', () => {
    const chart = Testing.chart();
    Lint.disable(chart);
    const np = new NetworkPolicy(chart, 'np', { metadata: { name: 'np' }, podSelector: Pods.withLabels({ app: 'web' }) });
    const texts: string[] = [];
    const step = (change: () => void) => {
      change();
      expect(text(np)).toBe(rendered(np));
      expect(fingerprint(np)).toBe(fingerprint(np));
      texts.push(fingerprint(np));
    };
    step(() => np.denyAllIngress());
    const rule = np.allowTo(Pods.withLabels({ app: 'db' }));
    step(() => undefined);
    step(() => rule.toPort(5432));
    step(() => np.allowFrom(IpBlock.cidr('10.0.0.0/8')));
    step(() => np.allowToAnywhere());
    step(() => np.metadata.addLabel('tier', 'data'));
    step(() => Lint.suppress(np, 'NP001', 'DNS from another policy'));
    step(() => np.addJsonPatch(JsonPatch.add('/spec/podSelector/matchLabels/extra', 'yes')));
    expect(new Set(texts).size).toBe(texts.length);
  });

  test('the lint fingerprint of a policy on a workload follows the workload', () => {
    const chart = Testing.chart();
    Lint.disable(chart);
    const workload = new ApiObject(chart, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    const np = new NetworkPolicy(chart, 'np', { metadata: { name: 'np' }, podSelector: Pods.of(workload) });
    np.allowFrom(Pods.withLabels({ role: 'client' }));
    const before = fingerprint(np);
    expect(text(np)).toBe(rendered(np));
    workload.addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels/app', 'web2'), JsonPatch.replace('/spec/template/metadata/labels/app', 'web2'));
    expect(text(np)).toBe(rendered(np));
    expect(fingerprint(np)).not.toBe(before);
  });

  test('the lint fingerprint follows a peer of a user implementation whose config changes later', () => {
    const chart = Testing.chart();
    Lint.disable(chart);
    const config: { ipBlock: { cidr: string } } = { ipBlock: { cidr: '10.0.0.0/8' } };
    const peer: INetworkPolicyPeer = { toPeerConfig: () => config as PeerConfig, toString: () => 'mine' };
    const np = new NetworkPolicy(chart, 'np', { metadata: { name: 'np' }, podSelector: Pods.all() });
    np.allowTo(peer);
    const before = fingerprint(np);
    config.ipBlock.cidr = '192.168.0.0/16';
    expect(text(np)).toBe(rendered(np));
    expect(fingerprint(np)).not.toBe(before);
  });

  test('the lint input of a subclass that renders its own manifest is that manifest', () => {
    class Annotated extends NetworkPolicy {
      public toJson(): any {
        const m = super.toJson();
        return { ...m, metadata: { ...m.metadata, annotations: { rendered: 'by the subclass' } } };
      }
    }
    const chart = Testing.chart();
    Lint.disable(chart);
    const np = new Annotated(chart, 'np', { metadata: { name: 'np' }, podSelector: Pods.withLabels({ app: 'web' }) });
    np.denyAllIngress();
    expect(text(np)).toBe(JSON.stringify(np.toJson()));
    expect(JSON.parse(text(np)).metadata.annotations).toEqual({ rendered: 'by the subclass' });
  });

  test('leaves a policy with a JSON patch to the general path, which applies it', () => {
    const chart = Testing.chart();
    Lint.disable(chart);
    const np = samplePolicy(chart);
    np.addJsonPatch(JsonPatch.add('/spec/podSelector/matchLabels/extra', 'yes'));
    expect(direct(np)).toBeUndefined();
    expect(np.toJson().spec.podSelector.matchLabels.extra).toBe('yes');
    expect(rendered(np)).toBe(general(np));
  });

  test('leaves an app with its own resolvers to the general path, which applies them', () => {
    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (context.value === 'web') context.replaceValue('WEB');
      }
    }
    const chart = new Chart(new App({ resolvers: [new Upper()] }), 'c');
    Lint.disable(chart);
    const np = samplePolicy(chart);
    expect(direct(np)).toBeUndefined();
    expect(np.toJson().spec.podSelector.matchLabels.app).toBe('WEB');
  });

  test('leaves unsorted keys (CDK8S_DISABLE_SORT) to the general path', () => {
    const np = samplePolicy(Testing.chart());
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(direct(np)).toBeUndefined();
      expect(rendered(np)).toBe(general(np));
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
    expect(direct(np)).toBeDefined();
  });

  test('reports an error as the general path does (a metadata value cdk8s cannot render)', () => {
    const np = samplePolicy(Testing.chart());
    np.metadata.add('when', new Date(0));
    expect(direct(np)).toBeUndefined();
    expect(rendered(np)).toMatch(/^error: Failed serializing construct at path/);
    expect(rendered(np)).toBe(general(np));
  });

  test('a synthesised chart is the same with either path', () => {
    const chart = Testing.chart();
    for (let i = 0; i < 5; i++) samplePolicy(chart, `np${i}`);
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
    const synthesised = JSON.stringify(Testing.synth(chart));
    const generalChart = Testing.chart();
    for (let i = 0; i < 5; i++) samplePolicy(generalChart, `np${i}`).addJsonPatch(JsonPatch.test('/kind', 'NetworkPolicy'));
    new ApiObject(generalChart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
    expect(policies(generalChart).every(np => direct(np) === undefined)).toBe(true);
    expect(synthesised).toBe(JSON.stringify(Testing.synth(generalChart)));
  });
});

// Pods.of(workload) and Port.namedOf(workload, name) in NetworkPolicies: cdk8s-plus workloads, L1
// objects and other ApiObjects with a pod template, read from their manifest at synth.
import { ApiObject, Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
// The L1 classes a user's own `cdk8s import k8s` generates (cdk8s-plus ships the same).
import * as l1 from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { k8s, NetworkPolicy, Pods, Port, Protocol } from '../../src';
import { expectError, toYaml, validated } from '../util';

const ADDR = 'cdk8s.io/metadata.addr';

/** An app with charts in namespaces shop and front. */
function app() {
  const a = Testing.app();
  return { app: a, shop: new Chart(a, 'shop', { namespace: 'shop' }), front: new Chart(a, 'front', { namespace: 'front' }) };
}

/** The chart's NetworkPolicies, schema-checked under conformance (the workloads include kinds it has no schema for: Rollout, Service). */
function policies(chart: Chart): any[] {
  return validated(Testing.synth(chart).filter(m => m.kind === 'NetworkPolicy'));
}

/** A Deployment written as a plain ApiObject (the L1 Deployment class is not in this package's k8s subset). */
function rawDeployment(scope: Construct, id: string, spec: any, namespace?: string): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: id, ...(namespace ? { namespace } : {}) }, spec });
}

const template = (labels: Record<string, string>, ports: any[] = []) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'main', image: 'nginx', ports }] },
});

describe('Pods.of: cdk8s-plus workloads', () => {
  test('subject and peer in the policy namespace: the workload\'s spec.selector, no namespace selector', () => {
    const { shop } = app();
    const db = new kplus.Deployment(shop, 'db', { containers: [{ image: 'postgres', ports: [{ number: 5432, name: 'pg' }] }] });
    const api = new kplus.Deployment(shop, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
    const np = new NetworkPolicy(shop, 'db-np', { metadata: { name: 'db' }, podSelector: Pods.of(db) });
    np.allowFrom(Pods.of(api)).toPorts(Port.namedOf(db, 'pg'));
    const [m] = policies(shop);
    const dbSelector = ApiObject.of(db).toJson().spec.selector;
    expect(dbSelector).toEqual({ matchLabels: { [ADDR]: db.matchLabels[ADDR] } });
    expect(m.spec).toEqual({
      podSelector: dbSelector,
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { [ADDR]: api.matchLabels[ADDR] } } }], ports: [{ port: 'pg', protocol: 'TCP' }] }],
    });
    expect(toYaml([m])).toMatchSnapshot();
  });

  test('a peer in another namespace gets a namespace selector on kubernetes.io/metadata.name', () => {
    const { shop, front } = app();
    const web = new kplus.Deployment(front, 'web', { containers: [{ image: 'web' }] });
    const np = new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'api' }) });
    np.allowFrom(Pods.of(web)).toPort(8080);
    expect(policies(shop)[0].spec.ingress[0].from).toEqual([{
      podSelector: { matchLabels: { [ADDR]: web.matchLabels[ADDR] } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } },
    }]);
  });

  test('a policy without a namespace names the workload\'s', () => {
    const a = Testing.app();
    const shop = new Chart(a, 'shop', { namespace: 'shop' });
    const plain = new Chart(a, 'plain');
    const api = new kplus.Deployment(shop, 'api', { containers: [{ image: 'api' }] });
    new NetworkPolicy(plain, 'np', { podSelector: Pods.withLabels({ app: 'x' }) }).allowTo(Pods.of(api));
    expect(policies(plain)[0].spec.egress[0].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } });
  });

  test('StatefulSet, DaemonSet, Job, CronJob and Pod: each selects exactly its own pods', () => {
    const { shop } = app();
    const workloads = [
      new kplus.StatefulSet(shop, 'sts', { containers: [{ image: 'x' }], service: new kplus.Service(shop, 'sts-svc', { ports: [{ port: 80 }] }) }),
      new kplus.DaemonSet(shop, 'ds', { containers: [{ image: 'x' }] }),
      new kplus.Job(shop, 'job', { containers: [{ image: 'x' }] }),
      new kplus.CronJob(shop, 'cron', { containers: [{ image: 'x' }], schedule: Cron.daily() }),
      new kplus.Pod(shop, 'pod', { containers: [{ image: 'x' }] }),
    ];
    const np = new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'api' }) });
    np.allowFrom(...workloads.map(w => Pods.of(w)));
    const from = policies(shop)[0].spec.ingress[0].from;
    expect(from).toEqual(workloads.map(w => ({ podSelector: { matchLabels: { [ADDR]: w.podMetadata.getLabel(ADDR) } } })));
    // The pods carry exactly these labels: what the selector matches is what the workloads run.
    const manifests = Testing.synth(shop);
    const podLabels = (kind: string) => {
      const o = manifests.find(m => m.kind === kind);
      return kind === 'Pod' ? o.metadata.labels : kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata.labels : o.spec.template.metadata.labels;
    };
    ['StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'].forEach((kind, i) => expect(podLabels(kind)).toMatchObject(from[i].podSelector.matchLabels));
  });

  test('read at synth: a selector and labels added after the call are in the policy', () => {
    const { shop } = app();
    const api = new kplus.Deployment(shop, 'api', { containers: [{ image: 'api' }], select: false });
    const np = new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'db' }) });
    np.allowFrom(Pods.of(api));
    api.podMetadata.addLabel('app', 'api');
    api.select(kplus.LabelSelector.of({ labels: { app: 'api' } }));
    expect(policies(shop)[0].spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'api' } } }]);
  });

  test('the workload\'s own selector, not every template label: a version label does not narrow the peer', () => {
    const { shop } = app();
    const api = new kplus.Deployment(shop, 'api', { containers: [{ image: 'api' }], podMetadata: { labels: { version: 'v2' } } });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(api) }).denyAllIngress();
    expect(policies(shop)[0].spec.podSelector).toEqual({ matchLabels: { [ADDR]: api.matchLabels[ADDR] } });
  });
});

describe('Pods.of: L1 objects and other ApiObjects', () => {
  test('an L1 KubePod: its own labels, read at synth', () => {
    const { shop } = app();
    const pod = new l1.KubePod(shop, 'pod', { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const np = new NetworkPolicy(shop, 'np', { podSelector: Pods.of(pod) });
    pod.metadata.addLabel('tier', 'backend');
    np.denyAllIngress();
    expect(policies(shop)[0].spec.podSelector).toEqual({ matchLabels: { app: 'api', tier: 'backend' } });
  });

  test('an L1 KubeDeployment: its spec.selector', () => {
    const { shop } = app();
    const d = new l1.KubeDeployment(shop, 'api', {
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api', version: '3' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'db' }) }).allowFrom(Pods.of(d));
    expect(policies(shop)[0].spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'api' } } }]);
  });

  test('a Deployment ApiObject with matchExpressions: its spec.selector as written', () => {
    const { shop } = app();
    const d = rawDeployment(shop, 'api', {
      selector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable', 'canary'] }] },
      template: template({ app: 'api', track: 'canary', version: '7' }),
    });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(d) }).denyAllIngress();
    expect(policies(shop)[0].spec.podSelector).toEqual({
      matchLabels: { app: 'api' },
      matchExpressions: [{ key: 'track', operator: 'In', values: ['canary', 'stable'] }],
    });
  });

  test('a kind the library does not know, with a pod template (an Argo Rollout)', () => {
    const { shop } = app();
    const rollout = new ApiObject(shop, 'rollout', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: template({ 'app': 'web', 'rollouts-pod-template-hash': 'abc' }) },
    });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'db' }) }).allowFrom(Pods.of(rollout));
    expect(policies(shop)[0].spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'web' } } }]);
  });

  test('a ReplicationController without a selector gets its template labels (SetDefaults_ReplicationController); a Job without one, its template labels', () => {
    const { shop } = app();
    const rc = new ApiObject(shop, 'rc', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: template({ app: 'legacy' }) } });
    const job = new ApiObject(shop, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' }, spec: { template: { ...template({ app: 'batch' }), spec: { ...template({}).spec, restartPolicy: 'Never' } } } });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'db' }) }).allowFrom(Pods.of(rc), Pods.of(job));
    expect(policies(shop)[0].spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'legacy' } } }, { podSelector: { matchLabels: { app: 'batch' } } }]);
  });

  test('toPeerConfig() and selector outside a policy: read now, with the workload\'s namespace', () => {
    const { shop } = app();
    const d = rawDeployment(shop, 'api', { selector: { matchLabels: { app: 'api' } }, template: template({ app: 'api' }) });
    const pods = Pods.of(d);
    expect(pods.isWorkload).toBe(true);
    expect(pods.selector.matchLabels).toEqual({ app: 'api' });
    expect(pods.toString()).toBe('pods(of Deployment shop/api)');
    const config = pods.toPeerConfig();
    expect(config.podSelector!.toString()).toBe('app=api');
    expect(config.namespaceSelector!.toString()).toBe('kubernetes.io/metadata.name=shop');
  });
});

describe('Pods.of: errors name the field, the value and the fix', () => {
  test('not a workload: a plain value, a construct without ApiObject, a kind without pods', () => {
    const { shop } = app();
    expectError(() => Pods.of({} as any), 'Pods.of', 'is not a construct', 'cdk8s-plus workload');
    expectError(() => Pods.of(new Construct(shop, 'empty')), 'Pods.of', 'shop/empty', 'has no ApiObject');
    const svc = new kplus.Service(shop, 'svc', { ports: [{ port: 80 }] });
    expectError(() => Pods.of(svc), 'Pods.of', 'is a Service, which has no pods of its own');
  });

  test('an ApiObject without a pod template fails at synth', () => {
    const { shop } = app();
    const cm = new ApiObject(shop, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(cm) }).denyAllIngress();
    expectError(() => Testing.synth(shop), 'Pods.of(ConfigMap shop/cm)', 'has no pod template');
  });

  test('a selector that does not match the template labels (apps/v1 validation) fails at synth', () => {
    const { shop } = app();
    const d = rawDeployment(shop, 'api', { selector: { matchLabels: { app: 'api' } }, template: template({ app: 'apx' }) });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(d) }).denyAllIngress();
    expectError(() => Testing.synth(shop), 'Pods.of(Deployment shop/api).spec.selector', 'does not match the pod labels in spec.template.metadata.labels (app=api)');
  });

  test('pods without labels cannot be selected', () => {
    const { shop } = app();
    const pod = new l1.KubePod(shop, 'pod', { spec: { containers: [{ name: 'c', image: 'x' }] } });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'db' }) }).allowFrom(Pods.of(pod));
    expectError(() => Testing.synth(shop), 'Pods.of(Pod shop/', 'metadata.labels', 'is empty');
  });

  test('the subject must be in the policy\'s namespace', () => {
    const { shop, front } = app();
    const web = new kplus.Deployment(front, 'web', { containers: [{ image: 'web' }] });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(web) }).denyAllIngress();
    expectError(() => Testing.synth(shop), 'spec.podSelector', 'is in namespace "front", but the policy is in namespace "shop"', 'create the policy in namespace "front"');
  });

  test('a workload without a namespace is not guessed to be in the policy\'s', () => {
    const a = Testing.app();
    const shop = new Chart(a, 'shop', { namespace: 'shop' });
    const d = rawDeployment(new Chart(a, 'plain'), 'api', { selector: { matchLabels: { app: 'api' } }, template: template({ app: 'api' }) });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'db' }) }).allowFrom(Pods.of(d));
    expectError(() => Testing.synth(shop), '.ingress[0].from[0]', 'has no namespace (kubectl would put it in the current one)', 'set the workload\'s metadata.namespace');
  });

  test('namespaces are the workload\'s own: inNamespace()/inNamespaces() are errors', () => {
    const { shop } = app();
    const d = rawDeployment(shop, 'api', { selector: { matchLabels: { app: 'api' } }, template: template({ app: 'api' }) });
    expectError(() => Pods.of(d).inNamespace('other'), 'Pods.inNamespace', 'whose namespace is the workload\'s own');
  });

  test('a workload peer equal to another peer of the rule fails at synth', () => {
    const { shop } = app();
    const d = rawDeployment(shop, 'api', { selector: { matchLabels: { app: 'api' } }, template: template({ app: 'api' }) });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.withLabels({ app: 'db' }) }).allowFrom(Pods.withLabels({ app: 'api' }), Pods.of(d));
    expectError(() => Testing.synth(shop), '.ingress[0].from[1]', 'pods(of Deployment shop/api) selects the same pods as peer 0');
  });
});

describe('Port.namedOf', () => {
  const db = (scope: Construct, ports: any[]) => rawDeployment(scope, 'db', { selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }, ports) });

  test('a declared port renders as the named port', () => {
    const { shop } = app();
    const d = db(shop, [{ name: 'pg', containerPort: 5432 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]);
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(d) }).allowFrom(Pods.all()).toPorts(Port.namedOf(d, 'pg'), Port.namedOf(d, 'dns', Protocol.UDP));
    expect(policies(shop)[0].spec.ingress[0].ports).toEqual([{ port: 'pg', protocol: 'TCP' }, { port: 'dns', protocol: 'UDP' }]);
  });

  test('a port declared after the call counts (cdk8s-plus addPort)', () => {
    const { shop } = app();
    const d = new kplus.Deployment(shop, 'db', {});
    const port = Port.namedOf(d, 'pg');
    d.addContainer({ image: 'postgres' }).addPort({ number: 5432, name: 'pg' });
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(d) }).allowFrom(Pods.all()).toPorts(port);
    expect(policies(shop)[0].spec.ingress[0].ports).toEqual([{ port: 'pg', protocol: 'TCP' }]);
  });

  test('an undeclared name fails at synth, listing what the workload declares', () => {
    const { shop } = app();
    const d = db(shop, [{ name: 'pg', containerPort: 5432 }]);
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(d) }).allowFrom(Pods.all()).toPorts(Port.namedOf(d, 'postgres'));
    expectError(() => Testing.synth(shop), '.ingress[0].ports[0]', 'declares no container port named "postgres"', 'it declares pg (TCP/5432)');
  });

  test('a name declared with another protocol fails at synth, naming the protocol to pass', () => {
    const { shop } = app();
    const d = db(shop, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }]);
    new NetworkPolicy(shop, 'np', { podSelector: Pods.of(d) }).allowFrom(Pods.all()).toPorts(Port.namedOf(d, 'dns'));
    expectError(() => Testing.synth(shop), 'is TCP, but the workload declares "dns" as UDP', 'pass Protocol.UDP');
  });

  test('the name is checked at the call like Port.named', () => {
    const { shop } = app();
    const d = db(shop, []);
    expectError(() => Port.namedOf(d, 'Not_A_Name'), 'Port.namedOf', 'is not a valid port name');
  });
});

test('k8s L1 subset is unchanged: workloads are read as ApiObjects', () => {
  expect(Object.keys(k8s).filter(k => k.startsWith('Kube'))).toEqual(['KubeNetworkPolicy']);
});

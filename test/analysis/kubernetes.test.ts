import { analyze, baseCluster, API, CLIENT, deploy, lines, netpol, ns, WEB, WORLD } from './helpers';

describe('Kubernetes NetworkPolicy semantics', () => {
  test('no policy: every workload and the outside world are connected both ways', () => {
    const l = lines(baseCluster());
    expect(l).toContain(`${WEB} => ${API} : All Connections`);
    expect(l).toContain(`${API} => ${CLIENT} : All Connections`);
    expect(l).toContain(`${WORLD} => ${WEB} : All Connections`);
    expect(l).toContain(`${WEB} => ${WORLD} : All Connections`);
    // self-connections are not listed
    expect(l.some((x) => x.startsWith(`${WEB} => ${WEB}`))).toBe(false);
  });

  test('policyTypes [Ingress] with no rules isolates ingress only (egress stays open)', () => {
    const l = lines([...baseCluster(), netpol('shop', 'deny-in', { podSelector: {}, policyTypes: ['Ingress'] })]);
    expect(l.filter((x) => x.endsWith(`=> ${WEB} : All Connections`))).toEqual([]);
    expect(l).toContain(`${WEB} => ${CLIENT} : All Connections`);
    expect(l).toContain(`${WEB} => ${WORLD} : All Connections`);
    expect(l).toContain(`${WORLD} => ${CLIENT} : All Connections`);
  });

  test('policyTypes defaults to Ingress plus Egress when spec.egress has rules', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'eg', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api', port: 9090 }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(false); // egress isolated
    expect(a.isAllowed({ from: 'other/client', to: 'shop/web' }).allowed).toBe(false); // ingress isolated by default type
  });

  test('egress rules are ignored when policyTypes lists only Ingress', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'p', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'other/client' }).allowed).toBe(true);
  });

  test('rules of several policies are additive', () => {
    const sel = { matchLabels: { app: 'api' } };
    const a = analyze([
      ...baseCluster(),
      netpol('shop', 'a', { podSelector: sel, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 9090 }] }] }),
      netpol('shop', 'b', { podSelector: sel, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 53, protocol: 'UDP' }] }] }),
    ]);
    expect(a.toText()).toContain(`${WEB} => ${API} : TCP 9090,UDP 53`);
  });

  test('egress of the source and ingress of the destination must both allow', () => {
    const a = analyze([
      ...baseCluster(),
      netpol('shop', 'web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 9090 }, { port: 8443 }] }] }),
      netpol('shop', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 9090 }, { port: 7000 }] }] }),
    ]);
    expect(a.toText()).toContain(`${WEB} => ${API} : TCP 9090\n`);
    const e = a.explain({ from: 'shop/web', to: 'shop/api', port: 7000 });
    expect(e.allowed).toBe(false);
    expect(e.egress.isolatedBy).toEqual(['NetworkPolicy shop/web-out']);
  });

  test('an empty rule ({}) allows all sources, including addresses outside the cluster', () => {
    const l = lines([...baseCluster(), netpol('shop', 'all', { podSelector: {}, ingress: [{}] })]);
    expect(l).toContain(`${WORLD} => ${API} : All Connections`);
    expect(l).toContain(`${CLIENT} => ${API} : All Connections`);
  });

  test('podSelector {} alone selects pods of the policy namespace only', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'ns-only', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })]);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
    expect(a.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(false);
  });

  test('namespaceSelector {} alone selects every pod in every namespace but no external address', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'any-ns', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })]);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
    expect(a.isAllowed({ from: '8.8.8.8', to: 'shop/api' }).allowed).toBe(false);
  });

  test('namespaceSelector and podSelector in one peer are ANDed; as two peers they are ORed', () => {
    const extra = [deploy('other', 'web', { app: 'web' })];
    const and = analyze([...baseCluster(), ...extra, netpol('shop', 'and', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'other' } }, podSelector: { matchLabels: { app: 'web' } } }] }],
    })]);
    expect(and.isAllowed({ from: 'other/web', to: 'shop/api' }).allowed).toBe(true);
    expect(and.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(false);
    expect(and.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(false);
    const or = analyze([...baseCluster(), ...extra, netpol('shop', 'or', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'other' } } }, { podSelector: { matchLabels: { app: 'web' } } }] }],
    })]);
    expect(or.isAllowed({ from: 'other/client', to: 'shop/api' }).allowed).toBe(true);
    expect(or.isAllowed({ from: 'shop/web', to: 'shop/api' }).allowed).toBe(true);
  });

  test('kubernetes.io/metadata.name is set on every namespace, declared or not', () => {
    const a = analyze([
      deploy('implicit', 'x', { app: 'x' }),
      ...baseCluster(),
      netpol('shop', 'by-name', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'implicit' } } }] }] }),
    ]);
    expect(a.isAllowed({ from: 'implicit/x', to: 'shop/web' }).allowed).toBe(true);
    expect(a.isAllowed({ from: 'other/client', to: 'shop/web' }).allowed).toBe(false);
  });

  test('matchExpressions In, NotIn, Exists, DoesNotExist', () => {
    const mk = (expr: any) => analyze([...baseCluster(), netpol('shop', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchExpressions: [expr] } }] }] })]);
    expect(mk({ key: 'app', operator: 'In', values: ['api'] }).isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(true);
    expect(mk({ key: 'app', operator: 'NotIn', values: ['api'] }).isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(false);
    expect(mk({ key: 'tier', operator: 'Exists' }).isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(true);
    expect(mk({ key: 'tier', operator: 'DoesNotExist' }).isAllowed({ from: 'shop/api', to: 'shop/web' }).allowed).toBe(false);
  });

  test('ipBlock with except is reported as maximal address ranges', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'ext', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 8080 }] }],
    })]);
    const t = a.toText();
    expect(t).toContain(`10.0.0.0-10.0.255.255[External] => ${WEB} : TCP 8080`);
    expect(t).toContain(`10.2.0.0-10.255.255.255[External] => ${WEB} : TCP 8080`);
    expect(t).not.toContain(`10.1.0.0-10.1.255.255[External] => ${WEB}`);
    expect(t).toContain(`10.1.0.0-10.1.255.255[External] => ${API} : All Connections`);
    expect(a.isAllowed({ from: '10.3.4.5', to: 'shop/web', port: 8080 }).allowed).toBe(true);
    expect(a.isAllowed({ from: '10.1.4.5', to: 'shop/web', port: 8080 }).allowed).toBe(false);
    // ipBlock never selects pods
    expect(a.isAllowed({ from: 'shop/api', to: 'shop/web', port: 8080 }).allowed).toBe(false);
  });

  test('named ports resolve against the destination pod, with the same protocol', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'named', {
      podSelector: {},
      ingress: [{ ports: [{ port: 'http' }, { port: 'dns', protocol: 'UDP' }, { port: 'dns' /* TCP: no such port */ }] }],
    })]);
    const t = a.toText();
    expect(t).toContain(`${WEB} => ${API} : TCP 9090,UDP 53`);
    expect(t).toContain(`${API} => ${WEB} : TCP 8080`);
  });

  test('egress named ports resolve against the destination, not the source', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'eg', {
      podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }],
    })]);
    expect(a.toText()).toContain(`${WEB} => ${API} : TCP 9090`);
    // an external destination has no named ports
    expect(a.toText()).not.toContain(`${WEB} => ${WORLD}`);
  });

  test('port ranges (endPort), UDP/SCTP and protocol-only ports', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'ranges', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ ports: [{ port: 8000, endPort: 8100 }, { protocol: 'SCTP' }, { port: 53, protocol: 'UDP' }] }],
    })]);
    expect(a.toText()).toContain(`${WEB} => ${API} : SCTP 1-65535,TCP 8000-8100,UDP 53`);
  });

  test('all ports of all three protocols is All Connections', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'full', {
      podSelector: {}, ingress: [{ ports: ['TCP', 'UDP', 'SCTP'].map((protocol) => ({ protocol, port: 1, endPort: 65535 })) }],
    })]);
    expect(a.toText()).toContain(`${WEB} => ${API} : All Connections`);
  });

  test('an invalid policy is reported with its file position and does not crash the run', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'bad', { podSelector: {}, ingress: [{ from: [{}] }] })]);
    expect(a.diagnostics.map((d) => d.message).join('\n')).toMatch(/NetworkPolicy shop\/bad spec.ingress\[0\].from\[0\]: {} must specify a peer; give podSelector/);
    expect(a.toText()).toContain(`${WEB} => ${API} : All Connections`);
  });

  test('an invalid operator names the field, the value and the fix', () => {
    const a = analyze([...baseCluster(), netpol('shop', 'bad', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] } })]);
    expect(a.diagnostics[0].message).toBe('NetworkPolicy shop/bad spec.podSelector.matchExpressions[0].operator: unsupported value "Equals":'
      + ' use one of "In", "NotIn", "Exists", "DoesNotExist" (the API server rejects this NetworkPolicy; it is not analysed)');
  });

  test('pods are grouped by their controller owner; owner-less pods are [Pod]', () => {
    const pod = (name: string, owner?: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels: { app: 'rs' }, ownerReferences: owner ? [owner] : undefined }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const a = analyze([
      ns('shop'),
      pod('rs-1', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs-abc', uid: 'u1', controller: true }),
      pod('rs-2', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs-abc', uid: 'u1', controller: true }),
      pod('lonely'),
    ]);
    expect(a.workloads).toEqual(['shop/lonely[Pod]', 'shop/rs-abc[ReplicaSet]']);
  });

  test('workload kinds are read through their pod templates', () => {
    const tmpl = (labels: any, restartPolicy?: string) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy } });
    const sel = (k: string) => ({ matchLabels: { k } });
    const a = analyze([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss', namespace: 'a' }, spec: { selector: sel('ss'), serviceName: 'ss', template: tmpl({ k: 'ss' }) } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'a' }, spec: { selector: sel('ds'), template: tmpl({ k: 'ds' }) } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'a' }, spec: { template: tmpl({ k: 'job' }, 'Never') } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'a' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tmpl({ k: 'cj' }, 'OnFailure') } } } },
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'a' }, spec: { template: tmpl({ k: 'rc' }) } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' } },
    ]);
    expect(a.workloads).toEqual(['a/cj[CronJob]', 'a/ds[DaemonSet]', 'a/job[Job]', 'a/rc[ReplicationController]', 'a/ss[StatefulSet]']);
    expect(a.skippedKinds).toEqual([{ kind: 'ConfigMap', count: 1 }]);
  });

  test('workloads the API server rejects do not exist: no selector, a selector that misses the template, no container, a Job that restarts Always', () => {
    const tmpl = (labels: any, containers: any[] = [{ name: 'c', image: 'i' }]) => ({ metadata: { labels }, spec: { containers } });
    const a = analyze([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'x' }, spec: { template: tmpl({ app: 'a' }) } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b', namespace: 'x' }, spec: { selector: { matchLabels: { app: 'other' } }, template: tmpl({ app: 'b' }) } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'c', namespace: 'x' }, spec: { selector: { matchLabels: { app: 'c' } }, template: tmpl({ app: 'c' }, []) } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'd', namespace: 'x' }, spec: { template: tmpl({ app: 'd' }) } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'e', namespace: 'x' }, spec: { ports: [{ port: 0 }] } },
    ]);
    expect(a.workloads).toEqual([]);
    expect(a.diagnostics.map((d) => d.message)).toEqual([
      'Deployment x/a spec.selector: is required; give matchLabels that select the pod template, e.g. {matchLabels: {app: web}} (the API server rejects this Deployment; it is not analysed)',
      'Deployment x/b spec.template.metadata.labels: {"app":"b"} `selector` does not match template `labels`; make the template labels match spec.selector (the API server rejects this Deployment; it is not analysed)',
      'Deployment x/c spec.template.spec.containers: [] is required (a pod needs at least one container); add a container (the API server rejects this Deployment; it is not analysed)',
      'Job x/d spec.template.spec.restartPolicy: not set (Always by default), a restart policy a Job\'s pods may not use; set restartPolicy to OnFailure or Never (the API server rejects this Job; it is not analysed)',
      'Service x/e spec.ports[0].port: 0 is not a port number 1-65535; use a number from 1 to 65535 (the API server rejects this Service; it is not analysed)',
    ]);
  });

  test('Route/Ingress targets are reached from {ingress-controller} where policies allow', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
    const ing = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    const open = analyze([...baseCluster(), svc, ing]);
    expect(open.toText()).toContain(`{ingress-controller} => ${WEB} : TCP 8080`);
    const closed = analyze([...baseCluster(), svc, ing, netpol('shop', 'same-ns', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })]);
    expect(closed.toText()).not.toContain('{ingress-controller}');
  });
});

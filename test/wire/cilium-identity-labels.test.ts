// Cilium's default identity label filter (pkg/labelsfilter filter.go defaultLabelPrefixCfg, filterLabels).
import { isCiliumIdentityLabel } from '../../src/wire/cilium/identity-labels';

describe('isCiliumIdentityLabel (defaultLabelPrefixCfg)', () => {
  test('plain and app.kubernetes.io labels are kept (the include prefix is longer than the kubernetes.io ignore)', () => {
    for (const k of ['app', 'tier', 'cdk8s.io/metadata.addr', 'app.kubernetes.io/name', 'example.com/team', 'job-name']) expect([k, isCiliumIdentityLabel(k)]).toEqual([k, true]);
  });

  test('the ignored prefixes are dropped', () => {
    for (const k of ['kubernetes.io/hostname', 'io.kubernetes.container.name', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index',
      'batch.kubernetes.io/job-completion-index', 'batch.kubernetes.io/controller-uid', 'beta.kubernetes.io/arch', 'node.beta.kubernetes.io/x',
      'k8s.io/x', 'pod-template-hash', 'pod-template-generation', 'controller-revision-hash', 'controller-uid', 'annotation.x', 'etcd_node']) {
      expect([k, isCiliumIdentityLabel(k)]).toEqual([k, false]);
    }
  });

  test('a prefix must match at the start of the key (LabelPrefix.matches: res[0] == 0)', () => {
    expect(isCiliumIdentityLabel('topology.kubernetes.io/zone')).toBe(true);
    expect(isCiliumIdentityLabel('sigs.k8s.io/x')).toBe(true);
    expect(isCiliumIdentityLabel('my-controller-uid')).toBe(true);
  });

  test('the namespace and cluster labels Cilium derives are kept', () => {
    expect(isCiliumIdentityLabel('io.kubernetes.pod.namespace')).toBe(true);
    expect(isCiliumIdentityLabel('io.cilium.k8s.namespace.labels.team')).toBe(true);
    expect(isCiliumIdentityLabel('io.cilium.k8s.policy.cluster')).toBe(true);
  });
});

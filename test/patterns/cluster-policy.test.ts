import { ClusterPolicyPatterns, ClusterPolicySubject, Namespaces, Port } from '../../src';
import { fromObjects } from '../../src/wire/files';
import { readDocuments } from '../../src/wire/reader';
import { expectError, newChart, synth } from '../util';

/** The manifests, after checking the strict reader accepts them with no diagnostic. */
function manifests(chart: ReturnType<typeof newChart>): any[] {
  const out = synth(chart);
  expect(readDocuments(fromObjects(out).documents).diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  return out;
}

describe('ClusterPolicyPatterns', () => {
  test('baselineDefaultDeny: Baseline tier, every namespace but kube-system, DNS and kube-system accepted, then deny all', () => {
    const chart = newChart();
    ClusterPolicyPatterns.baselineDefaultDeny(chart, 'baseline', { metadata: { name: 'baseline' } });
    const [m] = manifests(chart);
    expect(m.spec.tier).toBe('Baseline');
    expect(m.spec.priority).toBe(1000);
    expect(m.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] } });
    expect(m.spec.ingress.map((r: any) => `${r.name} ${r.action}`)).toEqual(['accept-from-kube-system Accept', 'deny-all-ingress Deny']);
    expect(m.spec.egress.map((r: any) => `${r.name} ${r.action}`)).toEqual(['accept-dns Accept', 'accept-to-kube-system Accept', 'deny-all-egress Deny']);
    expect(m.spec.egress[0]).toEqual({
      name: 'accept-dns',
      action: 'Accept',
      to: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
      protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
    });
    expect(m.spec.egress[2].to).toEqual([{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }]);
  });

  test('baselineDefaultDeny without kube-system exceptions and exemptions selects every pod', () => {
    const chart = newChart();
    ClusterPolicyPatterns.baselineDefaultDeny(chart, 'baseline', { exemptNamespaces: [], allowKubeSystem: false, priority: 5 });
    const [m] = manifests(chart);
    expect(m.spec.subject).toEqual({ namespaces: {} });
    expect(m.spec.priority).toBe(5);
    expect(m.spec.ingress.map((r: any) => r.name)).toEqual(['deny-all-ingress']);
  });

  test('tenantIsolation: one Admin policy per tenant, same tenant passed, other tenants denied', () => {
    const chart = newChart();
    const policies = ClusterPolicyPatterns.tenantIsolation(chart, 'tenant', { tenantLabel: 'tenant', tenants: ['b', 'a', 'b'] });
    expect(policies.map(p => p.node.id)).toEqual(['tenant-a', 'tenant-b']);
    const out = manifests(chart);
    expect(out).toHaveLength(2);
    const a = out.find(m => m.spec.subject.namespaces.matchLabels?.tenant === 'a');
    expect(a.spec.tier).toBe('Admin');
    expect(a.spec.priority).toBe(50);
    expect(a.spec.ingress).toEqual([
      { name: 'pass-same-tenant', action: 'Pass', from: [{ namespaces: { matchLabels: { tenant: 'a' } } }] },
      { name: 'deny-other-tenants', action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'tenant', operator: 'Exists' }, { key: 'tenant', operator: 'NotIn', values: ['a'] }] } }] },
    ]);
    expect(a.spec.egress.map((r: any) => r.action)).toEqual(['Pass', 'Deny']);
    expectError(() => ClusterPolicyPatterns.tenantIsolation(newChart(), 't', { tenantLabel: 'tenant', tenants: [] }), 'TenantIsolationOptions.tenants', 'is empty');
    expectError(() => ClusterPolicyPatterns.tenantIsolation(newChart(), 't', {} as any), 'TenantIsolationOptions.tenantLabel', 'is required');
  });

  test('alwaysAllowMonitoring: an Admin Accept from the scraper on the given ports', () => {
    const chart = newChart();
    ClusterPolicyPatterns.alwaysAllowMonitoring(chart, 'mon', { ports: [Port.named('metrics'), Port.tcp(9100)], subject: ClusterPolicySubject.namespaces(Namespaces.withLabels({ monitored: 'true' })) });
    const [m] = manifests(chart);
    expect(m.spec).toEqual({
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: { matchLabels: { monitored: 'true' } } },
      ingress: [{
        name: 'accept-monitoring',
        action: 'Accept',
        from: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } } }],
        protocols: [{ destinationNamedPort: 'metrics' }, { tcp: { destinationPort: { number: 9100 } } }],
      }],
    });
  });

  test('denyCloudMetadata: an Admin Deny at priority 0 to the IPv4 and IPv6 metadata endpoints', () => {
    const chart = newChart();
    ClusterPolicyPatterns.denyCloudMetadata(chart, 'imds');
    const [m] = manifests(chart);
    expect(m.spec).toEqual({
      tier: 'Admin',
      priority: 0,
      subject: { namespaces: {} },
      egress: [{ name: 'deny-cloud-metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32', 'fd00:ec2::254/128'] }] }],
    });
    const v4 = newChart();
    ClusterPolicyPatterns.denyCloudMetadata(v4, 'imds', { includeIpv6: false });
    expect(manifests(v4)[0].spec.egress[0].to).toEqual([{ networks: ['169.254.169.254/32'] }]);
    expectError(() => ClusterPolicyPatterns.denyCloudMetadata(newChart(), 'x', { subject: Namespaces.all() as any }), 'ClusterPatternOptions.subject', 'is not a ClusterPolicySubject');
  });
});

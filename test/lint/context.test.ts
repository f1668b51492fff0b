// The rule iterator the checks share: which rules it visits, in which order, with which paths.
import { cnp, np } from './helpers';
import { fromObjects } from '../../src/analysis/load';
import { buildContext, policyRules } from '../../src/lint/context';
import { readDocuments } from '../../src/wire/reader';

const visit = (manifests: any[], options?: Parameters<typeof policyRules>[1]) =>
  policyRules(buildContext(readDocuments(fromObjects(manifests).documents), {}).policies, options).map(r => `${r.policy.name} ${r.field} ${r.peerKey}`);

test('policy by policy, direction by direction, in manifest order; Cilium deny lists too; Cilium specs each with its path', () => {
  const k8s = np('k', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}], ingress: [{}, {}], ingressDeny: [{}] });
  const cilium = cnp('c', { endpointSelector: {}, egressDeny: [{}], ingress: [{}] });
  const multi = { ...cnp('m', undefined), specs: [{ endpointSelector: {}, egress: [{}] }, { endpointSelector: {}, ingressDeny: [{}] }] };
  expect(visit([k8s, cilium, multi])).toEqual([
    'k spec.ingress[0] from', 'k spec.ingress[1] from', 'k spec.egress[0] to',
    'c spec.ingress[0] fromEndpoints', 'c spec.egressDeny[0] toEndpoints',
    'm specs[0].egress[0] toEndpoints', 'm specs[1].ingressDeny[0] fromEndpoints',
  ]);
});

test('isolatedOnly drops the Kubernetes directions policyTypes does not isolate; directions narrows the lists', () => {
  const k8s = np('k', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}], ingress: [{}] });
  const cilium = cnp('c', { endpointSelector: {}, egress: [{}], ingressDeny: [{}] });
  expect(visit([k8s, cilium], { isolatedOnly: true })).toEqual(['k spec.ingress[0] from', 'c spec.egress[0] toEndpoints', 'c spec.ingressDeny[0] fromEndpoints']);
  expect(visit([k8s, cilium], { directions: ['egress'] })).toEqual(['k spec.egress[0] to', 'c spec.egress[0] toEndpoints']);
});

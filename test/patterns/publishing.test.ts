import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { AcmePatterns } from './acme-patterns';
import { namespace, pod } from './fixtures';
import { Lint, Pods } from '../../src';
import { withManifests } from '../../src/testing';
import { expectReadsBack } from '../util';

const DOC = path.join(__dirname, '..', '..', 'docs', 'publishing-patterns.md');

test('docs/publishing-patterns.md shows the tested example pattern package', () => {
  const code = fs.readFileSync(path.join(__dirname, 'acme-patterns.ts'), 'utf8')
    .split('\n').filter(l => !l.startsWith('//')).join('\n')
    .replace("from '../../src';", "from 'cdk8s-netpol';");
  expect(fs.readFileSync(DOC, 'utf8')).toContain(code);
});

test('the example pattern does what the guide says: the gateway reaches the service, nothing else does', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const lint = Lint.enable(chart, { printWarnings: false });
  AcmePatterns.service(chart, 'web', { app: Pods.withLabels({ app: 'web' }) });
  const manifests = chart.toJson();
  expectReadsBack(manifests);
  const workloads = [
    namespace('shop'), namespace('mesh-gateway'), namespace('dns'), namespace('other'),
    pod('mesh-gateway', 'gateway', { app: 'gateway' }),
    pod('shop', 'web', { app: 'web' }, [{ containerPort: 8080 }]),
    pod('dns', 'unbound', { app: 'unbound' }, [{ containerPort: 53, protocol: 'UDP' }]),
    pod('other', 'stranger', { app: 'stranger' }),
  ];
  expect(withManifests(manifests, workloads)).toAllowConnection({ from: 'mesh-gateway/gateway', to: 'shop/web', port: 8080 });
  expect(withManifests(manifests, workloads)).toDenyConnection({ from: 'other/stranger', to: 'shop/web', port: 8080 });
  expect(withManifests(manifests, workloads)).toAllowConnection({ from: 'shop/web', to: 'dns/unbound', port: 53, protocol: 'UDP' });
  expect(lint.findings).toEqual([]);
  expect(() => AcmePatterns.service(chart, 'bad', {} as any)).toThrow('AcmeServiceOptions.app: undefined is required; pass Pods.withLabels');
});

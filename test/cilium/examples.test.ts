import { Chart, Testing } from 'cdk8s';
import { ciliumExamples } from '../../examples/cilium';
import { synth, toYaml } from '../util';

// The Cilium examples pass the constructs' synth-time validation (not only toJson) and the schemas.
test('Cilium examples synthesise and validate', () => {
  const app = Testing.app();
  ciliumExamples(app);
  const chart = app.node.findChild('cilium-policies') as Chart;
  const manifests = synth(chart);
  expect(toYaml(manifests)).toMatchSnapshot();
  expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
    'CiliumNetworkPolicy/l7-rule',
    'CiliumNetworkPolicy/api',
    'CiliumClusterwideNetworkPolicy/worker-kubelet',
    'CiliumNetworkPolicy/web-visibility',
  ]);
});

import { Testing } from 'cdk8s';
import { expectReadsBack } from './util';
import { ciliumExamples } from '../examples/cilium';
import { kubernetesExamples } from '../examples/kubernetes';
import { patternExamples } from '../examples/patterns';

// The example app synthesises, every manifest it writes reads back through the strict reader, and
// under `npm run conformance` every one is checked against the official schemas too.
test('example app synthesises', () => {
  const app = Testing.app();
  kubernetesExamples(app);
  ciliumExamples(app);
  patternExamples(app);
  const validate = (globalThis as any).__netpolValidateManifest;
  const docs = app.charts.flatMap(c => c.toJson());
  expectReadsBack(docs);
  if (validate) docs.forEach((d: any) => validate(d));
  expect(docs.map((d: any) => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
});

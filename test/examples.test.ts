import { Testing } from 'cdk8s';
import { ciliumExamples } from '../examples/cilium';
import { kubernetesExamples } from '../examples/kubernetes';
import { patternExamples } from '../examples/patterns';

// The example app synthesises, and every manifest it writes is schema-checked under `npm run conformance`.
test('example app synthesises', () => {
  const app = Testing.app();
  kubernetesExamples(app);
  ciliumExamples(app);
  patternExamples(app);
  const validate = (globalThis as any).__netpolValidateManifest;
  const docs = app.charts.flatMap(c => c.toJson());
  if (validate) docs.forEach((d: any) => validate(d));
  expect(docs.map((d: any) => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
});

// The example app: `npm run synth:examples` writes one YAML file per chart to dist/.
// Each area keeps its examples in its own file.
import { App } from 'cdk8s';
import { ciliumExamples } from './cilium';
import { kubernetesExamples } from './kubernetes';
import { patternExamples } from './patterns';

const app = new App({ outdir: 'dist' });
kubernetesExamples(app);
ciliumExamples(app);
patternExamples(app);
app.synth();

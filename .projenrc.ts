import { cdk8s, javascript, JsonFile } from 'projen';

// The account that owns the published names on Maven Central (io.github.<owner>) and GitHub (Go
// module repository). One constant so a release owner changes all of them at once.
const PUBLISH_OWNER = 'cdk8snetpol';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-netpol',
  description: 'Network policy as code for Kubernetes and Cilium: typed constructs, connectivity analysis, patterns and lint.',
  author: 'cdk8s-netpol developers',
  authorAddress: 'dev@cdk8s-netpol.local',
  repositoryUrl: 'https://example.invalid/cdk8s-netpol.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  // No hosted CI or release automation in this repository: CI is .ci/run.
  github: false,
  release: false,
  keywords: ['cdk8s', 'kubernetes', 'networkpolicy', 'cilium', 'network-policy', 'security'],
  // Runtime dependencies are bundled, as jsii requires for non-jsii modules.
  bundledDeps: [
    'ipaddr.js@^2.2.0', // IPv4/IPv6 address and CIDR parsing
    'commander@^12.1.0', // CLI argument parsing
    're2js@^1.1.0', // RE2 syntax checks for Cilium HTTP path/method regexes
    '@viz-js/viz@^3.31.0', // Graphviz compiled to WebAssembly: `--format svg` without a system Graphviz
  ],
  devDeps: [
    'cdk8s-cli@2.207.60', // offline `cdk8s import` via ../shared/tools
    'yaml@^2.8.0', // bench only: writes the analysis benchmark's YAML and runs the previous reader for comparison
    '@types/node@^20',
    'ajv@^8.17.1', // JSON-schema validation of synthesised manifests (conformance)
    'ajv-formats@^3.0.1',
    'fast-check@^4.10.0', // property-based tests: every input a construct accepts must synthesise a valid manifest
    'cdk8s-plus-33@2.5.57', // tests only: Pods.of/Endpoints.of read cdk8s-plus workloads by duck typing (ApiObject.of), never importing cdk8s-plus
    '@microsoft/jest-sarif@1.0.0-beta.0', // ships the SARIF 2.1.0 JSON schema the SARIF test validates against
    'ajv-draft-04@^1.0.0', // the SARIF schema is JSON Schema draft-04
    '@dagrejs/dagre@^3.1.3', // lays the mermaid output out as mermaid does, to check that no arrow passes behind a box
  ],
  bin: { 'cdk8s-netpol': 'lib/cli/main.js' },
  // jsii targets, named the way cdk8s-plus names its own (distName/module, groupId/artifactId,
  // packageId, Go module repository). The owner segment is one placeholder, see PUBLISH_OWNER.
  publishToPypi: { distName: 'cdk8s-netpol', module: 'cdk8s_netpol' },
  publishToMaven: {
    javaPackage: `io.github.${PUBLISH_OWNER}`,
    mavenGroupId: `io.github.${PUBLISH_OWNER}`,
    mavenArtifactId: 'cdk8s-netpol',
  },
  publishToNuget: { dotNetNamespace: 'Cdk8sNetpol', packageId: 'Cdk8sNetpol' },
  publishToGo: { moduleName: `github.com/${PUBLISH_OWNER}/cdk8s-netpol-go`, packageName: 'cdk8snetpol' },
  jestOptions: {
    // Snapshots never update silently: a changed manifest is a failing test.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/quiet-warnings.ts'],
    },
  },
  gitignore: ['/dist/', '/.synth/', '/bench/node_modules/', '/bench/results/', '__pycache__/'],
});

// Typed L1 imports, generated offline from the schemas in ../shared (never downloaded).
const importTask = project.addTask('import', {
  description: 'Regenerate src/imports from ../shared (offline cdk8s import)',
});
// Only NetworkPolicy and what it refers to: the package re-exports these L1 types as `k8s`
// (NetworkPolicy extends KubeNetworkPolicy), and the rest of the 721 are no part of our API.
importTask.exec('ts-node --project projenrc/tsconfig.json projenrc/k8s-schema-subset.ts ../shared/schemas/kubernetes-v1.33/_definitions.json .synth/k8s-networkpolicy-definitions.json io.k8s.api.networking.v1.NetworkPolicy');
importTask.exec('node ../shared/tools/cdk8s-import-offline.js k8s@1.33.0 .synth/k8s-networkpolicy-definitions.json src/imports');
importTask.exec('node ../shared/tools/cdk8s-import-offline.js crd ../shared/crds/cilium.io.yaml src/imports');
importTask.exec('node ../shared/tools/cdk8s-import-offline.js crd ../shared/crds/policy.networking.k8s.io.yaml src/imports');

// Schema tables of the wire layer, generated from the official schemas in ../shared (committed, like src/imports).
project.addTask('gen:schemas', {
  description: 'Regenerate src/wire/schema/tables.generated.ts from ../shared/schemas',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/gen-schema-validators.ts',
});

// The main job: synthesise the example app to dist/*.yaml.
project.addTask('synth:examples', {
  description: 'Synthesise the example app in examples/ to dist/*.yaml',
  exec: 'ts-node --project examples/tsconfig.json examples/main.ts',
});

// Checks that need ../shared: official-schema validation and conformance cases.
project.addTask('conformance', {
  description: 'Validate synthesised manifests against ../shared/schemas and run ../shared/conformance cases',
  exec: 'jest --config conformance/jest.config.js',
});

// The constructs benchmark measures the compiled library (lib/), as users run it, so it compiles first.
const benchTask = project.addTask('bench', { description: 'Run the benchmarks in bench/' });
benchTask.spawn(project.compileTask);
benchTask.exec('ts-node --project bench/tsconfig.json bench/run.ts');
// Every benchmark in one run, so that the README's tables and their anchors come from one session.
const benchAllTask = project.addTask('bench:all', { description: 'Run every benchmark in bench/ in one run (constructs, lint, YAML reading, analysis, command line)' });
benchAllTask.spawn(benchTask);
// the anchors: raw cdk8s and cdk8s-plus (constructs), the previous YAML reader (bench/baseline), the
// analysis as of commit 2b65d1e (before the compact connection list), bare `node -e 0` (command line)
for (const b of ['lint.ts', 'yaml.ts', 'yaml.ts --pods 20000 --runs 5', 'analysis.ts --runs 3 --anchor 2b65d1e',
  'analysis.ts --sizes 5000,20000 --max-clusterwide 40 --runs 3 --anchor 2b65d1e', 'cli.ts']) {
  benchAllTask.exec(`ts-node --project bench/tsconfig.json bench/${b}`);
}

// tsc writes lib/ files 0644 and npm pack keeps the mode, so the bin would not be executable in the
// tarball. npm sets the bit itself when it links a bin, but jsii runtimes do not: the jsii kernel
// (aws/jsii @jsii/kernel kernel.ts, #getBinScriptCommand) spawns the bin path directly, so the
// Python/Java/.NET/Go wrappers failed with "Permission denied".
project.compileTask.exec('node -e "for (const f of Object.values(require(\'./package.json\').bin)) require(\'fs\').chmodSync(f, 0o755)"');

// API reference for TypeScript (API.md) and Python (API.python.md), from the .jsii assembly.
// Both are committed; test/packaging/api-docs.test.ts fails when either is stale.
const docgenTask = project.tasks.tryFind('docgen')!;
docgenTask.reset('jsii-docgen -l typescript -o API.md');
docgenTask.exec('jsii-docgen -l python -o API.python.md');
project.gitignore.include('/API.python.md');
project.annotateGenerated('/API.python.md');

// jsii must accept the public API, so the test task compiles with jsii first.
project.testTask.prependSpawn(project.compileTask);
project.eslint?.addIgnorePattern('src/imports/');
// Address and port-set arithmetic is bitwise by nature.
project.eslint?.addRules({ 'no-bitwise': 'off' });
// examples/, conformance/ and bench/ each have a tsconfig.json extending test/tsconfig.json.
for (const dir of ['examples', 'conformance', 'bench']) {
  project.eslint?.addLintPattern(dir);
  project.eslint?.allowDevDeps(`${dir}/**`);
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../src/**/*.ts', '../test/**/*.ts'] },
  });
}

// ts-jest does not type-check (isolatedModules), so the test task type-checks tests, examples,
// conformance and benchmarks (each tsconfig includes src and test).
const typecheckTask = project.addTask('typecheck', { description: 'Type-check tests, examples, conformance and benchmarks' });
for (const dir of ['conformance', 'bench', 'examples']) typecheckTask.exec(`tsc --noEmit -p ${dir}/tsconfig.json`);
project.testTask.spawn(typecheckTask);

// The GitHub Action (action.yml, action/) runs from a checkout of this repository, not from the npm package.
for (const p of ['/examples/', '/bench/', '/conformance/', '/.ci/', '/.synth/', '/action/', '/action.yml']) project.addPackageIgnore(p);

project.synth();

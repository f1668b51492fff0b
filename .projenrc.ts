import { cdk8s, javascript, JsonFile } from 'projen';

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
  ],
  devDeps: [
    'cdk8s-cli@2.207.60', // offline `cdk8s import` via ../shared/tools
    'yaml@^2.8.0', // bench only: writes the analysis benchmark's YAML and runs the previous reader for comparison
    '@types/node@^20',
    'ajv@^8.17.1', // JSON-schema validation of synthesised manifests (conformance)
    'ajv-formats@^3.0.1',
  ],
  bin: { 'cdk8s-netpol': 'lib/cli/main.js' },
  jestOptions: {
    // Snapshots never update silently: a changed manifest is a failing test.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/quiet-warnings.ts'],
    },
  },
  gitignore: ['/dist/', '/.synth/', '/bench/node_modules/', '/bench/results/'],
});

// Typed L1 imports, generated offline from the schemas in ../shared (never downloaded).
const importTask = project.addTask('import', {
  description: 'Regenerate src/imports from ../shared (offline cdk8s import)',
});
importTask.exec('node ../shared/tools/cdk8s-import-offline.js k8s@1.33.0 ../shared/schemas/kubernetes-v1.33/_definitions.json src/imports');
importTask.exec('node ../shared/tools/cdk8s-import-offline.js crd ../shared/crds/cilium.io.yaml src/imports');

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

for (const p of ['/examples/', '/bench/', '/conformance/', '/.ci/', '/.synth/']) project.addPackageIgnore(p);

project.synth();

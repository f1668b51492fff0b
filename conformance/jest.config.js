// Checks that need ../shared. Run by `npm run conformance` (and by .ci/run after the tests):
// the whole unit suite again with every synthesised manifest validated against the official
// schemas, plus the conformance cases in conformance/*.test.ts.
const path = require('path');
module.exports = {
  rootDir: path.join(__dirname, '..'),
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/conformance/**/*.test.ts'],
  globalSetup: '<rootDir>/conformance/require-shared.js',
  setupFilesAfterEnv: ['<rootDir>/test/quiet-warnings.ts', '<rootDir>/conformance/schema-setup.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  testPathIgnorePatterns: ['/node_modules/'],
  ci: true,
  reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports/conformance' }]],
};

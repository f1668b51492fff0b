// Checks that need ../shared (official schemas, conformance cases). Run by `npm run conformance`.
const path = require('path');
module.exports = {
  rootDir: path.join(__dirname, '..'),
  testMatch: ['<rootDir>/conformance/**/*.test.ts'],
  globalSetup: '<rootDir>/conformance/require-shared.js',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  testPathIgnorePatterns: ['/node_modules/'],
};

// One jest run, several projects: fast unit tests beside the code (and, in test/adapters and test/architecture,
// the adapter tests that start a sandbox peer in-process and the import rules), cross-process integration
// tests in test/, and the client's component tests (client/jest.config.js).
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const node = { testEnvironment: 'node', transform: { '^.+\\.ts$': swc } };
const fs = require('fs');

const projects = [
  { ...node, displayName: 'unit', testMatch: ['<rootDir>/shared/src/**/*.test.ts', '<rootDir>/bff/**/*.test.ts', '<rootDir>/sandbox/**/*.test.ts', '<rootDir>/test/adapters/**/*.test.ts', '<rootDir>/test/architecture/**/*.test.ts'] },
  // every BFF answer seen by an integration or e2e test is checked against the published OpenAPI document
  { ...node, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], slowTestThreshold: 30, setupFilesAfterEnv: ['<rootDir>/test/support/openapi-guard.ts'] },
  { ...node, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], slowTestThreshold: 120, setupFilesAfterEnv: ['<rootDir>/test/support/openapi-guard.ts'] },
  // issue 7: the fault suite (npm run test:faults runs the full size; npm test a smaller one)
  { ...node, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'], slowTestThreshold: 600 },
];
if (fs.existsSync(__dirname + '/client/jest.config.js')) projects.push('<rootDir>/client/jest.config.js');

// Issue 13: the cross-process suites mostly wait on other processes (Redis, sandboxes, BFFs,
// Chromium), so two workers on the 2-core CI machine overlap those waits; jest's default there is
// one (cores - 1). JEST_WORKERS overrides it.
// Issue 13: the stack's process entries are bundled once per run (test/support/compile-stack.js);
// the longest files start first, also in a fresh clone (test/support/sequencer.js).
module.exports = {
  projects,
  testTimeout: 60000,
  maxWorkers: Number(process.env.JEST_WORKERS ?? 2),
  globalSetup: '<rootDir>/test/support/compile-stack.js',
  globalTeardown: '<rootDir>/test/support/compile-stack-teardown.js',
  testSequencer: '<rootDir>/test/support/sequencer.js',
};

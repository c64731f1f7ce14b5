// One jest run, several projects: fast unit tests beside the code, cross-process integration
// tests in test/, and the client's component tests (client/jest.config.js).
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const node = { testEnvironment: 'node', transform: { '^.+\\.ts$': swc } };
const fs = require('fs');

const projects = [
  { ...node, displayName: 'unit', testMatch: ['<rootDir>/shared/src/**/*.test.ts', '<rootDir>/bff/**/*.test.ts', '<rootDir>/sandbox/**/*.test.ts'] },
  { ...node, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], slowTestThreshold: 30 },
  { ...node, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], slowTestThreshold: 120 },
];
if (fs.existsSync(__dirname + '/client/jest.config.js')) projects.push('<rootDir>/client/jest.config.js');

module.exports = { projects, testTimeout: 60000 };

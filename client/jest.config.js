// Client tests: pages rendered with @testing-library/react in jsdom; Taro's components and APIs are
// small stubs (test/stubs), the platform module is a test double (test/doubles/platform.ts).
// test/built/*.test.ts load the real build output (dist/weapp with miniprogram-simulate, dist/alipay
// with a faked `my`) in node.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2020' },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  displayName: 'client',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: {
    '^@tarojs/components$': '<rootDir>/test/stubs/taro-components.tsx',
    '^@tarojs/taro$': '<rootDir>/test/stubs/taro.ts',
    '^(\\.{1,2}/)*platform/platform$': '<rootDir>/test/doubles/platform.ts',
    '^\\./platform$': '<rootDir>/test/doubles/platform.ts',
    '\\.css$': '<rootDir>/test/stubs/style.ts',
  },
  // the built mini-program packages are loaded as they are, never transformed
  transformIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  testTimeout: 60000,
};

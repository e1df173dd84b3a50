/** Two projects: fast pure unit specs next to the code, and HTTP end-to-end specs under apps/<app>/test. */
const moduleNameMapper = {
  '^@escrow/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
  '^@escrow/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
  '^@escrow/projections(|/.*)$': '<rootDir>/libs/projections/src$1',
  '^@escrow/audit(|/.*)$': '<rootDir>/libs/audit/src$1',
  '^@escrow/clock(|/.*)$': '<rootDir>/libs/clock/src$1',
  '^@escrow/client(|/.*)$': '<rootDir>/libs/client/src$1',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};
const common = { rootDir: __dirname, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'], moduleNameMapper, transform };

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/**/test/**/*.e2e-spec.ts'],
      // Every response the e2e suite receives is checked against the OpenAPI document; the teardown prints the count.
      setupFilesAfterEnv: ['<rootDir>/apps/api/test/openapi/tally-setup.ts'],
      globalSetup: '<rootDir>/apps/api/test/openapi/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/openapi/global-teardown.ts',
    },
  ],
};

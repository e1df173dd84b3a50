/** Two projects: fast pure unit specs next to the code, and HTTP end-to-end specs under apps/<app>/test. */
const moduleNameMapper = {
  '^@escrow/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
  '^@escrow/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
  '^@escrow/projections(|/.*)$': '<rootDir>/libs/projections/src$1',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};
const common = { rootDir: __dirname, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'], moduleNameMapper, transform };

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/apps/**/test/**/*.e2e-spec.ts']},
  ],
};

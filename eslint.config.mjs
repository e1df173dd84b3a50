// Lint rules: TypeScript's recommended set, plus a ban on float helpers in money code.
import tseslint from 'typescript-eslint';

const APPLICATION_IMPORTS = { group: ['**/apps/**', '../**/apps/**', '@nestjs/*'], message: 'Libraries never import the application or its framework.' };
const ADAPTER_IMPORTS = {
  group: ['@escrow/event-store/sqlite/*-event-store', '@escrow/event-store/in-memory/*', '@escrow/event-store/eventstoredb/*', '@escrow/event-store/sqlite/sqlite-errors'],
  message: 'Only the composition root (apps/api/src/store) names an event-store adapter; use the port.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'round', message: 'Money is truncated explicitly with decimal.js.' },
        { object: 'Number', property: 'parseFloat', message: 'No floating point on money paths.' },
      ],
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'No floating point on money paths.' }],
    },
  },
  // One clock: the product reads the current instant only through the Clock port (`@escrow/clock`), so that tests and
  // CLOCK_OFFSET move every business time at once; elapsed time (timeouts, latency, back-off) is `performance.now()`.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'apps/*/test/**', '**/testing/**', 'libs/clock/src/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read the time from the Clock (@escrow/clock, injected as CLOCK); measure elapsed time with performance.now().',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Read the time from the Clock (@escrow/clock, injected as CLOCK); measure elapsed time with performance.now().',
        },
      ],
    },
  },
  // Import boundaries: the domain imports nothing of ours; libraries never import the application; only the
  // composition root (apps/api/src/store) names an event-store adapter.
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'fastify', 'better-sqlite3', '@eventstore/*'], message: 'The domain is pure: no framework or storage imports.' },
            { group: ['@escrow/event-store', '@escrow/event-store/*', '@escrow/projections', '@escrow/projections/*', '@escrow/audit', '@escrow/audit/*', '**/apps/**', '../**/apps/**'], message: 'The domain imports nothing of ours.' },
            { group: ['@escrow/clock', '@escrow/clock/*'], message: 'The domain has no clock: time arrives in commands and arguments.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/clock/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [APPLICATION_IMPORTS, { group: ['@escrow/*'], message: 'The clock imports nothing of ours: every layer imports it.' }] }],
    },
  },
  {
    files: ['libs/event-store/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [APPLICATION_IMPORTS] }],
    },
  },
  {
    files: ['libs/projections/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [APPLICATION_IMPORTS, ADAPTER_IMPORTS] }],
    },
  },
  {
    files: ['apps/**/*.ts'],
    ignores: ['**/*.spec.ts', 'apps/api/test/**', 'apps/api/src/store/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ADAPTER_IMPORTS] }],
    },
  },
);

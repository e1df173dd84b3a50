// Lint rules: TypeScript's recommended set, plus a ban on float helpers in money code.
import tseslint from 'typescript-eslint';

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
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', 'fastify', 'better-sqlite3', '@eventstore/*'], message: 'The domain is pure: no framework or storage imports.' }] }],
    },
  },
);

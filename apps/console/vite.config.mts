import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The support console: built into dist/console, which the service serves at /console.
const repository = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  resolve: { alias: [{ find: /^@escrow\/domain\/(.*)$/, replacement: `${repository}libs/domain/src/$1` }] },
  build: { outDir: `${repository}dist/console`, emptyOutDir: true, sourcemap: false, target: 'es2022' },
});

/**
 * Writes the service's OpenAPI document to docs/openapi.json (or the path given), from the same application
 * the service builds, on a throw-away data directory. `npm run build` runs it after compiling.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from './bootstrap';
import { loadConfig } from './config/app-config';
import { openApiDocument } from './http/openapi-document';

async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? join(process.cwd(), 'docs', 'openapi.json'));
  const dataDir = mkdtempSync(join(tmpdir(), 'escrow-openapi-'));
  try {
    const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PROJECTIONS: 'off', NODE_ENV: 'development' }));
    await app.init();
    writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
    process.stdout.write(`OpenAPI document written to ${target}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

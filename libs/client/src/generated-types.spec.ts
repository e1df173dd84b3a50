import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../../..');

describe('the generated client types', () => {
  it('are what openapi-typescript makes of docs/openapi.json now (run `npm run client:generate` after `npm run build`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-types-'));
    try {
      const fresh = join(dir, 'openapi.ts');
      await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), 'docs/openapi.json', '-o', fresh], { cwd: ROOT });
      expect(readFileSync(join(__dirname, 'generated/openapi.ts'), 'utf8')).toBe(readFileSync(fresh, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

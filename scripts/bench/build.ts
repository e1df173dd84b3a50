/** Makes sure the compiled service in dist/ matches the sources, building it when it is missing or older. */

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

export const SERVICE_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js');

const SOURCE_ROOTS = ['apps/api/src', 'libs'];
const SOURCE_FILES = ['tsconfig.json', 'apps/api/tsconfig.app.json', 'nest-cli.json', 'package-lock.json'];

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      // The build itself writes libs/client/src/generated/ after compiling: it is output, not a source.
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && entry !== 'generated') visit(join(path, entry));
    } else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
      newest = Math.max(newest, stats.mtimeMs);
    }
  };
  for (const root of SOURCE_ROOTS) if (existsSync(join(REPO_ROOT, root))) visit(join(REPO_ROOT, root));
  for (const file of SOURCE_FILES) if (existsSync(join(REPO_ROOT, file))) newest = Math.max(newest, statSync(join(REPO_ROOT, file)).mtimeMs);
  return newest;
}

/** Returns whether a build ran. Throws when there is no runnable service afterwards. */
export function ensureServiceBuilt(log: (message: string) => void): boolean {
  if (existsSync(SERVICE_ENTRY) && statSync(SERVICE_ENTRY).mtimeMs >= newestSourceMtime()) return false;
  log(existsSync(SERVICE_ENTRY) ? 'sources changed since the last build: npm run build' : 'no build found: npm run build');
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr], timeout: 300_000 });
  if (build.status !== 0) {
    if (!existsSync(SERVICE_ENTRY)) throw new Error(`npm run build failed (exit ${build.status ?? build.signal}) and left no ${SERVICE_ENTRY}`);
    log(`npm run build failed (exit ${build.status ?? build.signal}); measuring the output it left in dist/`);
  }
  return true;
}

import { existsSync } from 'node:fs';

/** Where Debian's package puts it; `.ci/run` installs it with apt-get. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, else Debian's. When it is not there the tests fail at once,
 * saying how to install it, rather than with a launch error that names neither the package nor the variable.
 */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  if (!existsSync(path)) {
    throw new Error(`Chromium is missing at ${path}: the console's browser tests need it. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return path;
}

/**
 * A secret the service creates once in DATA_DIR and reads at every start after (a development signing key, the
 * derived-id key).
 */

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `contents` whole into a file of its own (mode 0600), flushed to disk, and only then links it under
 * `file`: a start killed at any moment leaves no file or a whole one, never an empty or half-written secret for
 * the next start to read. When another process linked its secret first, that one is kept. Answers whether this
 * call created the file.
 */
export function createSecretFileOnce(file: string, contents: string): boolean {
  const draft = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.new`;
  const descriptor = openSync(draft, 'wx', 0o600);
  try {
    writeSync(descriptor, contents);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  try {
    linkSync(draft, file);
    syncDirectory(dirname(file));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(draft);
  }
}

/** Makes a new directory entry survive a power loss, not only a crash of the process. */
function syncDirectory(directory: string): void {
  const descriptor = openSync(directory, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import type { SignedTreeHead } from '@escrow/audit';
import { HttpClient } from './http-client';

/** The latest signed tree head once it covers exactly `treeSize` events (the notary publishes within its delay). */
export async function publishedHeadCovering(http: HttpClient, treeSize: number, timeoutMs = 10_000): Promise<SignedTreeHead> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const latest = await http.get<SignedTreeHead>('/v1/audit/tree-head');
    if (latest.status === 200 && latest.body.treeSize === treeSize) return latest.body;
    if (Date.now() > deadline) throw new Error(`no tree head of size ${treeSize} was published within ${timeoutMs} ms (latest: ${latest.status} ${JSON.stringify(latest.body)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Edits a stopped service's SQLite file in place, under SQLite's feet, as someone with the disk would. The file is
 * first rewritten with secure_delete on (a row moved by a page split otherwise leaves a stale copy of its bytes in the
 * page it left, which could be found instead of the live one) and everything checkpointed from the WAL into the main
 * file; then `original`, which must occur exactly once, is overwritten with `replacement` of the same length.
 * Returns the offset it was found at.
 */
export function overwriteOnceInFile(file: string, original: Buffer, replacement: Buffer): number {
  if (original.length !== replacement.length) throw new Error('the replacement must have the length of what it replaces');
  const db = new Database(file);
  db.pragma('secure_delete = ON');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const bytes = readFileSync(file);
  const at = bytes.indexOf(original);
  if (at < 0) throw new Error(`${file} does not hold the bytes to edit`);
  if (bytes.indexOf(original, at + 1) !== -1) throw new Error(`${file} holds the bytes to edit more than once`);
  replacement.copy(bytes, at);
  writeFileSync(file, bytes);
  return at;
}

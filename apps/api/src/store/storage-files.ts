/**
 * The SQLite files of the service in DATA_DIR, and the check every start makes on those that exist:
 * SQLite's `quick_check`. A damaged page is refused at start, with the cause and the remedy, rather than
 * found later by a request that answers 500 while `/health` says ok.
 */

import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { checkSqliteFile, SqliteIntegrityCheck } from '@escrow/event-store/sqlite/integrity';
import { READ_MODEL_DATABASE_FILE } from '@escrow/projections/runtime/read-model-database';
import { REBUILD_REMEDY } from '@escrow/projections/runtime/store-binding';
import { notaryDatabaseFile } from '../audit/notary/notary-database';
import type { AppConfig } from '../config/app-config';

export const EVENT_STORE_FILE = 'events.sqlite';
export const IDEMPOTENCY_FILE = 'idempotency.sqlite';

export type StorageFileRole = 'events' | 'read-models' | 'idempotency' | 'notary';

export interface StorageFile {
  role: StorageFileRole;
  path: string;
}

/** Every SQLite file the configuration uses (the event log only with the embedded store). */
export function storageFiles(config: Pick<AppConfig, 'dataDir' | 'eventStore'>): StorageFile[] {
  return [
    ...(config.eventStore === 'sqlite' ? [{ role: 'events' as const, path: join(config.dataDir, EVENT_STORE_FILE) }] : []),
    { role: 'read-models', path: join(config.dataDir, READ_MODEL_DATABASE_FILE) },
    { role: 'idempotency', path: join(config.dataDir, IDEMPOTENCY_FILE) },
    { role: 'notary', path: notaryDatabaseFile(config.dataDir) },
  ];
}

/** What to do about a damaged file of each role. */
export const DAMAGE_REMEDY: Record<StorageFileRole, string> = {
  events:
    'The event log cannot be rebuilt from anything else: stop the service, restore events.sqlite (with its -wal file when the ' +
    `backup has one) from the last good backup, then run \`${REBUILD_REMEDY}\` and start the service (see docs/operations.md).`,
  'read-models': `Run \`${REBUILD_REMEDY}\`: it moves the damaged file aside and rebuilds every read model from the event log.`,
  idempotency:
    `Run \`${REBUILD_REMEDY}\`: it moves the damaged file aside; commands already applied are still recognised on a retry ` +
    'from their events, only the remembered refusals are lost.',
  notary:
    'Restore notary.sqlite (with its -wal file when the backup has one) from the backup taken with the event log. Without one, run ' +
    `\`${REBUILD_REMEDY}\`: it moves the damaged file aside (keep it: it holds every tree head published) and the log is notarised ` +
    'again from its first event, under new heads; heads auditors saved before can then no longer be proven by this service (see docs/audit.md).',
};

export interface StorageDamage {
  file: StorageFile;
  problems: string[];
}

/** Runs the check on every file that exists; lists the damaged ones. */
export function findStorageDamage(files: readonly StorageFile[], check: SqliteIntegrityCheck): StorageDamage[] {
  const damaged: StorageDamage[] = [];
  for (const file of files) {
    if (!existsSync(file.path)) continue;
    const problems = checkSqliteFile(file.path, check);
    if (problems.length > 0) damaged.push({ file, problems });
  }
  return damaged;
}

const SHOWN_PROBLEMS = 5;

export function describeDamage({ file, problems }: StorageDamage): string {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((problem) => `    ${problem}`);
  if (problems.length > SHOWN_PROBLEMS) shown.push(`    … and ${problems.length - SHOWN_PROBLEMS} more (npm run store:check lists every one)`);
  return `${file.path} is damaged (SQLite integrity check failed):\n${shown.join('\n')}\n  ${DAMAGE_REMEDY[file.role]}`;
}

/** A SQLite file of the service failed its check at start. */
export class StorageDamagedError extends Error {
  constructor(readonly damaged: StorageDamage[]) {
    super(`Refusing to start: ${damaged.map(describeDamage).join('\n')}`);
    this.name = 'StorageDamagedError';
  }
}

/** The start's check: `quick_check` on every existing SQLite file; throws StorageDamagedError naming each damaged one. */
export function assertStorageIntact(config: Pick<AppConfig, 'dataDir' | 'eventStore'>): void {
  const damaged = findStorageDamage(storageFiles(config), 'quick_check');
  if (damaged.length > 0) throw new StorageDamagedError(damaged);
}

/**
 * Renames a file (with its -wal and -shm) to `<file>.<reason>-<time>`, so that a new one is created on the
 * next start; returns the new name.
 */
export function moveFileAside(path: string, reason: 'damaged' | 'other-log', now: Date): string {
  const aside = `${path}.${reason}-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  return aside;
}

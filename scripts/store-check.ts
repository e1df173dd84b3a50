/**
 * Checks the service's storage in depth: `npm run store:check`. Uses the service's configuration
 * (DATA_DIR, EVENT_STORE, EVENTSTORE_CONNECTION_STRING) and changes nothing.
 *
 * - SQLite's full `integrity_check` on every SQLite file that exists (event log, read models,
 *   idempotency records): every page, every record and every index against its table. The start of the
 *   service only runs the faster `quick_check`.
 * - The read models against the event store: the store they were built from and how far they read.
 *
 * Exit code 0 when everything is sound, 1 when something is wrong (each problem printed with its
 * remedy), 2 for a configuration error. It may run while the service is running.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@escrow/event-store/port';
import { EventStoreDbEventStore } from '@escrow/event-store/eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { openReadModelDatabase, readModelDatabaseFile } from '@escrow/projections/runtime/read-model-database';
import { findStoreMismatch, ReadModelsDoNotMatchStoreError } from '@escrow/projections/runtime/store-binding';
import { InvalidConfigError, loadConfig } from '../apps/api/src/config/app-config';
import { describeDamage, findStorageDamage, storageFiles } from '../apps/api/src/store/storage-files';

export interface StoreCheckReport {
  ok: boolean;
  /** One entry per problem found, each naming the file or the cause and the remedy. */
  problems: string[];
}

async function openStore(dataDir: string, eventStore: 'sqlite' | 'eventstoredb', connectionString?: string): Promise<EventStore | undefined> {
  if (eventStore === 'eventstoredb') return EventStoreDbEventStore.connect(connectionString!);
  const file = join(dataDir, 'events.sqlite');
  return existsSync(file) ? SqliteEventStore.open({ file }) : undefined;
}

/** Runs every check and reports each step through `print`. */
export async function checkStore(env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<StoreCheckReport> {
  const config = loadConfig(env);
  const problems: string[] = [];
  let eventLogDamaged = false;
  for (const file of storageFiles(config)) {
    if (!existsSync(file.path)) {
      print(`${file.path}: absent (created on first start)`);
      continue;
    }
    const [damage] = findStorageDamage([file], 'integrity_check');
    if (damage === undefined) print(`${file.path}: integrity_check ok`);
    else {
      eventLogDamaged ||= file.role === 'events';
      problems.push(describeDamage(damage));
      print(`${file.path}: DAMAGED\n${describeDamage(damage)}`);
    }
  }
  if (eventLogDamaged) {
    print('The event log is damaged: its identity and the read models were not compared with it.');
    return { ok: false, problems };
  }

  const store = await openStore(config.dataDir, config.eventStore, config.eventStoreConnectionString);
  const readModels = readModelDatabaseFile(config.dataDir);
  if (store === undefined || !existsSync(readModels) || problems.length > 0) {
    await store?.close();
    return { ok: problems.length === 0, problems };
  }
  const db = openReadModelDatabase(readModels);
  try {
    const { storeId, mismatch } = await findStoreMismatch(db, store);
    print(`event store ${storeId}: last event at position ${await store.headPosition()}`);
    if (mismatch === undefined) print(`${readModels}: built from this store, not ahead of its log`);
    else {
      const message = new ReadModelsDoNotMatchStoreError(mismatch, readModels).message.replace(/^Refusing to start: /, '');
      problems.push(message);
      print(message);
    }
  } finally {
    db.close();
    await store.close();
  }
  return { ok: problems.length === 0, problems };
}

async function main(): Promise<number> {
  try {
    const report = await checkStore(process.env, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(report.ok ? 'The store is sound.\n' : `${report.problems.length} problem(s) found.\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`The check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}

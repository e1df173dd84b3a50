/**
 * Rebuilds read models from position zero of the event log: `npm run projections:rebuild [name ...]`.
 * Uses the service's configuration (DATA_DIR, EVENT_STORE, EVENTSTORE_CONNECTION_STRING). Run it while
 * the service is stopped: the service would otherwise keep applying events to tables being rebuilt.
 *
 * It is also the remedy the service names when it refuses to start (see docs/operations.md): read models
 * built from another log or from a newer copy of this one are rebuilt from the log at hand, and the
 * background processes restart from its first event; a damaged read-model, idempotency or notary file is moved
 * aside first. A damaged event log is refused: only a backup can replace it.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@escrow/event-store/port';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { EventStoreDbEventStore } from '@escrow/event-store/eventstoredb/eventstoredb-event-store';
import { PROJECTION_NAMES, PROJECTIONS } from '@escrow/projections/registry';
import { ProjectionEngine, RebuildReport } from '@escrow/projections/runtime/projection-engine';
import { openReadModelDatabase, readModelDatabaseFile } from '@escrow/projections/runtime/read-model-database';
import { findStoreMismatch, rebindToStore, ReadModelsDoNotMatchStoreError } from '@escrow/projections/runtime/store-binding';
import { AppConfig, InvalidConfigError, loadConfig } from '../apps/api/src/config/app-config';
import { foundTampering, IntegrityCheck, NotaryDatabase, notaryDatabaseFile } from '../apps/api/src/audit/notary/notary-database';
import { checkNotarisedEvents } from '../apps/api/src/audit/notary/tamper-check';
import { clearTamperedRebuild, recordTamperedRebuild } from '../apps/api/src/audit/notary/tampered-rebuild';
import { describeDamage, findStorageDamage, IDEMPOTENCY_FILE, moveFileAside, storageFiles } from '../apps/api/src/store/storage-files';

export const USAGE = `Usage: npm run projections:rebuild [-- [--accept-tampered-log] <projection> ...]

Empties the named read models (all of them when none is named) and applies the whole event log again,
from position 0, into DATA_DIR/read-models.sqlite. Stop the service first.

Every event the notary has notarised is first hashed again and compared with its tree (DATA_DIR/notary.sqlite):
a log changed since is refused, naming the positions, unless --accept-tampered-log is given; the read models
then record that they were built over those changed events, and the service's readiness and
GET /v1/audit/integrity say so until a rebuild over an intact log.

Projections: ${PROJECTION_NAMES.join(', ')}`;

export class UsageError extends Error {}

/** The event log itself is damaged: rebuilding from it would spread the damage. */
export class EventLogDamagedError extends Error {}

/** The log no longer holds what the notary notarised: the rebuild would serve the changed events as facts. */
export class TamperedLogError extends Error {}

export interface RebuildOptions {
  /** Rebuild over a log the notary finds changed, and record it in the read models. */
  acceptTamperedLog?: boolean;
}

/**
 * Every notarised event compared with its leaf; undefined without a notary. A notary of another store's log, or
 * of a longer log of which this one is an intact beginning (a restored backup), is moved aside (kept as the
 * record of what that log held) so the service notarises this log afresh; what it found is told.
 */
async function checkAgainstNotary(config: AppConfig, store: EventStore, storeId: string, print: (line: string) => void): Promise<IntegrityCheck | undefined> {
  const file = notaryDatabaseFile(config.dataDir);
  if (!existsSync(file)) return undefined;
  const notary = NotaryDatabase.open(file);
  let otherLog: string | undefined;
  try {
    const state = notary.state();
    if (state === undefined) return undefined;
    if (state.storeId !== storeId) {
      otherLog = `notarised another event store's log (${state.storeId})`;
      return undefined;
    }
    const check = await checkNotarisedEvents(notary, store, { recent: Infinity, sample: 0, origin: 'rebuild', now: () => new Date() });
    notary.recordCheck(check);
    const head = await store.headPosition();
    const beyondHead = check.mismatchingPositions.filter((position) => position > head);
    if (beyondHead.length > 0 && beyondHead.length === check.mismatchingPositions.length && check.treeMismatchingPositions.length === 0) {
      otherLog = `notarised a longer log (up to position ${state.lastPosition}) of which this one, up to ${head}, is an intact beginning`;
      return undefined;
    }
    return check;
  } finally {
    notary.close();
    if (otherLog !== undefined) print(`  ${file} ${otherLog}; moved aside to ${moveFileAside(file, 'other-log', new Date())}, this log is notarised afresh`);
  }
}

/** Checks every SQLite file: a damaged event log stops the rebuild, a damaged read-model, idempotency or notary file is moved aside. */
function setAsideDamagedFiles(config: AppConfig, print: (line: string) => void): void {
  for (const damage of findStorageDamage(storageFiles(config), 'quick_check')) {
    if (damage.file.role === 'events') throw new EventLogDamagedError(describeDamage(damage));
    const aside = moveFileAside(damage.file.path, 'damaged', new Date());
    print(`${damage.file.path} was damaged (${damage.problems[0]}); moved aside to ${aside}, a new one is created.`);
  }
}

async function openStore(config: AppConfig): Promise<{ store: EventStore; description: string }> {
  if (config.eventStore === 'eventstoredb') {
    return { store: await EventStoreDbEventStore.connect(config.eventStoreConnectionString!), description: 'EventStoreDB' };
  }
  const file = join(config.dataDir, 'events.sqlite');
  return { store: SqliteEventStore.open({ file }), description: file };
}

/** Rebuilds the named projections (all when empty) and reports every step through `print`. */
export async function rebuildProjections(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const unknown = names.filter((name) => !PROJECTION_NAMES.includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown projection ${unknown.join(', ')}. Known: ${PROJECTION_NAMES.join(', ')}.`);
  const config = loadConfig(env);
  // Opening would create an empty store; rebuilding from nothing is a mistake in the path, not a wish.
  if (config.eventStore === 'sqlite' && !existsSync(join(config.dataDir, 'events.sqlite'))) {
    throw new UsageError(`No event store at ${join(config.dataDir, 'events.sqlite')}: check DATA_DIR.`);
  }
  setAsideDamagedFiles(config, print);
  const { store, description } = await openStore(config);
  const db = openReadModelDatabase(readModelDatabaseFile(config.dataDir));
  try {
    const { storeId, mismatch } = await findStoreMismatch(db, store);
    if (mismatch !== undefined && names.length > 0) {
      throw new UsageError(
        `${new ReadModelsDoNotMatchStoreError(mismatch, readModelDatabaseFile(config.dataDir)).message}\n` +
          'Rebuild every read model: run the rebuild without projection names.',
      );
    }
    const notaryLines: string[] = [];
    const check = await checkAgainstNotary(config, store, storeId, (line) => notaryLines.push(line));
    const tampered = check !== undefined && foundTampering(check);
    if (tampered) {
      const positions = [...check.mismatchingPositions, ...check.treeMismatchingPositions];
      const found = `The event log does not match what the notary notarised: positions ${positions.join(', ')}${check.problems.length > 0 ? ` (${check.problems.join('; ')})` : ''}.`;
      if (!options.acceptTamperedLog) {
        throw new TamperedLogError(`${found} Restore the log from a backup; or rebuild over it with --accept-tampered-log, which the service will then report.`);
      }
      notaryLines.push(`  ${found} Rebuilding over it (--accept-tampered-log): the read models record it.`);
    } else if (check !== undefined) {
      notaryLines.push(`  all ${check.treeSize} notarised events match the notary's tree`);
    }
    const selected = names.length > 0 ? names : PROJECTION_NAMES;
    print(`Rebuilding ${selected.join(', ')} from position 0`);
    print(`  events:      ${description} (store ${storeId})`);
    print(`  read models: ${readModelDatabaseFile(config.dataDir)}`);
    notaryLines.forEach(print);
    if (mismatch !== undefined) print(`  the read models were built from ${mismatch.kind === 'foreign-store' ? 'another event store' : 'a newer log than this one'}`);
    const engine = new ProjectionEngine({ store, storeId, db, projections: PROJECTIONS });
    const report = await engine.rebuild(names.length > 0 ? names : undefined);
    for (const projection of report.projections) {
      print(`  ${projection.name} v${projection.version}: was at ${projection.previousPosition}, now at ${projection.position}`);
    }
    if (mismatch !== undefined) {
      const reactors = rebindToStore(db, storeId, PROJECTION_NAMES, new Date().toISOString());
      if (reactors.length > 0) print(`  background processes ${reactors.join(', ')} restart from the first event of this log when the service starts`);
      // Remembered first responses may be of commands this log does not hold: a retry would be told it
      // succeeded. Without them a retry is checked against the events themselves.
      const idempotencyFile = join(config.dataDir, IDEMPOTENCY_FILE);
      if (existsSync(idempotencyFile)) {
        print(`  ${idempotencyFile} answered for another log; moved aside to ${moveFileAside(idempotencyFile, 'other-log', new Date())}`);
      }
    }
    if (tampered) recordTamperedRebuild(db, { rebuiltAt: new Date().toISOString(), mismatchingPositions: check.mismatchingPositions });
    else if (names.length === 0) clearTamperedRebuild(db);
    const seconds = report.durationMs / 1000;
    const rate = seconds > 0 ? Math.floor(report.eventsRead / seconds) : report.eventsRead;
    print(`Read ${report.eventsRead} events in ${seconds.toFixed(2)} s (${rate} events/s); the head was at ${report.targetPosition}.`);
    return report;
  } finally {
    db.close();
    await store.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const print = (line: string) => process.stdout.write(`${line}\n`);
    await rebuildProjections(argv.filter((arg) => !arg.startsWith('-')), process.env, print, { acceptTamperedLog: argv.includes('--accept-tampered-log') });
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidConfigError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof EventLogDamagedError || error instanceof TamperedLogError) {
      process.stderr.write(`The rebuild did not start: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`The rebuild failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}

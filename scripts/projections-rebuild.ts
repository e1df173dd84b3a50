/**
 * Rebuilds read models from position zero of the event log: `npm run projections:rebuild [name ...]`.
 * Uses the service's configuration (DATA_DIR, EVENT_STORE, EVENTSTORE_CONNECTION_STRING). Run it while
 * the service is stopped: the service would otherwise keep applying events to tables being rebuilt.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@escrow/event-store/port';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { EventStoreDbEventStore } from '@escrow/event-store/eventstoredb/eventstoredb-event-store';
import { PROJECTION_NAMES, PROJECTIONS } from '@escrow/projections/registry';
import { ProjectionEngine, RebuildReport } from '@escrow/projections/runtime/projection-engine';
import { openReadModelDatabase, readModelDatabaseFile } from '@escrow/projections/runtime/read-model-database';
import { AppConfig, InvalidConfigError, loadConfig } from '../apps/api/src/config/app-config';

export const USAGE = `Usage: npm run projections:rebuild [-- <projection> ...]

Empties the named read models (all of them when none is named) and applies the whole event log again,
from position 0, into DATA_DIR/read-models.sqlite. Stop the service first.

Projections: ${PROJECTION_NAMES.join(', ')}`;

export class UsageError extends Error {}

async function openStore(config: AppConfig): Promise<{ store: EventStore; description: string }> {
  if (config.eventStore === 'eventstoredb') {
    return { store: await EventStoreDbEventStore.connect(config.eventStoreConnectionString!), description: 'EventStoreDB' };
  }
  const file = join(config.dataDir, 'events.sqlite');
  // Opening would create an empty store; rebuilding from nothing is a mistake in the path, not a wish.
  if (!existsSync(file)) throw new UsageError(`No event store at ${file}: check DATA_DIR.`);
  return { store: SqliteEventStore.open({ file }), description: file };
}

/** Rebuilds the named projections (all when empty) and reports every step through `print`. */
export async function rebuildProjections(names: readonly string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<RebuildReport> {
  const unknown = names.filter((name) => !PROJECTION_NAMES.includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown projection ${unknown.join(', ')}. Known: ${PROJECTION_NAMES.join(', ')}.`);
  const config = loadConfig(env);
  const { store, description } = await openStore(config);
  const db = openReadModelDatabase(readModelDatabaseFile(config.dataDir));
  try {
    const selected = names.length > 0 ? names : PROJECTION_NAMES;
    print(`Rebuilding ${selected.join(', ')} from position 0`);
    print(`  events:      ${description}`);
    print(`  read models: ${readModelDatabaseFile(config.dataDir)}`);
    const engine = new ProjectionEngine({ store, db, projections: PROJECTIONS });
    const report = await engine.rebuild(names.length > 0 ? names : undefined);
    for (const projection of report.projections) {
      print(`  ${projection.name} v${projection.version}: was at ${projection.previousPosition}, now at ${projection.position}`);
    }
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
    await rebuildProjections(argv.filter((arg) => !arg.startsWith('-')), process.env, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidConfigError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`The rebuild failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}

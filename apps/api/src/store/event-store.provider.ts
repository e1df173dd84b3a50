import { Logger, Provider } from '@nestjs/common';
import { join } from 'node:path';
import { CLOCK, Clock } from '@escrow/clock';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { EventStoreDbEventStore } from '@escrow/event-store/eventstoredb/eventstoredb-event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EVENT_STORE_FILE } from './storage-files';

/** The composition root for storage: the one place that knows which adapter backs the port. */
export async function openEventStore(config: AppConfig, clock: Clock): Promise<EventStore> {
  const now = (): Date => clock.now();
  const logger = new Logger('EventStore');
  if (config.eventStore === 'eventstoredb') {
    logger.log('Using EventStoreDB');
    return EventStoreDbEventStore.connect(config.eventStoreConnectionString!, { clock: now });
  }
  const file = join(config.dataDir, EVENT_STORE_FILE);
  logger.log(`Using the embedded SQLite store at ${file}`);
  return SqliteEventStore.open({ file, clock: now });
}

export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [APP_CONFIG, CLOCK],
  useFactory: openEventStore,
};

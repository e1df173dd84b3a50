import { Logger, Provider } from '@nestjs/common';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { EventStoreDbEventStore } from '@escrow/event-store/eventstoredb/eventstoredb-event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EVENT_STORE_FILE } from './storage-files';

/** The composition root for storage: the one place that knows which adapter backs the port. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  const logger = new Logger('EventStore');
  if (config.eventStore === 'eventstoredb') {
    logger.log('Using EventStoreDB');
    return EventStoreDbEventStore.connect(config.eventStoreConnectionString!);
  }
  const file = join(config.dataDir, EVENT_STORE_FILE);
  logger.log(`Using the embedded SQLite store at ${file}`);
  return SqliteEventStore.open({ file });
}

export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [APP_CONFIG],
  useFactory: openEventStore,
};

import { join } from 'node:path';
import type { Clock } from '@escrow/clock';
import type { EventStore } from '@escrow/event-store/port';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { EVENT_STORE_FILE } from './storage-files';

/**
 * Another connection to the embedded store in `dataDir`, for the projections' worker thread, which only
 * reads the log through it (WAL: its reads never wait for the service's writes, nor hold them up).
 */
export function openLogReadConnection(dataDir: string, clock: Clock): EventStore {
  return SqliteEventStore.open({ file: join(dataDir, EVENT_STORE_FILE), clock: () => clock.now() });
}

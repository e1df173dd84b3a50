/** How events are stored in the SQLite event store's `events` table and read back. */

import type Database from 'better-sqlite3';
import type { EventMetadata, RecordedEvent } from '../port';

export type EventRow = [
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

export const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

const rowToEvent = (row: EventRow): RecordedEvent => ({
  id: row[3],
  streamId: row[1],
  revision: row[2],
  position: row[0],
  type: row[4],
  data: JSON.parse(row[5]) as Record<string, unknown>,
  metadata: JSON.parse(row[6]) as EventMetadata,
  recordedAt: row[7],
});

/**
 * Above this many rows, stepping through the result beats `all()`, which materialises every raw row
 * before conversion: a full read of a million events runs about twice as fast this way.
 */
const LARGE_READ_ROWS = 10_000;

/** Runs a raw event query whose last parameter is its LIMIT (-1 for none). */
export function readEvents<Params extends unknown[]>(statement: Database.Statement<Params, EventRow>, params: Params): RecordedEvent[] {
  const limit = params[params.length - 1] as number;
  if (limit >= 0 && limit <= LARGE_READ_ROWS) return statement.all(...params).map(rowToEvent);
  const events: RecordedEvent[] = [];
  for (const row of statement.iterate(...params)) events.push(rowToEvent(row));
  return events;
}

/** The SQLite event store's knowledge of itself, in its `store_metadata` table (see schema version 2). */

import type Database from 'better-sqlite3';
import { HEAD_POSITION_KEY, STORE_ID_KEY } from './schema';

/** The statement that records the head, run in the transaction of each batch that committed events. */
export const prepareRecordedHeadUpdate = (db: Database.Database): Database.Statement<[number]> =>
  db.prepare(`UPDATE store_metadata SET value = ? WHERE key = '${HEAD_POSITION_KEY}'`);

/**
 * The store id, after checking that the head recorded with the last commit is the last event's position
 * (`headPosition`): a difference means rows went missing or were added behind the store's back.
 */
export function readStoreIdentity(db: Database.Database, headPosition: number): string {
  const metadata = new Map(db.prepare<[], [string, unknown]>('SELECT key, value FROM store_metadata').raw().all());
  const id = metadata.get(STORE_ID_KEY);
  const recordedHead = metadata.get(HEAD_POSITION_KEY);
  if (typeof id !== 'string' || typeof recordedHead !== 'number') {
    throw new Error(`The event store file ${db.name} has no store id or head: it was not written by this service`);
  }
  if (headPosition !== recordedHead) {
    throw new Error(
      `The event store file ${db.name} is damaged: its last event is at position ${headPosition} but its last commit recorded ${recordedHead}. ` +
        'Restore events.sqlite from a backup (see docs/operations.md).',
    );
  }
  return id;
}

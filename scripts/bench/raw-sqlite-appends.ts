/**
 * The event store's yardstick: what better-sqlite3 alone achieves with the store's tables and durable
 * settings (WAL, synchronous=FULL), appending the same events with the same revision check (read the
 * stream's revision, compare, insert, move the stream on) `perTransaction` appends per transaction, one
 * transaction after the other on the calling thread: no promises, no batching queue, no metrics. The store's
 * group commit at the same concurrency, over the same time, is measured against it.
 */

import Database from 'better-sqlite3';
import type { EventToAppend } from '@escrow/event-store/port';
import { nowMs, twoDecimals } from './stats';

export interface RawAppendPhase {
  appends: number;
  eventsPerSecond: number;
  eventsPerTransaction: number;
}

export function rawAppendPhase(
  file: string,
  streams: number,
  durationMs: number,
  eventFor: (stream: number, revision: number) => EventToAppend,
): RawAppendPhase {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      CREATE TABLE events (
        position    INTEGER PRIMARY KEY,
        stream_id   TEXT    NOT NULL,
        revision    INTEGER NOT NULL,
        event_id    TEXT    NOT NULL UNIQUE,
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      ) STRICT;
      CREATE TABLE streams (
        stream_id TEXT    PRIMARY KEY,
        revision  INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;`);
    const selectRevision = db.prepare<[string], number>('SELECT revision FROM streams WHERE stream_id = ?').pluck();
    const insertEvent = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const upsertStream = db.prepare('INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision');
    const appendOnePerStream = db.transaction((revision: number) => {
      const recordedAt = new Date().toISOString();
      for (let stream = 0; stream < streams; stream++) {
        const streamId = `raw-${stream}`;
        const current = selectRevision.get(streamId);
        if ((current ?? -1) !== revision - 1) throw new Error(`stream ${streamId} is at ${current}, expected ${revision - 1}`);
        const event = eventFor(stream, revision);
        insertEvent.run(streamId, revision, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt);
        upsertStream.run(streamId, revision);
      }
    });
    const startedAt = nowMs();
    let transactions = 0;
    while (nowMs() - startedAt < durationMs) appendOnePerStream.immediate(transactions++);
    const seconds = (nowMs() - startedAt) / 1000;
    return { appends: transactions * streams, eventsPerSecond: twoDecimals((transactions * streams) / seconds), eventsPerTransaction: streams };
  } finally {
    db.close();
  }
}

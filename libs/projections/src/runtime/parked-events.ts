/**
 * Parked events: events a reactor refused permanently, kept in the read-model database beside the
 * reactor checkpoints. A park is written in the same transaction as the checkpoint that moves past the
 * event, so after a crash either both are there or neither is (and the event is delivered again).
 */

import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { ReactionFailure } from './reaction-failure';

export const PARKED_EVENTS_TABLE = 'reactor_parked_events';

export type ParkedEventStatus = 'parked' | 'resolved';

/** Who retried a parked event successfully. */
export interface ParkedEventResolver {
  id: string;
  role: string;
}

export interface ParkedEvent {
  parkedId: number;
  reactor: string;
  status: ParkedEventStatus;
  event: { position: number; id: string; type: string; streamId: string; revision: number };
  /** The latest refusal: the first one until a retry is refused again. */
  error: ReactionFailure;
  parkedAt: string;
  /** Deliveries refused so far: 1 when parked, one more per refused retry. */
  attempts: number;
  lastAttemptAt: string;
  resolvedAt: string | null;
  resolvedBy: ParkedEventResolver | null;
}

export interface ParkedEventQuery {
  /** Default: only those still parked. */
  status?: ParkedEventStatus | 'all';
  reactor?: string;
  /** Only those with a larger id (paging). */
  after?: number;
  limit: number;
}

type ParkedRow = [
  parkedId: number,
  reactor: string,
  position: number,
  eventId: string,
  eventType: string,
  streamId: string,
  revision: number,
  errorCode: string,
  errorMessage: string,
  parkedAt: string,
  attempts: number,
  lastAttemptAt: string,
  resolvedAt: string | null,
  resolvedById: string | null,
  resolvedByRole: string | null,
];

interface ParkRow {
  reactor: string;
  position: number;
  eventId: string;
  eventType: string;
  streamId: string;
  revision: number;
  code: string;
  message: string;
  at: string;
}

const COLUMNS =
  'parked_id, reactor, position, event_id, event_type, stream_id, stream_revision, error_code, error_message, ' +
  'parked_at, attempts, last_attempt_at, resolved_at, resolved_by_id, resolved_by_role';

const toParkedEvent = (row: ParkedRow): ParkedEvent => ({
  parkedId: row[0],
  reactor: row[1],
  status: row[12] === null ? 'parked' : 'resolved',
  event: { position: row[2], id: row[3], type: row[4], streamId: row[5], revision: row[6] },
  error: { code: row[7], message: row[8] },
  parkedAt: row[9],
  attempts: row[10],
  lastAttemptAt: row[11],
  resolvedAt: row[12],
  resolvedBy: row[13] === null ? null : { id: row[13], role: row[14] ?? '' },
});

/** Creates the table if needed; safe on every start and from several processes. */
export function createParkedEventsTable(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${PARKED_EVENTS_TABLE} (
      parked_id        INTEGER PRIMARY KEY AUTOINCREMENT,
      reactor          TEXT    NOT NULL,
      position         INTEGER NOT NULL CHECK (position >= 1),
      event_id         TEXT    NOT NULL,
      event_type       TEXT    NOT NULL,
      stream_id        TEXT    NOT NULL,
      stream_revision  INTEGER NOT NULL,
      error_code       TEXT    NOT NULL,
      error_message    TEXT    NOT NULL,
      parked_at        TEXT    NOT NULL,
      attempts         INTEGER NOT NULL CHECK (attempts >= 1),
      last_attempt_at  TEXT    NOT NULL,
      resolved_at      TEXT,
      resolved_by_id   TEXT,
      resolved_by_role TEXT,
      UNIQUE (reactor, event_id)
    ) STRICT;
    CREATE INDEX IF NOT EXISTS ${PARKED_EVENTS_TABLE}_open ON ${PARKED_EVENTS_TABLE} (reactor) WHERE resolved_at IS NULL;
  `);
}

/** Prepared statements over the parked events; writes join the caller's transaction when there is one. */
export class ParkedEventTable {
  private readonly upsert: Database.Statement<[ParkRow]>;
  private readonly selectId: Database.Statement<[string, string], number>;
  private readonly selectOne: Database.Statement<[number], ParkedRow>;
  private readonly selectPage: Database.Statement<[{ after: number; status: number; reactor: string | null; limit: number }], ParkedRow>;
  private readonly refuseAgain: Database.Statement<[string, string, string, number]>;
  private readonly resolveOne: Database.Statement<[string, string, string, number]>;
  private readonly countOpen: Database.Statement<[], [string, number]>;

  constructor(db: Database.Database) {
    createParkedEventsTable(db);
    // A second park of the same event (a reactor checkpoint set back by hand) updates the first record.
    this.upsert = db.prepare(
      `INSERT INTO ${PARKED_EVENTS_TABLE} (reactor, position, event_id, event_type, stream_id, stream_revision, error_code, error_message, parked_at, attempts, last_attempt_at)
       VALUES (@reactor, @position, @eventId, @eventType, @streamId, @revision, @code, @message, @at, 1, @at)
       ON CONFLICT (reactor, event_id) DO UPDATE SET
         error_code = excluded.error_code, error_message = excluded.error_message, attempts = attempts + 1,
         last_attempt_at = excluded.last_attempt_at, resolved_at = NULL, resolved_by_id = NULL, resolved_by_role = NULL`,
    );
    this.selectId = db.prepare<[string, string], number>(`SELECT parked_id FROM ${PARKED_EVENTS_TABLE} WHERE reactor = ? AND event_id = ?`).pluck();
    this.selectOne = db.prepare<[number], ParkedRow>(`SELECT ${COLUMNS} FROM ${PARKED_EVENTS_TABLE} WHERE parked_id = ?`).raw();
    this.selectPage = db
      .prepare<[{ after: number; status: number; reactor: string | null; limit: number }], ParkedRow>(
        `SELECT ${COLUMNS} FROM ${PARKED_EVENTS_TABLE}
         WHERE parked_id > @after
           AND (@status = 0 OR (@status = 1 AND resolved_at IS NULL) OR (@status = 2 AND resolved_at IS NOT NULL))
           AND (@reactor IS NULL OR reactor = @reactor)
         ORDER BY parked_id LIMIT @limit`,
      )
      .raw();
    this.refuseAgain = db.prepare(
      `UPDATE ${PARKED_EVENTS_TABLE} SET error_code = ?, error_message = ?, attempts = attempts + 1, last_attempt_at = ?
       WHERE parked_id = ? AND resolved_at IS NULL`,
    );
    this.resolveOne = db.prepare(
      `UPDATE ${PARKED_EVENTS_TABLE} SET resolved_at = ?, resolved_by_id = ?, resolved_by_role = ? WHERE parked_id = ? AND resolved_at IS NULL`,
    );
    this.countOpen = db
      .prepare<[], [string, number]>(`SELECT reactor, COUNT(*) FROM ${PARKED_EVENTS_TABLE} WHERE resolved_at IS NULL GROUP BY reactor`)
      .raw();
  }

  /** Records a permanent refusal of `event` by `reactor`; returns its parked id. */
  park(reactor: string, event: RecordedEvent, failure: ReactionFailure, at: string): number {
    this.upsert.run({
      reactor,
      position: event.position,
      eventId: event.id,
      eventType: event.type,
      streamId: event.streamId,
      revision: event.revision,
      code: failure.code,
      message: failure.message,
      at,
    });
    return this.selectId.get(reactor, event.id)!;
  }

  get(parkedId: number): ParkedEvent | undefined {
    const row = this.selectOne.get(parkedId);
    return row === undefined ? undefined : toParkedEvent(row);
  }

  list(query: ParkedEventQuery): ParkedEvent[] {
    const status = query.status ?? 'parked';
    const statusFilter = status === 'all' ? 0 : status === 'parked' ? 1 : 2;
    return this.selectPage.all({ after: query.after ?? 0, status: statusFilter, reactor: query.reactor ?? null, limit: query.limit }).map(toParkedEvent);
  }

  /** A retry was refused again: the event stays parked with the new reason. */
  refusedAgain(parkedId: number, failure: ReactionFailure, at: string): void {
    this.refuseAgain.run(failure.code, failure.message, at, parkedId);
  }

  /** A retry succeeded. False when it was already resolved. */
  resolve(parkedId: number, by: ParkedEventResolver, at: string): boolean {
    return this.resolveOne.run(at, by.id, by.role, parkedId).changes === 1;
  }

  /** Events still parked, per reactor. */
  openCounts(): Map<string, number> {
    return new Map(this.countOpen.all());
  }
}

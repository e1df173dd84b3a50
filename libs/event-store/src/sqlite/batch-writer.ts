/**
 * The group commit of the SQLite event store: one `BEGIN IMMEDIATE` transaction for a batch of appends.
 * Each append, in arrival order, checks its expected revision against the state including the earlier
 * appends of the same batch and is written, or is refused alone (a multi-event append in a savepoint).
 *
 * It runs on whichever thread owns the writing connection (the store's own, or its writer thread), so
 * everything it takes and returns is plain data that survives a structured clone: refusals are described,
 * and turned back into errors by `refusalError` on the caller's side.
 */

import type Database from 'better-sqlite3';
import { expectedRevisionViolation, NO_STREAM_REVISION } from '../append-rules';
import { DuplicateEventIdError } from '../errors';
import { AppendResult, ExpectedRevision, WrongExpectedRevisionError } from '../port';
import { sqliteCode } from './sqlite-errors';
import { prepareRecordedHeadUpdate } from './store-metadata';

export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

export interface BatchAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: SerializedEvent[];
}

export type AppendRefusal =
  | { kind: 'wrong-expected-revision'; streamId: string; expected: ExpectedRevision; actual: number }
  | { kind: 'duplicate-event-id'; eventId: string; streamId: string };

/** What became of one append of a committed batch. */
export type AppendOutcome = { result: AppendResult; refusal?: undefined } | { result?: undefined; refusal: AppendRefusal };

export const refusalError = (refusal: AppendRefusal): Error =>
  refusal.kind === 'wrong-expected-revision'
    ? new WrongExpectedRevisionError(refusal.streamId, refusal.expected, refusal.actual)
    : new DuplicateEventIdError(refusal.eventId, refusal.streamId);

export class SqliteBatchWriter {
  private readonly selectStreamRevision: Database.Statement<[string], number>;
  private readonly insertEvent: Database.Statement<[string, number, string, string, string, string, string]>;
  private readonly upsertStream: Database.Statement<[string, number]>;
  private readonly selectStreamOfEventId: Database.Statement<[string], string>;
  private readonly updateRecordedHead: Database.Statement<[number]>;
  private readonly commitBatch: Database.Transaction<(batch: BatchAppend[], recordedAt: string) => AppendOutcome[]>;
  private readonly writeEventsInSavepoint: Database.Transaction<(append: BatchAppend, actual: number, recordedAt: string) => AppendResult>;

  constructor(private readonly db: Database.Database) {
    this.selectStreamRevision = db.prepare<[string], number>('SELECT revision FROM streams WHERE stream_id = ?').pluck();
    this.insertEvent = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.upsertStream = db.prepare(
      'INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision',
    );
    this.selectStreamOfEventId = db.prepare<[string], string>('SELECT stream_id FROM events WHERE event_id = ?').pluck();
    this.updateRecordedHead = prepareRecordedHeadUpdate(db);

    this.commitBatch = db.transaction((batch: BatchAppend[], recordedAt: string) => {
      let head = 0;
      const outcomes = batch.map((append) => {
        const outcome = this.writeOrRefuse(append, recordedAt);
        if (outcome.result !== undefined && outcome.result.position > head) head = outcome.result.position;
        return outcome;
      });
      if (head > 0) this.updateRecordedHead.run(head);
      return outcomes;
    });
    // Called inside commitBatch, so better-sqlite3 runs it as a SAVEPOINT: a failure rolls back this
    // append's events only, leaving the rest of the batch intact.
    this.writeEventsInSavepoint = db.transaction((append: BatchAppend, actual: number, recordedAt: string) =>
      this.writeEvents(append, actual, recordedAt),
    );
  }

  /**
   * Commits the batch (with the connection's synchronous setting: FULL fsyncs the WAL before returning)
   * and says what became of each append. Throws, having written nothing, when the transaction as a whole
   * failed; then even the verdicts that depended on earlier appends of it are void.
   */
  commit(batch: BatchAppend[], recordedAt: string): AppendOutcome[] {
    return this.commitBatch.immediate(batch, recordedAt);
  }

  /** Runs inside the batch transaction. Throws only for failures that must abort the whole batch. */
  private writeOrRefuse(append: BatchAppend, recordedAt: string): AppendOutcome {
    const actual = this.selectStreamRevision.get(append.streamId) ?? NO_STREAM_REVISION;
    if (expectedRevisionViolation(append.streamId, append.expected, actual)) {
      return { refusal: { kind: 'wrong-expected-revision', streamId: append.streamId, expected: append.expected, actual } };
    }
    try {
      // A single INSERT is atomic by itself; only multi-event appends need a savepoint.
      const result =
        append.events.length === 1
          ? this.writeEvents(append, actual, recordedAt)
          : this.writeEventsInSavepoint(append, actual, recordedAt);
      return { result };
    } catch (error) {
      const duplicate = this.duplicateEventId(error, append);
      if (duplicate === undefined || !this.db.inTransaction) throw error;
      return { refusal: { kind: 'duplicate-event-id', eventId: duplicate, streamId: append.streamId } };
    }
  }

  private writeEvents(append: BatchAppend, actual: number, recordedAt: string): AppendResult {
    const { streamId, events } = append;
    let revision = actual;
    let position = 0;
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      revision++;
      // position is left to SQLite: max(position) + 1 inside the write lock, hence gap-free.
      position = Number(
        this.insertEvent.run(streamId, revision, event.id, event.type, event.data, event.metadata, recordedAt)
          .lastInsertRowid,
      );
    }
    this.upsertStream.run(streamId, revision);
    return { nextExpectedRevision: revision, position };
  }

  /** The id that made the append fail as a duplicate, or undefined when the failure is something else. */
  private duplicateEventId(error: unknown, append: BatchAppend): string | undefined {
    if (sqliteCode(error) !== 'SQLITE_CONSTRAINT_UNIQUE' || !String((error as Error).message).includes('events.event_id')) {
      return undefined;
    }
    // The append's own rows were rolled back, so whichever of its ids is still found was stored before.
    const stored = append.events.find((event) => this.selectStreamOfEventId.get(event.id) !== undefined);
    return stored?.id ?? append.events[0].id;
  }
}

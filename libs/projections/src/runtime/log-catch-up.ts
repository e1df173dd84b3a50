/**
 * Catching up without a subscription (`catchUp`, and `rebuild` of an engine not started, i.e. the rebuild
 * tool): the engine reads the log itself, in small pages, and applies many pages per transaction.
 *
 * It does not run the processors' catch-up loop (`processor-loop.ts`): it keeps one transaction open across
 * many pages where the loop hands on one page at a time, it ends at the head of the log where the loop
 * sleeps until woken, and a failed read ends it with the error (rolled back, for the tool to report) where
 * the loop backs off and reads again.
 */

import type Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import type { ProjectionBatches } from './projection-batches';

/**
 * Events per transaction when the engine reads the log itself (`catchUp`, `rebuild` of an engine not
 * started): nothing else waits on the event loop then, every commit rewrites the pages its rows touched,
 * and batching projections write each touched row once per transaction.
 */
export const DEFAULT_CATCH_UP_BATCH_SIZE = 250_000;
/**
 * Events per read of the log in those transactions: a page is applied and dropped before the next is read,
 * so decoded events die young, which the garbage collector rewards.
 */
export const DEFAULT_CATCH_UP_PAGE_SIZE = 500;

export interface LogCatchUpOptions {
  db: Database.Database;
  store: EventStore;
  batches: ProjectionBatches;
  /** Most events applied in one transaction. */
  batchSize: number;
  /** Events read from the log at once within a transaction. */
  pageSize: number;
  /** A transaction committed: `advanced` are the projections whose checkpoint moved to `last`. */
  committed(advanced: readonly string[], last: number, events: number, now: string): void;
  now(): string;
}

export class LogCatchUp {
  constructor(private readonly options: LogCatchUpOptions) {}

  /**
   * Reads the log in pages of `catchUpPageSize` events and applies up to `catchUpBatchSize` events in each
   * transaction. The transaction stays open while the next page is read: only tools that use the
   * connection for nothing else call this (a query on it meanwhile would see the open transaction).
   */
  async pullToHead(from: number): Promise<void> {
    const pageSize = Math.min(this.options.pageSize, this.options.batchSize);
    let after = from;
    for (;;) {
      const first = await this.options.store.readAll({ after, maxCount: pageSize });
      if (first.length === 0) return;
      after = await this.applyPagesInOneTransaction(first, pageSize);
    }
  }

  /** Applies `first` and the pages after it in one transaction; resolves with the last position applied. */
  private async applyPagesInOneTransaction(first: readonly RecordedEvent[], pageSize: number): Promise<number> {
    const { db, store, batches } = this.options;
    const now = this.options.now();
    let events = first;
    let requested = pageSize;
    let last = 0;
    let count = 0;
    let advanced: string[];
    db.exec('BEGIN IMMEDIATE');
    try {
      const batch = batches.open();
      for (;;) {
        batches.applyPage(batch, batches.upcasted(events));
        last = events[events.length - 1].position;
        count += events.length;
        // A page shorter than asked for has most likely reached the head: commit what there is.
        if (count >= this.options.batchSize || events.length < requested) break;
        requested = Math.min(pageSize, this.options.batchSize - count);
        events = await store.readAll({ after: last, maxCount: requested });
        if (events.length === 0) break;
      }
      advanced = batches.close(batch, last, now);
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      batches.prepareHandlers();
      throw error;
    }
    this.options.committed(advanced, last, count, now);
    return last;
  }
}

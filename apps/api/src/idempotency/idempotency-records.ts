import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { systemClock } from '@escrow/clock';
import { MIN_IDEMPOTENCY_RETENTION_HOURS } from '../config/app-config';
import { ANSWERS_TABLE, AnswerRow, answersTableIsEmpty, digest, openAnswersTable } from './record-table';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
  /**
   * Set on a success whose body is not held: the command appended events carrying its key, and a retry is
   * answered by running it again, which the command executor recognises and replays from those events.
   */
  answeredFromEvents?: true;
}

/** Wait before writing the pending records again after a failed write (full disk, I/O error). */
export const FLUSH_RETRY_MS = 1000;

/** Records held in memory; past this many the oldest go, and a key not held is looked up in the file. */
export const MAX_HELD_ANSWERS = 50_000;

/** Bodies of successes answered from their events held in memory, the latest first: a prompt retry gets the very body. */
export const MAX_HELD_SUCCESS_BODIES = 1_000;

interface HeldAnswer {
  requestHash: string;
  status: number;
  /** A refusal, a success body that must be kept, or (while among the latest) the body of a success answered from its events. */
  body: unknown;
  answeredFromEvents: boolean;
  recordedAtMs: number;
}

/**
 * The first answer given to each Idempotency-Key, in its caller's scope, kept so that a retry after a restart
 * is answered the same way. A success is also recognisable from its events (which carry the key), so its
 * record holds only the request hash and status, unless the command appended nothing of its own (then its body
 * is kept); refusals keep their problem, since a refusal appends nothing.
 *
 * Records are held in memory and written in batches, one transaction per turn of the event loop, on this file's
 * own connection (synchronous = NORMAL: no fsync of its own). They are a batch apart from the event store's
 * group commit, which belongs to the store alone: a crash loses at most the records of the last turn. A lost
 * success is still recognised from its events on a retry; a lost refusal appended nothing, so its retry is
 * decided again on the current state.
 *
 * Lookups are answered from memory while memory holds every record there is: from a file that was empty when
 * this process opened it, until a record is evicted or another process writes to the file (SQLite's
 * `data_version` tells). Otherwise a key not held is looked up in the file.
 *
 * A record belongs to its caller: it is found by the key's scope (calling service, actor and key), stored
 * as a digest, so no caller can read or block another's retries. Records are kept `retentionHours` (at
 * least MIN_IDEMPOTENCY_RETENTION_HOURS, 24) and then pruned, at open and every hour.
 */
export class IdempotencyRecords {
  private readonly held = new Map<string, HeldAnswer>();
  private readonly heldSuccessBodies: string[] = [];
  private readonly pending = new Map<string, HeldAnswer>();
  private flushScheduled = false;
  /** Memory holds every record in the file: a key not held has none. */
  private memoryIsComplete: boolean;
  private readonly seenDataVersion: number;
  private dataVersionCheckedThisTurn = false;
  private readonly findStatement: Database.Statement<[Buffer, number], AnswerRow>;
  private readonly insertStatement: Database.Statement<[Buffer, string, number, string | null, number, number]>;
  private readonly pruneStatement: Database.Statement<[number]>;
  private readonly dataVersionStatement: Database.Statement<[], number>;
  private readonly pruneTimer: NodeJS.Timeout;
  private retryTimer: NodeJS.Timeout | undefined;
  private failingSince: string | undefined;
  private readonly logger = new Logger('IdempotencyRecords');

  private constructor(
    private readonly db: Database.Database,
    private readonly retentionMs: number,
    private readonly clock: () => Date,
  ) {
    this.findStatement = db.prepare(`SELECT request_hash, status, answer FROM ${ANSWERS_TABLE} WHERE scope = ? AND recorded_at >= ?`);
    // A key already stored keeps its first answer, unless that one is past the retention (not pruned yet).
    this.insertStatement = db.prepare(
      `INSERT INTO ${ANSWERS_TABLE} (scope, request_hash, status, answer, recorded_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status, answer = excluded.answer,
       recorded_at = excluded.recorded_at WHERE ${ANSWERS_TABLE}.recorded_at < ?`,
    );
    this.pruneStatement = db.prepare(`DELETE FROM ${ANSWERS_TABLE} WHERE recorded_at < ?`);
    this.dataVersionStatement = db.prepare('PRAGMA data_version').pluck() as Database.Statement<[], number>;
    this.prune();
    this.memoryIsComplete = answersTableIsEmpty(db);
    this.seenDataVersion = this.dataVersionStatement.get()!;
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_INTERVAL_MS).unref();
  }

  static open(file: string, options: { retentionHours: number; clock?: () => Date }): IdempotencyRecords {
    if (!(options.retentionHours >= MIN_IDEMPOTENCY_RETENTION_HOURS)) {
      throw new RangeError(`retentionHours must be at least ${MIN_IDEMPOTENCY_RETENTION_HOURS}, got ${options.retentionHours}`);
    }
    const clock = options.clock ?? systemClock.now;
    const retentionMs = options.retentionHours * 3_600_000;
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // A record lost to a power failure is recovered from the events themselves (they carry the key); a process
    // crash loses nothing in WAL mode. So NORMAL here keeps one fsync per command, the event append's.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    openAnswersTable(db, clock().getTime() - retentionMs);
    return new IdempotencyRecords(db, retentionMs, clock);
  }

  /** The answer first given to a key in its caller's scope, if it was recorded within the retention. */
  find(scope: string): StoredResponse | undefined {
    const cutoff = this.cutoff();
    const held = this.held.get(scope) ?? this.pending.get(scope);
    if (held) return held.recordedAtMs >= cutoff ? responseOf(held) : undefined;
    if (this.memoryIsComplete && !this.othersWrote()) return undefined;
    this.memoryIsComplete = false;
    const row = this.findStatement.get(digest(scope), cutoff);
    if (!row) return undefined;
    return row.answer === null
      ? { requestHash: row.request_hash, status: row.status, body: undefined, answeredFromEvents: true }
      : { requestHash: row.request_hash, status: row.status, body: JSON.parse(row.answer) as unknown };
  }

  /**
   * Whether another connection committed to the file since it was opened: asked once per turn of the event loop.
   * A record another process commits during this turn is no later than its own answer, which it gives before
   * committing, so a retry racing that write has never been sure to find it.
   */
  private othersWrote(): boolean {
    if (!this.dataVersionCheckedThisTurn) {
      this.dataVersionCheckedThisTurn = true;
      setImmediate(() => (this.dataVersionCheckedThisTurn = false));
      if (this.dataVersionStatement.get() !== this.seenDataVersion) this.memoryIsComplete = false;
    }
    return !this.memoryIsComplete;
  }

  /** Deletes the records older than the retention; returns how many. */
  prune(): number {
    if (!this.db.open) return 0;
    const cutoff = this.cutoff();
    for (const [scope, answer] of this.held) if (answer.recordedAtMs < cutoff) this.held.delete(scope);
    return this.pruneStatement.run(cutoff).changes;
  }

  private cutoff(): number {
    return this.clock().getTime() - this.retentionMs;
  }

  /**
   * Keeps the first answer for a key and returns the one kept. The caller has looked the key up before
   * running the command; two identical requests racing each other both reach here, and the first to arrive wins.
   * With `answeredFromEvents`, the body is held in memory a while but never written: the command's events answer a later retry.
   */
  remember(scope: string, response: StoredResponse, recordedAt: string, options: { answeredFromEvents?: boolean } = {}): StoredResponse {
    const first = this.held.get(scope) ?? this.pending.get(scope);
    if (first && first.recordedAtMs >= this.cutoff()) return responseOf(first);
    const answeredFromEvents = options.answeredFromEvents === true && response.status < 400;
    const answer: HeldAnswer = { requestHash: response.requestHash, status: response.status, body: response.body, answeredFromEvents, recordedAtMs: Date.parse(recordedAt) };
    this.pending.set(scope, answer);
    // Re-inserted, so that a record past the retention that the key had before is replaced and the order stays by age.
    this.held.delete(scope);
    this.hold(scope, answer);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return response;
  }

  private hold(scope: string, answer: HeldAnswer): void {
    this.held.set(scope, answer);
    if (this.held.size > MAX_HELD_ANSWERS) {
      this.held.delete(this.held.keys().next().value as string);
      this.memoryIsComplete = false;
    }
    if (!answer.answeredFromEvents) return;
    this.heldSuccessBodies.push(scope);
    if (this.heldSuccessBodies.length > MAX_HELD_SUCCESS_BODIES) {
      const oldest = this.held.get(this.heldSuccessBodies.shift()!);
      if (oldest?.answeredFromEvents) oldest.body = undefined;
    }
  }

  /**
   * Writes every pending record in one transaction; a key already stored keeps its first answer.
   * A failed write (a full disk, an I/O error) never throws: it runs from a timer, where a throw would end
   * the process. The records stay pending, answered from memory, and the write is tried again later.
   */
  flush(): void {
    this.flushScheduled = false;
    this.retryTimer = undefined;
    if (this.pending.size === 0 || !this.db.open) return;
    const batch = [...this.pending];
    const cutoff = this.cutoff();
    try {
      this.db.transaction(() => {
        for (const [scope, answer] of batch) {
          const stored = answer.answeredFromEvents ? null : JSON.stringify(answer.body);
          this.insertStatement.run(digest(scope), answer.requestHash, answer.status, stored, answer.recordedAtMs, cutoff);
        }
      })();
    } catch (error) {
      this.failingSince ??= this.clock().toISOString();
      this.logger.error(
        `Writing ${batch.length} idempotency record(s) failed; they are kept in memory and written again in ${FLUSH_RETRY_MS} ms: ` +
          (error instanceof Error ? error.message : String(error)),
      );
      // Records arriving meanwhile join the pending ones instead of scheduling writes of their own.
      this.flushScheduled = true;
      this.retryTimer = setTimeout(() => this.flush(), FLUSH_RETRY_MS);
      this.retryTimer.unref();
      return;
    }
    this.failingSince = undefined;
    for (const [key] of batch) this.pending.delete(key);
  }

  /** Since when writing the records has been failing; undefined while writes succeed. */
  get writeFailingSince(): string | undefined {
    return this.failingSince;
  }

  close(): void {
    clearInterval(this.pruneTimer);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.flush();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.db.close();
  }
}

const PRUNE_INTERVAL_MS = 3_600_000;

function responseOf(answer: HeldAnswer): StoredResponse {
  const { requestHash, status, body } = answer;
  return answer.answeredFromEvents && body === undefined ? { requestHash, status, body, answeredFromEvents: true } : { requestHash, status, body };
}

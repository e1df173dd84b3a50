import type Database from 'better-sqlite3';
import type { Clock } from '@escrow/clock';
import { SettlementPolicy, settlementDueBy } from '@escrow/domain/settlement';
import { DEFAULT_RETRY_POLICY, retryDelay, RetryPolicy, Sleeper } from '@escrow/projections/runtime/backoff';
import { describeReactionFailure, ReactionFailure, ReactionFailureKind } from '@escrow/projections/runtime/reaction-failure';
import { pendingTimers, Timer } from '@escrow/projections/timers';

/** The scheduler's own table: the timers whose command was refused for good, with the refusal. Not rebuilt. */
export const TIMER_REFUSALS = 'timer_refusals';

/** What a due timer's command did: the global position of its last event (appended now or by the first attempt). */
export interface TimerIssued {
  position: number;
}

export interface TimerSchedulerOptions {
  /** The read-model database holding the due table (`timers`). */
  db: Database.Database;
  clock: Clock;
  settlement: SettlementPolicy;
  /** Longest wait, on elapsed time, between two looks at the due table. */
  pollMs: number;
  /** Issues a due timer's command through the command pipeline; idempotent under the timer's id. */
  issue(timer: Timer, at: Date): Promise<TimerIssued>;
  /** Whether waiting may fix a failed command. */
  classify(error: unknown): ReactionFailureKind;
  /** Resolves once the due table has applied `position` (so the timer just done is no longer pending), or gives up. */
  waitForTable(position: number): Promise<unknown>;
  onRefused?(timer: Timer, refusal: ReactionFailure): void;
  onPassingFailure?(timer: Timer | undefined, error: unknown, failures: number): void;
  retry?: RetryPolicy;
  /** Timers issued per look; the rest wait for the next, which comes at once. */
  batchSize?: number;
}

export interface TimerRefusal extends ReactionFailure {
  timerId: string;
  refusedAt: string;
}

/**
 * Issues the command of every timer that has fallen due. It keeps nothing of its own in memory that a restart
 * would lose: what is due comes from the due table (a projection of the log), what is done from the events the
 * commands append, and a refusal from its own table. So a start catches up on everything that fell due while
 * it was down, and a repeat (a crash between a command and the table's update, a second replica) issues a
 * command the pipeline recognises by its idempotency key, or that the decider refuses: nothing happens twice.
 *
 * A refused command (409: the milestone was paid manually meanwhile) marks the timer refused and the others go
 * on; a passing failure (503) ends the look and the next comes after the shared back-off.
 */
export class TimerScheduler {
  private readonly sleeper = new Sleeper();
  private state: 'new' | 'running' | 'stopped' = 'new';
  private woken = false;
  private failures = 0;
  private finished: Promise<void> | undefined;

  constructor(private readonly options: TimerSchedulerOptions) {
    options.db.exec(`
      CREATE TABLE IF NOT EXISTS ${TIMER_REFUSALS} (
        timer_id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        refused_at TEXT NOT NULL
      )`);
  }

  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.finished = this.run();
  }

  /** Something may have fallen due (the log grew, the clock was moved): look again now. */
  wake(): void {
    this.woken = true;
    // A back-off is waited out: a failing command is not retried at the pace the log grows.
    if (this.failures === 0) this.sleeper.interrupt();
  }

  /** Resolves once no command is in flight. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.sleeper.interrupt();
    await this.finished;
  }

  /**
   * One look: issues every timer due now, in due order, until none is left or a passing failure stops it.
   * Answers how many were issued and whether it stopped on a passing failure.
   */
  async runDue(): Promise<{ issued: number; refused: number; passingFailure: boolean }> {
    const outcome = { issued: 0, refused: 0, passingFailure: false };
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const now = this.options.clock.now();
      const dueBy = settlementDueBy(this.options.settlement, now);
      if (dueBy === undefined) return outcome;
      const due = pendingTimers(this.options.db, {
        kind: 'settlement',
        dueBy: dueBy.toISOString(),
        limit: batchSize,
        excludeIdsIn: { table: TIMER_REFUSALS, column: 'timer_id' },
      });
      for (const timer of due) {
        if (this.state === 'stopped') return outcome;
        try {
          const issued = await this.options.issue(timer, now);
          await this.options.waitForTable(issued.position);
          outcome.issued++;
        } catch (error) {
          if (this.options.classify(error) === 'passing') {
            this.failures++;
            this.options.onPassingFailure?.(timer, error, this.failures);
            return { ...outcome, passingFailure: true };
          }
          this.refuse(timer, error, now);
          outcome.refused++;
        }
      }
      if (due.length < batchSize) return outcome;
    }
  }

  /** The refusals recorded, oldest first. */
  refusals(): TimerRefusal[] {
    return this.options.db
      .prepare(`SELECT timer_id AS timerId, code, message, refused_at AS refusedAt FROM ${TIMER_REFUSALS} ORDER BY refused_at, timer_id`)
      .all() as TimerRefusal[];
  }

  private refuse(timer: Timer, error: unknown, now: Date): void {
    const refusal = describeReactionFailure(error);
    this.options.db
      .prepare(`INSERT OR IGNORE INTO ${TIMER_REFUSALS} (timer_id, code, message, refused_at) VALUES (?, ?, ?, ?)`)
      .run(timer.timerId, refusal.code, refusal.message, now.toISOString());
    this.options.onRefused?.(timer, refusal);
  }

  private async run(): Promise<void> {
    // The caller of start() finishes its turn before the first look.
    await Promise.resolve();
    while (this.state === 'running') {
      this.woken = false;
      let delay = this.options.pollMs;
      try {
        const { passingFailure } = await this.runDue();
        if (passingFailure) delay = retryDelay(this.options.retry ?? DEFAULT_RETRY_POLICY, this.failures);
        else this.failures = 0;
      } catch (error) {
        // Reading the due table failed (a full disk, say): looked at again after the back-off.
        this.failures++;
        this.options.onPassingFailure?.(undefined, error, this.failures);
        delay = retryDelay(this.options.retry ?? DEFAULT_RETRY_POLICY, this.failures);
      }
      if (this.state !== 'running') break;
      // A wake that came during the look is not lost: look again without sleeping.
      if (this.woken && this.failures === 0) continue;
      await this.sleeper.sleep(delay);
    }
  }
}

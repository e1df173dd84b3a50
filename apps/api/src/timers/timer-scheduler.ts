import type Database from 'better-sqlite3';
import type { Clock } from '@escrow/clock';
import { SettlementPolicy, settlementDueBy } from '@escrow/domain/settlement';
import { DEFAULT_RETRY_POLICY, retryDelay, RetryPolicy, Sleeper } from '@escrow/projections/runtime/backoff';
import { describeReactionFailure, ReactionFailure, ReactionFailureKind } from '@escrow/projections/runtime/reaction-failure';
import { pendingTimers, Timer, TimerKind } from '@escrow/projections/timers';

/**
 * The scheduler's own table: the timers it will not issue again, and why: their command was refused for good
 * (`refused`, with the refusal), or found nothing to do (`nothing_to_do`: the balance was spent before it expired).
 * Not part of the due table, so a rebuild of the projections keeps it.
 */
export const TIMER_OUTCOMES = 'timer_outcomes';

export type TimerOutcomeKind = 'refused' | 'nothing_to_do';

/** What a due timer's command did: the global position it reached, and whether it recorded anything. */
export interface TimerIssued {
  position: number;
  /** False when the decider found nothing to record: the due table will not see the timer done. */
  recorded: boolean;
}

export interface TimerSchedulerOptions {
  /** The read-model database holding the due table (`timers`). */
  db: Database.Database;
  clock: Clock;
  settlement: SettlementPolicy;
  /** Whether balances are expired (and their notices given) by the timers. */
  expiresBalances: boolean;
  /** Whether each account's withdrawal mode is applied at every cut-off by the timers. */
  withdrawsAtCutoffs?: boolean;
  /** How long a termination request may go unanswered before it is completed; null: never by the timers. */
  terminationAnswerWithinMs?: number | null;
  /** How long a delivery may wait for its client before the service inspects it; null: never by the timers. */
  autoInspectionAfterMs?: number | null;
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

export interface TimerOutcome extends ReactionFailure {
  timerId: string;
  outcome: TimerOutcomeKind;
  decidedAt: string;
}

/** What the scheduler records of a command that had nothing to do (an outcome, not a problem any caller is answered). */
const NOTHING_TO_DO_CODE = 'NOTHING_TO_DO';
const NOTHING_TO_DO: ReactionFailure = { code: NOTHING_TO_DO_CODE, message: 'The command found nothing to record' };

/**
 * Issues the command of every timer that has fallen due. It keeps nothing of its own in memory that a restart
 * would lose: what is due comes from the due table (a projection of the log), what is done from the events the
 * commands append, and a refusal from its own table. So a start catches up on everything that fell due while
 * it was down, and a repeat (a crash between a command and the table's update, a second replica) issues a
 * command the pipeline recognises by its idempotency key, or that the decider refuses: nothing happens twice.
 *
 * A refused command (409: the milestone was paid manually meanwhile) marks the timer refused and the others go
 * on; so does a command that finds nothing to record (the balance was spent before it expired). A passing failure
 * (503) ends the look and the next comes after the shared back-off.
 */
/**
 * What is due at `now`, by kind: settlements as the policy says (none under `manual`); expiries and their notices
 * at their instant, unless balances are expired by hand; a cut-off's automatic withdrawal at the cut-off, unless
 * automatic withdrawals are off; termination requests made at least the answer period ago, unless that policy is
 * `off`; deliveries made at least the automatic inspection period ago, unless that policy is `off`.
 */
export function dueByKind(
  policies: {
    settlement: SettlementPolicy;
    expiresBalances: boolean;
    withdrawsAtCutoffs?: boolean;
    terminationAnswerWithinMs?: number | null;
    autoInspectionAfterMs?: number | null;
  },
  now: Date,
): Partial<Record<TimerKind, string>> {
  const settleBy = settlementDueBy(policies.settlement, now);
  const answerWithin = policies.terminationAnswerWithinMs ?? null;
  const inspectAfter = policies.autoInspectionAfterMs ?? null;
  return {
    ...(settleBy === undefined ? {} : { settlement: settleBy.toISOString() }),
    ...(policies.expiresBalances ? { expiry_notice: now.toISOString(), expiry: now.toISOString() } : {}),
    ...(policies.withdrawsAtCutoffs ? { withdrawal_cutoff: now.toISOString() } : {}),
    ...(answerWithin === null ? {} : { termination: new Date(now.getTime() - answerWithin).toISOString() }),
    ...(inspectAfter === null ? {} : { inspection: new Date(now.getTime() - inspectAfter).toISOString() }),
    // A task's automatic approval is a rule of the task (two weeks after its deadline), due at the instant it states.
    task_auto_approval: now.toISOString(),
    // The close of an hourly week's review window is the contract's own rule, not a deployment policy: always due.
    hourly_week: now.toISOString(),
  };
}

export class TimerScheduler {
  private readonly sleeper = new Sleeper();
  private state: 'new' | 'running' | 'stopped' = 'new';
  private woken = false;
  private failures = 0;
  private finished: Promise<void> | undefined;

  constructor(private readonly options: TimerSchedulerOptions) {
    options.db.exec(`
      CREATE TABLE IF NOT EXISTS ${TIMER_OUTCOMES} (
        timer_id TEXT PRIMARY KEY,
        outcome TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        decided_at TEXT NOT NULL
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
      const due = pendingTimers(this.options.db, {
        dueBy: dueByKind(this.options, now),
        limit: batchSize,
        excludeIdsIn: { table: TIMER_OUTCOMES, column: 'timer_id' },
      });
      for (const timer of due) {
        if (this.state === 'stopped') return outcome;
        try {
          const issued = await this.options.issue(timer, now);
          if (issued.recorded) await this.options.waitForTable(issued.position);
          else this.record(timer, 'nothing_to_do', NOTHING_TO_DO, now);
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

  /** The outcomes recorded (refusals, and commands with nothing to do), oldest first. */
  outcomes(): TimerOutcome[] {
    return this.options.db
      .prepare(`SELECT timer_id AS timerId, outcome, code, message, decided_at AS decidedAt FROM ${TIMER_OUTCOMES} ORDER BY decided_at, timer_id`)
      .all() as TimerOutcome[];
  }

  private refuse(timer: Timer, error: unknown, now: Date): void {
    const refusal = describeReactionFailure(error);
    this.record(timer, 'refused', refusal, now);
    this.options.onRefused?.(timer, refusal);
  }

  private record(timer: Timer, outcome: TimerOutcomeKind, why: ReactionFailure, now: Date): void {
    this.options.db
      .prepare(`INSERT OR IGNORE INTO ${TIMER_OUTCOMES} (timer_id, outcome, code, message, decided_at) VALUES (?, ?, ?, ?, ?)`)
      .run(timer.timerId, outcome, why.code, why.message, now.toISOString());
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

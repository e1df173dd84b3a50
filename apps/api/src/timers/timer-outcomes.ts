import type Database from 'better-sqlite3';
import { timerById, type TimerKind } from '@escrow/projections/timers';
import { TIMER_OUTCOMES, type TimerOutcomeKind } from './timer-scheduler';

export const TIMER_OUTCOME_KINDS = ['refused', 'nothing_to_do'] as const satisfies readonly TimerOutcomeKind[];

/** A timer the scheduler will not issue again, with why, and what the due table says it was about. */
export interface RecordedTimerOutcome {
  /** Order in which the outcomes were recorded: the list's cursor. */
  sequence: number;
  timerId: string;
  /** Null only when the due table no longer holds the timer (a rebuild that no longer derives it). */
  kind: TimerKind | null;
  subject: Record<string, string | number> | null;
  dueAt: string | null;
  outcome: TimerOutcomeKind;
  code: string;
  message: string;
  decidedAt: string;
}

interface StoredOutcome {
  sequence: number;
  timerId: string;
  outcome: TimerOutcomeKind;
  code: string;
  message: string;
  decidedAt: string;
}

const outcomesKept = (db: Database.Database): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TIMER_OUTCOMES) !== undefined;

/**
 * The recorded outcomes in the order they were decided, after `after` (a sequence), of one outcome or all. A kind
 * is matched against the due table's row, so the filter reads on until the page is full or the table ends.
 */
export function recordedTimerOutcomes(
  db: Database.Database,
  query: { outcome?: TimerOutcomeKind; kind?: TimerKind; after?: number; limit: number },
): RecordedTimerOutcome[] {
  if (!outcomesKept(db)) return [];
  const statement = db.prepare<[number, string | null, string | null, number], StoredOutcome>(
    `SELECT rowid AS sequence, timer_id AS timerId, outcome, code, message, decided_at AS decidedAt FROM ${TIMER_OUTCOMES}
      WHERE rowid > ? AND (? IS NULL OR outcome = ?) ORDER BY rowid LIMIT ?`,
  );
  const found: RecordedTimerOutcome[] = [];
  let after = query.after ?? 0;
  for (;;) {
    const rows = statement.all(after, query.outcome ?? null, query.outcome ?? null, query.limit);
    for (const row of rows) {
      const timer = timerById(db, row.timerId);
      const outcome = { ...row, kind: timer?.kind ?? null, subject: timer?.subject ?? null, dueAt: timer?.dueAt ?? null };
      if (query.kind === undefined || outcome.kind === query.kind) found.push(outcome);
      if (found.length === query.limit) return found;
    }
    if (rows.length < query.limit) return found;
    after = rows[rows.length - 1].sequence;
  }
}

import type Database from 'better-sqlite3';
import { declareProjection } from '../runtime/declared-projection';
import { insertIfAbsent, update } from '../runtime/row-changes';

export const TIMERS_PROJECTION = 'timers';

const TIMERS = 'timers';

export const TIMER_KINDS = ['settlement'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];
export type TimerState = 'pending' | 'done' | 'cancelled';

/** The settlement timer of a milestone: one per milestone, whatever delivers its events again. */
export const settlementTimerId = (contractId: string, milestoneId: string): string => `settle:${contractId}:${milestoneId}`;

const settlementKey = (data: { contractId: string; milestoneId: string }) => ({ timer_id: settlementTimerId(data.contractId, data.milestoneId) });

/**
 * The due table: what the log says will fall due, and when. A timer is pending from the event that makes
 * its action due until an event shows the action done (the payout, whoever made it) or no longer possible
 * (the milestone cancelled). `due_at` is the instant the rule makes the action due; a policy may hold it
 * back further (a daily settlement batch), which the scheduler applies, so the table does not depend on
 * the settings it was built under and a rebuild from position zero gives the same rows.
 */
export const timersProjection = declareProjection({
  name: TIMERS_PROJECTION,
  version: 1,
  tables: {
    [TIMERS]: {
      key: ['timer_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS timers (
          timer_id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          subject TEXT NOT NULL,
          due_at TEXT NOT NULL,
          state TEXT NOT NULL,
          cause_event_id TEXT NOT NULL,
          created_position INTEGER NOT NULL,
          closed_position INTEGER
        );
        CREATE INDEX IF NOT EXISTS timers_pending_by_due ON timers (state, due_at, timer_id);`,
    },
  },
  on: {
    MilestoneInspected: ({ data, id, position, metadata }) =>
      insertIfAbsent(TIMERS, {
        ...settlementKey(data),
        kind: 'settlement',
        subject: JSON.stringify({ contractId: data.contractId, milestoneId: data.milestoneId }),
        due_at: metadata.occurredAt,
        state: 'pending',
        cause_event_id: id,
        created_position: position,
      }),
    MilestonePaidOut: ({ data, position }) => update(TIMERS, settlementKey(data), { state: 'done', closed_position: position }),
    MilestoneCancelled: ({ data, position }) => update(TIMERS, settlementKey(data), { state: 'cancelled', closed_position: position }),
  },
});

export interface Timer {
  timerId: string;
  kind: TimerKind;
  subject: Record<string, string>;
  dueAt: string;
  state: TimerState;
  causeEventId: string;
  /** Position of the event that made it due: with the due instant, its place in the schedule. */
  createdPosition: number;
}

interface StoredTimer extends Omit<Timer, 'subject'> {
  subject: string;
}

const COLUMNS = `timer_id AS timerId, kind, subject, due_at AS dueAt, state, cause_event_id AS causeEventId, created_position AS createdPosition`;

const parsed = (row: StoredTimer): Timer => ({ ...row, subject: JSON.parse(row.subject) as Record<string, string> });

/**
 * Pending timers of a kind due at or before `dueBy` (ISO-8601), earliest first, leaving out those `settled`
 * names (a table of the scheduler's own, joined by timer id), at most `limit`.
 */
export function pendingTimers(
  db: Database.Database,
  query: { kind: TimerKind; dueBy: string; limit: number; excludeIdsIn?: { table: string; column: string } },
): Timer[] {
  const exclusion = query.excludeIdsIn ? `AND timer_id NOT IN (SELECT ${query.excludeIdsIn.column} FROM ${query.excludeIdsIn.table})` : '';
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM timers WHERE state = 'pending' AND kind = ? AND due_at <= ? ${exclusion} ORDER BY due_at, timer_id LIMIT ?`)
    .all(query.kind, query.dueBy, query.limit) as StoredTimer[];
  return rows.map(parsed);
}

/** Where a page of the schedule starts: after this due instant and position. */
export interface ScheduleKey {
  dueAt: string;
  createdPosition: number;
}

/**
 * The schedule: pending timers (of a kind, or all) in due order, after `after`, leaving out those named in the
 * scheduler's table of refusals; at most `limit`.
 */
export function upcomingTimers(
  db: Database.Database,
  query: { kind?: TimerKind; after?: ScheduleKey; limit: number; excludeIdsIn?: { table: string; column: string } },
): Timer[] {
  const conditions = [`state = 'pending'`];
  const parameters: (string | number)[] = [];
  if (query.kind !== undefined) {
    conditions.push('kind = ?');
    parameters.push(query.kind);
  }
  if (query.after !== undefined) {
    conditions.push('(due_at > ? OR (due_at = ? AND created_position > ?))');
    parameters.push(query.after.dueAt, query.after.dueAt, query.after.createdPosition);
  }
  if (query.excludeIdsIn) conditions.push(`timer_id NOT IN (SELECT ${query.excludeIdsIn.column} FROM ${query.excludeIdsIn.table})`);
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM timers WHERE ${conditions.join(' AND ')} ORDER BY due_at, created_position LIMIT ?`)
    .all(...parameters, query.limit) as StoredTimer[];
  return rows.map(parsed);
}

/** Every timer, in due order then id; for specs. */
export function allTimers(db: Database.Database): Timer[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM timers ORDER BY due_at, timer_id`).all() as StoredTimer[]).map(parsed);
}

import type Database from 'better-sqlite3';
import { withdrawalCutoffsBetween } from '@escrow/domain/calendar';
import { automaticWithdrawalIdOf } from '@escrow/domain/wallet';
import { declareProjection } from '../runtime/declared-projection';
import { HOURLY_TIMER_MAPPINGS } from './hourly-timers';
import type { RowReader } from '../runtime/row-change-buffer';
import { insertIfAbsent, remove, RowChange, RowChanges, update, upsert } from '../runtime/row-changes';
import { TASK_TIMER_HANDLERS } from './task-timers';

export const TIMERS_PROJECTION = 'timers';

const TIMERS = 'timers';
/** The termination timer pending for each contract: at most one request awaits an answer at a time. */
const TERMINATION_REQUESTS = 'timer_termination_requests';
/** The inspection timer pending for each milestone: at most one delivery awaits inspection at a time. */
const OPEN_DELIVERIES = 'timer_open_deliveries';

export const TIMER_KINDS = ['settlement', 'expiry_notice', 'expiry', 'withdrawal_cutoff', 'termination', 'inspection', 'task_auto_approval', 'hourly_week'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];
export type TimerState = 'pending' | 'done' | 'cancelled';

/** The settlement timer of a milestone: one per milestone, whatever delivers its events again. */
export const settlementTimerId = (contractId: string, milestoneId: string): string => `settle:${contractId}:${milestoneId}`;

const settlementKey = (data: { contractId: string; milestoneId: string }) => ({ timer_id: settlementTimerId(data.contractId, data.milestoneId) });

/** The timer of one termination request, named by the event that made it. */
export const terminationTimerId = (contractId: string, requestId: string): string => `terminate:${contractId}:${requestId}`;

/** Closes the termination timer of the contract's open request, if any: it was answered, or the contract ended. */
const closeTermination = (read: RowReader, contractId: string, state: TimerState, position: number): RowChange[] => {
  const [request] = read.rows(TERMINATION_REQUESTS, { contract_id: contractId });
  if (request === undefined) return [];
  const closed = closeIfPending(read, String(request.timer_id), state, position);
  return [...(closed === undefined ? [] : [closed as RowChange]), remove(TERMINATION_REQUESTS, { contract_id: contractId })];
};

/** The automatic inspection timer of one delivery, named by the event that recorded it. */
export const inspectionTimerId = (contractId: string, milestoneId: string, deliveryId: string): string => `inspect:${contractId}:${milestoneId}:${deliveryId}`;

/** Closes the inspection timer of a milestone's delivery awaiting inspection, if any: it was answered, or can no longer be. */
const closeDelivery = (read: RowReader, contractId: string, milestoneId: string, state: TimerState, position: number): RowChange[] => {
  const [delivery] = read.rows(OPEN_DELIVERIES, { contract_id: contractId, milestone_id: milestoneId });
  if (delivery === undefined) return [];
  const closed = closeIfPending(read, String(delivery.timer_id), state, position);
  return [...(closed === undefined ? [] : [closed as RowChange]), remove(OPEN_DELIVERIES, { contract_id: contractId, milestone_id: milestoneId })];
};

/** Closes the inspection timers of every delivery of the contract still awaiting inspection: the contract ended. */
const closeContractDeliveries = (read: RowReader, contractId: string, position: number): RowChange[] =>
  read.rows(OPEN_DELIVERIES, { contract_id: contractId }).flatMap((delivery) => closeDelivery(read, contractId, String(delivery.milestone_id), 'cancelled', position));

/** Days before an expiry at which its notices fall due (the wallet's EXPIRY_NOTICE_DAYS). */
export const EXPIRY_NOTICE_DAYS_BEFORE = [30, 7] as const;
const DAY_MS = 86_400_000;

/** One timer per account and expiry instant: every credit expiring then is expired by one command. */
export const expiryTimerId = (accountId: string, expiresAt: string): string => `expire:${accountId}:${canonicalInstant(expiresAt)}`;
export const expiryNoticeTimerId = (accountId: string, expiresAt: string, daysBefore: number): string =>
  `expiry-notice-${daysBefore}d:${accountId}:${canonicalInstant(expiresAt)}`;

/** One timer per account and standard withdrawal cut-off (its closing date): the automatic withdrawal's idempotency key. */
export const withdrawalCutoffTimerId = (closingDate: string, accountId: string): string => `cutoff:${closingDate}:${accountId}`;

/** Cut-offs fall twice a month, so the next one is always within this many days. */
const NEXT_CUTOFF_WITHIN_DAYS = 20;

/**
 * The first cut-off after `instant`: the one at which money credited (or a mode chosen) then is first looked at.
 * A balance only grows by credits and by withdrawals given back (rejected or failed), so an account with none of
 * these and no mode chosen since its last cut-off has nothing new to withdraw at the next.
 */
const nextCutoffTimer = (accountId: string, instant: string, event: { id: string; position: number }) => {
  const [cutoff] = withdrawalCutoffsBetween(instant, new Date(Date.parse(instant) + NEXT_CUTOFF_WITHIN_DAYS * DAY_MS).toISOString());
  return walletTimer('withdrawal_cutoff', withdrawalCutoffTimerId(cutoff.closingDate, accountId), { accountId, cutoff: cutoff.closingDate }, cutoff.at, event);
};

/**
 * Money a withdrawal gives back returns to the credits it was taken from. Their expiry timers ran while it was held,
 * with nothing to expire, so an expiry as of the instant it came back is due at once (nothing to do unless one of
 * those credits expired meanwhile); and the account's next cut-off may withdraw it.
 */
const givenBack = (accountId: string, instant: string, event: { id: string; position: number }) => {
  const at = canonicalInstant(instant);
  return [nextCutoffTimer(accountId, instant, event), walletTimer('expiry', expiryTimerId(accountId, at), { accountId, expiresAt: at }, at, event)];
};

/** The one spelling of an instant in ids and due times, so that equal instants written differently are one timer. */
const canonicalInstant = (instant: string): string => new Date(Date.parse(instant)).toISOString();
const daysEarlier = (instant: string, days: number): string => new Date(Date.parse(instant) - days * DAY_MS).toISOString();

/** A timer of a wallet's expiry, as a pending row. */
const walletTimer = (kind: TimerKind, timerId: string, subject: Record<string, string | number>, dueAt: string, event: { id: string; position: number }) =>
  insertIfAbsent(TIMERS, {
    timer_id: timerId,
    kind,
    subject: JSON.stringify(subject),
    due_at: dueAt,
    state: 'pending',
    cause_event_id: event.id,
    created_position: event.position,
  });

/** Closes a timer that is still pending (a done timer stays done). */
const closeIfPending = (read: RowReader, timerId: string, state: TimerState, position: number): RowChanges =>
  read.rows(TIMERS, { timer_id: timerId }).some((row) => row.state === 'pending')
    ? update(TIMERS, { timer_id: timerId }, { state, closed_position: position })
    : undefined;

/**
 * The due table: what the log says will fall due, and when. A timer is pending from the event that makes
 * its action due until an event shows the action done (the payout, whoever made it) or no longer possible
 * (the milestone cancelled). `due_at` is the instant the rule makes the action due; a policy may hold it
 * back further (a daily settlement batch), which the scheduler applies, so the table does not depend on
 * the settings it was built under and a rebuild from position zero gives the same rows.
 */
export const timersProjection = declareProjection({
  name: TIMERS_PROJECTION,
  version: 7,
  tables: {
    [OPEN_DELIVERIES]: {
      key: ['contract_id', 'milestone_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS timer_open_deliveries (
          contract_id TEXT NOT NULL,
          milestone_id TEXT NOT NULL,
          timer_id TEXT NOT NULL,
          PRIMARY KEY (contract_id, milestone_id)
        );`,
    },
    [TERMINATION_REQUESTS]: {
      key: ['contract_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS timer_termination_requests (
          contract_id TEXT PRIMARY KEY,
          timer_id TEXT NOT NULL
        );`,
    },
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
    ...TASK_TIMER_HANDLERS,
    ...HOURLY_TIMER_MAPPINGS,
    // Due from the delivery: the automatic inspection's period is a policy the scheduler applies, as for terminations.
    MilestoneDelivered: ({ data, id, position }, read) => {
      const timerId = inspectionTimerId(data.contractId, data.milestoneId, id);
      const deliveredAt = canonicalInstant(data.deliveredAt);
      return [
        // A delivery follows a revision request, which closed the one before; an earlier one left open is overtaken.
        ...closeDelivery(read, data.contractId, data.milestoneId, 'cancelled', position),
        insertIfAbsent(TIMERS, {
          timer_id: timerId,
          kind: 'inspection',
          subject: JSON.stringify({ contractId: data.contractId, milestoneId: data.milestoneId, deliveredAt }),
          due_at: deliveredAt,
          state: 'pending',
          cause_event_id: id,
          created_position: position,
        }),
        upsert(OPEN_DELIVERIES, { contract_id: data.contractId, milestone_id: data.milestoneId }, { set: { timer_id: timerId } }),
      ];
    },
    RevisionRequested: ({ data, position }, read) => closeDelivery(read, data.contractId, data.milestoneId, 'cancelled', position),
    MilestoneInspected: ({ data, id, position, metadata }, read) => [
      // Whoever inspected (the client, support or the service), the delivery is answered.
      ...closeDelivery(read, data.contractId, data.milestoneId, 'done', position),
      insertIfAbsent(TIMERS, {
        ...settlementKey(data),
        kind: 'settlement',
        subject: JSON.stringify({ contractId: data.contractId, milestoneId: data.milestoneId }),
        due_at: metadata.occurredAt,
        state: 'pending',
        cause_event_id: id,
        created_position: position,
      }),
    ],
    MilestonePaidOut: ({ data, position }) => update(TIMERS, settlementKey(data), { state: 'done', closed_position: position }),
    MilestoneCancelled: ({ data, position }, read) => [
      ...closeDelivery(read, data.contractId, data.milestoneId, 'cancelled', position),
      update(TIMERS, settlementKey(data), { state: 'cancelled', closed_position: position }),
    ],
    // Due from the request: the answer period is a policy the scheduler applies, so the table does not depend on it.
    TerminationRequested: ({ data, id, position }) => {
      const timerId = terminationTimerId(data.contractId, id);
      return [
        insertIfAbsent(TIMERS, {
          timer_id: timerId,
          kind: 'termination',
          subject: JSON.stringify({ contractId: data.contractId, requestedAt: canonicalInstant(data.requestedAt) }),
          due_at: canonicalInstant(data.requestedAt),
          state: 'pending',
          cause_event_id: id,
          created_position: position,
        }),
        upsert(TERMINATION_REQUESTS, { contract_id: data.contractId }, { set: { timer_id: timerId } }),
      ];
    },
    TerminationRejected: ({ data, position }, read) => closeTermination(read, data.contractId, 'cancelled', position),
    ContractTerminated: ({ data, position }, read) => [
      ...closeTermination(read, data.contractId, data.terminatedBy === 'support' ? 'cancelled' : 'done', position),
      ...closeContractDeliveries(read, data.contractId, position),
    ],
    ContractCompleted: ({ data, position }, read) => [
      ...closeTermination(read, data.contractId, 'cancelled', position),
      ...closeContractDeliveries(read, data.contractId, position),
    ],
    WalletCredited: ({ data, id, position, metadata }) => {
      const expiresAt = canonicalInstant(data.expiresAt);
      const event = { id, position };
      return [
        nextCutoffTimer(data.accountId, metadata.occurredAt, event),
        ...EXPIRY_NOTICE_DAYS_BEFORE.map((days) =>
          walletTimer('expiry_notice', expiryNoticeTimerId(data.accountId, expiresAt, days), { accountId: data.accountId, expiresAt, daysBefore: days }, daysEarlier(expiresAt, days), event),
        ),
        walletTimer('expiry', expiryTimerId(data.accountId, expiresAt), { accountId: data.accountId, expiresAt }, expiresAt, event),
      ];
    },
    WithdrawalModeChosen: ({ data, id, position }) => nextCutoffTimer(data.accountId, data.chosenAt, { id, position }),
    // A rejected or failed withdrawal gives its money back: the next cut-off looks at the balance again, and what
    // came back to credits whose expiry passed while it was held expires now.
    WithdrawalRejected: ({ data, id, position }) => givenBack(data.accountId, data.reviewedAt, { id, position }),
    WithdrawalFailed: ({ data, id, position }) => givenBack(data.accountId, data.failedAt, { id, position }),
    // The cut-off's own withdrawal (its id comes from the account and the closing date) shows the timer done.
    WithdrawalRequested: ({ data, position }, read) => {
      const cutoff = /^automatic-(\d{4}-\d{2}-\d{2})-/.exec(data.withdrawalId)?.[1];
      if (cutoff === undefined || automaticWithdrawalIdOf(data.accountId, { closingDate: cutoff }) !== data.withdrawalId) return undefined;
      return closeIfPending(read, withdrawalCutoffTimerId(cutoff, data.accountId), 'done', position);
    },
    BalanceExpiryNoticed: ({ data, position }, read) => closeIfPending(read, expiryNoticeTimerId(data.accountId, data.expiresAt, data.daysBefore), 'done', position),
    BalanceExpired: ({ data, position }, read) => {
      // The lots' own instants, and the run's: an expiry timer made by a give-back is due at the instant it is run as of.
      const instants = [...new Set([...data.lots.map((lot) => canonicalInstant(lot.expiresAt)), canonicalInstant(data.asOf)])];
      return instants.flatMap((expiresAt) =>
        [
          closeIfPending(read, expiryTimerId(data.accountId, expiresAt), 'done', position),
          // A notice not given by the time the balance expired has nothing left to tell.
          ...EXPIRY_NOTICE_DAYS_BEFORE.map((days) => closeIfPending(read, expiryNoticeTimerId(data.accountId, expiresAt, days), 'cancelled', position)),
        ].flatMap((changes) => (changes === undefined ? [] : [changes as RowChange])),
      );
    },
  },
});

export interface Timer {
  timerId: string;
  kind: TimerKind;
  /**
   * What the timer acts on: a contract and milestone (with the instant of the delivery awaiting inspection), an
   * account and expiry instant (with the notice's days), or a contract and the instant its termination was requested.
   */
  subject: Record<string, string | number>;
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

const parsed = (row: StoredTimer): Timer => ({ ...row, subject: JSON.parse(row.subject) as Timer['subject'] });

/** The timer of that id, whatever its state; undefined when the due table has none. */
export function timerById(db: Database.Database, timerId: string): Timer | undefined {
  const row = db.prepare<[string], StoredTimer>(`SELECT ${COLUMNS} FROM ${TIMERS} WHERE timer_id = ?`).get(timerId);
  return row === undefined ? undefined : parsed(row);
}

/**
 * Pending timers due by the instant given for their kind (ISO-8601; a kind not named is not due), earliest first,
 * leaving out those named in a table of the scheduler's own (joined by timer id), at most `limit`.
 */
export function pendingTimers(
  db: Database.Database,
  query: { dueBy: Partial<Record<TimerKind, string>>; limit: number; excludeIdsIn?: { table: string; column: string } },
): Timer[] {
  const kinds = Object.entries(query.dueBy).filter((entry): entry is [TimerKind, string] => entry[1] !== undefined);
  if (kinds.length === 0) return [];
  const due = kinds.map(() => '(kind = ? AND due_at <= ?)').join(' OR ');
  const exclusion = query.excludeIdsIn ? `AND timer_id NOT IN (SELECT ${query.excludeIdsIn.column} FROM ${query.excludeIdsIn.table})` : '';
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM timers WHERE state = 'pending' AND (${due}) ${exclusion} ORDER BY due_at, created_position LIMIT ?`)
    .all(...kinds.flat(), query.limit) as StoredTimer[];
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

import type Database from 'better-sqlite3';
import { type ContractParty, type PartyRef, SUPPORT_INSPECTION_GRACE_MS } from '@escrow/domain/contract';
import { MILLIS_PER_DAY, dayNumberOf, tokyoDateOf } from '@escrow/domain/calendar/civil-time';

/**
 * Support's queues read from the `support-queues` tables at an instant of the service's clock: each a page after a
 * key, oldest first, and its total. Only the ages are computed here; the rows are what the events made them.
 */

/** A page of a queue: at most `limit` rows after the key `after` (from the start when undefined). */
export interface QueuePage<Key> {
  after: Key | undefined;
  limit: number;
}

/** The sort key of the overdue milestones: due date, then the event that listed the milestone and its place in it. */
export interface OverdueKey {
  dueDate: string;
  listedPosition: number;
  listedIndex: number;
}

export interface SilentDelivery {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  /** Gross held in the milestone's escrow. */
  inEscrow: number;
  deliveryNumber: number;
  deliveredAt: string;
  deliveredPosition: number;
  /** Whole days since the delivery. */
  daysSilent: number;
  /** From when support may inspect for the silent client: the delivery plus the support-inspection grace. */
  inspectableFrom: string;
}

export interface PendingContactReminder {
  contractId: string;
  reminderId: string;
  requestedBy: PartyRef;
  counterparty: PartyRef;
  message: string | null;
  requestedAt: string;
  requestedPosition: number;
  ageSeconds: number;
}

export interface UnansweredTermination {
  contractId: string;
  clientId: string;
  workerId: string;
  requestedBy: PartyRef;
  reason: string;
  requestedAt: string;
  requestedPosition: number;
  /** The id of the `TerminationRequested` event: the request's timer is `terminate:{contractId}:{requestEventId}`. */
  requestEventId: string;
  ageSeconds: number;
}

export interface OverdueMilestone {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  dueDate: string;
  /** Whole days since the due date ended in Japan. */
  daysOverdue: number;
  /** Gross prepaid into its escrow (0: not yet prepaid). */
  inEscrow: number;
  listedPosition: number;
  listedIndex: number;
}

const ageSecondsAt = (now: Date, since: string): number => Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
const party = (kind: string, id: string): PartyRef => ({ party: kind as ContractParty, id });

/** Deliveries awaiting inspection are silent once their latest delivery is at least this old. */
const silentSince = (now: Date): string => new Date(now.getTime() - SUPPORT_INSPECTION_GRACE_MS).toISOString();

const SILENT_FROM = `
  FROM support_queue_milestones m JOIN support_queue_contracts c ON c.contract_id = m.contract_id
 WHERE m.progress = 'delivered' AND m.delivered_at <= @silentSince`;

/** Milestones whose latest delivery has waited for inspection at least the support-inspection grace, oldest delivery first. */
export function silentDeliveries(db: Database.Database, now: Date, page: QueuePage<number>): SilentDelivery[] {
  const rows = db
    .prepare<{ silentSince: string; after: number; limit: number }, Omit<SilentDelivery, 'daysSilent' | 'inspectableFrom'>>(
      `SELECT m.contract_id AS contractId, m.milestone_id AS milestoneId, c.client_id AS clientId, c.worker_id AS workerId,
              m.escrow AS inEscrow, m.deliveries AS deliveryNumber, m.delivered_at AS deliveredAt, m.delivered_position AS deliveredPosition
       ${SILENT_FROM} AND m.delivered_position > @after
        ORDER BY m.delivered_position LIMIT @limit`,
    )
    .all({ silentSince: silentSince(now), after: page.after ?? 0, limit: page.limit });
  return rows.map((row) => ({
    ...row,
    daysSilent: Math.floor((now.getTime() - Date.parse(row.deliveredAt)) / MILLIS_PER_DAY),
    inspectableFrom: new Date(Date.parse(row.deliveredAt) + SUPPORT_INSPECTION_GRACE_MS).toISOString(),
  }));
}

export const silentDeliveryCount = (db: Database.Database, now: Date): number =>
  db.prepare<{ silentSince: string }, number>(`SELECT COUNT(*) ${SILENT_FROM}`).pluck().get({ silentSince: silentSince(now) }) ?? 0;

interface ReminderRow {
  contractId: string;
  reminderId: string;
  requestedByParty: string;
  requestedById: string;
  counterpartyParty: string;
  counterpartyId: string;
  message: string | null;
  requestedAt: string;
  requestedPosition: number;
}

/** Contact reminders awaiting support's decision, oldest request first. */
export function pendingContactReminders(db: Database.Database, now: Date, page: QueuePage<number>): PendingContactReminder[] {
  return db
    .prepare<{ after: number; limit: number }, ReminderRow>(
      `SELECT contract_id AS contractId, reminder_id AS reminderId, requested_by_party AS requestedByParty, requested_by_id AS requestedById,
              counterparty_party AS counterpartyParty, counterparty_id AS counterpartyId, message, requested_at AS requestedAt,
              requested_position AS requestedPosition
         FROM support_queue_contact_reminders WHERE requested_position > @after ORDER BY requested_position LIMIT @limit`,
    )
    .all({ after: page.after ?? 0, limit: page.limit })
    .map((row) => ({
      contractId: row.contractId,
      reminderId: row.reminderId,
      requestedBy: party(row.requestedByParty, row.requestedById),
      counterparty: party(row.counterpartyParty, row.counterpartyId),
      message: row.message,
      requestedAt: row.requestedAt,
      requestedPosition: row.requestedPosition,
      ageSeconds: ageSecondsAt(now, row.requestedAt),
    }));
}

export const pendingContactReminderCount = (db: Database.Database): number =>
  db.prepare<[], number>(`SELECT COUNT(*) FROM support_queue_contact_reminders`).pluck().get() ?? 0;

interface TerminationRow extends Omit<UnansweredTermination, 'requestedBy' | 'ageSeconds'> {
  requestedByParty: string;
  requestedById: string;
}

/** Termination requests the other party has not answered, oldest request first. */
export function unansweredTerminations(db: Database.Database, now: Date, page: QueuePage<number>): UnansweredTermination[] {
  return db
    .prepare<{ after: number; limit: number }, TerminationRow>(
      `SELECT t.contract_id AS contractId, c.client_id AS clientId, c.worker_id AS workerId, t.requested_by_party AS requestedByParty,
              t.requested_by_id AS requestedById, t.reason, t.requested_at AS requestedAt, t.requested_position AS requestedPosition,
              t.request_event_id AS requestEventId
         FROM support_queue_termination_requests t JOIN support_queue_contracts c ON c.contract_id = t.contract_id
        WHERE t.requested_position > @after ORDER BY t.requested_position LIMIT @limit`,
    )
    .all({ after: page.after ?? 0, limit: page.limit })
    .map(({ requestedByParty, requestedById, ...row }) => ({
      ...row,
      requestedBy: party(requestedByParty, requestedById),
      ageSeconds: ageSecondsAt(now, row.requestedAt),
    }));
}

export const unansweredTerminationCount = (db: Database.Database): number =>
  db.prepare<[], number>(`SELECT COUNT(*) FROM support_queue_termination_requests`).pluck().get() ?? 0;

const OVERDUE_FROM = `
  FROM support_queue_milestones m JOIN support_queue_contracts c ON c.contract_id = m.contract_id
 WHERE m.deliveries = 0 AND m.due_date < @today`;

/**
 * Milestones of active contracts never delivered whose due date has ended in Japan (the marketplace's calendar), the
 * earliest due date first.
 */
export function overdueMilestones(db: Database.Database, now: Date, page: QueuePage<OverdueKey>): OverdueMilestone[] {
  const today = tokyoDateOf(now.toISOString());
  const after = page.after ?? { dueDate: '', listedPosition: 0, listedIndex: -1 };
  const rows = db
    .prepare<{ today: string; dueDate: string; listedPosition: number; listedIndex: number; limit: number }, Omit<OverdueMilestone, 'daysOverdue'>>(
      `SELECT m.contract_id AS contractId, m.milestone_id AS milestoneId, c.client_id AS clientId, c.worker_id AS workerId,
              m.due_date AS dueDate, m.escrow AS inEscrow, m.listed_position AS listedPosition, m.listed_index AS listedIndex
       ${OVERDUE_FROM} AND (m.due_date, m.listed_position, m.listed_index) > (@dueDate, @listedPosition, @listedIndex)
        ORDER BY m.due_date, m.listed_position, m.listed_index LIMIT @limit`,
    )
    .all({ today, ...after, limit: page.limit });
  const todayNumber = dayNumberOf(today);
  return rows.map((row) => ({ ...row, daysOverdue: todayNumber - dayNumberOf(row.dueDate) }));
}

export const overdueMilestoneCount = (db: Database.Database, now: Date): number =>
  db.prepare<{ today: string }, number>(`SELECT COUNT(*) ${OVERDUE_FROM}`).pluck().get({ today: tokyoDateOf(now.toISOString()) }) ?? 0;

/** Withdrawals in review, counted from the review queue's own table. */
export const withdrawalReviewCount = (db: Database.Database): number =>
  db.prepare<[], number>(`SELECT COUNT(*) FROM withdrawal_review_queue`).pluck().get() ?? 0;

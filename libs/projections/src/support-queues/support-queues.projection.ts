import type { PartyRef } from '@escrow/domain/contract';
import { declareProjection } from '../runtime/declared-projection';
import { insertIfAbsent, remove, type RowChange, update, upsert } from '../runtime/row-changes';

export const SUPPORT_QUEUES_PROJECTION = 'support-queues';

export const SUPPORT_QUEUE_CONTRACTS = 'support_queue_contracts';
export const SUPPORT_QUEUE_MILESTONES = 'support_queue_milestones';
export const SUPPORT_QUEUE_REMINDERS = 'support_queue_contact_reminders';
export const SUPPORT_QUEUE_TERMINATIONS = 'support_queue_termination_requests';

/**
 * Where an open milestone of an active contract stands, as far as support's queues care: `awaiting_delivery` (never
 * delivered), `delivered` (its latest delivery awaits inspection), `revision_requested` or `inspected`.
 */
export type QueuedMilestoneProgress = 'awaiting_delivery' | 'delivered' | 'revision_requested' | 'inspected';

/** The one spelling of an instant, so that rows compare by text with the instants a query computes. */
const canonicalInstant = (instant: string): string => new Date(Date.parse(instant)).toISOString();

const milestoneKey = (data: { contractId: string; milestoneId: string }) => ({ contract_id: data.contractId, milestone_id: data.milestoneId });

/** A milestone leaves every queue once nothing can happen to it any more (paid out, cancelled, refunded in full). */
const closed = (data: { contractId: string; milestoneId: string }): RowChange => remove(SUPPORT_QUEUE_MILESTONES, milestoneKey(data));

/** A milestone no longer awaiting inspection: its delivery is answered. */
const answered = (data: { contractId: string; milestoneId: string }, progress: QueuedMilestoneProgress): RowChange =>
  update(SUPPORT_QUEUE_MILESTONES, milestoneKey(data), { progress, delivered_at: null, delivered_position: null });

/** A milestone as it enters the queues' table on acceptance or by a change of terms: funded by nothing, delivered never. */
const openMilestone = (contractId: string, milestone: { milestoneId: string; dueDate: string }, position: number, index: number): RowChange =>
  insertIfAbsent(SUPPORT_QUEUE_MILESTONES, {
    contract_id: contractId,
    milestone_id: milestone.milestoneId,
    due_date: milestone.dueDate,
    escrow: 0,
    deliveries: 0,
    progress: 'awaiting_delivery',
    delivered_at: null,
    delivered_position: null,
    listed_position: position,
    listed_index: index,
  });

/** A contract that ended leaves nothing for support to chase but its contact reminders, which support may still deny. */
const ended = (contractId: string): RowChange[] => [
  remove(SUPPORT_QUEUE_MILESTONES, { contract_id: contractId }),
  remove(SUPPORT_QUEUE_TERMINATIONS, { contract_id: contractId }),
];

const partyColumns = (prefix: string, party: PartyRef) => ({ [`${prefix}_party`]: party.party, [`${prefix}_id`]: party.id });

/**
 * What support has to look at on contracts, kept from the contract streams: the open milestones of active contracts
 * (for deliveries left uninspected and milestones past their due date with no delivery), the contact reminders awaiting
 * support's decision and the termination requests awaiting the other party's answer. Rows hold facts only; how old is
 * too old (the 7 days of the support inspection, the due date, the answer period) is applied by the queries at the
 * instant they are asked, so a rebuild from position zero gives the same rows whatever the clock.
 */
export const supportQueuesProjection = declareProjection({
  name: SUPPORT_QUEUES_PROJECTION,
  version: 1,
  tables: {
    [SUPPORT_QUEUE_CONTRACTS]: {
      key: ['contract_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS support_queue_contracts (
          contract_id TEXT PRIMARY KEY,
          client_id   TEXT NOT NULL,
          worker_id   TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;`,
    },
    [SUPPORT_QUEUE_MILESTONES]: {
      key: ['contract_id', 'milestone_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS support_queue_milestones (
          contract_id        TEXT    NOT NULL,
          milestone_id       TEXT    NOT NULL,
          due_date           TEXT    NOT NULL,
          escrow             INTEGER NOT NULL,
          deliveries         INTEGER NOT NULL,
          progress           TEXT    NOT NULL,
          delivered_at       TEXT,
          delivered_position INTEGER,
          listed_position    INTEGER NOT NULL,
          listed_index       INTEGER NOT NULL,
          PRIMARY KEY (contract_id, milestone_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS support_queue_milestones_awaiting_inspection
          ON support_queue_milestones (delivered_position) WHERE progress = 'delivered';
        CREATE INDEX IF NOT EXISTS support_queue_milestones_undelivered_by_due_date
          ON support_queue_milestones (due_date, listed_position, listed_index) WHERE deliveries = 0;`,
    },
    [SUPPORT_QUEUE_REMINDERS]: {
      key: ['contract_id', 'reminder_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS support_queue_contact_reminders (
          contract_id        TEXT    NOT NULL,
          reminder_id        TEXT    NOT NULL,
          requested_by_party TEXT    NOT NULL,
          requested_by_id    TEXT    NOT NULL,
          counterparty_party TEXT    NOT NULL,
          counterparty_id    TEXT    NOT NULL,
          message            TEXT,
          requested_at       TEXT    NOT NULL,
          requested_position INTEGER NOT NULL,
          PRIMARY KEY (contract_id, reminder_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS support_queue_contact_reminders_oldest_first ON support_queue_contact_reminders (requested_position);`,
    },
    [SUPPORT_QUEUE_TERMINATIONS]: {
      key: ['contract_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS support_queue_termination_requests (
          contract_id        TEXT    PRIMARY KEY,
          request_event_id   TEXT    NOT NULL,
          requested_by_party TEXT    NOT NULL,
          requested_by_id    TEXT    NOT NULL,
          reason             TEXT    NOT NULL,
          requested_at       TEXT    NOT NULL,
          requested_position INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS support_queue_termination_requests_oldest_first ON support_queue_termination_requests (requested_position);`,
    },
  },
  on: {
    ContractAccepted: ({ data, position }) => [
      insertIfAbsent(SUPPORT_QUEUE_CONTRACTS, { contract_id: data.contractId, client_id: data.clientId, worker_id: data.workerId }),
      ...data.milestones.map((milestone, index) => openMilestone(data.contractId, milestone, position, index)),
    ],
    TermsChangeAccepted: ({ data, position }) => [
      ...data.changes.map((change) => update(SUPPORT_QUEUE_MILESTONES, milestoneKey({ contractId: data.contractId, milestoneId: change.milestoneId }), { due_date: change.dueDate })),
      ...data.newMilestones.map((milestone, index) => openMilestone(data.contractId, milestone, position, index)),
    ],
    EscrowFunded: ({ data }) => update(SUPPORT_QUEUE_MILESTONES, milestoneKey(data), { escrow: data.escrowAfter }),
    // An escrow emptied before any payout settles the milestone, as the contract's own state has it.
    EscrowRefunded: ({ data }) => (data.escrowAfter <= 0 ? closed(data) : update(SUPPORT_QUEUE_MILESTONES, milestoneKey(data), { escrow: data.escrowAfter })),
    MilestoneDelivered: ({ data, position }) =>
      update(
        SUPPORT_QUEUE_MILESTONES,
        milestoneKey(data),
        { progress: 'delivered', delivered_at: canonicalInstant(data.deliveredAt), delivered_position: position },
        { deliveries: 1 },
      ),
    RevisionRequested: ({ data }) => answered(data, 'revision_requested'),
    MilestoneInspected: ({ data }) => answered(data, 'inspected'),
    MilestonePaidOut: ({ data }) => closed(data),
    MilestoneCancelled: ({ data }) => closed(data),
    TerminationRequested: ({ data, id, position }) =>
      upsert(
        SUPPORT_QUEUE_TERMINATIONS,
        { contract_id: data.contractId },
        {
          set: {
            request_event_id: id,
            ...partyColumns('requested_by', data.requestedBy),
            reason: data.reason,
            requested_at: canonicalInstant(data.requestedAt),
            requested_position: position,
          },
        },
      ),
    TerminationRejected: ({ data }) => remove(SUPPORT_QUEUE_TERMINATIONS, { contract_id: data.contractId }),
    ContractTerminated: ({ data }) => ended(data.contractId),
    ContractCompleted: ({ data }) => ended(data.contractId),
    ContactReminderRequested: ({ data, position }) =>
      insertIfAbsent(SUPPORT_QUEUE_REMINDERS, {
        contract_id: data.contractId,
        reminder_id: data.reminderId,
        ...partyColumns('requested_by', data.requestedBy),
        ...partyColumns('counterparty', data.counterparty),
        message: data.message ?? null,
        requested_at: canonicalInstant(data.requestedAt),
        requested_position: position,
      }),
    ContactReminderApproved: ({ data }) => remove(SUPPORT_QUEUE_REMINDERS, { contract_id: data.contractId, reminder_id: data.reminderId }),
    ContactReminderDenied: ({ data }) => remove(SUPPORT_QUEUE_REMINDERS, { contract_id: data.contractId, reminder_id: data.reminderId }),
  },
});

import { tokyoDateOf } from '@escrow/domain/calendar';
import { CONTRACT_STREAM_PREFIX } from '@escrow/domain/contract/stream';
import type { RecordedEvent } from '@escrow/event-store/port';
import { declareProjection } from '../runtime/declared-projection';
import { insert, type Row, type RowChange, update } from '../runtime/row-changes';
import { MILESTONES, replacedMilestones, storedMilestones, termColumns, termsOf } from './milestone-terms';

export const CONTRACT_SUMMARIES_PROJECTION = 'contract-summaries';

const SUMMARIES = 'contract_summaries';

/** The event's contract marked as updated by it, with the columns the event sets. */
const updated = (event: Pick<RecordedEvent, 'position' | 'metadata'>, contractId: string, set: Row = {}): RowChange =>
  update(SUMMARIES, { contract_id: contractId }, { ...set, updated_position: event.position, updated_at: event.metadata.occurredAt });

/** The event's contract marked as updated, with amounts added to its money columns. */
const moved = (event: Pick<RecordedEvent, 'position' | 'metadata'>, contractId: string, amounts: Record<string, number>): RowChange =>
  update(SUMMARIES, { contract_id: contractId }, { updated_position: event.position, updated_at: event.metadata.occurredAt }, amounts);

/**
 * One row per contract with its parties, status, money totals and key dates, for the lists per client
 * and per worker and the contract search (by party, status, day of the offer in Japan and amount). Milestone amounts are kept beside it so that the totals follow amendments, changes
 * of terms and cancellations like the contract's own view does (a cancelled milestone counts for nothing).
 */
export const contractSummariesProjection = declareProjection({
  name: CONTRACT_SUMMARIES_PROJECTION,
  version: 2,
  tables: {
    [SUMMARIES]: {
      key: ['contract_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS contract_summaries (
          contract_id      TEXT    PRIMARY KEY,
          client_id        TEXT    NOT NULL,
          worker_id        TEXT    NOT NULL,
          title            TEXT    NOT NULL,
          status           TEXT    NOT NULL,
          fee_schedule_id  TEXT,
          milestones       INTEGER NOT NULL DEFAULT 0,
          amount           INTEGER NOT NULL DEFAULT 0,
          gross            INTEGER NOT NULL DEFAULT 0,
          funded           INTEGER NOT NULL DEFAULT 0,
          paid_out         INTEGER NOT NULL DEFAULT 0,
          fees             INTEGER NOT NULL DEFAULT 0,
          net              INTEGER NOT NULL DEFAULT 0,
          refunded         INTEGER NOT NULL DEFAULT 0,
          offered_at       TEXT    NOT NULL,
          offered_on       TEXT    NOT NULL,
          accepted_at      TEXT,
          completed_at     TEXT,
          terminated_at    TEXT,
          created_position INTEGER NOT NULL,
          updated_position INTEGER NOT NULL,
          updated_at       TEXT    NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS contract_summaries_by_client ON contract_summaries (client_id, created_position);
        CREATE INDEX IF NOT EXISTS contract_summaries_by_worker ON contract_summaries (worker_id, created_position);
        CREATE INDEX IF NOT EXISTS contract_summaries_by_position ON contract_summaries (created_position);
        CREATE INDEX IF NOT EXISTS contract_summaries_by_status ON contract_summaries (status, created_position);`,
    },
    [MILESTONES]: {
      key: ['contract_id', 'milestone_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS contract_summary_milestones (
          contract_id  TEXT    NOT NULL,
          milestone_id TEXT    NOT NULL,
          amount       INTEGER NOT NULL,
          gross        INTEGER,
          cancelled    INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (contract_id, milestone_id)
        ) STRICT, WITHOUT ROWID;`,
    },
  },
  // Every event of a contract stream, of a type this version knows or not, marks its contract as updated.
  accepts: (event) => event.streamId.startsWith(CONTRACT_STREAM_PREFIX),
  on: {
    ContractOffered: (event) => {
      const { data, position } = event;
      const changes: RowChange[] = [];
      const terms = termsOf(replacedMilestones(data.contractId, data.milestones, changes).byId.values());
      changes.push(
        insert(SUMMARIES, {
          contract_id: data.contractId,
          client_id: data.clientId,
          worker_id: data.workerId,
          title: data.title,
          status: 'offered',
          fee_schedule_id: data.feeScheduleId,
          ...termColumns(terms),
          funded: 0,
          paid_out: 0,
          fees: 0,
          net: 0,
          refunded: 0,
          offered_at: data.offeredAt,
          // The day in Japan, the calendar the marketplace and its support staff work in.
          offered_on: tokyoDateOf(data.offeredAt),
          accepted_at: null,
          completed_at: null,
          terminated_at: null,
          created_position: position,
          updated_position: position,
          updated_at: event.metadata.occurredAt,
        }),
      );
      return changes;
    },
    OfferAmended: (event) => {
      const { data } = event;
      const changes: RowChange[] = [];
      const terms = termsOf(replacedMilestones(data.contractId, data.milestones, changes).byId.values());
      changes.push(updated(event, data.contractId, { title: data.title, fee_schedule_id: data.feeScheduleId, ...termColumns(terms) }));
      return changes;
    },
    ContractAccepted: (event) => {
      const { data } = event;
      const changes: RowChange[] = [];
      const terms = termsOf(replacedMilestones(data.contractId, data.milestones, changes).byId.values());
      const set = { status: 'active', title: data.title, fee_schedule_id: data.feeScheduleId, accepted_at: data.acceptedAt };
      changes.push(updated(event, data.contractId, { ...set, ...termColumns(terms) }));
      return changes;
    },
    TermsChangeAccepted: (event, read) => {
      const { data } = event;
      const changes: RowChange[] = [];
      const milestones = storedMilestones(read, data.contractId, changes);
      for (const change of data.changes) milestones.set(change);
      for (const added of data.newMilestones) milestones.set(added);
      changes.push(updated(event, data.contractId, termColumns(termsOf(milestones.byId.values()))));
      return changes;
    },
    MilestoneCancelled: (event, read) => {
      const { data } = event;
      const milestones = storedMilestones(read, data.contractId, []);
      const cancelled = milestones.byId.get(data.milestoneId);
      if (cancelled !== undefined) cancelled.cancelled = true;
      return [
        update(MILESTONES, { contract_id: data.contractId, milestone_id: data.milestoneId }, { cancelled: 1 }),
        updated(event, data.contractId, termColumns(termsOf(milestones.byId.values()))),
      ];
    },
    OfferWithdrawn: (event) => updated(event, event.data.contractId, { status: 'withdrawn' }),
    OfferDeclined: (event) => updated(event, event.data.contractId, { status: 'declined' }),
    EscrowFunded: (event) => moved(event, event.data.contractId, { funded: event.data.amount }),
    MilestonePaidOut: (event) =>
      moved(event, event.data.contractId, { paid_out: event.data.gross, fees: event.data.fee, net: event.data.net }),
    EscrowRefunded: (event) => moved(event, event.data.contractId, { refunded: event.data.amount }),
    ContractCompleted: (event) => updated(event, event.data.contractId, { status: 'completed', completed_at: event.data.completedAt }),
    ContractTerminated: (event) => updated(event, event.data.contractId, { status: 'terminated', terminated_at: event.data.terminatedAt }),
  },
  otherwise: (event) => (typeof event.data.contractId === 'string' ? updated(event, event.data.contractId) : undefined),
});

import type Database from 'better-sqlite3';
import type {
  ContractAcceptedData,
  ContractCompletedData,
  ContractOfferedData,
  ContractTerminatedData,
  EscrowFundedData,
  EscrowRefundedData,
  MilestoneCancelledData,
  MilestonePaidOutData,
  MilestoneTerms,
  MilestoneWithGross,
  OfferAmendedData,
  TermsChangeAcceptedData,
} from '@escrow/domain/contract';
import { CONTRACT_STREAM_PREFIX } from '@escrow/domain/contract/stream';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

export const CONTRACT_SUMMARIES_PROJECTION = 'contract-summaries';

/**
 * One row per contract with its parties, status, money totals and key dates, for the lists per client
 * and per worker. Milestone amounts are kept beside it so that the totals follow amendments, changes
 * of terms and cancellations like the contract's own view does (a cancelled milestone counts for nothing).
 */
export const contractSummariesProjection: Projection = {
  name: CONTRACT_SUMMARIES_PROJECTION,
  version: 1,
  tables: ['contract_summaries', 'contract_summary_milestones'],

  setup(db) {
    db.exec(`
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
        accepted_at      TEXT,
        completed_at     TEXT,
        terminated_at    TEXT,
        created_position INTEGER NOT NULL,
        updated_position INTEGER NOT NULL,
        updated_at       TEXT    NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS contract_summaries_by_client ON contract_summaries (client_id, created_position);
      CREATE INDEX IF NOT EXISTS contract_summaries_by_worker ON contract_summaries (worker_id, created_position);

      CREATE TABLE IF NOT EXISTS contract_summary_milestones (
        contract_id  TEXT    NOT NULL,
        milestone_id TEXT    NOT NULL,
        amount       INTEGER NOT NULL,
        gross        INTEGER,
        cancelled    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (contract_id, milestone_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },

  prepare(db: Database.Database) {
    const insertSummary = db.prepare<[string, string, string, string, string | null, string, number, number, string]>(
      `INSERT INTO contract_summaries
         (contract_id, client_id, worker_id, title, status, fee_schedule_id, offered_at, created_position, updated_position, updated_at)
       VALUES (?, ?, ?, ?, 'offered', ?, ?, ?, ?, ?)`,
    );
    const deleteMilestones = db.prepare<[string]>('DELETE FROM contract_summary_milestones WHERE contract_id = ?');
    const upsertMilestone = db.prepare<[string, string, number, number | null]>(
      `INSERT INTO contract_summary_milestones (contract_id, milestone_id, amount, gross) VALUES (?, ?, ?, ?)
       ON CONFLICT (contract_id, milestone_id) DO UPDATE SET amount = excluded.amount, gross = excluded.gross`,
    );
    const cancelMilestone = db.prepare<[string, string]>(
      'UPDATE contract_summary_milestones SET cancelled = 1 WHERE contract_id = ? AND milestone_id = ?',
    );
    const recomputeTerms = db.prepare<[{ contractId: string }]>(
      `UPDATE contract_summaries SET
         milestones = (SELECT count(*) FROM contract_summary_milestones WHERE contract_id = @contractId AND cancelled = 0),
         amount = (SELECT coalesce(sum(amount), 0) FROM contract_summary_milestones WHERE contract_id = @contractId AND cancelled = 0),
         gross = (SELECT coalesce(sum(gross), 0) FROM contract_summary_milestones WHERE contract_id = @contractId AND cancelled = 0)
       WHERE contract_id = @contractId`,
    );
    const amendOffer = db.prepare<[string, string | null, number, string, string]>(
      'UPDATE contract_summaries SET title = ?, fee_schedule_id = ?, updated_position = ?, updated_at = ? WHERE contract_id = ?',
    );
    const accept = db.prepare<[string, string, string, number, string, string]>(
      `UPDATE contract_summaries SET status = 'active', title = ?, fee_schedule_id = ?, accepted_at = ?, updated_position = ?, updated_at = ?
       WHERE contract_id = ?`,
    );
    const setStatus = db.prepare<[string, number, string, string]>(
      'UPDATE contract_summaries SET status = ?, updated_position = ?, updated_at = ? WHERE contract_id = ?',
    );
    const complete = db.prepare<[string, number, string, string]>(
      `UPDATE contract_summaries SET status = 'completed', completed_at = ?, updated_position = ?, updated_at = ? WHERE contract_id = ?`,
    );
    const terminate = db.prepare<[string, number, string, string]>(
      `UPDATE contract_summaries SET status = 'terminated', terminated_at = ?, updated_position = ?, updated_at = ? WHERE contract_id = ?`,
    );
    const addFunding = db.prepare<[number, number, string, string]>(
      'UPDATE contract_summaries SET funded = funded + ?, updated_position = ?, updated_at = ? WHERE contract_id = ?',
    );
    const addPayout = db.prepare<[number, number, number, number, string, string]>(
      `UPDATE contract_summaries SET paid_out = paid_out + ?, fees = fees + ?, net = net + ?, updated_position = ?, updated_at = ?
       WHERE contract_id = ?`,
    );
    const addRefund = db.prepare<[number, number, string, string]>(
      'UPDATE contract_summaries SET refunded = refunded + ?, updated_position = ?, updated_at = ? WHERE contract_id = ?',
    );
    const touch = db.prepare<[number, string, string]>('UPDATE contract_summaries SET updated_position = ?, updated_at = ? WHERE contract_id = ?');

    const replaceMilestones = (contractId: string, milestones: readonly (MilestoneTerms | MilestoneWithGross)[]) => {
      deleteMilestones.run(contractId);
      for (const milestone of milestones) {
        upsertMilestone.run(contractId, milestone.milestoneId, milestone.amount, 'gross' in milestone ? milestone.gross : null);
      }
      recomputeTerms.run({ contractId });
    };

    return (event: RecordedEvent) => {
      if (!event.streamId.startsWith(CONTRACT_STREAM_PREFIX)) return;
      const { position } = event;
      const at = event.metadata.occurredAt;
      switch (event.type) {
        case 'ContractOffered': {
          const data = event.data as unknown as ContractOfferedData;
          insertSummary.run(data.contractId, data.clientId, data.workerId, data.title, data.feeScheduleId, data.offeredAt, position, position, at);
          replaceMilestones(data.contractId, data.milestones);
          return;
        }
        case 'OfferAmended': {
          const data = event.data as unknown as OfferAmendedData;
          amendOffer.run(data.title, data.feeScheduleId, position, at, data.contractId);
          replaceMilestones(data.contractId, data.milestones);
          return;
        }
        case 'OfferWithdrawn':
        case 'OfferDeclined': {
          const contractId = (event.data as { contractId: string }).contractId;
          setStatus.run(event.type === 'OfferWithdrawn' ? 'withdrawn' : 'declined', position, at, contractId);
          return;
        }
        case 'ContractAccepted': {
          const data = event.data as unknown as ContractAcceptedData;
          accept.run(data.title, data.feeScheduleId, data.acceptedAt, position, at, data.contractId);
          replaceMilestones(data.contractId, data.milestones);
          return;
        }
        case 'TermsChangeAccepted': {
          const data = event.data as unknown as TermsChangeAcceptedData;
          for (const change of data.changes) upsertMilestone.run(data.contractId, change.milestoneId, change.amount, change.gross);
          for (const added of data.newMilestones) upsertMilestone.run(data.contractId, added.milestoneId, added.amount, added.gross);
          recomputeTerms.run({ contractId: data.contractId });
          touch.run(position, at, data.contractId);
          return;
        }
        case 'MilestoneCancelled': {
          const data = event.data as unknown as MilestoneCancelledData;
          cancelMilestone.run(data.contractId, data.milestoneId);
          recomputeTerms.run({ contractId: data.contractId });
          touch.run(position, at, data.contractId);
          return;
        }
        case 'EscrowFunded': {
          const data = event.data as unknown as EscrowFundedData;
          addFunding.run(data.amount, position, at, data.contractId);
          return;
        }
        case 'MilestonePaidOut': {
          const data = event.data as unknown as MilestonePaidOutData;
          addPayout.run(data.gross, data.fee, data.net, position, at, data.contractId);
          return;
        }
        case 'EscrowRefunded': {
          const data = event.data as unknown as EscrowRefundedData;
          addRefund.run(data.amount, position, at, data.contractId);
          return;
        }
        case 'ContractCompleted': {
          const data = event.data as unknown as ContractCompletedData;
          complete.run(data.completedAt, position, at, data.contractId);
          return;
        }
        case 'ContractTerminated': {
          const data = event.data as unknown as ContractTerminatedData;
          terminate.run(data.terminatedAt, position, at, data.contractId);
          return;
        }
        default: {
          const contractId = (event.data as { contractId?: unknown }).contractId;
          if (typeof contractId === 'string') touch.run(position, at, contractId);
        }
      }
    };
  },
};

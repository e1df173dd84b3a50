import type Database from 'better-sqlite3';
import { isContractEvent } from '@escrow/domain/contract';
import { CONTRACT_STREAM_PREFIX } from '@escrow/domain/contract/stream';
import type { RecordedEvent } from '@escrow/event-store/port';
import { yen } from '../batching/yen';
import { batchingProjection, type Projection, type ProjectionBatch } from '../projection';
import { assigned, noChanges, type PendingSummary, replacementOf, SummaryWriter } from './pending-summaries';

export const CONTRACT_SUMMARIES_PROJECTION = 'contract-summaries';

/**
 * One row per contract with its parties, status, money totals and key dates, for the lists per client
 * and per worker. Milestone amounts are kept beside it so that the totals follow amendments, changes
 * of terms and cancellations like the contract's own view does (a cancelled milestone counts for nothing).
 */
export const contractSummariesProjection: Projection = batchingProjection({
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

  prepareBatch(db: Database.Database): ProjectionBatch {
    const upsertMilestone = db.prepare<[string, string, number, number | null]>(
      `INSERT INTO contract_summary_milestones (contract_id, milestone_id, amount, gross) VALUES (?, ?, ?, ?)
       ON CONFLICT (contract_id, milestone_id) DO UPDATE SET amount = excluded.amount, gross = excluded.gross`,
    );
    const cancelMilestone = db.prepare<[string, string]>(
      'UPDATE contract_summary_milestones SET cancelled = 1 WHERE contract_id = ? AND milestone_id = ?',
    );
    const recomputeTerms = db.prepare<[string, string]>(
      `UPDATE contract_summaries SET (milestones, amount, gross) = (
         SELECT count(*), coalesce(sum(amount), 0), coalesce(sum(gross), 0)
         FROM contract_summary_milestones WHERE contract_id = ? AND cancelled = 0)
       WHERE contract_id = ?`,
    );
    const writer = new SummaryWriter(db);

    // Each contract's changes are gathered in memory and written once at the end of the batch (a contract
    // offered in the batch with one INSERT). Only a change of terms and a cancellation recount milestones
    // from the table: the contract's pending changes are written first, so that the row goes through the
    // same states, in the same order, as when every event is written at once.
    const pending = new Map<string, PendingSummary>();
    const changesOf = (contractId: string, position: number, at: string): PendingSummary => {
      let changes = pending.get(contractId);
      if (changes === undefined) {
        changes = noChanges(position, at);
        pending.set(contractId, changes);
      } else {
        changes.position = position;
        changes.at = at;
      }
      return changes;
    };
    const writeNow = (contractId: string) => {
      const changes = pending.get(contractId);
      if (changes === undefined) return;
      pending.delete(contractId);
      writer.write(contractId, changes);
    };

    return {
      apply(event: RecordedEvent) {
        if (!event.streamId.startsWith(CONTRACT_STREAM_PREFIX)) return;
        const { position } = event;
        const at = event.metadata.occurredAt;
        // Every other event of the stream, of a type this version knows or not, marks its contract as updated.
        const touch = (contractId: unknown) => {
          if (typeof contractId === 'string') changesOf(contractId, position, at);
        };
        if (!isContractEvent(event)) {
          touch(event.data.contractId);
          return;
        }
        switch (event.type) {
          case 'ContractOffered': {
            const { data } = event;
            // An earlier offer of the same contract is inserted first, and this one then fails, as it would alone.
            writeNow(data.contractId);
            const offered = changesOf(data.contractId, position, at);
            offered.created = { clientId: data.clientId, workerId: data.workerId, offeredAt: data.offeredAt, createdPosition: position };
            offered.title = assigned(data.title);
            offered.status = assigned('offered');
            offered.feeScheduleId = assigned(data.feeScheduleId);
            offered.milestones = replacementOf(data.milestones);
            return;
          }
          case 'OfferAmended': {
            const { data } = event;
            const changes = changesOf(data.contractId, position, at);
            changes.title = assigned(data.title);
            changes.feeScheduleId = assigned(data.feeScheduleId);
            changes.milestones = replacementOf(data.milestones);
            return;
          }
          case 'ContractAccepted': {
            const { data } = event;
            const changes = changesOf(data.contractId, position, at);
            changes.status = assigned('active');
            changes.title = assigned(data.title);
            changes.feeScheduleId = assigned(data.feeScheduleId);
            changes.acceptedAt = assigned(data.acceptedAt);
            changes.milestones = replacementOf(data.milestones);
            return;
          }
          case 'TermsChangeAccepted': {
            const { data } = event;
            writeNow(data.contractId);
            for (const change of data.changes) upsertMilestone.run(data.contractId, change.milestoneId, change.amount, change.gross);
            for (const added of data.newMilestones) upsertMilestone.run(data.contractId, added.milestoneId, added.amount, added.gross);
            recomputeTerms.run(data.contractId, data.contractId);
            changesOf(data.contractId, position, at);
            return;
          }
          case 'MilestoneCancelled': {
            const { data } = event;
            writeNow(data.contractId);
            cancelMilestone.run(data.contractId, data.milestoneId);
            recomputeTerms.run(data.contractId, data.contractId);
            changesOf(data.contractId, position, at);
            return;
          }
          case 'OfferWithdrawn':
          case 'OfferDeclined': {
            changesOf(event.data.contractId, position, at).status = assigned(event.type === 'OfferWithdrawn' ? 'withdrawn' : 'declined');
            return;
          }
          case 'EscrowFunded': {
            const { data } = event;
            changesOf(data.contractId, position, at).funded += yen(data.amount, 'EscrowFunded.amount');
            return;
          }
          case 'MilestonePaidOut': {
            const { data } = event;
            const changes = changesOf(data.contractId, position, at);
            changes.paidOut += yen(data.gross, 'MilestonePaidOut.gross');
            changes.fees += yen(data.fee, 'MilestonePaidOut.fee');
            changes.net += yen(data.net, 'MilestonePaidOut.net');
            return;
          }
          case 'EscrowRefunded': {
            const { data } = event;
            changesOf(data.contractId, position, at).refunded += yen(data.amount, 'EscrowRefunded.amount');
            return;
          }
          case 'ContractCompleted': {
            const { data } = event;
            const changes = changesOf(data.contractId, position, at);
            changes.status = assigned('completed');
            changes.completedAt = assigned(data.completedAt);
            return;
          }
          case 'ContractTerminated': {
            const { data } = event;
            const changes = changesOf(data.contractId, position, at);
            changes.status = assigned('terminated');
            changes.terminatedAt = assigned(data.terminatedAt);
            return;
          }
          default:
            touch(event.data.contractId);
        }
      },
      flush() {
        for (const [contractId, changes] of pending) writer.write(contractId, changes);
        pending.clear();
      },
    };
  },
});

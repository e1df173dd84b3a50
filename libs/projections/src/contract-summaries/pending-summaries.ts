import type Database from 'better-sqlite3';
import type { MilestoneTerms, MilestoneWithGross } from '@escrow/domain/contract';
import { yen } from '../batching/yen';

/** The milestone columns of a summary: count, amount and gross of the milestones not cancelled. */
export interface Terms {
  milestones: number;
  amount: bigint;
  gross: bigint;
}

/** Milestones that replace all of a contract's rows, and the terms they add up to. */
export interface MilestoneReplacement {
  /** JSON list of [milestoneId, amount, gross | null]. */
  rows: string;
  terms: Terms;
}

/** A column the batch set (the last value set wins), or `undefined` when no event of the batch set it. */
export type Assigned<Value> = { value: Value } | undefined;

/**
 * What the events of a batch did to one contract's summary since it was last written. Nothing here reads
 * the row, so it is written without being read: columns that events set are set to the last value set,
 * money is added to what the row holds, and a milestone replacement replaces its rows. For a contract first
 * offered in this batch (`created`) the whole row is known and is inserted.
 */
export interface PendingSummary {
  created: { clientId: string; workerId: string; offeredAt: string; createdPosition: number } | undefined;
  title: Assigned<string>;
  status: Assigned<string>;
  feeScheduleId: Assigned<string | null>;
  acceptedAt: Assigned<string>;
  completedAt: Assigned<string>;
  terminatedAt: Assigned<string>;
  milestones: MilestoneReplacement | undefined;
  funded: bigint;
  paidOut: bigint;
  fees: bigint;
  net: bigint;
  refunded: bigint;
  /** The contract's last event so far. */
  position: number;
  at: string;
}

export function noChanges(position: number, at: string): PendingSummary {
  return {
    created: undefined,
    title: undefined,
    status: undefined,
    feeScheduleId: undefined,
    acceptedAt: undefined,
    completedAt: undefined,
    terminatedAt: undefined,
    milestones: undefined,
    funded: 0n,
    paidOut: 0n,
    fees: 0n,
    net: 0n,
    refunded: 0n,
    position,
    at,
  };
}

export const assigned = <Value>(value: Value): Assigned<Value> => ({ value });

/**
 * The rows that replace a contract's milestones (a later one with the same id wins, as an upsert does)
 * and the terms that recounting them from the table gives: all of them count, none is cancelled, and
 * gross adds up only where known (offers have none).
 */
export function replacementOf(milestones: readonly (MilestoneTerms | MilestoneWithGross)[]): MilestoneReplacement {
  const byId = new Map<string, [milestoneId: string, amount: number, gross: number | null]>();
  for (const milestone of milestones) {
    byId.set(milestone.milestoneId, [milestone.milestoneId, milestone.amount, 'gross' in milestone ? milestone.gross : null]);
  }
  const terms: Terms = { milestones: byId.size, amount: 0n, gross: 0n };
  for (const [, amount, gross] of byId.values()) {
    terms.amount += yen(amount, 'milestone amount');
    if (gross !== null) terms.gross += yen(gross, 'milestone gross');
  }
  return { rows: JSON.stringify([...byId.values()]), terms };
}

/** For `CASE WHEN ? THEN ? ELSE column END`: whether the batch set the column, and to what. */
const isAssigned = (value: Assigned<unknown>): number => (value === undefined ? 0 : 1);
const valueOf = <Value>(value: Assigned<Value>): Value | null => (value === undefined ? null : value.value);

/** Writes pending summaries: one statement per contract, plus two for a milestone replacement. */
export class SummaryWriter {
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly deleteMilestones: Database.Statement<[string]>;
  private readonly insertMilestones: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO contract_summaries
         (contract_id, client_id, worker_id, title, status, fee_schedule_id, milestones, amount, gross,
          funded, paid_out, fees, net, refunded, offered_at, accepted_at, completed_at, terminated_at,
          created_position, updated_position, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.update = db.prepare(
      `UPDATE contract_summaries SET
         title           = CASE WHEN ? THEN ? ELSE title END,
         status          = CASE WHEN ? THEN ? ELSE status END,
         fee_schedule_id = CASE WHEN ? THEN ? ELSE fee_schedule_id END,
         accepted_at     = CASE WHEN ? THEN ? ELSE accepted_at END,
         completed_at    = CASE WHEN ? THEN ? ELSE completed_at END,
         terminated_at   = CASE WHEN ? THEN ? ELSE terminated_at END,
         milestones      = CASE WHEN ? THEN ? ELSE milestones END,
         amount          = CASE WHEN ? THEN ? ELSE amount END,
         gross           = CASE WHEN ? THEN ? ELSE gross END,
         funded = funded + ?, paid_out = paid_out + ?, fees = fees + ?, net = net + ?, refunded = refunded + ?,
         updated_position = ?, updated_at = ?
       WHERE contract_id = ?`,
    );
    this.deleteMilestones = db.prepare('DELETE FROM contract_summary_milestones WHERE contract_id = ?');
    // All the milestones of a replacement in one statement, each a [milestoneId, amount, gross] of the JSON list.
    this.insertMilestones = db.prepare(
      `INSERT INTO contract_summary_milestones (contract_id, milestone_id, amount, gross)
       SELECT ?, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true
       ON CONFLICT (contract_id, milestone_id) DO UPDATE SET amount = excluded.amount, gross = excluded.gross`,
    );
  }

  write(contractId: string, pending: PendingSummary): void {
    if (pending.milestones !== undefined) {
      this.deleteMilestones.run(contractId);
      this.insertMilestones.run(contractId, pending.milestones.rows);
    }
    if (pending.created !== undefined) this.insertCreated(contractId, pending);
    else this.updateExisting(contractId, pending);
  }

  private insertCreated(contractId: string, pending: PendingSummary): void {
    const created = pending.created!;
    const terms = pending.milestones?.terms ?? { milestones: 0, amount: 0n, gross: 0n };
    this.insert.run(
      contractId,
      created.clientId,
      created.workerId,
      pending.title!.value,
      pending.status!.value,
      pending.feeScheduleId?.value ?? null,
      terms.milestones,
      terms.amount,
      terms.gross,
      pending.funded,
      pending.paidOut,
      pending.fees,
      pending.net,
      pending.refunded,
      created.offeredAt,
      pending.acceptedAt?.value ?? null,
      pending.completedAt?.value ?? null,
      pending.terminatedAt?.value ?? null,
      created.createdPosition,
      pending.position,
      pending.at,
    );
  }

  private updateExisting(contractId: string, pending: PendingSummary): void {
    const terms = pending.milestones?.terms;
    const replaced = terms === undefined ? 0 : 1;
    this.update.run(
      isAssigned(pending.title),
      valueOf(pending.title),
      isAssigned(pending.status),
      valueOf(pending.status),
      isAssigned(pending.feeScheduleId),
      valueOf(pending.feeScheduleId),
      isAssigned(pending.acceptedAt),
      valueOf(pending.acceptedAt),
      isAssigned(pending.completedAt),
      valueOf(pending.completedAt),
      isAssigned(pending.terminatedAt),
      valueOf(pending.terminatedAt),
      replaced,
      terms?.milestones ?? null,
      replaced,
      terms?.amount ?? null,
      replaced,
      terms?.gross ?? null,
      pending.funded,
      pending.paidOut,
      pending.fees,
      pending.net,
      pending.refunded,
      pending.position,
      pending.at,
      contractId,
    );
  }
}

import type { MilestoneTerms, MilestoneWithGross } from '@escrow/domain/contract';
import type { RowReader } from '../runtime/row-change-buffer';
import { remove, type RowChange, type SqlValue, upsert } from '../runtime/row-changes';
import { yen } from '../runtime/yen';

export const MILESTONES = 'contract_summary_milestones';

/** A contract's milestone as its row holds it. */
interface MilestoneRow {
  amount: number;
  gross: number | null;
  cancelled: boolean;
}

/** The milestone columns of a summary: count, amount and gross of the milestones not cancelled. */
export interface Terms {
  milestones: number;
  amount: bigint;
  gross: bigint;
}

/** Count and sums of the milestones not cancelled; gross adds up only where known (offers have none). */
export function termsOf(milestones: Iterable<MilestoneRow>): Terms {
  const terms: Terms = { milestones: 0, amount: 0n, gross: 0n };
  for (const { amount, gross, cancelled } of milestones) {
    if (cancelled) continue;
    terms.milestones++;
    terms.amount += yen(amount, 'milestone amount');
    if (gross !== null) terms.gross += yen(gross, 'milestone gross');
  }
  return terms;
}

export const termColumns = (terms: Terms) => ({ milestones: terms.milestones, amount: terms.amount, gross: terms.gross });

/** Milestone rows by id; `changes` receives the upsert of each one set. */
class ContractMilestones {
  readonly byId = new Map<string, MilestoneRow>();

  constructor(
    private readonly contractId: string,
    readonly changes: RowChange[],
  ) {}

  /** Sets a milestone's amounts (a later one with the same id wins, as the upsert does); keeps whether it is cancelled. */
  set(milestone: { milestoneId: string; amount: number; gross?: number | null }): void {
    const gross = milestone.gross ?? null;
    const cancelled = this.byId.get(milestone.milestoneId)?.cancelled ?? false;
    this.byId.set(milestone.milestoneId, { amount: milestone.amount, gross, cancelled });
    this.changes.push(
      upsert(
        MILESTONES,
        { contract_id: this.contractId, milestone_id: milestone.milestoneId },
        { set: { amount: milestone.amount, gross } },
      ),
    );
  }
}

const asNumber = (value: SqlValue): number => Number(value);

/** A contract's milestones as its rows hold them now, the batch's changes so far included. */
export function storedMilestones(read: RowReader, contractId: string, changes: RowChange[]): ContractMilestones {
  const milestones = new ContractMilestones(contractId, changes);
  for (const row of read.rows(MILESTONES, { contract_id: contractId })) {
    milestones.byId.set(String(row.milestone_id), {
      amount: asNumber(row.amount),
      gross: row.gross === null ? null : asNumber(row.gross),
      cancelled: row.cancelled !== 0,
    });
  }
  return milestones;
}

/** Milestones that replace all of a contract's rows: the removal of the old ones, then the new ones. */
export function replacedMilestones(
  contractId: string,
  replacement: readonly (MilestoneTerms | MilestoneWithGross)[],
  changes: RowChange[],
): ContractMilestones {
  changes.push(remove(MILESTONES, { contract_id: contractId }));
  const milestones = new ContractMilestones(contractId, changes);
  for (const milestone of replacement) milestones.set(milestone);
  return milestones;
}

import { payoutFee } from '@escrow/domain/money/fee';
import { getFeeSchedule } from '@escrow/domain/money/fee-schedules';

/** What a support termination with these splits would do to each open milestone, by the domain's own fee rule. */
export interface SplitLine {
  milestoneId: string;
  title: string;
  escrow: number;
  payOutGross: number;
  fee: number;
  net: number;
  refund: number;
  /** An open milestone with nothing in escrow is cancelled. */
  cancelled: boolean;
}

export interface TerminationPreview {
  lines: SplitLine[];
  totals: { payOutGross: number; fee: number; net: number; refund: number };
}

export interface PreviewContract {
  feeScheduleId: string | null;
  taxRate: string;
  milestones: { milestoneId: string; title: string; status: string; escrowBalance: number }[];
}

const CLOSED = new Set(['paid_out', 'refunded', 'cancelled']);

/**
 * The same walk as the domain's settlement on termination: the open milestones in order, each payout charged the
 * fee of the contract's cumulative gross after the payouts before it (`payoutFee`), the rest of its escrow refunded.
 * `paidOutBefore` is the gross the contract paid out before. Throws the domain's error for an impossible split
 * (more than the escrow, a payout smaller than its fee), which the console shows as it would the service's refusal.
 */
export function terminationPreview(contract: PreviewContract, paidOutBefore: number, splits: ReadonlyMap<string, number>): TerminationPreview {
  const schedule = contract.feeScheduleId === null ? undefined : getFeeSchedule(contract.feeScheduleId);
  if (schedule === undefined) throw new Error(`unknown fee schedule ${contract.feeScheduleId}`);
  let cumulative = paidOutBefore;
  const lines: SplitLine[] = [];
  for (const milestone of contract.milestones) {
    if (CLOSED.has(milestone.status)) continue;
    const escrow = milestone.escrowBalance;
    const payOutGross = escrow === 0 ? 0 : (splits.get(milestone.milestoneId) ?? 0);
    if (payOutGross > escrow) throw new Error(`milestone ${milestone.title} holds only ¥${escrow}`);
    const payout = payOutGross > 0 ? payoutFee(schedule, contract.taxRate, cumulative, payOutGross) : { fee: 0, net: 0 };
    cumulative += payOutGross;
    lines.push({ milestoneId: milestone.milestoneId, title: milestone.title, escrow, payOutGross, fee: payout.fee, net: payout.net, refund: escrow - payOutGross, cancelled: escrow === 0 });
  }
  const sum = (pick: (line: SplitLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  return { lines, totals: { payOutGross: sum((l) => l.payOutGross), fee: sum((l) => l.fee), net: sum((l) => l.net), refund: sum((l) => l.refund) } };
}

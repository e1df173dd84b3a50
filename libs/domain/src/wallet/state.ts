import { epochMillisOf } from '../calendar/civil-time';
import type { CreditFlags, CreditSourceKind } from './commands';
import type { LotAllocation, WalletEvent, WithdrawalAmounts } from './events';
import type { WithdrawalReviewReason } from './review-reasons';
import type { AutomaticWithdrawalMode } from './automatic-withdrawal-modes';
import type { WithdrawalMode } from './withdrawal-fees';
import { addYen, subtractYen } from './yen-arithmetic';

/** What is left of one credit. Money returned by a rejected or failed withdrawal goes back to its lot. */
export interface CreditLot {
  sourceId: string;
  sourceKind: CreditSourceKind;
  contractId: string;
  milestoneId: string;
  /** The credited amount. */
  amount: number;
  /** Not yet withdrawn nor expired. */
  remaining: number;
  creditedAt: string;
  expiresAt: string;
  flags: CreditFlags;
}

/**
 * in_review → scheduled (approved) | rejected; scheduled → paid | failed.
 * rejected, paid and failed are final.
 */
export type WithdrawalStatus = 'in_review' | 'scheduled' | 'rejected' | 'paid' | 'failed';

export interface ReviewStep {
  action: 'approved' | 'rejected' | 'info_requested';
  reviewerId: string;
  reason: string;
  at: string;
}

export interface WithdrawalRecord extends Omit<WithdrawalAmounts, 'accountId'> {
  mode: WithdrawalMode;
  bankAccountId: string;
  payoutDate: string;
  status: WithdrawalStatus;
  reviewReasons: WithdrawalReviewReason[];
  allocations: LotAllocation[];
  requestedAt: string;
  reviewSteps: ReviewStep[];
  /** When support asked the owner for information still unanswered; null when no request awaits the owner. */
  infoAwaitedSince: string | null;
  failureReason?: string;
  transferReference?: string;
}

export interface WalletState {
  /** null until the first event. */
  accountId: string | null;
  /** Can be withdrawn now. */
  available: number;
  /** Held by withdrawals in review or scheduled. */
  pending: number;
  /** Amount of paid withdrawals, fees included. */
  paidOut: number;
  expired: number;
  /** Balances below the withdrawal minimum given up by the owner's recorded choice. */
  forfeited: number;
  totalCredited: number;
  /** The account is closed: no further credit. What the wallet still holds can be withdrawn or forfeited. */
  closed: boolean;
  /** Oldest credit first. */
  lots: CreditLot[];
  withdrawals: Record<string, WithdrawalRecord>;
  /** Largest paid withdrawal; the baseline of the UNUSUAL_AMOUNT review reason. */
  largestPaidWithdrawal: number;
  /** Amount credited per source id; a credit from a source already here appends nothing. */
  creditedSources: Record<string, number>;
  /** Contracts whose money no longer counts as a fast completion (see RuleOutFastCompletion). */
  fastCompletionRuledOut: Record<string, true>;
  /** Every withdrawal mode chosen, in order; none means the default mode (see automaticWithdrawalModeAt). */
  withdrawalModeChoices: { mode: AutomaticWithdrawalMode; chosenAt: string }[];
  /** Expiry notices recorded, by `expiryNoticeKey`: each is given once. */
  expiryNotices: Record<string, true>;
}

/** The key of one expiry notice: how many days before which expiry instant. */
export const expiryNoticeKey = (expiresAt: string, daysBefore: number): string => `${daysBefore}d@${epochMillisOf(expiresAt)}`;

export const initialWalletState = (): WalletState => ({
  accountId: null,
  available: 0,
  pending: 0,
  paidOut: 0,
  expired: 0,
  forfeited: 0,
  totalCredited: 0,
  closed: false,
  lots: [],
  withdrawals: {},
  largestPaidWithdrawal: 0,
  creditedSources: {},
  fastCompletionRuledOut: {},
  withdrawalModeChoices: [],
  expiryNotices: {},
});

export const IN_PROGRESS_WITHDRAWAL_STATUSES: readonly WithdrawalStatus[] = ['in_review', 'scheduled'];

export const withdrawalsInProgress = (state: WalletState): WithdrawalRecord[] =>
  Object.values(state.withdrawals).filter((withdrawal) => IN_PROGRESS_WITHDRAWAL_STATUSES.includes(withdrawal.status));

/** Keeps the lots in credit order (stable for equal times), so allocation can walk them front to back. */
function insertLot(lots: readonly CreditLot[], lot: CreditLot): CreditLot[] {
  const creditedAt = epochMillisOf(lot.creditedAt);
  const index = lots.findIndex((existing) => epochMillisOf(existing.creditedAt) > creditedAt);
  return index === -1 ? [...lots, lot] : [...lots.slice(0, index), lot, ...lots.slice(index)];
}

/** Takes `amount` from the lots, oldest first. The caller has checked the lots hold enough. */
export function allocateOldestFirst(lots: readonly CreditLot[], amount: number): LotAllocation[] {
  const allocations: LotAllocation[] = [];
  let left = amount;
  for (const lot of lots) {
    if (left === 0) break;
    if (lot.remaining === 0) continue;
    const taken = Math.min(lot.remaining, left);
    allocations.push({ sourceId: lot.sourceId, amount: taken });
    left = subtractYen(left, taken);
  }
  return allocations;
}

function applyAllocations(lots: readonly CreditLot[], allocations: readonly LotAllocation[], sign: 1 | -1): CreditLot[] {
  const delta = new Map<string, number>();
  for (const { sourceId, amount } of allocations) delta.set(sourceId, addYen(delta.get(sourceId) ?? 0, sign * amount));
  return lots.map((lot) => (delta.has(lot.sourceId) ? { ...lot, remaining: addYen(lot.remaining, delta.get(lot.sourceId) ?? 0) } : lot));
}

function updateWithdrawal(
  state: WalletState,
  withdrawalId: string,
  change: (record: WithdrawalRecord) => WithdrawalRecord,
): Record<string, WithdrawalRecord> {
  const record = state.withdrawals[withdrawalId];
  return record ? { ...state.withdrawals, [withdrawalId]: change(record) } : state.withdrawals;
}

/** A reviewer's step, kept on the withdrawal in the order the steps were taken. */
function withReviewStep(
  record: WithdrawalRecord,
  action: ReviewStep['action'],
  step: { reviewerId: string; reason: string; reviewedAt: string },
): WithdrawalRecord {
  return { ...record, reviewSteps: [...record.reviewSteps, { action, reviewerId: step.reviewerId, reason: step.reason, at: step.reviewedAt }] };
}

/** A rejected or failed withdrawal gives its amount back to the balance, and to the lots it was taken from. */
function returnWithdrawal(
  state: WalletState,
  withdrawal: { withdrawalId: string; amount: number },
  change: (record: WithdrawalRecord) => WithdrawalRecord,
): WalletState {
  const record = state.withdrawals[withdrawal.withdrawalId];
  return {
    ...state,
    available: addYen(state.available, withdrawal.amount),
    pending: subtractYen(state.pending, withdrawal.amount),
    lots: record ? applyAllocations(state.lots, record.allocations, 1) : state.lots,
    withdrawals: updateWithdrawal(state, withdrawal.withdrawalId, change),
  };
}

/** An expiry or a forfeit takes the amount out of the balance, from the lots it names. */
function takeFromBalance(state: WalletState, taken: { accountId: string; amount: number; lots: readonly LotAllocation[] }): WalletState {
  return {
    ...state,
    accountId: taken.accountId,
    available: subtractYen(state.available, taken.amount),
    lots: applyAllocations(state.lots, taken.lots, -1),
  };
}

export function evolveWallet(state: WalletState, event: WalletEvent): WalletState {
  switch (event.type) {
    case 'WalletCredited': {
      const { data } = event;
      const lot: CreditLot = {
        sourceId: data.source.id,
        sourceKind: data.source.kind,
        contractId: data.source.contractId,
        milestoneId: data.source.milestoneId,
        amount: data.amount,
        remaining: data.amount,
        creditedAt: data.creditedAt,
        expiresAt: data.expiresAt,
        flags: { ...data.flags },
      };
      return {
        ...state,
        accountId: data.accountId,
        available: addYen(state.available, data.amount),
        totalCredited: addYen(state.totalCredited, data.amount),
        lots: insertLot(state.lots, lot),
        creditedSources: { ...state.creditedSources, [data.source.id]: data.amount },
      };
    }
    case 'WithdrawalRequested': {
      const { data } = event;
      const record: WithdrawalRecord = {
        withdrawalId: data.withdrawalId,
        amount: data.amount,
        bankFee: data.bankFee,
        quickFee: data.quickFee,
        netAmount: data.netAmount,
        mode: data.mode,
        bankAccountId: data.bankAccountId,
        payoutDate: data.payoutDate,
        status: data.status,
        reviewReasons: [...data.reviewReasons],
        allocations: data.allocations.map((allocation) => ({ ...allocation })),
        requestedAt: data.requestedAt,
        reviewSteps: [],
        infoAwaitedSince: null,
      };
      return {
        ...state,
        accountId: data.accountId,
        available: subtractYen(state.available, data.amount),
        pending: addYen(state.pending, data.amount),
        lots: applyAllocations(state.lots, data.allocations, -1),
        withdrawals: { ...state.withdrawals, [data.withdrawalId]: record },
      };
    }
    case 'WithdrawalApproved': {
      const { data } = event;
      return {
        ...state,
        withdrawals: updateWithdrawal(state, data.withdrawalId, (record) => ({
          ...withReviewStep(record, 'approved', data),
          status: 'scheduled',
          payoutDate: data.payoutDate,
        })),
      };
    }
    case 'WithdrawalInfoRequested': {
      const { data } = event;
      return {
        ...state,
        withdrawals: updateWithdrawal(state, data.withdrawalId, (record) => ({ ...withReviewStep(record, 'info_requested', data), infoAwaitedSince: data.reviewedAt })),
      };
    }
    case 'WithdrawalInfoProvided': {
      const { data } = event;
      return { ...state, withdrawals: updateWithdrawal(state, data.withdrawalId, (record) => ({ ...record, infoAwaitedSince: null })) };
    }
    case 'WithdrawalRejected': {
      const { data } = event;
      return returnWithdrawal(state, data, (record) => ({ ...withReviewStep(record, 'rejected', data), status: 'rejected' }));
    }
    case 'WithdrawalPaid': {
      const { data } = event;
      return {
        ...state,
        pending: subtractYen(state.pending, data.amount),
        paidOut: addYen(state.paidOut, data.amount),
        largestPaidWithdrawal: Math.max(state.largestPaidWithdrawal, data.amount),
        withdrawals: updateWithdrawal(state, data.withdrawalId, (record) => ({
          ...record,
          status: 'paid',
          ...(data.transferReference !== undefined ? { transferReference: data.transferReference } : {}),
        })),
      };
    }
    case 'WithdrawalFailed': {
      const { data } = event;
      return returnWithdrawal(state, data, (record) => ({ ...record, status: 'failed', failureReason: data.reason }));
    }
    case 'BalanceExpired':
      return { ...takeFromBalance(state, event.data), expired: addYen(state.expired, event.data.amount) };
    case 'BalanceExpiryNoticed':
      return { ...state, expiryNotices: { ...state.expiryNotices, [expiryNoticeKey(event.data.expiresAt, event.data.daysBefore)]: true } };
    case 'BalanceForfeited':
      return { ...takeFromBalance(state, event.data), forfeited: addYen(state.forfeited, event.data.amount) };
    case 'FastCompletionRuledOut': {
      const { data } = event;
      const cleared = new Set(data.clearedSourceIds);
      return {
        ...state,
        accountId: data.accountId,
        lots: state.lots.map((lot) => (cleared.has(lot.sourceId) ? { ...lot, flags: { ...lot.flags, fastCompletion: false } } : lot)),
        fastCompletionRuledOut: { ...state.fastCompletionRuledOut, [data.contractId]: true },
      };
    }
    case 'WalletClosed':
      return { ...state, accountId: event.data.accountId, closed: true };
    case 'WithdrawalModeChosen':
      return {
        ...state,
        accountId: event.data.accountId,
        withdrawalModeChoices: [...state.withdrawalModeChoices, { mode: event.data.mode, chosenAt: event.data.chosenAt }],
      };
  }
}

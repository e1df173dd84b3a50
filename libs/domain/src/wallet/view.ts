import { addDaysToInstant, epochMillisOf } from '../calendar/civil-time';
import type { CreditFlags, CreditSourceKind } from './commands';
import type { WithdrawalReviewReason } from './review-reasons';
import { WalletState, WithdrawalStatus, withdrawalsInProgress } from './state';
import type { WithdrawalMode } from './withdrawal-fees';
import { addYen } from './yen-arithmetic';

/** The owner is warned of balances that expire within this many days. */
export const EXPIRY_WARNING_DAYS = 30;

export interface WalletLotView {
  sourceId: string;
  sourceKind: CreditSourceKind;
  contractId: string;
  milestoneId: string;
  amount: number;
  remaining: number;
  creditedAt: string;
  expiresAt: string;
  flags: CreditFlags;
  /** Expires within EXPIRY_WARNING_DAYS of the view's time (or is already due to expire). */
  expiringSoon: boolean;
}

export interface WalletWithdrawalView {
  withdrawalId: string;
  amount: number;
  bankFee: number;
  quickFee: number;
  netAmount: number;
  mode: WithdrawalMode;
  status: WithdrawalStatus;
  payoutDate: string;
  reviewReasons: WithdrawalReviewReason[];
  requestedAt: string;
}

export interface WalletView {
  accountId: string | null;
  asOf: string;
  available: number;
  pending: number;
  paidOut: number;
  expired: number;
  forfeited: number;
  totalCredited: number;
  /** The account is closed: no further credit lands here. */
  closed: boolean;
  /** Part of `available` that expires within EXPIRY_WARNING_DAYS unless withdrawn. */
  expiringWithin30Days: number;
  /** The earliest expiry among the remaining balances, or null when nothing remains. */
  nextExpiresAt: string | null;
  /** Remaining balances, oldest first: the order withdrawals draw from them. */
  lots: WalletLotView[];
  withdrawalsInProgress: WalletWithdrawalView[];
}

/** What the account owner sees of the wallet at `asOf` (an ISO-8601 instant). */
export function walletView(state: WalletState, asOf: string): WalletView {
  const warningLimit = epochMillisOf(addDaysToInstant(asOf, EXPIRY_WARNING_DAYS));
  const lots = state.lots
    .filter((lot) => lot.remaining > 0)
    .map((lot) => ({ ...lot, flags: { ...lot.flags }, expiringSoon: epochMillisOf(lot.expiresAt) <= warningLimit }));
  const byExpiry = [...lots].sort((a, b) => epochMillisOf(a.expiresAt) - epochMillisOf(b.expiresAt));
  return {
    accountId: state.accountId,
    asOf,
    available: state.available,
    pending: state.pending,
    paidOut: state.paidOut,
    expired: state.expired,
    forfeited: state.forfeited,
    totalCredited: state.totalCredited,
    closed: state.closed,
    expiringWithin30Days: addYen(...lots.filter((lot) => lot.expiringSoon).map((lot) => lot.remaining)),
    nextExpiresAt: byExpiry[0]?.expiresAt ?? null,
    lots,
    withdrawalsInProgress: withdrawalsInProgress(state)
      .sort((a, b) => epochMillisOf(a.requestedAt) - epochMillisOf(b.requestedAt))
      .map(({ withdrawalId, amount, bankFee, quickFee, netAmount, mode, status, payoutDate, reviewReasons, requestedAt }) => ({
        withdrawalId,
        amount,
        bankFee,
        quickFee,
        netAmount,
        mode,
        status,
        payoutDate,
        reviewReasons: [...reviewReasons],
        requestedAt,
      })),
  };
}

import { addDaysToInstant, epochMillisOf } from '../calendar/civil-time';
import { AUTOMATIC_WITHDRAWAL_THRESHOLDS, type AutomaticWithdrawalMode, currentWithdrawalMode } from './automatic-withdrawal-modes';
import { EXPIRY_NOTICE_DAYS, type ExpiryNoticeDays } from './commands';
import { type CreditLot, expiryNoticeKey, type WalletState, type WithdrawalRecord, withdrawalsInProgress } from './state';
import { addYen } from './yen-arithmetic';

/** The owner is warned of balances that expire within this many days. */
export const EXPIRY_WARNING_DAYS = 30;

/** A credit with something left, as its owner sees it. */
export interface WalletLotView extends CreditLot {
  /** Expires within EXPIRY_WARNING_DAYS of the view's time (or is already due to expire). */
  expiringSoon: boolean;
}

/** What expires at one instant unless withdrawn: the remaining amounts of the credits that expire then. */
export interface WalletExpiryView {
  expiresAt: string;
  amount: number;
  /** Within EXPIRY_WARNING_DAYS of the view's time (or already due). */
  expiringSoon: boolean;
  /** The notices (days before) already given of this expiry, largest first. */
  noticesGiven: ExpiryNoticeDays[];
}

export type WalletWithdrawalView = Pick<
  WithdrawalRecord,
  'withdrawalId' | 'amount' | 'bankFee' | 'quickFee' | 'netAmount' | 'mode' | 'status' | 'payoutDate' | 'reviewReasons' | 'requestedAt'
>;

/** The wallet's balances as the state keeps them (see WalletState), with what is about to expire. */
export interface WalletView
  extends Pick<WalletState, 'accountId' | 'available' | 'pending' | 'paidOut' | 'expired' | 'forfeited' | 'totalCredited' | 'closed'> {
  asOf: string;
  /** Part of `available` that expires within EXPIRY_WARNING_DAYS unless withdrawn. */
  expiringWithin30Days: number;
  /** The earliest expiry among the remaining balances, or null when nothing remains. */
  nextExpiresAt: string | null;
  /** What expires when, soonest first: the remaining balances summed per expiry instant. */
  expiries: WalletExpiryView[];
  /** Remaining balances, oldest first: the order withdrawals draw from them. */
  lots: WalletLotView[];
  withdrawalsInProgress: WalletWithdrawalView[];
  /** How the balance leaves at each cut-off (the default until the owner chooses). */
  withdrawalMode: AutomaticWithdrawalMode;
  /** The balance at a cut-off from which the mode withdraws it automatically; null for `carry_over`. */
  automaticWithdrawalThreshold: number | null;
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
    withdrawalMode: currentWithdrawalMode(state),
    automaticWithdrawalThreshold: AUTOMATIC_WITHDRAWAL_THRESHOLDS[currentWithdrawalMode(state)],
    expiringWithin30Days: addYen(...lots.filter((lot) => lot.expiringSoon).map((lot) => lot.remaining)),
    nextExpiresAt: byExpiry[0]?.expiresAt ?? null,
    expiries: expiriesOf(state, byExpiry),
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

function expiriesOf(state: WalletState, lotsByExpiry: readonly WalletLotView[]): WalletExpiryView[] {
  const byInstant = new Map<number, WalletLotView[]>();
  for (const lot of lotsByExpiry) {
    const instant = epochMillisOf(lot.expiresAt);
    byInstant.set(instant, [...(byInstant.get(instant) ?? []), lot]);
  }
  return [...byInstant.values()].map((lots) => ({
    expiresAt: lots[0].expiresAt,
    amount: addYen(...lots.map((lot) => lot.remaining)),
    expiringSoon: lots[0].expiringSoon,
    noticesGiven: EXPIRY_NOTICE_DAYS.filter((days) => state.expiryNotices[expiryNoticeKey(lots[0].expiresAt, days)] === true),
  }));
}

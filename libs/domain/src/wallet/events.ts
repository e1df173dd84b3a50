import type { Actor } from '../shared/actor';
import { type DomainEvent, eventGuardOf } from '../shared/decider';
import type { CreditFlags, CreditSource, FastCompletionRuledOutReason } from './commands';
import type { WithdrawalReviewReason } from './review-reasons';
import type { AutomaticWithdrawalMode } from './automatic-withdrawal-modes';
import type { WithdrawalMode } from './withdrawal-fees';

/**
 * Facts of the wallet stream. Data only: the application layer wraps each event with its metadata.
 * Amounts are integers of yen. Every withdrawal event repeats the account, the amount and its fee
 * parts, so that a ledger posts it without looking anything up; `availableAfter` is the available
 * balance once the event is applied, for auditors reading one event at a time.
 */

export interface WalletCreditedData {
  accountId: string;
  source: CreditSource;
  amount: number;
  flags: CreditFlags;
  creditedAt: string;
  /** creditedAt + 180 days, in UTC. */
  expiresAt: string;
  availableAfter: number;
}

/** The part of one credit a withdrawal (or an expiry) takes, oldest credit first. */
export interface LotAllocation {
  sourceId: string;
  amount: number;
}

/** The amount and fee parts every withdrawal event repeats. */
export interface WithdrawalAmounts {
  accountId: string;
  withdrawalId: string;
  /** Taken from the balance. */
  amount: number;
  bankFee: number;
  quickFee: number;
  /** amount − bankFee − quickFee: what the bank account receives. */
  netAmount: number;
}

export type RequestedWithdrawalStatus = 'scheduled' | 'in_review';

export interface WithdrawalRequestedData extends WithdrawalAmounts {
  mode: WithdrawalMode;
  bankAccountId: string;
  bankCode: string;
  /** Tokyo date the transfer is due (YYYY-MM-DD). */
  payoutDate: string;
  status: RequestedWithdrawalStatus;
  /** Every review reason that applies, in a fixed order; empty when scheduled. */
  reviewReasons: WithdrawalReviewReason[];
  /** The credits the amount is drawn from, oldest first. */
  allocations: LotAllocation[];
  requestedAt: string;
  availableAfter: number;
}

interface ReviewStepData extends WithdrawalAmounts {
  reviewerId: string;
  reason: string;
  reviewedAt: string;
}

export interface WithdrawalApprovedData extends ReviewStepData {
  /** Recomputed from the approval time: a balance is finalised when it is approved. */
  payoutDate: string;
}

export interface WithdrawalRejectedData extends ReviewStepData {
  availableAfter: number;
}

export type WithdrawalInfoRequestedData = ReviewStepData;

/** The owner's answer to support's latest request for information; the withdrawal stays in review. */
export interface WithdrawalInfoProvidedData {
  accountId: string;
  withdrawalId: string;
  answer: string;
  /** When support asked: the request this answers. */
  infoRequestedAt: string;
  providedAt: string;
}

export interface WithdrawalPaidData extends WithdrawalAmounts {
  bankAccountId: string;
  transferReference?: string;
  paidAt: string;
}

export interface WithdrawalFailedData extends WithdrawalAmounts {
  bankAccountId: string;
  reason: string;
  failedAt: string;
  availableAfter: number;
}

export interface ExpiredLot extends LotAllocation {
  creditedAt: string;
  expiresAt: string;
}

export interface BalanceExpiredData {
  accountId: string;
  /** Sum of the lots' amounts. */
  amount: number;
  lots: ExpiredLot[];
  asOf: string;
  availableAfter: number;
}

export interface BalanceExpiryNoticedData {
  accountId: string;
  /** When the credits expire. */
  expiresAt: string;
  /** How many days ahead the owner is told (30 or 7). */
  daysBefore: number;
  /** What expires then unless spent: the sum of the lots' amounts. */
  amount: number;
  /** The credits expiring then, with what is left of each. */
  lots: { sourceId: string; amount: number }[];
  noticedAt: string;
}

export interface BalanceForfeitedData {
  accountId: string;
  /** The whole available balance, below the withdrawal minimum. */
  amount: number;
  /** The credits it is taken from, oldest first. */
  lots: LotAllocation[];
  reason: string;
  /** The owner, or support. */
  forfeitedBy: Actor;
  forfeitedAt: string;
  availableAfter: number;
}

export interface WalletClosedData {
  accountId: string;
  closedBy: Actor;
  closedAt: string;
}

export interface FastCompletionRuledOutData {
  accountId: string;
  contractId: string;
  reason: FastCompletionRuledOutReason;
  /** Credits from the contract whose `fastCompletion` flag this clears; empty when none has landed yet. */
  clearedSourceIds: string[];
  ruledOutAt: string;
}

/** The account's withdrawal mode from now on; the mode before the first choice is the default. */
export interface WithdrawalModeChosenData {
  accountId: string;
  mode: AutomaticWithdrawalMode;
  previousMode: AutomaticWithdrawalMode;
  chosenBy: Actor;
  chosenAt: string;
}

export type WalletCredited = DomainEvent<'WalletCredited', WalletCreditedData>;
export type WithdrawalRequested = DomainEvent<'WithdrawalRequested', WithdrawalRequestedData>;
export type WithdrawalApproved = DomainEvent<'WithdrawalApproved', WithdrawalApprovedData>;
export type WithdrawalRejected = DomainEvent<'WithdrawalRejected', WithdrawalRejectedData>;
export type WithdrawalInfoRequested = DomainEvent<'WithdrawalInfoRequested', WithdrawalInfoRequestedData>;
export type WithdrawalInfoProvided = DomainEvent<'WithdrawalInfoProvided', WithdrawalInfoProvidedData>;
export type WithdrawalPaid = DomainEvent<'WithdrawalPaid', WithdrawalPaidData>;
export type WithdrawalFailed = DomainEvent<'WithdrawalFailed', WithdrawalFailedData>;
export type BalanceExpired = DomainEvent<'BalanceExpired', BalanceExpiredData>;
export type BalanceExpiryNoticed = DomainEvent<'BalanceExpiryNoticed', BalanceExpiryNoticedData>;
export type BalanceForfeited = DomainEvent<'BalanceForfeited', BalanceForfeitedData>;
export type WalletClosed = DomainEvent<'WalletClosed', WalletClosedData>;
export type FastCompletionRuledOut = DomainEvent<'FastCompletionRuledOut', FastCompletionRuledOutData>;
export type WithdrawalModeChosen = DomainEvent<'WithdrawalModeChosen', WithdrawalModeChosenData>;

export type WalletEvent =
  | WalletCredited
  | WithdrawalRequested
  | WithdrawalApproved
  | WithdrawalRejected
  | WithdrawalInfoRequested
  | WithdrawalInfoProvided
  | WithdrawalPaid
  | WithdrawalFailed
  | BalanceExpired
  | BalanceExpiryNoticed
  | BalanceForfeited
  | FastCompletionRuledOut
  | WalletClosed
  | WithdrawalModeChosen;

export type WalletEventType = WalletEvent['type'];

/** Current data-shape version of each event type; a change of shape bumps it and adds an upcaster. */
export const WALLET_EVENT_SCHEMA_VERSIONS: Readonly<Record<WalletEventType, number>> = {
  WalletCredited: 1,
  WithdrawalRequested: 1,
  WithdrawalApproved: 1,
  WithdrawalRejected: 1,
  WithdrawalInfoRequested: 1,
  WithdrawalInfoProvided: 1,
  WithdrawalPaid: 1,
  WithdrawalFailed: 1,
  BalanceExpired: 1,
  BalanceExpiryNoticed: 1,
  BalanceForfeited: 1,
  FastCompletionRuledOut: 1,
  WalletClosed: 1,
  WithdrawalModeChosen: 1,
};

export const isWalletEvent = eventGuardOf<WalletEvent>(WALLET_EVENT_SCHEMA_VERSIONS);

import Decimal from 'decimal.js';
import type { CreditFlags, WithdrawalScreening } from './commands';

/**
 * Why a withdrawal goes to the review queue (出金審査). Listed in this order when several apply.
 * - NO_DELIVERABLE: money in it comes from a milestone accepted with no deliverable on the platform.
 * - FAST_COMPLETION: money in it comes from a contract completed within an hour of acceptance.
 * - SHARED_BANK_ACCOUNT: the destination account is also registered to another account.
 * - IDENTITY_NOT_VERIFIED: identity verification (本人確認) is not approved.
 * - UNUSUAL_AMOUNT: more than 5 × the largest earlier paid withdrawal and over ¥100,000.
 */
export type WithdrawalReviewReason =
  'NO_DELIVERABLE' | 'FAST_COMPLETION' | 'SHARED_BANK_ACCOUNT' | 'IDENTITY_NOT_VERIFIED' | 'UNUSUAL_AMOUNT';

export const WITHDRAWAL_REVIEW_REASONS: readonly WithdrawalReviewReason[] = [
  'NO_DELIVERABLE',
  'FAST_COMPLETION',
  'SHARED_BANK_ACCOUNT',
  'IDENTITY_NOT_VERIFIED',
  'UNUSUAL_AMOUNT',
];

export const UNUSUAL_AMOUNT_MULTIPLE = 5;
export const UNUSUAL_AMOUNT_FLOOR = 100_000;

export interface WithdrawalReviewFacts {
  amount: number;
  /** Flags of every credit the amount is drawn from. */
  consumedCreditFlags: readonly CreditFlags[];
  screening: WithdrawalScreening;
  /** Largest amount of this wallet's earlier withdrawals that reached the bank; 0 when none did. */
  largestEarlierWithdrawal: number;
}

export function isUnusualAmount(amount: number, largestEarlierWithdrawal: number): boolean {
  const value = new Decimal(amount);
  return value.gt(new Decimal(largestEarlierWithdrawal).times(UNUSUAL_AMOUNT_MULTIPLE)) && value.gt(UNUSUAL_AMOUNT_FLOOR);
}

/** Every review reason that applies, in the order of WITHDRAWAL_REVIEW_REASONS; empty: no review. */
export function withdrawalReviewReasons(facts: WithdrawalReviewFacts): WithdrawalReviewReason[] {
  const applies: Record<WithdrawalReviewReason, boolean> = {
    NO_DELIVERABLE: facts.consumedCreditFlags.some((flags) => flags.noDeliverable),
    FAST_COMPLETION: facts.consumedCreditFlags.some((flags) => flags.fastCompletion),
    SHARED_BANK_ACCOUNT: facts.screening.bankAccountSharedWithOtherAccount,
    IDENTITY_NOT_VERIFIED: facts.screening.identityStatus !== 'approved',
    UNUSUAL_AMOUNT: isUnusualAmount(facts.amount, facts.largestEarlierWithdrawal),
  };
  return WITHDRAWAL_REVIEW_REASONS.filter((reason) => applies[reason]);
}

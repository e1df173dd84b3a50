import type Decimal from 'decimal.js';
import { ExactDecimal } from './exact-decimal';
import { exactFeeExTax, payoutFee } from './fee';
import { assertFeeSchedule, type FeeSchedule } from './fee-schedules';
import { assertRate } from './rate';
import { grossOf } from './tax';
import { assertYen, type Yen } from './yen';

/** Breakdown of a contract paid out in one go: what the client prepays and what the worker receives. */
export interface FeeQuote {
  /** Contract amount, tax-exclusive (税抜). */
  amount: Yen;
  /** What the client prepays, tax-inclusive (税込). */
  gross: Yen;
  feeExTax: Yen;
  feeTax: Yen;
  fee: Yen;
  /** Take-home of the worker (ワーカー受け取り金額). */
  net: Yen;
  /** Fee schedule id. */
  schedule: string;
}

/** Largest contract amount a quote is computed for (¥100 billion). */
export const MAX_QUOTE_AMOUNT: Yen = 100_000_000_000;

/** The most amounts a take-home search may have to try between its two bounds; see quoteFromTakeHome. */
const MAX_SCAN = 100_000;

export const quoteFromAmount = (amountExTax: Yen, schedule: FeeSchedule, taxRate: string): FeeQuote => {
  assertYen(amountExTax, 'amount');
  if (amountExTax > MAX_QUOTE_AMOUNT) throw new Error(`amount must be at most ¥${MAX_QUOTE_AMOUNT}`);
  const gross = grossOf(amountExTax, taxRate);
  const { feeExTax, feeTax, fee, net } = payoutFee(schedule, taxRate, 0, gross);
  return { amount: amountExTax, gross, feeExTax, feeTax, fee, net, schedule: schedule.id };
};

/**
 * The smallest contract amount whose take-home is at least `takeHome`.
 *
 * Truncation makes the take-home step back by a yen at some amounts, so no formula inverts it. The
 * unrounded take-home φ(a) = X − (1 + t)·Σ(tier portions of X × rate) with X = a·(1 + t) is strictly
 * increasing, and the truncated take-home always lies in (φ(a) − 1, φ(a) + 3). A binary search on φ
 * therefore finds an amount below which no amount can reach the take-home and one from which every
 * amount does; the few amounts between them are tried in order.
 */
export const quoteFromTakeHome = (takeHome: Yen, schedule: FeeSchedule, taxRate: string): FeeQuote => {
  assertYen(takeHome, 'takeHome');
  assertFeeSchedule(schedule);
  assertRate(taxRate, 'taxRate');
  const taxFactor = new ExactDecimal(1).plus(taxRate);
  if (schedule.tiers.some((tier) => taxFactor.times(tier.rate).gte(1))) {
    throw new Error(`fee schedule ${schedule.id} takes the whole payout in some tier; no take-home can be quoted`);
  }

  const unroundedTakeHome = (amount: Yen): Decimal => {
    const grossBeforeTruncation = taxFactor.times(amount);
    return grossBeforeTruncation.minus(taxFactor.times(exactFeeExTax(schedule, grossBeforeTruncation)));
  };
  const noSmallerAmountReaches = smallestAmountWhere((amount) => unroundedTakeHome(amount).plus(3).gte(takeHome));
  if (noSmallerAmountReaches === undefined) {
    throw new Error(`takeHome ¥${takeHome} needs a contract amount above ¥${MAX_QUOTE_AMOUNT}`);
  }
  const everyLargerAmountReaches =
    smallestAmountWhere((amount) => unroundedTakeHome(amount).minus(1).gte(takeHome)) ?? MAX_QUOTE_AMOUNT;
  if (everyLargerAmountReaches - noSmallerAmountReaches > MAX_SCAN) {
    throw new Error(`fee schedule ${schedule.id} leaves too little take-home per yen to quote from a take-home`);
  }

  for (let amount = noSmallerAmountReaches; amount <= everyLargerAmountReaches; amount += 1) {
    const quote = quoteFromAmount(amount, schedule, taxRate);
    if (quote.net >= takeHome) return quote;
  }
  throw new Error(`takeHome ¥${takeHome} needs a contract amount above ¥${MAX_QUOTE_AMOUNT}`);
};

/** Binary search over [0, MAX_QUOTE_AMOUNT] for a predicate that never turns false once true. */
const smallestAmountWhere = (holds: (amount: Yen) => boolean): Yen | undefined => {
  if (!holds(MAX_QUOTE_AMOUNT)) return undefined;
  let low = 0;
  let high = MAX_QUOTE_AMOUNT;
  while (low < high) {
    const middle = low + Math.floor((high - low) / 2);
    if (holds(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
};

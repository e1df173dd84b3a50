import Decimal from 'decimal.js';

export interface CompletionRate {
  /** Contracts completed. */
  completed: number;
  /** Contracts no longer in progress: completed + terminated. */
  ended: number;
  /** completed / ended as a decimal string with at most 4 decimals, truncated; null when nothing ended. */
  rate: string | null;
  /** completed / ended ≥ 90 %, decided on the exact ratio. */
  atLeast90: boolean;
}

const NINETY_PERCENT = new Decimal('0.9');

/**
 * The rate is truncated rather than rounded so that it never shows 0.9 (or 1) for a ratio below it:
 * the displayed rate is ≥ 0.9 exactly when atLeast90 is true.
 */
export function completionRate(completed: number, terminated: number): CompletionRate {
  const ended = new Decimal(completed).plus(terminated);
  if (ended.isZero()) return { completed, ended: 0, rate: null, atLeast90: false };
  const ratio = new Decimal(completed).dividedBy(ended);
  return {
    completed,
    ended: ended.toNumber(),
    // toString() of a Decimal drops trailing zeros: 0.9000 → "0.9", 1.0000 → "1".
    rate: ratio.toDecimalPlaces(4, Decimal.ROUND_DOWN).toString(),
    atLeast90: ratio.greaterThanOrEqualTo(NINETY_PERCENT),
  };
}

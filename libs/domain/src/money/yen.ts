import Decimal from 'decimal.js';

/** A whole, non-negative number of Japanese yen that JavaScript represents exactly. */
export type Yen = number;

export const isYen = (value: unknown): value is Yen =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function assertYen(value: unknown, field: string): asserts value is Yen {
  if (!isYen(value)) {
    throw new Error(`${field} must be a non-negative whole number of yen, got ${String(value)}`);
  }
}

/** Truncates toward zero (fractional yen are never rounded up) and checks the result is a Yen. */
export const toYen = (value: Decimal, field = 'amount'): Yen => {
  if (!value.isFinite()) throw new Error(`${field} must be a finite amount, got ${value.toString()}`);
  // `+ 0` turns the -0 of a truncated small negative fraction into 0.
  const yen = value.toDecimalPlaces(0, Decimal.ROUND_DOWN).toNumber() + 0;
  assertYen(yen, field);
  return yen;
};

import Decimal from 'decimal.js';

/**
 * Sums and differences of integer yen, computed with decimal.js and checked to stay exact
 * (a safe integer), so a balance can never drift through float rounding.
 */
function exactYen(value: Decimal): number {
  const yen = value.toNumber();
  if (!value.isInteger() || !Number.isSafeInteger(yen)) throw new RangeError(`${value.toString()} is not an exact amount of yen`);
  return yen + 0;
}

export const addYen = (...amounts: number[]): number => exactYen(amounts.reduce((sum, amount) => sum.plus(amount), new Decimal(0)));

export const subtractYen = (from: number, amount: number): number => exactYen(new Decimal(from).minus(amount));

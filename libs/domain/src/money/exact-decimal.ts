import Decimal from 'decimal.js';

/**
 * decimal.js rounds every arithmetic result to `precision` significant digits (20 by default).
 * A safe-integer yen amount (16 digits) times a rate with 6 decimals needs 23, so money math runs
 * on a private constructor with room to spare instead of relying on the global configuration.
 */
export const ExactDecimal = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_DOWN });

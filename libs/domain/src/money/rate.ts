/** Rates are decimal strings ('0.10'), never floats, with at most 6 decimal places, between 0 and 1. */
const RATE_PATTERN = /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/;

export function assertRate(rate: unknown, field: string): asserts rate is string {
  if (typeof rate !== 'string' || !RATE_PATTERN.test(rate)) {
    throw new Error(`${field} must be a decimal string between 0 and 1 with at most 6 decimals, got ${String(rate)}`);
  }
}

/**
 * Amounts of yen added up in memory during a batch, before one write per row. BigInt keeps every sum
 * exact whatever its size (no float rounding), and SQLite's INTEGER refuses a total beyond 64 bits rather
 * than wrapping it.
 */
export function yen(value: unknown, what: string): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be a whole number of yen, got ${String(value)}`);
  }
  return BigInt(value);
}

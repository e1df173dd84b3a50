import fc from 'fast-check';
import { assertValidBackoffPolicy, backoffDelayMs, BackoffPolicy, DEFAULT_BACKOFF_POLICY } from './backoff';

const policy: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.5 };

describe('resubscribe back-off', () => {
  it('doubles from the initial delay up to the cap when no jitter is drawn', () => {
    const delays = Array.from({ length: 8 }, (_, attempt) => backoffDelayMs(attempt, policy, () => 0));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('stays within [base * (1 - jitter), base] for any draw, and never above the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
        const delay = backoffDelayMs(attempt, policy, () => draw);
        expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - policy.jitter)));
        expect(delay).toBeLessThanOrEqual(base);
      }),
    );
  });

  it('spreads replicas that retry at the same attempt', () => {
    const draws = [0, 0.25, 0.5, 0.75, 0.99];
    const delays = draws.map((draw) => backoffDelayMs(3, policy, () => draw));
    expect(new Set(delays).size).toBe(draws.length);
  });

  it('stays capped after an outage long enough to overflow the exponential', () => {
    expect(backoffDelayMs(10_000, DEFAULT_BACKOFF_POLICY, () => 0)).toBe(DEFAULT_BACKOFF_POLICY.maxDelayMs);
  });

  it('refuses policies that cannot work', () => {
    expect(() => assertValidBackoffPolicy({ ...policy, maxDelayMs: 50 })).toThrow(RangeError);
    expect(() => assertValidBackoffPolicy({ ...policy, multiplier: 0.5 })).toThrow(RangeError);
    expect(() => assertValidBackoffPolicy({ ...policy, jitter: 1.5 })).toThrow(RangeError);
    expect(() => assertValidBackoffPolicy({ ...policy, initialDelayMs: -1 })).toThrow(RangeError);
    expect(() => assertValidBackoffPolicy(DEFAULT_BACKOFF_POLICY)).not.toThrow();
  });
});

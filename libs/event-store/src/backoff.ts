/** Exponential back-off with a cap and jitter: reconnecting after a dropped subscription, retrying a processor after a passing failure. */

export interface BackoffPolicy {
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** No delay is ever longer than this. */
  maxDelayMs: number;
  /** Growth factor between consecutive retries. */
  multiplier: number;
  /**
   * Share of the delay that is randomised, 0..1: the delay is drawn from
   * [base * (1 - jitter), base], so replicas that lost the same node do not reconnect in lockstep.
   */
  jitter: number;
}

export const DEFAULT_BACKOFF_POLICY: Readonly<BackoffPolicy> = Object.freeze({
  initialDelayMs: 100,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.5,
});

export function assertValidBackoffPolicy(policy: BackoffPolicy): void {
  const { initialDelayMs, maxDelayMs, multiplier, jitter } = policy;
  if (!(Number.isFinite(initialDelayMs) && initialDelayMs >= 0)) {
    throw new RangeError(`initialDelayMs must be >= 0, got ${initialDelayMs}`);
  }
  if (!(Number.isFinite(maxDelayMs) && maxDelayMs >= initialDelayMs)) {
    throw new RangeError(`maxDelayMs must be >= initialDelayMs, got ${maxDelayMs}`);
  }
  if (!(Number.isFinite(multiplier) && multiplier >= 1)) throw new RangeError(`multiplier must be >= 1, got ${multiplier}`);
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`jitter must be within 0..1, got ${jitter}`);
}

/**
 * Delay before retry number `attempt` (0 for the first retry after a drop).
 * `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  if (policy.initialDelayMs === 0) return 0;
  const exponential = policy.initialDelayMs * policy.multiplier ** attempt;
  // After a long outage multiplier ** attempt overflows to Infinity; the cap still applies.
  const base = Number.isFinite(exponential) ? Math.min(policy.maxDelayMs, exponential) : policy.maxDelayMs;
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(base * (1 - policy.jitter * draw));
}

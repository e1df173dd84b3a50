export interface RetryPolicy {
  /** Wait before the first retry. */
  initialDelayMs: number;
  /** The wait doubles after each failure in a row, up to this. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 30_000 };

export function assertRetryPolicy(policy: RetryPolicy): void {
  const { initialDelayMs, maxDelayMs } = policy;
  if (!Number.isSafeInteger(initialDelayMs) || initialDelayMs < 0) throw new RangeError(`initialDelayMs must be an integer >= 0, got ${initialDelayMs}`);
  if (!Number.isSafeInteger(maxDelayMs) || maxDelayMs < initialDelayMs) {
    throw new RangeError(`maxDelayMs must be an integer >= initialDelayMs, got ${maxDelayMs}`);
  }
}

/** Delay before retry number `failures` (1 for the first retry). */
export const retryDelay = (policy: RetryPolicy, failures: number): number =>
  Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));

/** A sleep that a stop request cuts short. */
export class Sleeper {
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  sleep(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      };
      if (ms !== undefined) this.timer = setTimeout(() => this.wake?.(), ms);
    });
  }

  interrupt(): void {
    this.wake?.();
  }
}

import { assertValidBackoffPolicy, backoffDelayMs, type BackoffPolicy } from '@escrow/event-store/backoff';

/** The processors retry with the store's one back-off: doubling from a first wait, up to a cap. */
export type RetryPolicy = BackoffPolicy;

/**
 * A quarter of a second first, then doubling up to half a minute. No jitter: each processor retries alone,
 * against its own checkpoint, so there is no crowd of replicas to spread out.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 30_000, multiplier: 2, jitter: 0 };

export const assertRetryPolicy = (policy: RetryPolicy): void => assertValidBackoffPolicy(policy);

/** Delay before retry number `failures` (1 for the first retry). */
export const retryDelay = (policy: RetryPolicy, failures: number): number => backoffDelayMs(Math.max(failures - 1, 0), policy, Math.random);

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

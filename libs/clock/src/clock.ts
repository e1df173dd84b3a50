/**
 * The one source of the current instant for everything the service decides, records or reports: command times,
 * `recordedAt`, expiry and due dates, signed heads. Elapsed time (timeouts, latency, back-off) is measured with
 * `performance.now()` instead, which no clock setting moves.
 */
export interface Clock {
  now(): Date;
}

/** The injection token of the clock (Nest providers use it; the libraries take a `Clock` or its `now`). */
export const CLOCK = Symbol('CLOCK');

/** The host's clock; the only place in the service that asks the system for the time. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/** Another clock shifted by a fixed number of milliseconds (CLOCK_OFFSET): demonstrations and black-box checks. */
export class OffsetClock implements Clock {
  constructor(
    readonly offsetMs: number,
    private readonly base: Clock = systemClock,
  ) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
}

import { ProjectionFailures } from './projection-failures';

describe('ProjectionFailures', () => {
  let now: number;
  const failures = () => new ProjectionFailures({ initialDelayMs: 100, maxDelayMs: 250, multiplier: 2, jitter: 0 }, () => now);

  beforeEach(() => {
    now = 1_000;
  });

  it('holds a failed projection back for the shared back-off, doubling with each failure in a row up to the maximum', () => {
    const tracked = failures();
    tracked.failed('fees', new Error('disk full'), '2026-06-01T00:00:00.000Z');
    expect(tracked.isWaiting('fees')).toBe(true);
    expect(tracked.untilNextRetry()).toBe(100);
    now = 1_100;
    expect(tracked.isWaiting('fees')).toBe(false);

    tracked.failed('fees', new Error('still full'), '2026-06-01T00:00:01.000Z');
    expect(tracked.untilNextRetry()).toBe(200);
    now = 1_300;
    tracked.failed('fees', new Error('full again'), '2026-06-01T00:00:02.000Z');
    expect(tracked.untilNextRetry()).toBe(250);
    expect(tracked.list()).toEqual([{ name: 'fees', failures: 3, lastError: 'full again', failingSince: '2026-06-01T00:00:00.000Z' }]);
    expect(tracked.isWaiting('ledger')).toBe(false);
  });

  it('counts, asked at one instant, every projection found waiting at that instant, even once its wait is over', () => {
    const tracked = failures();
    tracked.failed('fees', new Error('x'), '2026-06-01T00:00:00.000Z');
    const at = now + 99;
    now = 2_000; // the wait ended between the two questions
    expect(tracked.isWaiting('fees', at)).toBe(true);
    expect(tracked.untilNextRetry(at)).toBe(1);
    expect(tracked.untilNextRetry()).toBeUndefined();
  });

  it('shows the message of an error from another realm, which is no instance of this Error', () => {
    const tracked = failures();
    const foreign = Object.assign(Object.create(null) as object, { name: 'SqliteError', message: 'fee_payouts is unwritable' });
    tracked.failed('fees', foreign, '2026-06-01T00:00:00.000Z');
    tracked.failed('ledger', 'a plain string', '2026-06-01T00:00:00.000Z');
    expect(tracked.list().map((failure) => failure.lastError)).toEqual(['fee_payouts is unwritable', 'a plain string']);
  });

  it('forgets a projection once it commits, and tells since when the longest failing one fails', () => {
    const tracked = failures();
    tracked.failed('ledger', new Error('a'), '2026-06-01T00:00:05.000Z');
    tracked.failed('fees', new Error('b'), '2026-06-01T00:00:03.000Z');
    expect(tracked.list().map((failure) => failure.name)).toEqual(['fees', 'ledger']);
    expect(tracked.earliestFailingSince()).toBe('2026-06-01T00:00:03.000Z');
    tracked.recovered('fees');
    expect(tracked.earliestFailingSince()).toBe('2026-06-01T00:00:05.000Z');
    tracked.recovered('ledger');
    expect(tracked.list()).toEqual([]);
    expect(tracked.earliestFailingSince()).toBeUndefined();
    expect(tracked.untilNextRetry()).toBeUndefined();
  });
});

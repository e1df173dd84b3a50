import { ControllableClock } from '@escrow/clock';
import { conflict } from '@escrow/domain/shared/domain-error';
import type { SettlementPolicy } from '@escrow/domain/settlement';
import { EventStoreUnavailableError } from '@escrow/event-store/port';
import { classifyReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { allTimers, Timer, timersProjection } from '@escrow/projections/timers';
import { ProjectionDriver } from '@escrow/projections/withdrawals/testing/projection-driver';
import { TimerScheduler } from './timer-scheduler';

const MONDAY_MORNING = '2026-12-07T00:30:00.000Z'; // 09:30 in Japan

/**
 * A marketplace in miniature: contract streams whose inspections and payouts feed the due table as the runtime
 * would, and a settlement pipeline that pays a milestone once and refuses a second payout as the decider does.
 */
function marketplace(startAt = MONDAY_MORNING) {
  const driver = new ProjectionDriver([timersProjection]);
  const clock = ControllableClock.frozenAt(startAt);
  const paid = new Set<string>();
  const issued: string[] = [];
  let unavailable = 0;

  const payOut = (contractId: string, milestoneId: string, at: string) => {
    const key = `${contractId}/${milestoneId}`;
    if (paid.has(key)) throw conflict('MILESTONE_ALREADY_PAID_OUT', `milestone ${milestoneId} has been paid out`);
    paid.add(key);
    const [event] = driver.record(`contract-${contractId}`, [{ type: 'MilestonePaidOut', data: { contractId, milestoneId } }], at);
    return event.position;
  };
  const inspect = (contractId: string, milestoneId: string) =>
    driver.record(`contract-${contractId}`, [{ type: 'MilestoneInspected', data: { contractId, milestoneId, clientId: 'c', workerId: 'w', inspectedBy: 'client' } }], clock.now().toISOString());

  const scheduler = (settlement: SettlementPolicy, options: { tableLags?: boolean } = {}) =>
    new TimerScheduler({
      db: driver.db,
      clock,
      settlement,
      expiresBalances: true,
      pollMs: 20,
      retry: { initialDelayMs: 5, maxDelayMs: 10, multiplier: 2, jitter: 0 },
      issue: async (timer: Timer, at: Date) => {
        if (unavailable > 0) {
          unavailable--;
          throw new EventStoreUnavailableError('the store is busy');
        }
        issued.push(timer.timerId);
        const { contractId, milestoneId } = timer.subject as { contractId: string; milestoneId: string };
        return { position: payOut(contractId, milestoneId, at.toISOString()), recorded: true };
      },
      classify: (error) => classifyReactionFailure(error),
      waitForTable: async () => (options.tableLags ? false : true),
    });

  return {
    driver,
    clock,
    issued,
    inspect,
    /** A settlement caller posting /payout itself. */
    manualPayOut: (contractId: string, milestoneId: string) => payOut(contractId, milestoneId, clock.now().toISOString()),
    /** A payout another process made that the due table has not seen yet. */
    payOutUnseen: (contractId: string, milestoneId: string) => paid.add(`${contractId}/${milestoneId}`),
    failNext: (times: number) => (unavailable = times),
    scheduler,
    states: () => Object.fromEntries(allTimers(driver.db).map((timer) => [timer.timerId, timer.state])),
  };
}

const IMMEDIATE: SettlementPolicy = { kind: 'immediate' };
const DAILY_AT_17: SettlementPolicy = { kind: 'daily', at: '17:00' };

describe('the settlement timers', () => {
  it('pays an inspected milestone at once under immediate, as the service itself, once', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    const scheduler = market.scheduler(IMMEDIATE);

    expect(await scheduler.runDue()).toEqual({ issued: 1, refused: 0, passingFailure: false });
    expect(market.issued).toEqual(['settle:c1:m1']);
    expect(market.states()).toEqual({ 'settle:c1:m1': 'done' });
  });

  it('does nothing twice when looked at again', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    const scheduler = market.scheduler(IMMEDIATE);
    await scheduler.runDue();

    expect(await scheduler.runDue()).toEqual({ issued: 0, refused: 0, passingFailure: false });
    expect(market.issued).toEqual(['settle:c1:m1']);
  });

  it('holds a milestone back until the daily batch, then pays every one inspected since the last', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    market.clock.advance('PT2H');
    market.inspect('c2', 'm1');
    const scheduler = market.scheduler(DAILY_AT_17);

    market.clock.set('2026-12-07T07:59:59.000Z');
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });

    market.clock.set('2026-12-07T08:00:00.000Z');
    market.inspect('c3', 'm1'); // inspected exactly at the batch: in it
    market.clock.advance(1);
    market.inspect('c4', 'm1'); // after the batch: tomorrow's
    expect(await scheduler.runDue()).toMatchObject({ issued: 3 });
    expect(market.issued).toEqual(['settle:c1:m1', 'settle:c2:m1', 'settle:c3:m1']);
    expect(market.states()['settle:c4:m1']).toBe('pending');
  });

  it('pays nothing of itself under manual', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    market.clock.advance('P30D');

    expect(await market.scheduler({ kind: 'manual' }).runDue()).toMatchObject({ issued: 0 });
    expect(market.states()).toEqual({ 'settle:c1:m1': 'pending' });
  });

  it('leaves a milestone a manual payout reached first: the timer is done by that payout', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    market.manualPayOut('c1', 'm1');

    expect(await market.scheduler(IMMEDIATE).runDue()).toMatchObject({ issued: 0, refused: 0 });
    expect(market.issued).toEqual([]);
    expect(market.states()).toEqual({ 'settle:c1:m1': 'done' });
  });

  it('records a refusal once and never retries it, while the timers after it are issued', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    market.inspect('c2', 'm1');
    market.payOutUnseen('c1', 'm1'); // a manual payout the due table has not applied yet: the decider says 409
    const scheduler = market.scheduler(IMMEDIATE);

    expect(await scheduler.runDue()).toEqual({ issued: 1, refused: 1, passingFailure: false });
    expect(scheduler.outcomes()).toEqual([
      { timerId: 'settle:c1:m1', outcome: 'refused', code: 'MILESTONE_ALREADY_PAID_OUT', message: 'milestone m1 has been paid out', decidedAt: MONDAY_MORNING },
    ]);
    expect(await scheduler.runDue()).toEqual({ issued: 0, refused: 0, passingFailure: false });
    expect(market.issued).toEqual(['settle:c1:m1', 'settle:c2:m1']);
  });

  it('stops a look on a passing failure, leaving the timer pending for the next look', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    market.failNext(1);
    const scheduler = market.scheduler(IMMEDIATE);

    expect(await scheduler.runDue()).toEqual({ issued: 0, refused: 0, passingFailure: true });
    expect(market.states()).toEqual({ 'settle:c1:m1': 'pending' });
    expect(await scheduler.runDue()).toEqual({ issued: 1, refused: 0, passingFailure: false });
    expect(market.states()).toEqual({ 'settle:c1:m1': 'done' });
  });

  it('catches up after a restart on everything that fell due while it was down, and keeps the refusals', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    market.payOutUnseen('c1', 'm1');
    await market.scheduler(DAILY_AT_17).runDue(); // nothing due before 17:00
    market.clock.set('2026-12-07T09:00:00.000Z');
    const first = market.scheduler(DAILY_AT_17);
    expect(await first.runDue()).toMatchObject({ refused: 1 });
    // Down for three days, during which two more milestones were inspected.
    market.clock.advance('P1D');
    market.inspect('c2', 'm1');
    market.clock.advance('P1D');
    market.inspect('c3', 'm1');
    market.clock.advance('P1D');

    const restarted = market.scheduler(DAILY_AT_17);
    expect(await restarted.runDue()).toEqual({ issued: 2, refused: 0, passingFailure: false });
    expect(restarted.outcomes().map((outcome) => outcome.timerId)).toEqual(['settle:c1:m1']);
    expect(market.issued).toEqual(['settle:c1:m1', 'settle:c2:m1', 'settle:c3:m1']);
  });

  it('records once, and does not repeat, a payout refused because the table had not applied an earlier one', async () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    // The table never catches up in time: the next look finds the timer still pending, and the pipeline refuses
    // the second payout (in the service the idempotency key replays the first), so it is recorded, not repeated.
    const lagging = new TimerScheduler({
      db: market.driver.db,
      clock: market.clock,
      settlement: IMMEDIATE,
      expiresBalances: true,
      pollMs: 20,
      issue: async () => {
        throw conflict('MILESTONE_ALREADY_PAID_OUT', 'paid');
      },
      classify: (error) => classifyReactionFailure(error),
      waitForTable: async () => false,
    });
    expect(await lagging.runDue()).toMatchObject({ refused: 1 });
    expect(await lagging.runDue()).toMatchObject({ refused: 0, issued: 0 });
  });

  it('running, is woken by a moved clock and a grown log, and stops with nothing in flight', async () => {
    const market = marketplace('2026-12-07T07:00:00.000Z');
    market.inspect('c1', 'm1');
    const scheduler = market.scheduler(DAILY_AT_17);
    scheduler.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(market.issued).toEqual([]);
      market.clock.set('2026-12-07T08:00:00.000Z');
      scheduler.wake();
      await waitUntil(() => market.issued.length === 1);
      market.clock.advance('P1D');
      market.inspect('c2', 'm1');
      // No wake this time: the bounded poll finds it.
      await waitUntil(() => market.issued.length === 2);
    } finally {
      await scheduler.stop();
    }
    expect(market.issued).toEqual(['settle:c1:m1', 'settle:c2:m1']);
  });

  it('gives the same due table rebuilt from position zero', () => {
    const market = marketplace();
    market.inspect('c1', 'm1');
    market.inspect('c1', 'm2');
    market.manualPayOut('c1', 'm1');
    market.driver.record('contract-c1', [{ type: 'MilestoneCancelled', data: { contractId: 'c1', milestoneId: 'm2' } }], MONDAY_MORNING);
    market.inspect('c2', 'm1');

    expect(ProjectionDriver.dump(market.driver.rebuilt(), [timersProjection])).toEqual(ProjectionDriver.dump(market.driver.db, [timersProjection]));
    expect(market.states()).toEqual({ 'settle:c1:m1': 'done', 'settle:c1:m2': 'cancelled', 'settle:c2:m1': 'pending' });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('the condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

import { ControllableClock } from '@escrow/clock';
import { conflict } from '@escrow/domain/shared/domain-error';
import { allTimers, Timer, timersProjection } from '@escrow/projections/timers';
import { ProjectionDriver } from '@escrow/projections/withdrawals/testing/projection-driver';
import { ConcurrencyConflictError } from '../commands/command-refusals';
import { ProblemError } from '../http/problem';
import { IdempotencyKeyReusedError } from '../idempotency';
import { classifyTimerFailure } from './timer-failures';
import { TimerScheduler } from './timer-scheduler';

describe("the scheduler's reading of a due timer's failed command", () => {
  it('waits out contention on the stream: the executor gave up for now, not for good', () => {
    expect(classifyTimerFailure(new ConcurrencyConflictError('contract-c1'))).toBe('passing');
  });

  it('waits out a 5xx, and gives up on a refusal or a reused key', () => {
    expect(classifyTimerFailure(new ProblemError(503, 'STORE_UNAVAILABLE', 'Service unavailable'))).toBe('passing');
    expect(classifyTimerFailure(conflict('MILESTONE_ALREADY_PAID_OUT', 'paid already'))).toBe('permanent');
    expect(classifyTimerFailure(new IdempotencyKeyReusedError())).toBe('permanent');
    expect(classifyTimerFailure(Object.assign(new Error('CONCURRENCY_CONFLICT'), { code: 'CONCURRENCY_CONFLICT' }))).toBe('permanent');
  });

  it('a party writing to the contract while its payout falls due delays the payout, never cancels it', async () => {
    const driver = new ProjectionDriver([timersProjection]);
    const at = '2026-12-07T00:30:00.000Z';
    driver.record('contract-c1', [{ type: 'MilestoneInspected', data: { contractId: 'c1', milestoneId: 'm1', clientId: 'c', workerId: 'w', inspectedBy: 'client' } }], at);
    let contended = 1;
    const scheduler = new TimerScheduler({
      db: driver.db,
      clock: ControllableClock.frozenAt(at),
      settlement: { kind: 'immediate' },
      expiresBalances: false,
      pollMs: 20,
      retry: { initialDelayMs: 5, maxDelayMs: 10, multiplier: 2, jitter: 0 },
      issue: async (timer: Timer) => {
        if (contended-- > 0) throw new ConcurrencyConflictError('contract-c1');
        const [event] = driver.record('contract-c1', [{ type: 'MilestonePaidOut', data: { contractId: 'c1', milestoneId: 'm1' } }], at);
        return { position: event.position, recorded: timer.kind === 'settlement' };
      },
      classify: classifyTimerFailure,
      waitForTable: async () => true,
    });

    expect(await scheduler.runDue()).toEqual({ issued: 0, refused: 0, passingFailure: true });
    expect(scheduler.outcomes()).toEqual([]);
    expect(await scheduler.runDue()).toEqual({ issued: 1, refused: 0, passingFailure: false });
    expect(allTimers(driver.db).map((timer) => [timer.timerId, timer.state])).toEqual([['settle:c1:m1', 'done']]);
  });
});

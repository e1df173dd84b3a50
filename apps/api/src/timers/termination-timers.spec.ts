import { ControllableClock } from '@escrow/clock';
import { contractDecider, ContractCommand, contractStreamId } from '@escrow/domain/contract';
import { CLIENT, command, CONTRACT_ID, MILESTONES, OFFERED_AT, WORKER } from '@escrow/domain/contract/testing/fixtures';
import type { Actor } from '@escrow/domain/shared/actor';
import { classifyReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { allTimers, terminationTimerId, Timer, timersProjection } from '@escrow/projections/timers';
import { ProjectionDriver } from '@escrow/projections/withdrawals/testing/projection-driver';
import { TimerScheduler } from './timer-scheduler';

const PLATFORM: Actor = { id: 'termination', role: 'system' };
const REQUESTED_AT = '2026-04-10T00:00:00.000Z';
const ANSWER_BY = '2026-04-17T00:00:00.000Z';
const SEVEN_DAYS_MS = 7 * 86_400_000;
const STREAM = contractStreamId(CONTRACT_ID);

/** A contract fed by the real decider, its events feeding the due table, and the scheduler completing terminations. */
function contract() {
  const driver = new ProjectionDriver([timersProjection]);
  const clock = ControllableClock.frozenAt(OFFERED_AT);
  const issued: string[] = [];
  const run = (next: ContractCommand) => ({ events: driver.run(contractDecider, STREAM, next), position: driver.log.length });
  run(command('OfferContract', { clientId: CLIENT.id, workerId: WORKER.id, title: 'Corporate website', milestones: MILESTONES, at: OFFERED_AT }));
  run(command('AcceptOffer', { at: '2026-04-02T00:00:00.000Z' }));
  run(command('FundMilestone', { milestoneId: 'm1', paymentReference: 'p-1', method: 'card', at: '2026-04-03T00:00:00.000Z' }));
  run(command('RequestTermination', { reason: 'Budget cut', at: REQUESTED_AT }));
  const requestTimer = allTimers(driver.db).find((timer) => timer.kind === 'termination') as Timer;
  const scheduler = (terminationAnswerWithinMs: number | null = SEVEN_DAYS_MS) =>
    new TimerScheduler({
      db: driver.db,
      clock,
      settlement: { kind: 'manual' },
      expiresBalances: false,
      terminationAnswerWithinMs,
      pollMs: 20,
      issue: async (timer: Timer, at: Date) => {
        issued.push(timer.timerId);
        const { contractId, requestedAt } = timer.subject as { contractId: string; requestedAt: string };
        return {
          ...run({ type: 'CompleteUnansweredTermination', contractId, requestedAt, answerWithinMs: terminationAnswerWithinMs!, actor: PLATFORM, at: at.toISOString() }),
          recorded: true,
        };
      },
      classify: (error) => classifyReactionFailure(error),
      waitForTable: async () => true,
    });
  const eventsOfType = (type: string) => driver.log.filter((event) => event.type === type);
  const states = () => Object.fromEntries(allTimers(driver.db).map((timer) => [timer.timerId, timer.state]));
  return { driver, clock, issued, run, scheduler, eventsOfType, states, requestTimer };
}

describe('the termination timers', () => {
  it('derive from a request: one timer named by the request, due from the instant it was made', () => {
    const c = contract();
    expect(c.requestTimer).toMatchObject({
      timerId: terminationTimerId(CONTRACT_ID, c.requestTimer.causeEventId),
      kind: 'termination',
      subject: { contractId: CONTRACT_ID, requestedAt: REQUESTED_AT },
      dueAt: REQUESTED_AT,
      state: 'pending',
    });
    expect(c.requestTimer.timerId).toBe(`terminate:${CONTRACT_ID}:${c.requestTimer.causeEventId}`);
  });

  it('complete the request 7 days on, not a millisecond earlier, once, refunding the open escrow to the client', async () => {
    const c = contract();
    const scheduler = c.scheduler();
    c.clock.set('2026-04-16T23:59:59.999Z');
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });
    expect(c.eventsOfType('ContractTerminated')).toEqual([]);

    c.clock.set(ANSWER_BY);
    await scheduler.runDue();
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });
    expect(c.issued).toEqual([c.requestTimer.timerId]);
    expect(c.eventsOfType('EscrowRefunded').map((event) => event.data)).toEqual([
      expect.objectContaining({ milestoneId: 'm1', amount: 50_000, cause: 'termination', escrowAfter: 0 }),
    ]);
    expect(c.eventsOfType('ContractTerminated').map((event) => event.data)).toEqual([
      expect.objectContaining({ terminatedBy: 'unanswered', requestedBy: { id: CLIENT.id, party: 'client' }, refundedTotal: 50_000, paidOutGross: 0, terminatedAt: ANSWER_BY }),
    ]);
    expect(c.states()).toEqual({ [c.requestTimer.timerId]: 'done' });
  });

  it('are cancelled by an answer that came first, and issue nothing', async () => {
    const rejected = contract();
    rejected.run(command('RejectTermination', { at: '2026-04-12T00:00:00.000Z' }));
    expect(rejected.states()).toEqual({ [rejected.requestTimer.timerId]: 'cancelled' });
    rejected.clock.set('2026-05-01T00:00:00.000Z');
    expect(await rejected.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(rejected.eventsOfType('ContractTerminated')).toEqual([]);

    const accepted = contract();
    accepted.run(command('AcceptTermination', { at: '2026-04-12T00:00:00.000Z' }));
    expect(accepted.states()).toEqual({ [accepted.requestTimer.timerId]: 'done' });
    accepted.clock.set('2026-05-01T00:00:00.000Z');
    expect(await accepted.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(accepted.eventsOfType('ContractTerminated').map((event) => event.data.terminatedBy)).toEqual(['agreement']);
  });

  it('leave a later request to its own timer: the rejected one stays cancelled, the new one falls due 7 days after it', async () => {
    const c = contract();
    c.run(command('RejectTermination', { at: '2026-04-12T00:00:00.000Z' }));
    c.run(command('RequestTermination', { reason: 'Ill', actor: WORKER, at: '2026-04-13T00:00:00.000Z' }));
    const timers = allTimers(c.driver.db);
    expect(timers.map((timer) => timer.state)).toEqual(['cancelled', 'pending']);
    c.clock.set(ANSWER_BY);
    const scheduler = c.scheduler();
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });
    c.clock.set('2026-04-20T00:00:00.000Z');
    await scheduler.runDue();
    expect(c.eventsOfType('ContractTerminated').map((event) => event.data)).toEqual([
      expect.objectContaining({ terminatedBy: 'unanswered', requestedBy: { id: WORKER.id, party: 'worker' }, reason: 'Ill' }),
    ]);
  });

  it('catch up after a restart past the deadline, and a repeat is refused without a second termination', async () => {
    const c = contract();
    c.clock.set('2026-05-01T00:00:00.000Z');
    const restarted = c.scheduler();
    await restarted.runDue();
    expect(c.eventsOfType('ContractTerminated')).toHaveLength(1);
    expect(c.eventsOfType('ContractTerminated')[0].data).toMatchObject({ terminatedAt: '2026-05-01T00:00:00.000Z' });
    expect(await c.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(() => c.run({ type: 'CompleteUnansweredTermination', contractId: CONTRACT_ID, requestedAt: REQUESTED_AT, answerWithinMs: SEVEN_DAYS_MS, actor: PLATFORM, at: '2026-05-01T00:00:00.000Z' })).toThrow(
      expect.objectContaining({ code: 'CONTRACT_NOT_ACTIVE' }),
    );
    expect(c.eventsOfType('ContractTerminated')).toHaveLength(1);
  });

  it('issue nothing while the policy is off', async () => {
    const c = contract();
    c.clock.set('2027-01-01T00:00:00.000Z');
    expect(await c.scheduler(null).runDue()).toMatchObject({ issued: 0 });
    expect(c.states()).toEqual({ [c.requestTimer.timerId]: 'pending' });
  });

  it('give the same due table rebuilt from position zero', async () => {
    const c = contract();
    c.clock.set(ANSWER_BY);
    await c.scheduler().runDue();
    expect(ProjectionDriver.dump(c.driver.rebuilt(), [timersProjection])).toEqual(ProjectionDriver.dump(c.driver.db, [timersProjection]));
  });
});

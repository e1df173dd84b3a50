import { ControllableClock } from '@escrow/clock';
import { contractDecider, ContractCommand, contractStreamId } from '@escrow/domain/contract';
import { CLIENT, command, CONTRACT_ID, MILESTONES, OFFERED_AT, SUPPORT, WORKER } from '@escrow/domain/contract/testing/fixtures';
import type { Actor } from '@escrow/domain/shared/actor';
import { classifyReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { allTimers, inspectionTimerId, Timer, timersProjection } from '@escrow/projections/timers';
import { ProjectionDriver } from '@escrow/projections/withdrawals/testing/projection-driver';
import { TimerScheduler } from './timer-scheduler';

const PLATFORM: Actor = { id: 'auto-inspection', role: 'system' };
const DELIVERED_AT = '2026-04-10T00:00:00.000Z';
const PERIOD_OVER = '2026-04-24T00:00:00.000Z';
const FOURTEEN_DAYS_MS = 14 * 86_400_000;
const STREAM = contractStreamId(CONTRACT_ID);
const FILE = { uri: 'https://files.example.com/site.zip' };

/** A contract with a delivery, fed by the real decider, its events feeding the due table, and the scheduler inspecting. */
function contract() {
  const driver = new ProjectionDriver([timersProjection]);
  const clock = ControllableClock.frozenAt(OFFERED_AT);
  const issued: string[] = [];
  const run = (next: ContractCommand) => ({ events: driver.run(contractDecider, STREAM, next), position: driver.log.length });
  run(command('OfferContract', { clientId: CLIENT.id, workerId: WORKER.id, title: 'Corporate website', milestones: MILESTONES, at: OFFERED_AT }));
  run(command('AcceptOffer', { at: '2026-04-02T00:00:00.000Z' }));
  run(command('FundMilestone', { milestoneId: 'm1', paymentReference: 'p-1', method: 'card', at: '2026-04-03T00:00:00.000Z' }));
  run(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [FILE], at: DELIVERED_AT }));
  const deliveryTimer = allTimers(driver.db).find((timer) => timer.kind === 'inspection') as Timer;
  const scheduler = (autoInspectionAfterMs: number | null = FOURTEEN_DAYS_MS) =>
    new TimerScheduler({
      db: driver.db,
      clock,
      settlement: { kind: 'manual' },
      expiresBalances: false,
      autoInspectionAfterMs,
      pollMs: 20,
      issue: async (timer: Timer, at: Date) => {
        issued.push(timer.timerId);
        const { contractId, milestoneId } = timer.subject as { contractId: string; milestoneId: string };
        return { ...run({ type: 'AutoInspectMilestone', contractId, milestoneId, afterMs: autoInspectionAfterMs!, actor: PLATFORM, at: at.toISOString() }), recorded: true };
      },
      classify: (error) => classifyReactionFailure(error),
      waitForTable: async () => true,
    });
  const eventsOfType = (type: string) => driver.log.filter((event) => event.type === type);
  const inspectionStates = () =>
    Object.fromEntries(allTimers(driver.db).filter((timer) => timer.kind === 'inspection').map((timer) => [timer.timerId, timer.state]));
  return { driver, clock, issued, run, scheduler, eventsOfType, inspectionStates, deliveryTimer };
}

describe('the automatic inspection timers', () => {
  it('derive from a delivery: one timer named by the delivery, due from the instant it was made', () => {
    const c = contract();
    expect(c.deliveryTimer).toMatchObject({
      kind: 'inspection',
      subject: { contractId: CONTRACT_ID, milestoneId: 'm1', deliveredAt: DELIVERED_AT },
      dueAt: DELIVERED_AT,
      state: 'pending',
    });
    expect(c.deliveryTimer.timerId).toBe(inspectionTimerId(CONTRACT_ID, 'm1', c.deliveryTimer.causeEventId));
    expect(c.deliveryTimer.timerId).toBe(`inspect:${CONTRACT_ID}:m1:${c.deliveryTimer.causeEventId}`);
  });

  it('inspect 14 days after the delivery, not a millisecond earlier, once, and the settlement timer follows', async () => {
    const c = contract();
    const scheduler = c.scheduler();
    c.clock.set('2026-04-23T23:59:59.999Z');
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });
    expect(c.eventsOfType('MilestoneInspected')).toEqual([]);

    c.clock.set(PERIOD_OVER);
    await scheduler.runDue();
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });
    expect(c.issued).toEqual([c.deliveryTimer.timerId]);
    expect(c.eventsOfType('MilestoneInspected').map((event) => event.data)).toEqual([
      expect.objectContaining({ milestoneId: 'm1', inspectedBy: 'automatic', inspectedAfterMs: FOURTEEN_DAYS_MS }),
    ]);
    expect(c.inspectionStates()).toEqual({ [c.deliveryTimer.timerId]: 'done' });
    expect(allTimers(c.driver.db).find((timer) => timer.kind === 'settlement')).toMatchObject({
      subject: { contractId: CONTRACT_ID, milestoneId: 'm1' },
      dueAt: PERIOD_OVER,
      state: 'pending',
    });
  });

  it('are closed by the client or support who got there first, and issue nothing', async () => {
    const inspectedByClient = contract();
    inspectedByClient.run(command('InspectMilestone', { milestoneId: 'm1', at: '2026-04-12T00:00:00.000Z' }));
    expect(inspectedByClient.inspectionStates()).toEqual({ [inspectedByClient.deliveryTimer.timerId]: 'done' });
    inspectedByClient.clock.set('2026-05-01T00:00:00.000Z');
    expect(await inspectedByClient.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(inspectedByClient.eventsOfType('MilestoneInspected').map((event) => event.data.inspectedBy)).toEqual(['client']);

    const inspectedBySupport = contract();
    inspectedBySupport.run(command('SupportInspectMilestone', { milestoneId: 'm1', reason: 'Client silent', actor: SUPPORT, at: '2026-04-17T00:00:00.000Z' }));
    inspectedBySupport.clock.set('2026-05-01T00:00:00.000Z');
    expect(await inspectedBySupport.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(inspectedBySupport.eventsOfType('MilestoneInspected').map((event) => event.data.inspectedBy)).toEqual(['support']);
  });

  it('record the refusal, once, when the client inspected between the scheduler’s look and its command', async () => {
    const c = contract();
    c.clock.set(PERIOD_OVER);
    const scheduler = new TimerScheduler({
      db: c.driver.db,
      clock: c.clock,
      settlement: { kind: 'manual' },
      expiresBalances: false,
      autoInspectionAfterMs: FOURTEEN_DAYS_MS,
      pollMs: 20,
      issue: async (due: Timer, at: Date) => {
        const { milestoneId } = due.subject as { milestoneId: string };
        c.run(command('InspectMilestone', { milestoneId, at: at.toISOString() }));
        return { ...c.run({ type: 'AutoInspectMilestone', contractId: CONTRACT_ID, milestoneId, afterMs: FOURTEEN_DAYS_MS, actor: PLATFORM, at: at.toISOString() }), recorded: true };
      },
      classify: (error) => classifyReactionFailure(error),
      waitForTable: async () => true,
    });
    expect(await scheduler.runDue()).toEqual({ issued: 0, refused: 1, passingFailure: false });
    expect(scheduler.outcomes()).toEqual([expect.objectContaining({ timerId: c.deliveryTimer.timerId, outcome: 'refused', code: 'MILESTONE_ALREADY_INSPECTED' })]);
    expect(c.eventsOfType('MilestoneInspected').map((event) => event.data.inspectedBy)).toEqual(['client']);
    expect(await scheduler.runDue()).toEqual({ issued: 0, refused: 0, passingFailure: false });
    expect(c.inspectionStates()).toEqual({ [c.deliveryTimer.timerId]: 'done' });
  });

  it('are cancelled by a revision request; the re-delivery has its own timer, due from it', async () => {
    const c = contract();
    c.run(command('RequestRevision', { milestoneId: 'm1', reason: 'Fix the header', at: '2026-04-12T00:00:00.000Z' }));
    c.run(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [FILE], at: '2026-04-15T00:00:00.000Z' }));
    const timers = allTimers(c.driver.db).filter((timer) => timer.kind === 'inspection');
    expect(timers.map((timer) => [timer.dueAt, timer.state])).toEqual([
      [DELIVERED_AT, 'cancelled'],
      ['2026-04-15T00:00:00.000Z', 'pending'],
    ]);
    const scheduler = c.scheduler();
    c.clock.set(PERIOD_OVER);
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });
    c.clock.set('2026-04-29T00:00:00.000Z');
    await scheduler.runDue();
    expect(c.issued).toEqual([timers[1].timerId]);
    expect(c.eventsOfType('MilestoneInspected')).toHaveLength(1);
  });

  it('are cancelled by the milestone’s end: a termination', async () => {
    const c = contract();
    c.run(command('SupportTerminate', { reason: 'Dispute', splits: [], actor: SUPPORT, at: '2026-04-12T00:00:00.000Z' }));
    expect(c.inspectionStates()).toEqual({ [c.deliveryTimer.timerId]: 'cancelled' });
    c.clock.set('2026-05-01T00:00:00.000Z');
    expect(await c.scheduler().runDue()).toMatchObject({ issued: 0 });
  });

  it('catch up after a restart past the period, and a repeat is refused without a second inspection', async () => {
    const c = contract();
    c.clock.set('2026-05-01T00:00:00.000Z');
    await c.scheduler().runDue();
    expect(c.eventsOfType('MilestoneInspected')).toHaveLength(1);
    expect(await c.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(() =>
      c.run({ type: 'AutoInspectMilestone', contractId: CONTRACT_ID, milestoneId: 'm1', afterMs: FOURTEEN_DAYS_MS, actor: PLATFORM, at: '2026-05-01T00:00:00.000Z' }),
    ).toThrow(expect.objectContaining({ code: 'MILESTONE_ALREADY_INSPECTED' }));
    expect(c.eventsOfType('MilestoneInspected')).toHaveLength(1);
  });

  it('issue nothing while the policy is off, and stay pending', async () => {
    const c = contract();
    c.clock.set('2027-01-01T00:00:00.000Z');
    expect(await c.scheduler(null).runDue()).toMatchObject({ issued: 0 });
    expect(c.inspectionStates()).toEqual({ [c.deliveryTimer.timerId]: 'pending' });
  });

  it('give the same due table rebuilt from position zero', async () => {
    const c = contract();
    c.run(command('RequestRevision', { milestoneId: 'm1', reason: 'Fix the header', at: '2026-04-12T00:00:00.000Z' }));
    c.run(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [FILE], at: '2026-04-15T00:00:00.000Z' }));
    c.clock.set('2026-05-01T00:00:00.000Z');
    await c.scheduler().runDue();
    expect(ProjectionDriver.dump(c.driver.rebuilt(), [timersProjection])).toEqual(ProjectionDriver.dump(c.driver.db, [timersProjection]));
  });
});

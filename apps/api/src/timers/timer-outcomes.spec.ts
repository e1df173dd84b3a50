import { ControllableClock } from '@escrow/clock';
import { conflict } from '@escrow/domain/shared/domain-error';
import { classifyReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { Timer, timersProjection } from '@escrow/projections/timers';
import { ProjectionDriver } from '@escrow/projections/withdrawals/testing/projection-driver';
import { recordedTimerOutcomes } from './timer-outcomes';
import { TimerScheduler } from './timer-scheduler';

const AT = '2026-12-07T00:30:00.000Z';

/** Inspected milestones whose payout timers the scheduler issues: even ones are refused, odd ones find nothing to do. */
async function outcomesOf(milestones: number) {
  const driver = new ProjectionDriver([timersProjection]);
  for (let i = 0; i < milestones; i++) {
    driver.record(`contract-c${i}`, [{ type: 'MilestoneInspected', data: { contractId: `c${i}`, milestoneId: 'm1', clientId: 'c', workerId: 'w', inspectedBy: 'client' } }], AT);
  }
  // An expiry timer whose balance was spent: the kind filter must read past it.
  driver.record('wallet-a1', [{ type: 'WalletCredited', data: { accountId: 'a1', expiresAt: AT, source: { kind: 'payout', id: 'p1' }, amount: 1 } }], '2026-06-10T00:30:00.000Z');
  const scheduler = new TimerScheduler({
    db: driver.db,
    clock: ControllableClock.frozenAt(AT),
    settlement: { kind: 'immediate' },
    expiresBalances: true,
    pollMs: 20,
    issue: async (timer: Timer) => {
      if (timer.kind === 'settlement' && Number(String(timer.subject.contractId).slice(1)) % 2 === 0) throw conflict('MILESTONE_ALREADY_PAID_OUT', 'paid by hand');
      return { position: driver.log.length, recorded: false };
    },
    classify: (error) => classifyReactionFailure(error),
    waitForTable: async () => true,
  });
  await scheduler.runDue();
  return driver.db;
}

describe('the recorded outcomes of timers, as GET /v1/schedule/outcomes lists them', () => {
  it('lists each with what the due table says it was about, in the order recorded', async () => {
    const db = await outcomesOf(3);
    const all = recordedTimerOutcomes(db, { limit: 100 });
    expect(all.map((outcome) => [outcome.timerId, outcome.kind, outcome.outcome, outcome.code])).toEqual(
      expect.arrayContaining([
        ['settle:c0:m1', 'settlement', 'refused', 'MILESTONE_ALREADY_PAID_OUT'],
        ['settle:c1:m1', 'settlement', 'nothing_to_do', 'NOTHING_TO_DO'],
        ['settle:c2:m1', 'settlement', 'refused', 'MILESTONE_ALREADY_PAID_OUT'],
      ]),
    );
    expect(all.find((outcome) => outcome.timerId === 'settle:c1:m1')).toMatchObject({ subject: { contractId: 'c1', milestoneId: 'm1' }, dueAt: AT });
    expect(all.map((outcome) => outcome.sequence)).toEqual([...all.map((outcome) => outcome.sequence)].sort((a, b) => a - b));
  });

  it('filters by outcome and by kind, reading on past rows of other kinds until the page is full', async () => {
    const db = await outcomesOf(6);
    expect(recordedTimerOutcomes(db, { outcome: 'refused', limit: 100 }).map((outcome) => outcome.timerId)).toEqual(['settle:c0:m1', 'settle:c2:m1', 'settle:c4:m1']);
    const expiries = recordedTimerOutcomes(db, { kind: 'expiry', limit: 1 });
    expect(expiries.map((outcome) => [outcome.kind, outcome.outcome])).toEqual([['expiry', 'nothing_to_do']]);
    const page = recordedTimerOutcomes(db, { kind: 'settlement', limit: 2 });
    expect(recordedTimerOutcomes(db, { kind: 'settlement', after: page[1].sequence, limit: 100 })).toHaveLength(4);
  });

  it('lists nothing before a scheduler has recorded anything', () => {
    expect(recordedTimerOutcomes(new ProjectionDriver([timersProjection]).db, { limit: 10 })).toEqual([]);
  });
});

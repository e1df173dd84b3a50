import { ControllableClock } from '@escrow/clock';
import type { Actor } from '@escrow/domain/shared/actor';
import { walletDecider, WalletCommand, walletStreamId } from '@escrow/domain/wallet';
import { classifyReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { allTimers, Timer, timersProjection } from '@escrow/projections/timers';
import { ProjectionDriver } from '@escrow/projections/withdrawals/testing/projection-driver';
import { TimerScheduler } from './timer-scheduler';

/** The expiry timers and their notices; the credit's cut-off timer is the cut-off spec's. */
const expiryTimers = (db: Parameters<typeof allTimers>[0]) => allTimers(db).filter((timer) => timer.kind !== 'withdrawal_cutoff');

const PLATFORM: Actor = { id: 'balance-expiry', role: 'system' };
const CREDITED_AT = '2026-04-01T00:00:00.000Z';
const EXPIRES_AT = '2026-09-28T00:00:00.000Z';
const ACCOUNT = 'acc-1';

/** A wallet fed by the real decider, its events feeding the due table, and the scheduler issuing wallet commands. */
function wallet() {
  const driver = new ProjectionDriver([timersProjection]);
  const clock = ControllableClock.frozenAt(CREDITED_AT);
  const issued: string[] = [];
  const run = (command: WalletCommand) => {
    const events = driver.run(walletDecider, walletStreamId(ACCOUNT), command);
    return { events, position: driver.log.length };
  };
  run({
    type: 'CreditWallet',
    accountId: ACCOUNT,
    actor: { id: 'wallet-credit', role: 'system' },
    at: CREDITED_AT,
    source: { kind: 'payout', id: 'payout-1', contractId: 'c', milestoneId: 'm' },
    amount: 8_580,
    flags: { noDeliverable: false, fastCompletion: false },
  });
  const scheduler = (expiresBalances = true) =>
    new TimerScheduler({
      db: driver.db,
      clock,
      settlement: { kind: 'manual' },
      expiresBalances,
      pollMs: 20,
      issue: async (timer: Timer, at: Date) => {
        issued.push(timer.timerId);
        const { expiresAt, daysBefore } = timer.subject as { expiresAt: string; daysBefore?: 30 | 7 };
        const base = { accountId: ACCOUNT, actor: PLATFORM, at: at.toISOString() };
        const { events, position } = run(
          timer.kind === 'expiry' ? { ...base, type: 'ExpireBalances', asOf: expiresAt } : { ...base, type: 'NoticeBalanceExpiry', expiresAt, daysBefore: daysBefore! },
        );
        return { position, recorded: events.length > 0 };
      },
      classify: (error) => classifyReactionFailure(error),
      waitForTable: async () => true,
    });
  const eventsOfType = (type: string) => driver.log.filter((event) => event.type === type);
  const states = () => Object.fromEntries(expiryTimers(driver.db).map((timer) => [timer.timerId, timer.state]));
  return { driver, clock, issued, run, scheduler, eventsOfType, states };
}

/** The owner withdraws the whole credit; with an identity only submitted, the withdrawal waits in review. */
const withdrawingAll = (at: string, identityStatus: 'approved' | 'submitted'): WalletCommand => ({
  type: 'RequestWithdrawal',
  accountId: ACCOUNT,
  actor: { id: ACCOUNT, role: 'user' },
  at,
  withdrawalId: 'wd-1',
  amount: 8_580,
  mode: 'standard',
  bankAccount: { bankAccountId: 'b', bankCode: '0036', fingerprint: 'f' },
  screening: { bankAccountSharedWithOtherAccount: false, identityStatus },
});

const NOTICE_30 = `expiry-notice-30d:${ACCOUNT}:${EXPIRES_AT}`;
const NOTICE_7 = `expiry-notice-7d:${ACCOUNT}:${EXPIRES_AT}`;
const EXPIRY = `expire:${ACCOUNT}:${EXPIRES_AT}`;

describe('the expiry timers', () => {
  it('derive from a credit: notices 30 and 7 days before, and the expiry 180 days after it', () => {
    const { driver } = wallet();
    expect(expiryTimers(driver.db).map(({ timerId, kind, dueAt, state }) => ({ timerId, kind, dueAt, state }))).toEqual([
      { timerId: NOTICE_30, kind: 'expiry_notice', dueAt: '2026-08-29T00:00:00.000Z', state: 'pending' },
      { timerId: NOTICE_7, kind: 'expiry_notice', dueAt: '2026-09-21T00:00:00.000Z', state: 'pending' },
      { timerId: EXPIRY, kind: 'expiry', dueAt: EXPIRES_AT, state: 'pending' },
    ]);
  });

  it('give the 30-day notice at +150 days, the 7-day one at +173, and expire the balance at +180, each once', async () => {
    const w = wallet();
    const scheduler = w.scheduler();
    w.clock.set('2026-08-28T23:59:59.999Z');
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });

    w.clock.set('2026-08-29T00:00:00.000Z'); // +150 days
    await scheduler.runDue();
    await scheduler.runDue();
    expect(w.eventsOfType('BalanceExpiryNoticed').map((event) => event.data)).toEqual([
      { accountId: ACCOUNT, expiresAt: EXPIRES_AT, daysBefore: 30, amount: 8_580, lots: [{ sourceId: 'payout-1', amount: 8_580 }], noticedAt: '2026-08-29T00:00:00.000Z' },
    ]);

    w.clock.set('2026-09-21T00:00:00.000Z'); // +173 days
    await scheduler.runDue();
    expect(w.eventsOfType('BalanceExpiryNoticed').map((event) => event.data.daysBefore)).toEqual([30, 7]);
    expect(w.eventsOfType('BalanceExpired')).toEqual([]);

    w.clock.set(EXPIRES_AT); // +180 days
    await scheduler.runDue();
    await scheduler.runDue();
    expect(w.eventsOfType('BalanceExpired').map((event) => event.data)).toEqual([
      expect.objectContaining({ accountId: ACCOUNT, amount: 8_580, asOf: EXPIRES_AT, availableAfter: 0 }),
    ]);
    expect(w.issued).toEqual([NOTICE_30, NOTICE_7, EXPIRY]);
    expect(w.states()).toEqual({ [NOTICE_30]: 'done', [NOTICE_7]: 'done', [EXPIRY]: 'done' });
  });

  it('catch up after a stop past the expiry: the expiry is made, the notices have nothing left to tell', async () => {
    const w = wallet();
    w.clock.set('2026-10-01T00:00:00.000Z');
    const restarted = w.scheduler();
    await restarted.runDue();
    expect(w.eventsOfType('BalanceExpired')).toHaveLength(1);
    expect(w.eventsOfType('BalanceExpiryNoticed')).toEqual([]);
    expect(w.issued).toEqual([NOTICE_30, NOTICE_7, EXPIRY]);
    expect(await restarted.runDue()).toMatchObject({ issued: 0 });
    expect(restarted.outcomes().map(({ timerId, outcome }) => ({ timerId, outcome }))).toEqual([
      { timerId: NOTICE_30, outcome: 'nothing_to_do' },
      { timerId: NOTICE_7, outcome: 'nothing_to_do' },
    ]);
  });

  it('leave a balance an expiry run reached first: the timer is done by that expiry, the notices cancelled', async () => {
    const w = wallet();
    w.clock.set(EXPIRES_AT);
    w.run({ type: 'ExpireBalances', accountId: ACCOUNT, actor: { id: 'expiry-job', role: 'system' }, at: EXPIRES_AT, asOf: EXPIRES_AT });
    expect(w.states()).toEqual({ [NOTICE_30]: 'cancelled', [NOTICE_7]: 'cancelled', [EXPIRY]: 'done' });
    expect(await w.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(w.eventsOfType('BalanceExpired')).toHaveLength(1);
  });

  it('record a balance spent before it expired as nothing to do, and do not issue it again', async () => {
    const w = wallet();
    w.run(withdrawingAll('2026-05-01T00:00:00.000Z', 'approved'));
    w.clock.set(EXPIRES_AT);
    const scheduler = w.scheduler();
    await scheduler.runDue();
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });
    expect(w.issued).toEqual([NOTICE_30, NOTICE_7, EXPIRY]);
    expect(w.eventsOfType('BalanceExpired')).toEqual([]);
    expect(scheduler.outcomes().map((outcome) => outcome.outcome)).toEqual(['nothing_to_do', 'nothing_to_do', 'nothing_to_do']);
  });

  it('expire what a withdrawal held past its expiry gives back, when it gives it back, once', async () => {
    const w = wallet();
    w.run(withdrawingAll('2026-09-20T00:00:00.000Z', 'submitted'));
    w.clock.set(EXPIRES_AT);
    const scheduler = w.scheduler();
    await scheduler.runDue();
    expect(w.eventsOfType('BalanceExpired')).toEqual([]); // held in review: nothing to expire

    const rejectedAt = '2026-10-02T00:00:00.000Z';
    w.clock.set(rejectedAt);
    w.run({ type: 'RejectWithdrawal', accountId: ACCOUNT, actor: { id: 'support-1', role: 'support' }, at: rejectedAt, withdrawalId: 'wd-1', reason: 'not evidenced' });
    expect(w.states()).toMatchObject({ [`expire:${ACCOUNT}:${rejectedAt}`]: 'pending' });
    await scheduler.runDue();
    await scheduler.runDue();
    expect(w.eventsOfType('BalanceExpired').map((event) => event.data)).toEqual([expect.objectContaining({ amount: 8_580, asOf: rejectedAt, availableAfter: 0 })]);
    expect(w.states()).toMatchObject({ [`expire:${ACCOUNT}:${rejectedAt}`]: 'done' });
    expect(w.issued.filter((id) => id === `expire:${ACCOUNT}:${rejectedAt}`)).toHaveLength(1);
  });

  it('find nothing to expire when a withdrawal gives back money whose credits have not expired', async () => {
    const w = wallet();
    const at = (day: string) => `2026-05-${day}T00:00:00.000Z`;
    w.run(withdrawingAll(at('01'), 'approved'));
    w.run({ type: 'MarkWithdrawalFailed', accountId: ACCOUNT, actor: { id: 'gateway', role: 'system' }, at: at('15'), withdrawalId: 'wd-1', reason: 'account closed' });
    w.clock.set(at('15'));
    const scheduler = w.scheduler();
    await scheduler.runDue();
    expect(w.eventsOfType('BalanceExpired')).toEqual([]);
    expect(scheduler.outcomes()).toEqual([expect.objectContaining({ timerId: `expire:${ACCOUNT}:${at('15')}`, outcome: 'nothing_to_do' })]);
    expect(w.states()).toMatchObject({ [EXPIRY]: 'pending' }); // the credit's own expiry still comes
  });

  it('issue nothing when balances are expired by hand (BALANCE_EXPIRY_POLICY=manual)', async () => {
    const w = wallet();
    w.clock.set('2026-10-01T00:00:00.000Z');
    expect(await w.scheduler(false).runDue()).toMatchObject({ issued: 0 });
    expect(w.states()).toEqual({ [NOTICE_30]: 'pending', [NOTICE_7]: 'pending', [EXPIRY]: 'pending' });
  });

  it('give the same due table rebuilt from position zero', async () => {
    const w = wallet();
    w.clock.set('2026-09-21T00:00:00.000Z');
    await w.scheduler().runDue();
    expect(ProjectionDriver.dump(w.driver.rebuilt(), [timersProjection])).toEqual(ProjectionDriver.dump(w.driver.db, [timersProjection]));
  });
});

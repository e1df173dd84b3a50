import { ControllableClock } from '@escrow/clock';
import { walletDecider, WalletCommand, walletStreamId } from '@escrow/domain/wallet';
import { automaticWithdrawalCommand, chooseModeCommand, creditCommand, failedCommand, rejectCommand, REVIEWER, withdrawalCommand } from '@escrow/domain/wallet/wallet.fixtures';
import { classifyReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { allTimers, Timer, timersProjection } from '@escrow/projections/timers';
import { ProjectionDriver } from '@escrow/projections/withdrawals/testing/projection-driver';
import { TimerScheduler } from './timer-scheduler';

// The 2026-12-31 cut-off falls at Tokyo midnight (15:00 UTC) and pays on 2027-01-15; the 2027-01-15 one pays on 2027-01-29.
const BEFORE_YEAR_END = '2026-12-20T00:00:00.000Z';
const YEAR_END_CUTOFF = '2026-12-31T15:00:00.000Z';
const MID_JANUARY_CUTOFF = '2027-01-15T15:00:00.000Z';

/** Wallets fed by the real decider, their events feeding the due table, the scheduler issuing RequestAutomaticWithdrawal. */
function wallets() {
  const driver = new ProjectionDriver([timersProjection]);
  const clock = ControllableClock.frozenAt(BEFORE_YEAR_END);
  const issued: string[] = [];
  const run = (accountId: string, command: WalletCommand) => {
    const events = driver.run(walletDecider, walletStreamId(accountId), { ...command, accountId } as WalletCommand);
    return { events, position: driver.log.length };
  };
  const credit = (accountId: string, sourceId: string, amount: number) => run(accountId, creditCommand(`${accountId}-${sourceId}`, amount, clock.now().toISOString()));
  const scheduler = (withdrawsAtCutoffs = true) =>
    new TimerScheduler({
      db: driver.db,
      clock,
      settlement: { kind: 'manual' },
      expiresBalances: false,
      withdrawsAtCutoffs,
      pollMs: 20,
      issue: async (timer: Timer, at: Date) => {
        issued.push(timer.timerId);
        const { accountId, cutoff } = timer.subject as { accountId: string; cutoff: string };
        const { events, position } = run(accountId, automaticWithdrawalCommand(cutoff, at.toISOString()));
        return { position, recorded: events.length > 0 };
      },
      classify: (error) => classifyReactionFailure(error),
      waitForTable: async () => true,
    });
  const withdrawals = () =>
    driver.log
      .filter((event) => event.type === 'WithdrawalRequested')
      .map(({ data }) => ({ withdrawalId: data.withdrawalId, amount: data.amount, payoutDate: data.payoutDate }));
  const cutoffTimers = () =>
    Object.fromEntries(allTimers(driver.db).filter((timer) => timer.kind === 'withdrawal_cutoff').map((timer) => [timer.timerId, timer.state]));
  return { driver, clock, issued, run, credit, scheduler, withdrawals, cutoffTimers };
}

describe('the cut-off timers', () => {
  it('derive one timer per account and cut-off from the credits, due at the cut-off', () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.credit('acc-a', 'p2', 2_000);
    w.credit('acc-b', 'p1', 500);
    expect(allTimers(w.driver.db).filter((timer) => timer.kind === 'withdrawal_cutoff').map(({ timerId, dueAt, subject }) => ({ timerId, dueAt, subject }))).toEqual([
      { timerId: 'cutoff:2026-12-31:acc-a', dueAt: YEAR_END_CUTOFF, subject: { accountId: 'acc-a', cutoff: '2026-12-31' } },
      { timerId: 'cutoff:2026-12-31:acc-b', dueAt: YEAR_END_CUTOFF, subject: { accountId: 'acc-b', cutoff: '2026-12-31' } },
    ]);
  });

  it('issue nothing before the cut-off, then one command per candidate account when it passes', async () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.credit('acc-b', 'p1', 60_000);
    w.credit('acc-c', 'p1', 500);
    const scheduler = w.scheduler();

    w.clock.set('2026-12-31T14:59:59.999Z');
    expect(await scheduler.runDue()).toMatchObject({ issued: 0 });

    w.clock.set(YEAR_END_CUTOFF);
    expect(await scheduler.runDue()).toEqual({ issued: 3, refused: 0, passingFailure: false });
    expect(w.issued.sort()).toEqual(['cutoff:2026-12-31:acc-a', 'cutoff:2026-12-31:acc-b', 'cutoff:2026-12-31:acc-c']);
    expect(w.withdrawals()).toEqual([
      expect.objectContaining({ withdrawalId: 'automatic-2026-12-31-acc-a', amount: 3_000, payoutDate: '2027-01-15' }),
      expect.objectContaining({ withdrawalId: 'automatic-2026-12-31-acc-b', amount: 60_000, payoutDate: '2027-01-15' }),
    ]);
    // Below ¥1,000: nothing to withdraw, noted so as not to be issued again.
    expect(w.cutoffTimers()).toEqual({ 'cutoff:2026-12-31:acc-a': 'done', 'cutoff:2026-12-31:acc-b': 'done', 'cutoff:2026-12-31:acc-c': 'pending' });
    expect(scheduler.outcomes()).toEqual([expect.objectContaining({ timerId: 'cutoff:2026-12-31:acc-c', outcome: 'nothing_to_do' })]);
  });

  it('do nothing twice when looked at again, or by a second scheduler', async () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.credit('acc-c', 'p1', 500);
    w.clock.set(YEAR_END_CUTOFF);
    await w.scheduler().runDue();

    expect(await w.scheduler().runDue()).toEqual({ issued: 0, refused: 0, passingFailure: false });
    w.clock.advance('P1D');
    expect(await w.scheduler().runDue()).toMatchObject({ issued: 0 });
    expect(w.issued.sort()).toEqual(['cutoff:2026-12-31:acc-a', 'cutoff:2026-12-31:acc-c']);
    expect(w.withdrawals()).toHaveLength(1);
  });

  it('catch up on every cut-off missed while down, a payout date already past moving to the next one', async () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.clock.set('2027-01-05T00:00:00.000Z');
    w.credit('acc-a', 'p2', 4_000); // lands after the year-end cut-off: the 15th's
    w.run('acc-b', chooseModeCommand('over_50000', w.clock.now().toISOString(), REVIEWER));
    w.credit('acc-b', 'p1', 50_000);

    // Down from before the year-end cut-off until after the 15th's.
    w.clock.set('2027-01-16T01:00:00.000Z');
    expect(await w.scheduler().runDue()).toMatchObject({ issued: 3, refused: 0 });
    expect(w.withdrawals()).toEqual([
      // The year-end cut-off's payout date (2027-01-15) has come: paid as a standard withdrawal requested on the 16th.
      expect.objectContaining({ withdrawalId: 'automatic-2026-12-31-acc-a', amount: 3_000, payoutDate: '2027-02-15' }),
      expect.objectContaining({ withdrawalId: 'automatic-2027-01-15-acc-a', amount: 4_000, payoutDate: '2027-01-29' }),
      expect.objectContaining({ withdrawalId: 'automatic-2027-01-15-acc-b', amount: 50_000, payoutDate: '2027-01-29' }),
    ]);
    expect(await w.scheduler().runDue()).toMatchObject({ issued: 0 });
  });

  it('look again at the next cut-off when the mode is chosen, so a balance carried over leaves once it may', async () => {
    const w = wallets();
    w.run('acc-a', chooseModeCommand('carry_over', BEFORE_YEAR_END, REVIEWER));
    w.credit('acc-a', 'p1', 3_000);
    w.clock.set(YEAR_END_CUTOFF);
    await w.scheduler().runDue();
    expect(w.withdrawals()).toEqual([]);

    w.clock.set('2027-01-10T00:00:00.000Z');
    w.run('acc-a', chooseModeCommand('on_cutoff', w.clock.now().toISOString(), REVIEWER));
    w.clock.set(MID_JANUARY_CUTOFF);
    await w.scheduler().runDue();
    expect(w.withdrawals()).toEqual([expect.objectContaining({ withdrawalId: 'automatic-2027-01-15-acc-a', amount: 3_000, payoutDate: '2027-01-29' })]);
  });

  it('look again at the next cut-off when a withdrawal fails after a cut-off and its money comes back', async () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.clock.set(YEAR_END_CUTOFF);
    await w.scheduler().runDue();
    expect(w.withdrawals()).toEqual([expect.objectContaining({ withdrawalId: 'automatic-2026-12-31-acc-a', amount: 3_000 })]);

    w.clock.set('2027-01-15T03:00:00.000Z');
    w.run('acc-a', failedCommand('automatic-2026-12-31-acc-a', w.clock.now().toISOString()));
    expect(w.cutoffTimers()).toMatchObject({ 'cutoff:2026-12-31:acc-a': 'done', 'cutoff:2027-01-15:acc-a': 'pending' });
    w.clock.set(MID_JANUARY_CUTOFF);
    await w.scheduler().runDue();
    expect(w.withdrawals().map((withdrawal) => [withdrawal.withdrawalId, withdrawal.amount, withdrawal.payoutDate])).toEqual([
      ['automatic-2026-12-31-acc-a', 3_000, '2027-01-15'],
      ['automatic-2027-01-15-acc-a', 3_000, '2027-01-29'],
    ]);
  });

  it('look again at the next cut-off when a withdrawal is rejected in review and its money comes back', async () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.run('acc-a', { ...withdrawalCommand('wd-1', 3_000, w.clock.now().toISOString(), { identityStatus: 'submitted' }), actor: { id: 'acc-a', role: 'user' } });
    expect(w.withdrawals()).toEqual([expect.objectContaining({ withdrawalId: 'wd-1' })]);
    w.clock.set(YEAR_END_CUTOFF);
    await w.scheduler().runDue();
    expect(w.withdrawals()).toHaveLength(1); // the balance is held by the withdrawal in review

    w.clock.set('2027-01-05T00:00:00.000Z');
    w.run('acc-a', rejectCommand('wd-1', w.clock.now().toISOString()));
    w.clock.set(MID_JANUARY_CUTOFF);
    await w.scheduler().runDue();
    expect(w.withdrawals()).toEqual([
      expect.objectContaining({ withdrawalId: 'wd-1' }),
      expect.objectContaining({ withdrawalId: 'automatic-2027-01-15-acc-a', amount: 3_000, payoutDate: '2027-01-29' }),
    ]);
  });

  it('issue nothing when automatic withdrawals are off (AUTOMATIC_WITHDRAWALS=off)', async () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.clock.set(MID_JANUARY_CUTOFF);
    expect(await w.scheduler(false).runDue()).toMatchObject({ issued: 0 });
    expect(w.cutoffTimers()).toEqual({ 'cutoff:2026-12-31:acc-a': 'pending' });
  });

  it('give the same due table rebuilt from position zero', async () => {
    const w = wallets();
    w.credit('acc-a', 'p1', 3_000);
    w.clock.set(YEAR_END_CUTOFF);
    await w.scheduler().runDue();
    expect(ProjectionDriver.dump(w.driver.rebuilt(), [timersProjection])).toEqual(ProjectionDriver.dump(w.driver.db, [timersProjection]));
  });
});

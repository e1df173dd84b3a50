import type { IdentityStatus } from '@escrow/domain/account';
import type { Actor } from '@escrow/domain/shared/actor';
import { type WalletCommand, type WithdrawalMode, walletDecider, walletStreamId } from '@escrow/domain/wallet';
import { ProjectionDriver } from '../withdrawals/testing/projection-driver';
import { payoutRunsProjection } from './payout-runs.projection';
import { payoutRun, payoutRunItem, payoutRunItems, payoutRuns } from './payout-runs.queries';

const SYSTEM: Actor = { id: 'gateway', role: 'system' };
const REVIEWER: Actor = { id: 'support-1', role: 'support' };
const owner = (accountId: string): Actor => ({ id: accountId, role: 'user' });
const ALL = { after: 0, limit: 100 };

function wallets() {
  const driver = new ProjectionDriver([payoutRunsProjection]);
  const run = (command: WalletCommand) => driver.run(walletDecider, walletStreamId(command.accountId), command);
  const credit = (accountId: string, amount: number, noDeliverable = false) =>
    run({
      type: 'CreditWallet',
      accountId,
      actor: { id: 'wallet-credit', role: 'system' },
      at: '2026-04-01T00:00:00Z',
      source: { kind: 'payout', id: `credit-${accountId}-${amount}`, contractId: 'c', milestoneId: 'm' },
      amount,
      flags: { noDeliverable, fastCompletion: false },
    });
  const withdraw = (accountId: string, withdrawalId: string, amount: number, at: string, options: { mode?: WithdrawalMode; identity?: IdentityStatus } = {}) =>
    run({
      type: 'RequestWithdrawal',
      accountId,
      actor: owner(accountId),
      at,
      withdrawalId,
      amount,
      mode: options.mode ?? 'standard',
      bankAccount: { bankAccountId: `bank-${accountId}`, bankCode: '0005', fingerprint: `f-${accountId}` },
      screening: { bankAccountSharedWithOtherAccount: false, identityStatus: options.identity ?? 'approved' },
    });
  const review = (type: 'ApproveWithdrawal' | 'RejectWithdrawal' | 'RequestWithdrawalInfo', accountId: string, withdrawalId: string, at: string) =>
    run({ type, accountId, actor: REVIEWER, at, withdrawalId, reason: 'checked' });
  const paid = (accountId: string, withdrawalId: string, transferReference: string) =>
    run({ type: 'MarkWithdrawalPaid', accountId, actor: SYSTEM, at: '2026-04-30T01:00:00Z', withdrawalId, transferReference });
  const failed = (accountId: string, withdrawalId: string, reason: string) =>
    run({ type: 'MarkWithdrawalFailed', accountId, actor: SYSTEM, at: '2026-04-30T02:00:00Z', withdrawalId, reason });
  return { driver, credit, withdraw, review, paid, failed };
}

describe('payout runs', () => {
  it('groups scheduled withdrawals by payout date, quick ones on their own date, each item with its mode, fees and bank account', () => {
    const { driver, credit, withdraw } = wallets();
    credit('acc-a', 100_000);
    credit('acc-b', 100_000);
    withdraw('acc-a', 'w-a1', 10_000, '2026-04-02T00:00:00Z');
    withdraw('acc-b', 'w-b1', 20_000, '2026-04-03T00:00:00Z');
    // Quick: three business days after 2026-04-10 (a Friday), 2026-04-15.
    withdraw('acc-a', 'w-a2', 40_000, '2026-04-10T00:00:00Z', { mode: 'quick' });

    expect(payoutRuns(driver.db, { limit: 10 }).map((run) => [run.payoutDate, run.items, run.state])).toEqual([
      ['2026-04-15', 1, 'open'],
      ['2026-04-30', 2, 'open'],
    ]);
    expect(payoutRun(driver.db, '2026-04-30')).toEqual({
      payoutDate: '2026-04-30',
      state: 'open',
      items: 2,
      amount: 30_000,
      bankFees: 1_000,
      quickFees: 0,
      netAmount: 29_000,
      toSend: { count: 2, netAmount: 29_000 },
      paid: { count: 0, netAmount: 0 },
      failed: { count: 0, netAmount: 0 },
    });
    expect(payoutRunItems(driver.db, '2026-04-15', ALL)).toEqual([
      {
        withdrawalId: 'w-a2',
        accountId: 'acc-a',
        payoutDate: '2026-04-15',
        mode: 'quick',
        amount: 40_000,
        bankFee: 500,
        quickFee: 2_000,
        netAmount: 37_500,
        bankAccountId: 'bank-acc-a',
        bankCode: '0005',
        state: 'to_send',
        transferReference: null,
        failureReason: null,
        reportedAt: null,
        requestedAt: '2026-04-10T00:00:00Z',
        queuedPosition: 5,
      },
    ]);
    expect(payoutRunItems(driver.db, '2026-04-30', ALL).map((item) => [item.withdrawalId, item.mode])).toEqual([
      ['w-a1', 'standard'],
      ['w-b1', 'standard'],
    ]);
  });

  it('keeps a withdrawal in review out of every run until it is approved, then puts it on the date the approval set', () => {
    const { driver, credit, withdraw, review } = wallets();
    credit('acc-a', 100_000);
    withdraw('acc-a', 'w-review', 10_000, '2026-04-02T00:00:00Z', { identity: 'submitted' });
    review('RequestWithdrawalInfo', 'acc-a', 'w-review', '2026-04-03T00:00:00Z');
    expect(payoutRuns(driver.db, { limit: 10 })).toEqual([]);
    expect(payoutRunItem(driver.db, '2026-04-30', 'w-review')).toBeUndefined();

    // Approved after the 15th: the balance is finalised then, so the payout moves to 2026-05-15.
    review('ApproveWithdrawal', 'acc-a', 'w-review', '2026-04-20T00:00:00Z');
    expect(payoutRuns(driver.db, { limit: 10 }).map((run) => [run.payoutDate, run.items])).toEqual([['2026-05-15', 1]]);
    expect(payoutRunItem(driver.db, '2026-05-15', 'w-review')).toMatchObject({ state: 'to_send', accountId: 'acc-a', queuedPosition: 4 });
  });

  it('never puts a rejected withdrawal in a run', () => {
    const { driver, credit, withdraw, review } = wallets();
    credit('acc-a', 100_000);
    withdraw('acc-a', 'w-rejected', 10_000, '2026-04-02T00:00:00Z', { identity: 'submitted' });
    review('RejectWithdrawal', 'acc-a', 'w-rejected', '2026-04-03T00:00:00Z');
    expect(payoutRuns(driver.db, { limit: 10 })).toEqual([]);
    expect(driver.db.prepare('SELECT COUNT(*) AS n FROM payout_run_items').get()).toEqual({ n: 0 });
  });

  it('records the paid and failed reports, and closes the run once nothing is left to send', () => {
    const { driver, credit, withdraw, paid, failed } = wallets();
    credit('acc-a', 100_000);
    credit('acc-b', 100_000);
    withdraw('acc-a', 'w-a', 10_000, '2026-04-02T00:00:00Z');
    withdraw('acc-b', 'w-b', 20_000, '2026-04-03T00:00:00Z');

    paid('acc-a', 'w-a', 'TR-1');
    expect(payoutRun(driver.db, '2026-04-30')).toMatchObject({
      state: 'open',
      toSend: { count: 1, netAmount: 19_500 },
      paid: { count: 1, netAmount: 9_500 },
    });
    failed('acc-b', 'w-b', 'account closed at the bank');
    expect(payoutRun(driver.db, '2026-04-30')).toMatchObject({
      state: 'closed',
      toSend: { count: 0, netAmount: 0 },
      paid: { count: 1, netAmount: 9_500 },
      failed: { count: 1, netAmount: 19_500 },
    });
    expect(payoutRunItems(driver.db, '2026-04-30', ALL).map(({ withdrawalId, state, transferReference, failureReason, reportedAt }) => ({ withdrawalId, state, transferReference, failureReason, reportedAt }))).toEqual([
      { withdrawalId: 'w-a', state: 'paid', transferReference: 'TR-1', failureReason: null, reportedAt: '2026-04-30T01:00:00Z' },
      { withdrawalId: 'w-b', state: 'failed', transferReference: null, failureReason: 'account closed at the bank', reportedAt: '2026-04-30T02:00:00Z' },
    ]);
    expect(payoutRunItems(driver.db, '2026-04-30', { ...ALL, state: 'failed' }).map((item) => item.withdrawalId)).toEqual(['w-b']);
    expect(payoutRuns(driver.db, { limit: 10, state: 'open' })).toEqual([]);
    expect(payoutRuns(driver.db, { limit: 10, state: 'closed' }).map((run) => run.payoutDate)).toEqual(['2026-04-30']);
  });

  it('lists runs by payout date within a date range, a page at a time', () => {
    const { driver, credit, withdraw } = wallets();
    credit('acc-a', 500_000);
    withdraw('acc-a', 'w-1', 10_000, '2026-04-02T00:00:00Z');
    withdraw('acc-a', 'w-2', 10_000, '2026-04-20T00:00:00Z');
    withdraw('acc-a', 'w-3', 10_000, '2026-05-20T00:00:00Z');
    const dates = (filter: Parameters<typeof payoutRuns>[1]) => payoutRuns(driver.db, filter).map((run) => run.payoutDate);
    expect(dates({ limit: 10 })).toEqual(['2026-04-30', '2026-05-15', '2026-06-15']);
    expect(dates({ limit: 10, from: '2026-05-01', to: '2026-06-15' })).toEqual(['2026-05-15', '2026-06-15']);
    expect(dates({ limit: 1, after: '2026-04-30' })).toEqual(['2026-05-15']);
  });

  it('is rebuilt from position zero with identical rows', () => {
    const { driver, credit, withdraw, review, paid, failed } = wallets();
    credit('acc-a', 200_000);
    credit('acc-b', 200_000, true);
    withdraw('acc-a', 'w-1', 10_000, '2026-04-02T00:00:00Z');
    withdraw('acc-a', 'w-2', 30_000, '2026-04-06T00:00:00Z', { mode: 'quick' });
    withdraw('acc-b', 'w-3', 10_000, '2026-04-03T00:00:00Z');
    withdraw('acc-b', 'w-4', 10_000, '2026-04-04T00:00:00Z');
    review('ApproveWithdrawal', 'acc-b', 'w-3', '2026-04-20T00:00:00Z');
    review('RejectWithdrawal', 'acc-b', 'w-4', '2026-04-20T00:00:00Z');
    paid('acc-a', 'w-1', 'TR-1');
    failed('acc-a', 'w-2', 'wrong branch');
    const projections = [payoutRunsProjection];
    expect(ProjectionDriver.dump(driver.rebuilt(), projections)).toEqual(ProjectionDriver.dump(driver.db, projections));
    expect(payoutRuns(driver.db, { limit: 10 }).map((run) => [run.payoutDate, run.state])).toEqual([
      ['2026-04-09', 'closed'],
      ['2026-04-30', 'closed'],
      ['2026-05-15', 'open'],
    ]);
  });
});

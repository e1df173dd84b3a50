import type { Actor } from '@escrow/domain/shared/actor';
import { walletDecider, walletStreamId, WalletCommand } from '@escrow/domain/wallet';
import { ProjectionDriver } from './testing/projection-driver';
import { findWithdrawal, withdrawalsOfAccount, withdrawalsProjection } from './withdrawals.projection';

const SYSTEM: Actor = { id: 'gateway', role: 'system' };
const REVIEWER: Actor = { id: 'support-1', role: 'support' };

function wallet(accountId: string, driver = new ProjectionDriver([withdrawalsProjection])) {
  const run = (command: Omit<WalletCommand, 'accountId'>) =>
    driver.run(walletDecider, walletStreamId(accountId), { ...command, accountId } as WalletCommand);
  run({
    type: 'CreditWallet',
    actor: SYSTEM,
    at: '2026-04-01T00:00:00Z',
    source: { kind: 'refund', id: `refund-${accountId}`, contractId: 'c', milestoneId: 'm' },
    amount: 100_000,
    flags: { noDeliverable: false, fastCompletion: false },
  } as WalletCommand);
  const withdraw = (withdrawalId: string, identityStatus: 'approved' | 'none' = 'approved') =>
    run({
      type: 'RequestWithdrawal',
      actor: { id: accountId, role: 'user' },
      at: '2026-04-02T00:00:00Z',
      withdrawalId,
      amount: 20_000,
      mode: 'quick',
      bankAccount: { bankAccountId: 'b', bankCode: '0001', fingerprint: 'f' },
      screening: { bankAccountSharedWithOtherAccount: false, identityStatus },
    } as WalletCommand);
  const act = (type: WalletCommand['type'], withdrawalId: string, actor: Actor) =>
    run({ type, actor, at: '2026-04-03T00:00:00Z', withdrawalId, reason: 'r' } as WalletCommand);
  return { driver, withdraw, act };
}

describe('the withdrawals directory', () => {
  it('tells whose wallet a withdrawal belongs to, with its amounts and status', () => {
    const { driver, withdraw } = wallet('acc-a');
    withdraw('w-1');
    expect(findWithdrawal(driver.db, 'w-1')).toEqual({
      withdrawalId: 'w-1',
      accountId: 'acc-a',
      amount: 20_000,
      netAmount: 18_500,
      mode: 'quick',
      status: 'scheduled',
      reviewReasons: [],
      requestedAt: '2026-04-02T00:00:00Z',
      position: 2,
    });
    expect(findWithdrawal(driver.db, 'w-unknown')).toBeUndefined();
  });

  it('follows every step of review and of the bank transfer', () => {
    const { driver, withdraw, act } = wallet('acc-a');
    withdraw('w-approved', 'none');
    withdraw('w-rejected', 'none');
    withdraw('w-paid');
    withdraw('w-failed');
    act('RequestWithdrawalInfo', 'w-approved', REVIEWER);
    expect(findWithdrawal(driver.db, 'w-approved')?.status).toBe('in_review');
    act('ApproveWithdrawal', 'w-approved', REVIEWER);
    act('RejectWithdrawal', 'w-rejected', REVIEWER);
    act('MarkWithdrawalPaid', 'w-paid', SYSTEM);
    act('MarkWithdrawalFailed', 'w-failed', SYSTEM);
    expect(withdrawalsOfAccount(driver.db, 'acc-a').map(({ withdrawalId, status, reviewReasons }) => [withdrawalId, status, reviewReasons])).toEqual([
      ['w-approved', 'scheduled', ['IDENTITY_NOT_VERIFIED']],
      ['w-rejected', 'rejected', ['IDENTITY_NOT_VERIFIED']],
      ['w-paid', 'paid', []],
      ['w-failed', 'failed', []],
    ]);
  });

  it('keeps accounts apart and is rebuilt from position zero with identical rows', () => {
    const a = wallet('acc-a');
    const b = wallet('acc-b', a.driver);
    a.withdraw('w-a');
    b.withdraw('w-b');
    b.act('MarkWithdrawalPaid', 'w-b', SYSTEM);
    expect(withdrawalsOfAccount(a.driver.db, 'acc-b').map((row) => row.withdrawalId)).toEqual(['w-b']);
    expect(findWithdrawal(a.driver.db, 'w-a')?.status).toBe('scheduled');
    expect(ProjectionDriver.dump(a.driver.rebuilt(), [withdrawalsProjection])).toEqual(ProjectionDriver.dump(a.driver.db, [withdrawalsProjection]));
  });
});

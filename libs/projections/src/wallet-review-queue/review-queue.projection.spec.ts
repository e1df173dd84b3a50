import type { IdentityStatus } from '@escrow/domain/account';
import type { Actor } from '@escrow/domain/shared/actor';
import { walletDecider, walletStreamId, WalletCommand } from '@escrow/domain/wallet';
import { PROJECTIONS } from '../registry';
import { ProjectionDriver } from '../withdrawals/testing/projection-driver';
import { reviewQueue, walletReviewQueueProjection } from './review-queue.projection';

const SYSTEM: Actor = { id: 'wallet-credit', role: 'system' };
const REVIEWER: Actor = { id: 'support-1', role: 'support' };
const owner = (accountId: string): Actor => ({ id: accountId, role: 'user' });

function wallets(projections = [walletReviewQueueProjection]) {
  const driver = new ProjectionDriver(projections);
  const run = (command: WalletCommand) => driver.run(walletDecider, walletStreamId(command.accountId), command);
  const credit = (accountId: string, sourceId: string, amount: number, at: string, noDeliverable = false) =>
    run({
      type: 'CreditWallet',
      accountId,
      actor: SYSTEM,
      at,
      source: { kind: 'payout', id: sourceId, contractId: 'c', milestoneId: 'm' },
      amount,
      flags: { noDeliverable, fastCompletion: false },
    });
  const withdraw = (accountId: string, withdrawalId: string, amount: number, at: string, screening: { shared: boolean; identity: IdentityStatus } = { shared: false, identity: 'approved' }) =>
    run({
      type: 'RequestWithdrawal',
      accountId,
      actor: owner(accountId),
      at,
      withdrawalId,
      amount,
      mode: 'standard',
      bankAccount: { bankAccountId: 'b', bankCode: '0036', fingerprint: 'f' },
      screening: { bankAccountSharedWithOtherAccount: screening.shared, identityStatus: screening.identity },
    });
  const review = (type: 'ApproveWithdrawal' | 'RejectWithdrawal' | 'RequestWithdrawalInfo', accountId: string, withdrawalId: string, at: string) =>
    run({ type, accountId, actor: REVIEWER, at, withdrawalId, reason: 'checked' });
  const answer = (accountId: string, withdrawalId: string, at: string, text: string) =>
    run({ type: 'AnswerWithdrawalInfoRequest', accountId, actor: owner(accountId), at, withdrawalId, answer: text });
  return { driver, credit, withdraw, review, answer };
}

describe('the withdrawal review queue', () => {
  it('holds flagged withdrawals only, oldest first, with every reason and the amounts', () => {
    const { driver, credit, withdraw } = wallets();
    credit('acc-a', 's1', 50_000, '2026-04-01T00:00:00Z', true);
    credit('acc-b', 's2', 50_000, '2026-04-01T00:00:00Z');
    withdraw('acc-a', 'w-a', 10_000, '2026-04-02T00:00:00Z', { shared: true, identity: 'approved' });
    withdraw('acc-b', 'w-clean', 10_000, '2026-04-02T01:00:00Z');
    withdraw('acc-b', 'w-b', 10_000, '2026-04-03T00:00:00Z', { shared: false, identity: 'submitted' });

    expect(reviewQueue(driver.db)).toEqual([
      {
        withdrawalId: 'w-a',
        accountId: 'acc-a',
        amount: 10_000,
        netAmount: 9_900,
        mode: 'standard',
        reasons: ['NO_DELIVERABLE', 'SHARED_BANK_ACCOUNT'],
        requestedAt: '2026-04-02T00:00:00Z',
        infoRequests: 0,
        lastInfoRequestedAt: null,
        infoProvidedAt: null,
        infoAnswer: null,
      },
      expect.objectContaining({ withdrawalId: 'w-b', accountId: 'acc-b', reasons: ['IDENTITY_NOT_VERIFIED'] }),
    ]);
    expect(reviewQueue(driver.db, { limit: 1 }).map((entry) => entry.withdrawalId)).toEqual(['w-a']);
  });

  it('keeps a withdrawal while more information is requested, and drops it once approved or rejected', () => {
    const { driver, credit, withdraw, review } = wallets();
    credit('acc-a', 's1', 50_000, '2026-04-01T00:00:00Z', true);
    withdraw('acc-a', 'w-1', 10_000, '2026-04-02T00:00:00Z');
    withdraw('acc-a', 'w-2', 10_000, '2026-04-02T00:01:00Z');
    review('RequestWithdrawalInfo', 'acc-a', 'w-1', '2026-04-03T00:00:00Z');
    review('RequestWithdrawalInfo', 'acc-a', 'w-1', '2026-04-04T00:00:00Z');
    expect(reviewQueue(driver.db)[0]).toMatchObject({ withdrawalId: 'w-1', infoRequests: 2, lastInfoRequestedAt: '2026-04-04T00:00:00Z' });

    review('ApproveWithdrawal', 'acc-a', 'w-1', '2026-04-05T00:00:00Z');
    expect(reviewQueue(driver.db).map((entry) => entry.withdrawalId)).toEqual(['w-2']);
    review('RejectWithdrawal', 'acc-a', 'w-2', '2026-04-05T00:00:00Z');
    expect(reviewQueue(driver.db)).toEqual([]);
  });

  it('shows when support asked, when the owner answered and the answer; a new request awaits a new answer', () => {
    const { driver, credit, withdraw, review, answer } = wallets();
    credit('acc-a', 's1', 50_000, '2026-04-01T00:00:00Z', true);
    withdraw('acc-a', 'w-1', 10_000, '2026-04-02T00:00:00Z');
    review('RequestWithdrawalInfo', 'acc-a', 'w-1', '2026-04-03T00:00:00Z');
    expect(reviewQueue(driver.db)[0]).toMatchObject({ infoRequests: 1, lastInfoRequestedAt: '2026-04-03T00:00:00Z', infoProvidedAt: null, infoAnswer: null });

    answer('acc-a', 'w-1', '2026-04-03T08:00:00Z', 'Delivered in the project chat');
    expect(reviewQueue(driver.db)[0]).toMatchObject({
      withdrawalId: 'w-1',
      infoRequests: 1,
      lastInfoRequestedAt: '2026-04-03T00:00:00Z',
      infoProvidedAt: '2026-04-03T08:00:00Z',
      infoAnswer: 'Delivered in the project chat',
    });

    review('RequestWithdrawalInfo', 'acc-a', 'w-1', '2026-04-04T00:00:00Z');
    expect(reviewQueue(driver.db)[0]).toMatchObject({ infoRequests: 2, lastInfoRequestedAt: '2026-04-04T00:00:00Z', infoProvidedAt: null, infoAnswer: null });
    answer('acc-a', 'w-1', '2026-04-04T01:00:00Z', 'The chat of 8 April');
    review('ApproveWithdrawal', 'acc-a', 'w-1', '2026-04-05T00:00:00Z');
    expect(reviewQueue(driver.db)).toEqual([]);
    const projections = [walletReviewQueueProjection];
    expect(ProjectionDriver.dump(driver.rebuilt(), projections)).toEqual(ProjectionDriver.dump(driver.db, projections));
  });

  it('is rebuilt from position zero with identical rows', () => {
    const { driver, credit, withdraw, review } = wallets();
    credit('acc-a', 's1', 90_000, '2026-04-01T00:00:00Z', true);
    for (let i = 0; i < 5; i++) withdraw('acc-a', `w-${i}`, 10_000, `2026-04-0${i + 2}T00:00:00Z`);
    review('RequestWithdrawalInfo', 'acc-a', 'w-1', '2026-04-08T00:00:00Z');
    review('ApproveWithdrawal', 'acc-a', 'w-3', '2026-04-08T00:00:00Z');
    const projections = [walletReviewQueueProjection];
    expect(ProjectionDriver.dump(driver.rebuilt(), projections)).toEqual(ProjectionDriver.dump(driver.db, projections));
    expect(reviewQueue(driver.db).map((entry) => entry.withdrawalId)).toEqual(['w-0', 'w-1', 'w-2', 'w-4']);
  });

  it('is the only read model the owner’s answer changes: the ledger, the withdrawals and the others ignore it', () => {
    const { driver, credit, withdraw, review, answer } = wallets([...PROJECTIONS]);
    credit('acc-a', 's1', 50_000, '2026-04-01T00:00:00Z', true);
    withdraw('acc-a', 'w-1', 10_000, '2026-04-02T00:00:00Z');
    review('RequestWithdrawalInfo', 'acc-a', 'w-1', '2026-04-03T00:00:00Z');
    const before = ProjectionDriver.dump(driver.db, PROJECTIONS);
    answer('acc-a', 'w-1', '2026-04-03T08:00:00Z', 'Delivered in the project chat');
    const after = ProjectionDriver.dump(driver.db, PROJECTIONS);
    const changed = Object.keys(after).filter((table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]));
    expect(changed).toEqual(['withdrawal_review_queue']);
    expect(driver.log.at(-1)?.type).toBe('WithdrawalInfoProvided');
  });
});

import { walletDecider } from './decider';
import type { WalletEvent } from './events';
import { deciderSpec } from '../testing/given-when-then';
import {
  ACCOUNT_ID,
  GATEWAY,
  OWNER,
  REVIEWER,
  SETTLEMENT,
  approveCommand,
  creditCommand,
  decided,
  expireCommand,
  failedCommand,
  historyOf,
  infoCommand,
  paidCommand,
  refusalOf,
  rejectCommand,
  withdrawalCommand,
} from './wallet.fixtures';
import { walletStreamId } from './stream';

const { given } = deciderSpec(walletDecider);

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';

const scheduledWithdrawalOf = (withdrawalId: string, amount: number) =>
  historyOf([creditCommand('payout-1', 50_000, APRIL_1), withdrawalCommand(withdrawalId, amount, APRIL_10)]);
const inReviewWithdrawalOf = (withdrawalId: string, amount: number) =>
  historyOf([
    creditCommand('payout-1', 50_000, APRIL_1),
    withdrawalCommand(withdrawalId, amount, APRIL_10, { identityStatus: 'submitted' }),
  ]);

describe('wallet stream', () => {
  it('is named after the account', () => {
    expect(walletStreamId('acc-42')).toBe('wallet-acc-42');
  });
});

describe('CreditWallet', () => {
  it('credits a payout, with its expiry 180 days later', () => {
    given([])
      .when(creditCommand('payout-1', 8_580, APRIL_1, { noDeliverable: true }))
      .then([
        {
          type: 'WalletCredited',
          data: {
            accountId: ACCOUNT_ID,
            source: { kind: 'payout', id: 'payout-1', contractId: 'contract-of-payout-1', milestoneId: 'milestone-of-payout-1' },
            amount: 8_580,
            flags: { noDeliverable: true, fastCompletion: false },
            creditedAt: APRIL_1,
            expiresAt: '2026-09-28T00:00:00.000Z',
            availableAfter: 8_580,
          },
        },
      ]);
  });

  it('appends nothing when the same source is credited again, however often it is delivered', () => {
    const history = historyOf([creditCommand('payout-1', 8_580, APRIL_1)]);
    given(history)
      .when(creditCommand('payout-1', 8_580, '2026-04-01T00:05:00Z'))
      .thenAssert((events, state) => {
        expect(events).toEqual([]);
        expect(state.available).toBe(8_580);
      });
  });

  it('refuses a second credit from the same source with another amount: that is not a retry', () => {
    const history = historyOf([creditCommand('refund-1', 11_000, APRIL_1, {}, 'refund')]);
    expect(refusalOf(history, creditCommand('refund-1', 5_500, APRIL_1, {}, 'refund'))).toMatchObject({
      kind: 'conflict',
      code: 'CREDIT_SOURCE_CONFLICT',
      details: { creditedAmount: 11_000, amount: 5_500 },
    });
  });

  it('adds credits from different sources', () => {
    const history = historyOf([creditCommand('payout-1', 8_580, APRIL_1)]);
    given(history)
      .when(creditCommand('refund-1', 11_000, APRIL_10, {}, 'refund'))
      .thenAssert((_events, state) => {
        expect(state.available).toBe(19_580);
        expect(state.lots.map((lot) => [lot.sourceId, lot.sourceKind])).toEqual([
          ['payout-1', 'payout'],
          ['refund-1', 'refund'],
        ]);
      });
  });

  it.each([OWNER, REVIEWER])('is refused from a $role actor: only the platform credits wallets', (actor) => {
    given([])
      .when({ ...creditCommand('payout-1', 1_000, APRIL_1), actor })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it.each([0, -100, 10.5])('refuses an amount of %p yen', (amount) => {
    expect(refusalOf([], creditCommand('payout-1', amount, APRIL_1))).toMatchObject({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ field: 'amount' })] },
    });
  });

  it('refuses a command for another account than the wallet’s', () => {
    const history = historyOf([creditCommand('payout-1', 8_580, APRIL_1)]);
    given(history)
      .when({ ...creditCommand('payout-2', 1_000, APRIL_10), accountId: 'acc-someone-else' })
      .thenThrows('conflict', 'WALLET_ACCOUNT_MISMATCH');
  });

  it('refuses a time without an offset', () => {
    given([])
      .when(creditCommand('payout-1', 1_000, '2026-04-01T09:00:00'))
      .thenThrows('invalid', 'INVALID_INSTANT');
  });
});

describe('RequestWithdrawal', () => {
  it('schedules a clean withdrawal for month end, with its fees and the credits it draws from', () => {
    const history = historyOf([creditCommand('payout-1', 8_000, APRIL_1), creditCommand('payout-2', 20_000, '2026-04-02T00:00:00Z')]);
    given(history)
      .when(withdrawalCommand('wd-1', 12_000, APRIL_10))
      .then([
        {
          type: 'WithdrawalRequested',
          data: {
            accountId: ACCOUNT_ID,
            withdrawalId: 'wd-1',
            amount: 12_000,
            bankFee: 100,
            quickFee: 0,
            netAmount: 11_900,
            mode: 'standard',
            bankAccountId: 'bank-1',
            bankCode: '0036',
            payoutDate: '2026-04-30',
            status: 'scheduled',
            reviewReasons: [],
            allocations: [
              { sourceId: 'payout-1', amount: 8_000 },
              { sourceId: 'payout-2', amount: 4_000 },
            ],
            requestedAt: APRIL_10,
            availableAfter: 16_000,
          },
        },
      ]);
  });

  it('moves the withdrawn amount from available to pending', () => {
    given(historyOf([creditCommand('payout-1', 50_000, APRIL_1)]))
      .when(withdrawalCommand('wd-1', 30_000, APRIL_10))
      .thenAssert((_events, state) =>
        expect({ available: state.available, pending: state.pending }).toEqual({ available: 20_000, pending: 30_000 }),
      );
  });

  it('pays a quick withdrawal three business days later and charges 5% (at least ¥530) on top of the bank fee', () => {
    const { events } = decided(
      historyOf([creditCommand('payout-1', 50_000, APRIL_1)]),
      withdrawalCommand('wd-1', 40_000, APRIL_10, { mode: 'quick', bankCode: '0005' }),
    );
    expect(events[0].data).toMatchObject({ bankFee: 500, quickFee: 2_000, netAmount: 37_500, payoutDate: '2026-04-15', mode: 'quick' });
  });

  it('charges the partner bank fee to the configured partner bank', () => {
    const { events } = decided(
      historyOf([creditCommand('payout-1', 50_000, APRIL_1)]),
      withdrawalCommand('wd-1', 10_000, APRIL_10, { bankCode: '0038', partnerBankCode: '0038' }),
    );
    expect(events[0].data).toMatchObject({ bankFee: 100, netAmount: 9_900 });
  });

  it('never takes the wallet below zero: money held by another withdrawal is not available', () => {
    const history = historyOf([creditCommand('payout-1', 10_000, APRIL_1), withdrawalCommand('wd-1', 6_000, APRIL_10)]);
    expect(refusalOf(history, withdrawalCommand('wd-2', 5_000, APRIL_10))).toMatchObject({
      kind: 'conflict',
      code: 'INSUFFICIENT_BALANCE',
      details: { available: 4_000, amount: 5_000 },
    });
  });

  it('allows the whole available balance', () => {
    const history = historyOf([creditCommand('payout-1', 10_000, APRIL_1)]);
    given(history)
      .when(withdrawalCommand('wd-1', 10_000, APRIL_10))
      .thenAssert((_events, state) =>
        expect({ available: state.available, pending: state.pending }).toEqual({ available: 0, pending: 10_000 }),
      );
  });

  it('refuses less than ¥1,000', () => {
    given(historyOf([creditCommand('payout-1', 10_000, APRIL_1)]))
      .when(withdrawalCommand('wd-1', 999, APRIL_10))
      .thenThrows('invalid', 'WITHDRAWAL_BELOW_MINIMUM');
  });

  it('refuses a quick withdrawal the fees would swallow', () => {
    given(historyOf([creditCommand('payout-1', 10_000, APRIL_1)]))
      .when(withdrawalCommand('wd-1', 1_000, APRIL_10, { mode: 'quick', bankCode: '0005' }))
      .thenThrows('invalid', 'WITHDRAWAL_FEES_EXCEED_AMOUNT');
  });

  it('refuses a withdrawal id used before', () => {
    const history = historyOf([creditCommand('payout-1', 10_000, APRIL_1), withdrawalCommand('wd-1', 2_000, APRIL_10)]);
    given(history)
      .when(withdrawalCommand('wd-1', 2_000, APRIL_10))
      .thenThrows('conflict', 'WITHDRAWAL_ALREADY_EXISTS');
  });

  it.each([
    ['another user', { id: 'acc-other', role: 'user' as const }],
    ['support', REVIEWER],
    ['the platform', SETTLEMENT],
  ])('is refused from %s: only the account owner withdraws', (_who, actor) => {
    given(historyOf([creditCommand('payout-1', 10_000, APRIL_1)]))
      .when({ ...withdrawalCommand('wd-1', 2_000, APRIL_10), actor })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('names every missing field', () => {
    const command = withdrawalCommand('', 2_000, APRIL_10);
    const error = refusalOf(historyOf([creditCommand('payout-1', 10_000, APRIL_1)]), {
      ...command,
      bankAccount: { ...command.bankAccount, fingerprint: '' },
    });
    expect(error).toMatchObject({ kind: 'invalid', code: 'VALIDATION_FAILED' });
    expect((error.details?.errors as { field: string }[]).map((fieldError) => fieldError.field)).toEqual([
      'withdrawalId',
      'bankAccount.fingerprint',
    ]);
  });
});

describe('withdrawal review reasons', () => {
  const reasonsOf = (history: WalletEvent[], command: ReturnType<typeof withdrawalCommand>) => {
    const [event] = decided(history, command).events;
    if (event.type !== 'WithdrawalRequested') throw new Error(`unexpected ${event.type}`);
    return { status: event.data.status, reasons: event.data.reviewReasons };
  };

  it('NO_DELIVERABLE: only when the amount reaches a credit without a deliverable, oldest credits being drawn first', () => {
    const history = historyOf([
      creditCommand('payout-clean', 5_000, APRIL_1),
      creditCommand('payout-no-deliverable', 5_000, '2026-04-02T00:00:00Z', { noDeliverable: true }),
    ]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 5_000, APRIL_10))).toEqual({ status: 'scheduled', reasons: [] });
    expect(reasonsOf(history, withdrawalCommand('wd-1', 5_001, APRIL_10))).toEqual({ status: 'in_review', reasons: ['NO_DELIVERABLE'] });
  });

  it('NO_DELIVERABLE: credits are drawn in credit-time order even when delivered out of order', () => {
    const history = historyOf([
      creditCommand('payout-late', 5_000, '2026-04-03T00:00:00Z'),
      creditCommand('payout-early-flagged', 5_000, APRIL_1, { noDeliverable: true }),
    ]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 1_000, APRIL_10)).reasons).toEqual(['NO_DELIVERABLE']);
  });

  it('FAST_COMPLETION: money from a contract completed within an hour of acceptance', () => {
    const history = historyOf([
      creditCommand('payout-fast', 3_000, APRIL_1, { fastCompletion: true }),
      creditCommand('payout-clean', 50_000, '2026-04-02T00:00:00Z'),
    ]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 2_000, APRIL_10))).toEqual({ status: 'in_review', reasons: ['FAST_COMPLETION'] });
  });

  it('FAST_COMPLETION: not once the flagged credit has been fully withdrawn', () => {
    const history = historyOf([
      creditCommand('payout-fast', 3_000, APRIL_1, { fastCompletion: true }),
      creditCommand('payout-clean', 50_000, '2026-04-02T00:00:00Z'),
      withdrawalCommand('wd-1', 3_000, APRIL_10),
      approveCommand('wd-1', APRIL_10),
    ]);
    expect(reasonsOf(history, withdrawalCommand('wd-2', 10_000, APRIL_10)).reasons).toEqual([]);
  });

  it('SHARED_BANK_ACCOUNT: the bank account is registered to another account too', () => {
    const history = historyOf([creditCommand('payout-1', 50_000, APRIL_1)]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 10_000, APRIL_10, { shared: true }))).toEqual({
      status: 'in_review',
      reasons: ['SHARED_BANK_ACCOUNT'],
    });
  });

  it.each(['none', 'submitted', 'rejected'] as const)('IDENTITY_NOT_VERIFIED: identity verification is %s', (identityStatus) => {
    const history = historyOf([creditCommand('payout-1', 50_000, APRIL_1)]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 10_000, APRIL_10, { identityStatus }))).toEqual({
      status: 'in_review',
      reasons: ['IDENTITY_NOT_VERIFIED'],
    });
  });

  it('UNUSUAL_AMOUNT: a first withdrawal over ¥100,000', () => {
    const history = historyOf([creditCommand('payout-1', 500_000, APRIL_1)]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 100_000, APRIL_10)).reasons).toEqual([]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 100_001, APRIL_10)).reasons).toEqual(['UNUSUAL_AMOUNT']);
  });

  it('UNUSUAL_AMOUNT: more than 5 times the largest earlier paid withdrawal and over ¥100,000', () => {
    const history = historyOf([
      creditCommand('payout-1', 500_000, APRIL_1),
      withdrawalCommand('wd-1', 30_000, APRIL_10),
      paidCommand('wd-1', '2026-04-30T01:00:00Z'),
      withdrawalCommand('wd-2', 25_000, '2026-05-01T01:00:00Z'),
      paidCommand('wd-2', '2026-05-29T01:00:00Z'),
    ]);
    expect(reasonsOf(history, withdrawalCommand('wd-3', 150_000, '2026-06-01T01:00:00Z')).reasons).toEqual([]);
    expect(reasonsOf(history, withdrawalCommand('wd-3', 150_001, '2026-06-01T01:00:00Z')).reasons).toEqual(['UNUSUAL_AMOUNT']);
  });

  it('UNUSUAL_AMOUNT: a rejected or failed withdrawal is no baseline', () => {
    const history = historyOf([
      creditCommand('payout-1', 900_000, APRIL_1),
      withdrawalCommand('wd-1', 200_000, APRIL_10, { identityStatus: 'submitted' }),
      rejectCommand('wd-1', APRIL_10),
      withdrawalCommand('wd-2', 90_000, APRIL_10),
      failedCommand('wd-2', '2026-04-30T01:00:00Z'),
    ]);
    expect(reasonsOf(history, withdrawalCommand('wd-3', 120_000, '2026-05-01T01:00:00Z')).reasons).toEqual(['UNUSUAL_AMOUNT']);
  });

  it('lists every reason that applies, in a fixed order', () => {
    const history = historyOf([
      creditCommand('payout-1', 100_000, APRIL_1, { noDeliverable: true }),
      creditCommand('payout-2', 100_000, '2026-04-02T00:00:00Z', { fastCompletion: true }),
    ]);
    expect(reasonsOf(history, withdrawalCommand('wd-1', 150_000, APRIL_10, { shared: true, identityStatus: 'none' }))).toEqual({
      status: 'in_review',
      reasons: ['NO_DELIVERABLE', 'FAST_COMPLETION', 'SHARED_BANK_ACCOUNT', 'IDENTITY_NOT_VERIFIED', 'UNUSUAL_AMOUNT'],
    });
  });
});

describe('withdrawal review', () => {
  it('approval schedules the withdrawal, recording the reviewer and the reason; the money stays held', () => {
    const command = approveCommand('wd-1', '2026-04-11T01:00:00Z', 'identity checked by phone');
    given(inReviewWithdrawalOf('wd-1', 20_000))
      .when(command)
      .then([
        {
          type: 'WithdrawalApproved',
          data: {
            accountId: ACCOUNT_ID,
            withdrawalId: 'wd-1',
            amount: 20_000,
            bankFee: 100,
            quickFee: 0,
            netAmount: 19_900,
            reviewerId: REVIEWER.id,
            reason: 'identity checked by phone',
            reviewedAt: '2026-04-11T01:00:00Z',
            payoutDate: '2026-04-30',
          },
        },
      ]);
    const { state } = decided(inReviewWithdrawalOf('wd-1', 20_000), command);
    expect(state.withdrawals['wd-1'].status).toBe('scheduled');
    expect({ available: state.available, pending: state.pending }).toEqual({ available: 30_000, pending: 20_000 });
  });

  it('an approval after the 15th moves a standard payout to the 15th of the next month', () => {
    const [event] = decided(inReviewWithdrawalOf('wd-1', 20_000), approveCommand('wd-1', '2026-04-20T01:00:00Z')).events;
    expect(event.data).toMatchObject({ payoutDate: '2026-05-15' });
  });

  it('rejection returns the amount to the balance, and to the credits it came from', () => {
    const history = historyOf([
      creditCommand('payout-flagged', 20_000, APRIL_1, { noDeliverable: true }),
      creditCommand('payout-clean', 30_000, '2026-04-02T00:00:00Z'),
      withdrawalCommand('wd-1', 25_000, APRIL_10),
    ]);
    const command = rejectCommand('wd-1', '2026-04-12T01:00:00Z', 'no evidence of the work');
    given(history)
      .when(command)
      .then([
        {
          type: 'WithdrawalRejected',
          data: {
            accountId: ACCOUNT_ID,
            withdrawalId: 'wd-1',
            amount: 25_000,
            bankFee: 100,
            quickFee: 0,
            netAmount: 24_900,
            reviewerId: REVIEWER.id,
            reason: 'no evidence of the work',
            reviewedAt: '2026-04-12T01:00:00Z',
            availableAfter: 50_000,
          },
        },
      ]);
    const { state } = decided(history, command);
    expect({ available: state.available, pending: state.pending }).toEqual({ available: 50_000, pending: 0 });
    expect(state.lots.map((lot) => [lot.sourceId, lot.remaining])).toEqual([
      ['payout-flagged', 20_000],
      ['payout-clean', 30_000],
    ]);
    expect(state.withdrawals['wd-1']).toMatchObject({
      status: 'rejected',
      reviewSteps: [{ action: 'rejected', reviewerId: REVIEWER.id, reason: 'no evidence of the work' }],
    });
  });

  it('returned money keeps its flags: withdrawing it again goes to review again', () => {
    const history = historyOf([
      creditCommand('payout-flagged', 20_000, APRIL_1, { noDeliverable: true }),
      withdrawalCommand('wd-1', 20_000, APRIL_10),
      rejectCommand('wd-1', APRIL_10),
    ]);
    const [event] = decided(history, withdrawalCommand('wd-2', 20_000, '2026-04-13T01:00:00Z')).events;
    expect(event.data).toMatchObject({ status: 'in_review', reviewReasons: ['NO_DELIVERABLE'] });
  });

  it('a request for information keeps the withdrawal in review and records it; the reviewer can then decide', () => {
    const command = infoCommand('wd-1', '2026-04-11T01:00:00Z', 'send the delivery messages');
    given(inReviewWithdrawalOf('wd-1', 20_000))
      .when(command)
      .then([
        {
          type: 'WithdrawalInfoRequested',
          data: {
            accountId: ACCOUNT_ID,
            withdrawalId: 'wd-1',
            amount: 20_000,
            bankFee: 100,
            quickFee: 0,
            netAmount: 19_900,
            reviewerId: REVIEWER.id,
            reason: 'send the delivery messages',
            reviewedAt: '2026-04-11T01:00:00Z',
          },
        },
      ]);
    const outcome = decided(inReviewWithdrawalOf('wd-1', 20_000), command);
    expect(outcome.state.withdrawals['wd-1']).toMatchObject({
      status: 'in_review',
      reviewSteps: [{ action: 'info_requested', reason: 'send the delivery messages' }],
    });
    const afterInfo = [...inReviewWithdrawalOf('wd-1', 20_000), ...outcome.events];
    given(afterInfo)
      .when(approveCommand('wd-1', '2026-04-12T01:00:00Z'))
      .thenAssert((events) => expect(events.map((event) => event.type)).toEqual(['WithdrawalApproved']));
  });

  it.each([
    ['approve', approveCommand],
    ['reject', rejectCommand],
    ['ask for information on', infoCommand],
  ])('cannot %s a withdrawal that is not in review', (_what, command) => {
    expect(refusalOf(scheduledWithdrawalOf('wd-1', 20_000), command('wd-1', APRIL_10))).toMatchObject({
      kind: 'conflict',
      code: 'WITHDRAWAL_NOT_IN_REVIEW',
      details: { status: 'scheduled' },
    });
  });

  it('cannot review twice: a rejected withdrawal is final', () => {
    const history = inReviewWithdrawalOf('wd-1', 20_000);
    const rejected = [...history, ...decided(history, rejectCommand('wd-1', APRIL_10)).events];
    expect(refusalOf(rejected, approveCommand('wd-1', APRIL_10))).toMatchObject({
      code: 'WITHDRAWAL_NOT_IN_REVIEW',
      details: { status: 'rejected' },
    });
  });

  it.each([OWNER, GATEWAY])('is refused from a $role actor: only support reviews', (actor) => {
    given(inReviewWithdrawalOf('wd-1', 20_000))
      .when({ ...approveCommand('wd-1', APRIL_10), actor })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('needs a reason', () => {
    expect(refusalOf(inReviewWithdrawalOf('wd-1', 20_000), rejectCommand('wd-1', APRIL_10, '  '))).toMatchObject({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ field: 'reason' })] },
    });
  });

  it('reports an unknown withdrawal as not found', () => {
    given(inReviewWithdrawalOf('wd-1', 20_000)).when(approveCommand('wd-404', APRIL_10)).thenThrows('not_found', 'WITHDRAWAL_NOT_FOUND');
  });
});

describe('bank transfer reports', () => {
  it('a paid transfer moves the amount from pending to paid out', () => {
    const command = paidCommand('wd-1', '2026-04-30T01:00:00Z', 'zengin-778');
    given(scheduledWithdrawalOf('wd-1', 20_000))
      .when(command)
      .then([
        {
          type: 'WithdrawalPaid',
          data: {
            accountId: ACCOUNT_ID,
            withdrawalId: 'wd-1',
            amount: 20_000,
            bankFee: 100,
            quickFee: 0,
            netAmount: 19_900,
            bankAccountId: 'bank-1',
            transferReference: 'zengin-778',
            paidAt: '2026-04-30T01:00:00Z',
          },
        },
      ]);
    expect(decided(scheduledWithdrawalOf('wd-1', 20_000), command).state).toMatchObject({
      available: 30_000,
      pending: 0,
      paidOut: 20_000,
      largestPaidWithdrawal: 20_000,
    });
  });

  it('a failed transfer returns the amount to the balance', () => {
    const command = failedCommand('wd-1', '2026-04-30T01:00:00Z', 'account number not found');
    given(scheduledWithdrawalOf('wd-1', 20_000))
      .when(command)
      .then([
        {
          type: 'WithdrawalFailed',
          data: {
            accountId: ACCOUNT_ID,
            withdrawalId: 'wd-1',
            amount: 20_000,
            bankFee: 100,
            quickFee: 0,
            netAmount: 19_900,
            bankAccountId: 'bank-1',
            reason: 'account number not found',
            failedAt: '2026-04-30T01:00:00Z',
            availableAfter: 50_000,
          },
        },
      ]);
    expect(decided(scheduledWithdrawalOf('wd-1', 20_000), command).state).toMatchObject({ available: 50_000, pending: 0, paidOut: 0 });
  });

  it('an approved withdrawal can be paid', () => {
    const history = [
      ...inReviewWithdrawalOf('wd-1', 20_000),
      ...decided(inReviewWithdrawalOf('wd-1', 20_000), approveCommand('wd-1', APRIL_10)).events,
    ];
    given(history)
      .when(paidCommand('wd-1', '2026-04-30T01:00:00Z'))
      .thenAssert((_events, state) => expect({ pending: state.pending, paidOut: state.paidOut }).toEqual({ pending: 0, paidOut: 20_000 }));
  });

  it.each([
    ['paid', paidCommand],
    ['failed', failedCommand],
  ])('a withdrawal still in review cannot be reported %s', (_what, command) => {
    expect(refusalOf(inReviewWithdrawalOf('wd-1', 20_000), command('wd-1', APRIL_10))).toMatchObject({
      kind: 'conflict',
      code: 'WITHDRAWAL_NOT_SCHEDULED',
      details: { status: 'in_review' },
    });
  });

  it('a paid withdrawal cannot fail afterwards, nor be paid twice', () => {
    const history = [
      ...scheduledWithdrawalOf('wd-1', 20_000),
      ...decided(scheduledWithdrawalOf('wd-1', 20_000), paidCommand('wd-1', APRIL_10)).events,
    ];
    expect(refusalOf(history, failedCommand('wd-1', APRIL_10))).toMatchObject({
      code: 'WITHDRAWAL_NOT_SCHEDULED',
      details: { status: 'paid' },
    });
    expect(refusalOf(history, paidCommand('wd-1', APRIL_10))).toMatchObject({
      code: 'WITHDRAWAL_NOT_SCHEDULED',
      details: { status: 'paid' },
    });
  });

  it('is refused from anyone but the platform', () => {
    given(scheduledWithdrawalOf('wd-1', 20_000))
      .when({ ...paidCommand('wd-1', APRIL_10), actor: REVIEWER })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given(scheduledWithdrawalOf('wd-1', 20_000))
      .when({ ...failedCommand('wd-1', APRIL_10), actor: OWNER })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('a failure needs a reason', () => {
    given(scheduledWithdrawalOf('wd-1', 20_000))
      .when(failedCommand('wd-1', APRIL_10, ''))
      .thenThrows('invalid', 'VALIDATION_FAILED');
  });
});

describe('ExpireBalances', () => {
  const history = historyOf([
    creditCommand('payout-1', 10_000, APRIL_1),
    creditCommand('payout-2', 7_000, '2026-05-01T00:00:00Z'),
    withdrawalCommand('wd-1', 4_000, APRIL_10),
  ]);

  it('expires nothing before 180 days', () => {
    given(history).when(expireCommand('2026-09-27T23:59:59Z')).then([]);
  });

  it('expires what remains of a credit 180 days after it, not what a withdrawal holds', () => {
    given(history)
      .when(expireCommand('2026-09-28T00:00:00Z'))
      .then([
        {
          type: 'BalanceExpired',
          data: {
            accountId: ACCOUNT_ID,
            amount: 6_000,
            lots: [{ sourceId: 'payout-1', amount: 6_000, creditedAt: APRIL_1, expiresAt: '2026-09-28T00:00:00.000Z' }],
            asOf: '2026-09-28T00:00:00Z',
            availableAfter: 7_000,
          },
        },
      ]);
    expect(decided(history, expireCommand('2026-09-28T00:00:00Z')).state).toMatchObject({
      available: 7_000,
      pending: 4_000,
      expired: 6_000,
    });
  });

  it('expires every due credit at once and is a no-op when run again', () => {
    const outcome = decided(history, expireCommand('2026-12-01T00:00:00Z'));
    expect(outcome.events).toHaveLength(1);
    expect(outcome.events[0].data).toMatchObject({ amount: 13_000 });
    given([...history, ...outcome.events])
      .when(expireCommand('2026-12-02T00:00:00Z'))
      .then([]);
  });

  it('refuses to expire as of a time after the command', () => {
    given(history).when(expireCommand('2026-12-01T00:00:00Z', '2026-11-30T00:00:00Z')).thenThrows('invalid', 'EXPIRY_AS_OF_IN_FUTURE');
  });

  it('is refused from anyone but the platform', () => {
    given(history)
      .when({ ...expireCommand('2026-12-01T00:00:00Z'), actor: REVIEWER })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });
});

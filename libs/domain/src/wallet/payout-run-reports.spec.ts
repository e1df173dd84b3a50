import type { MarkWithdrawalFailed, MarkWithdrawalPaid } from './commands';
import { approveCommand, creditCommand, decided, failedCommand, historyOf, paidCommand, refusalOf, withdrawalCommand } from './wallet.fixtures';

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';

/** A standard withdrawal requested on 2026-04-10 (Tokyo): due on 2026-04-30. */
const scheduled = historyOf([creditCommand('payout-1', 50_000, APRIL_1), withdrawalCommand('wd-1', 20_000, APRIL_10)]);

const fromRun = <Command extends MarkWithdrawalPaid | MarkWithdrawalFailed>(command: Command, payoutDate: string): Command => ({ ...command, payoutDate });
const paidFromRun = (payoutDate: string) => fromRun(paidCommand('wd-1', '2026-04-30T01:00:00Z', 'TR-1') as MarkWithdrawalPaid, payoutDate);
const failedFromRun = (payoutDate: string) => fromRun(failedCommand('wd-1', '2026-04-30T01:00:00Z') as MarkWithdrawalFailed, payoutDate);

describe('transfer reports from a payout run', () => {
  it.each([
    ['paid', paidFromRun, 'WithdrawalPaid'],
    ['failed', failedFromRun, 'WithdrawalFailed'],
  ])('records a withdrawal due on the run’s payout date as %s', (_what, report, type) => {
    expect(decided(scheduled, report('2026-04-30')).events.map((event) => event.type)).toEqual([type]);
  });

  it.each([
    ['paid', paidFromRun],
    ['failed', failedFromRun],
  ])('refuses a %s report for a withdrawal due on another date, and records nothing', (_what, report) => {
    expect(refusalOf(scheduled, report('2026-05-15'))).toMatchObject({
      kind: 'conflict',
      code: 'WITHDRAWAL_NOT_IN_PAYOUT_RUN',
      details: { withdrawalId: 'wd-1', payoutDate: '2026-04-30', reportedPayoutDate: '2026-05-15' },
    });
  });

  it('follows the payout date an approval set, not the one of the request', () => {
    const inReview = historyOf([creditCommand('payout-1', 50_000, APRIL_1), withdrawalCommand('wd-1', 20_000, APRIL_10, { identityStatus: 'submitted' })]);
    const approved = [...inReview, ...decided(inReview, approveCommand('wd-1', '2026-04-20T01:00:00Z')).events];
    expect(refusalOf(approved, paidFromRun('2026-04-30'))).toMatchObject({ code: 'WITHDRAWAL_NOT_IN_PAYOUT_RUN' });
    expect(decided(approved, paidFromRun('2026-05-15')).events.map((event) => event.type)).toEqual(['WithdrawalPaid']);
  });

  it('refuses a payout date that is not a calendar date', () => {
    expect(refusalOf(scheduled, paidFromRun('2026-02-30'))).toMatchObject({
      kind: 'invalid',
      details: { errors: [expect.objectContaining({ field: 'payoutDate' })] },
    });
  });

  it('a withdrawal already paid is not paid again from its run', () => {
    const paid = [...scheduled, ...decided(scheduled, paidFromRun('2026-04-30')).events];
    expect(refusalOf(paid, paidFromRun('2026-04-30'))).toMatchObject({ code: 'WITHDRAWAL_NOT_SCHEDULED', details: { status: 'paid' } });
  });
});

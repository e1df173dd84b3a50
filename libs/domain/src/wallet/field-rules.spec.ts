import { walletDecider } from './decider';
import { deciderSpec } from '../testing/given-when-then';
import { GATEWAY, creditCommand, expireCommand, failedCommand, historyOf, paidCommand, refusalOf, rejectCommand, withdrawalCommand } from './wallet.fixtures';

/** The shared free-text and instant rules as the wallet decider applies them. */
const { given } = deciderSpec(walletDecider);

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';
const inReview = historyOf([creditCommand('payout-1', 50_000, APRIL_1), withdrawalCommand('wd-1', 20_000, APRIL_10, { identityStatus: 'submitted' })]);
const scheduled = historyOf([creditCommand('payout-1', 50_000, APRIL_1), withdrawalCommand('wd-1', 20_000, APRIL_10)]);

describe('free text in wallet commands', () => {
  it('refuses a review reason with a control character or a lone surrogate, naming the field and the rule', () => {
    const refusal = refusalOf(inReview, rejectCommand('wd-1', APRIL_10, 'no evidence\u0000'));
    expect(refusal).toMatchObject({ kind: 'invalid', code: 'VALIDATION_FAILED' });
    expect(refusal.details?.errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'freeText' })]);
    expect(refusalOf(inReview, rejectCommand('wd-1', APRIL_10, 'no evidence \ud800')).details?.errors).toEqual([
      expect.objectContaining({ field: 'reason', rule: 'freeText' }),
    ]);
    given(inReview).when(rejectCommand('wd-1', APRIL_10, '証拠なし\n\t再提出をお願いします')).thenAssert((events) => expect(events).toHaveLength(1));
  });

  it('refuses a control character in a transfer reference or a failure reason', () => {
    expect(refusalOf(scheduled, { ...paidCommand('wd-1', APRIL_10, 'tr\u001b-1'), actor: GATEWAY }).details?.errors).toEqual([
      expect.objectContaining({ field: 'transferReference', rule: 'freeText' }),
    ]);
    expect(refusalOf(scheduled, failedCommand('wd-1', APRIL_10, 'closed\u007f')).details?.errors).toEqual([
      expect.objectContaining({ field: 'reason', rule: 'freeText' }),
    ]);
  });
});

describe('the expiry instant', () => {
  it('must be a real instant within the bounds', () => {
    given(scheduled).when(expireCommand('2027-02-30T00:00:00Z', APRIL_10)).thenThrows('invalid', 'VALIDATION_FAILED');
    given(scheduled).when(expireCommand('1970-01-01T00:00:00Z', APRIL_10)).thenThrows('invalid', 'VALIDATION_FAILED');
  });
});

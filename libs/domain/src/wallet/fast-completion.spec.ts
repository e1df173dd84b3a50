import type { RuleOutFastCompletion } from './commands';
import { walletDecider } from './decider';
import { deciderSpec } from '../testing/given-when-then';
import { ACCOUNT_ID, OWNER, SETTLEMENT, creditCommand, decided, historyOf, refusalOf, withdrawalCommand } from './wallet.fixtures';

const { given } = deciderSpec(walletDecider);

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_2 = '2026-04-02T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';

/** creditCommand names the contract of source `s` `contract-of-s`. */
const ruleOut = (
  contractId: string,
  at = APRIL_2,
  reason: RuleOutFastCompletion['reason'] = 'completed_after_window',
): RuleOutFastCompletion => ({
  type: 'RuleOutFastCompletion',
  accountId: ACCOUNT_ID,
  actor: SETTLEMENT,
  at,
  contractId,
  reason,
});

const reviewReasonsOf = (history: ReturnType<typeof historyOf>, amount: number) => {
  const [event] = decided(history, withdrawalCommand('wd-1', amount, APRIL_10)).events;
  if (event.type !== 'WithdrawalRequested') throw new Error(`unexpected ${event.type}`);
  return event.data.reviewReasons;
};

describe('RuleOutFastCompletion', () => {
  it('clears the fastCompletion flag of the credits from that contract only, and records which', () => {
    given(
      historyOf([
        creditCommand('payout-1', 3_000, APRIL_1, { fastCompletion: true }),
        creditCommand('payout-2', 3_000, APRIL_1, { fastCompletion: true }),
      ]),
    )
      .when(ruleOut('contract-of-payout-1'))
      .thenAssert((events, state) => {
        expect(events).toEqual([
          {
            type: 'FastCompletionRuledOut',
            data: {
              accountId: ACCOUNT_ID,
              contractId: 'contract-of-payout-1',
              reason: 'completed_after_window',
              clearedSourceIds: ['payout-1'],
              ruledOutAt: APRIL_2,
            },
          },
        ]);
        expect(state.lots.map((lot) => [lot.sourceId, lot.flags.fastCompletion])).toEqual([
          ['payout-1', false],
          ['payout-2', true],
        ]);
      });
  });

  it('takes FAST_COMPLETION off a later withdrawal of that money, and keeps NO_DELIVERABLE', () => {
    const flagged = historyOf([creditCommand('payout-1', 3_000, APRIL_1, { fastCompletion: true, noDeliverable: true })]);
    expect(reviewReasonsOf(flagged, 2_000)).toEqual(['NO_DELIVERABLE', 'FAST_COMPLETION']);
    const ruledOut = [...flagged, ...decided(flagged, ruleOut('contract-of-payout-1')).events];
    expect(reviewReasonsOf(ruledOut, 2_000)).toEqual(['NO_DELIVERABLE']);
  });

  it('is recorded before any credit from the contract lands, and the credit that lands afterwards is not flagged', () => {
    const ruledOutFirst = historyOf([ruleOut('contract-of-payout-1', APRIL_1)]);
    given(ruledOutFirst)
      .when(creditCommand('payout-1', 3_000, APRIL_2, { fastCompletion: true, noDeliverable: true }))
      .thenAssert((events) => {
        expect(events).toHaveLength(1);
        expect(events[0].type === 'WalletCredited' && events[0].data.flags).toEqual({ noDeliverable: true, fastCompletion: false });
      });
  });

  it('ends with the same flags whichever of the credit and the rule-out comes first', () => {
    const creditFirst = decided(
      historyOf([creditCommand('payout-1', 3_000, APRIL_1, { fastCompletion: true })]),
      ruleOut('contract-of-payout-1'),
    ).state;
    const ruleOutFirst = decided(
      historyOf([ruleOut('contract-of-payout-1', APRIL_1)]),
      creditCommand('payout-1', 3_000, APRIL_1, { fastCompletion: true }),
    ).state;
    expect(creditFirst.lots.map((lot) => lot.flags)).toEqual(ruleOutFirst.lots.map((lot) => lot.flags));
  });

  it('appends nothing the second time for the same contract', () => {
    given(historyOf([creditCommand('payout-1', 3_000, APRIL_1, { fastCompletion: true }), ruleOut('contract-of-payout-1')]))
      .when(ruleOut('contract-of-payout-1', APRIL_10, 'terminated'))
      .then([]);
  });

  it('is refused from anyone but the platform, and with an unknown reason', () => {
    given([])
      .when({ ...ruleOut('contract-1'), actor: OWNER })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    expect(refusalOf([], { ...ruleOut('contract-1'), reason: 'because' as RuleOutFastCompletion['reason'] })).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ field: 'reason' })] },
    });
  });
});

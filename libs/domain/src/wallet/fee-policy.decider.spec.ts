import { deciderSpec } from '../testing/given-when-then';
import type { WalletCommand } from './commands';
import { walletDecider, walletDeciderWith } from './decider';
import { ACCOUNT_ID, OWNER, creditCommand, historyOf, withdrawalCommand } from './wallet.fixtures';
import { DEFAULT_WITHDRAWAL_FEE_POLICY, type WithdrawalFeePolicy } from './withdrawal-fees';

/** A deployment's withdrawal fee policy is bound to the wallet decider once; every decision then has the shared shape. */

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';

const OTHER_POLICY: WithdrawalFeePolicy = {
  ...DEFAULT_WITHDRAWAL_FEE_POLICY,
  minimumAmount: 3_000,
  partnerBankCode: '0005',
  partnerBankFee: 0,
  otherBankFee: 300,
};

const twoThousand = historyOf([creditCommand('payout-1', 2_000, APRIL_1)]);

const forfeit: WalletCommand = { type: 'ForfeitBalance', accountId: ACCOUNT_ID, actor: OWNER, at: APRIL_10, reason: 'below the minimum' };

describe('the wallet decider under a withdrawal fee policy', () => {
  it('takes the fees of the bound policy, not the default ones', () => {
    deciderSpec(walletDeciderWith(OTHER_POLICY))
      .given(twoThousand)
      .when(withdrawalCommand('wd-1', 2_000, APRIL_10, { bankCode: '0036' }))
      .thenAssert(([requested]) => expect(requested.data).toMatchObject({ amount: 2_000, bankFee: 300, quickFee: 0, netAmount: 1_700 }));
    deciderSpec(walletDecider)
      .given(twoThousand)
      .when(withdrawalCommand('wd-1', 2_000, APRIL_10, { bankCode: '0036' }))
      .thenAssert(([requested]) => expect(requested.data).toMatchObject({ amount: 2_000, bankFee: 100, quickFee: 0, netAmount: 1_900 }));
  });

  it('judges a forfeit against the bound policy’s minimum', () => {
    deciderSpec(walletDeciderWith(OTHER_POLICY))
      .given(twoThousand)
      .when(forfeit)
      .thenAssert(([forfeited]) =>
        expect(forfeited).toMatchObject({ type: 'BalanceForfeited', data: { amount: 2_000, availableAfter: 0 } }),
      );
    deciderSpec(walletDecider).given(twoThousand).when(forfeit).thenThrows('conflict', 'BALANCE_WITHDRAWABLE');
  });

  it('refuses a partial withdrawal below the bound policy’s minimum that the default policy allows', () => {
    deciderSpec(walletDeciderWith(OTHER_POLICY))
      .given(twoThousand)
      .when(withdrawalCommand('wd-1', 1_000, APRIL_10))
      .thenThrows('invalid', 'WITHDRAWAL_BELOW_MINIMUM');
    deciderSpec(walletDecider)
      .given(twoThousand)
      .when(withdrawalCommand('wd-1', 1_000, APRIL_10))
      .thenAssert((events) => expect(events).toHaveLength(1));
  });
});

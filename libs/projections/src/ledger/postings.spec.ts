import { postingsFor, UnbalancedPostingsError } from './postings';

const amounts = { accountId: 'worker-1', withdrawalId: 'w1', amount: 10_000, bankFee: 500, quickFee: 530, netAmount: 8_970 };

describe('the postings of each money event', () => {
  it('EscrowFunded: the gateway paid into the contract escrow', () => {
    expect(postingsFor({ type: 'EscrowFunded', data: { contractId: 'c1', amount: 11_000 } })).toEqual([
      { account: 'gateway-clearing', debit: 11_000, credit: 0 },
      { account: 'escrow:c1', debit: 0, credit: 11_000 },
    ]);
  });

  it('MilestonePaidOut: the escrow releases the gross into the net owed to the wallet, the fee and the tax on it', () => {
    const data = { contractId: 'c1', gross: 11_000, net: 8_580, feeExTax: 2_200, feeTax: 220 };
    expect(postingsFor({ type: 'MilestonePaidOut', data })).toEqual([
      { account: 'escrow:c1', debit: 11_000, credit: 0 },
      { account: 'payable-to-wallets', debit: 0, credit: 8_580 },
      { account: 'fee-revenue', debit: 0, credit: 2_200 },
      { account: 'fee-tax-payable', debit: 0, credit: 220 },
    ]);
  });

  it('EscrowRefunded: the escrow goes back, owed to the client wallet', () => {
    expect(postingsFor({ type: 'EscrowRefunded', data: { contractId: 'c1', amount: 5_000 } })).toEqual([
      { account: 'escrow:c1', debit: 5_000, credit: 0 },
      { account: 'payable-to-wallets', debit: 0, credit: 5_000 },
    ]);
  });

  it('WalletCredited: what was owed lands in the wallet', () => {
    expect(postingsFor({ type: 'WalletCredited', data: { accountId: 'worker-1', amount: 8_580 } })).toEqual([
      { account: 'payable-to-wallets', debit: 8_580, credit: 0 },
      { account: 'wallet:worker-1', debit: 0, credit: 8_580 },
    ]);
  });

  it('WithdrawalRequested takes the amount out of the wallet; Rejected and Failed put it back', () => {
    expect(postingsFor({ type: 'WithdrawalRequested', data: amounts })).toEqual([
      { account: 'wallet:worker-1', debit: 10_000, credit: 0 },
      { account: 'withdrawals-in-progress', debit: 0, credit: 10_000 },
    ]);
    const reversal = [
      { account: 'withdrawals-in-progress', debit: 10_000, credit: 0 },
      { account: 'wallet:worker-1', debit: 0, credit: 10_000 },
    ];
    expect(postingsFor({ type: 'WithdrawalRejected', data: amounts })).toEqual(reversal);
    expect(postingsFor({ type: 'WithdrawalFailed', data: amounts })).toEqual(reversal);
  });

  it('WithdrawalPaid: the bank receives the amount less the fees, which the platform keeps', () => {
    expect(postingsFor({ type: 'WithdrawalPaid', data: amounts })).toEqual([
      { account: 'withdrawals-in-progress', debit: 10_000, credit: 0 },
      { account: 'bank-payouts', debit: 0, credit: 8_970 },
      { account: 'withdrawal-fee-revenue', debit: 0, credit: 1_030 },
    ]);
  });

  it('BalanceExpired: the expired balance leaves the wallet', () => {
    expect(postingsFor({ type: 'BalanceExpired', data: { accountId: 'client-1', amount: 700 } })).toEqual([
      { account: 'wallet:client-1', debit: 700, credit: 0 },
      { account: 'expired-balances', debit: 0, credit: 700 },
    ]);
  });

  it('BalanceForfeited: the forfeited balance leaves the wallet for its own account', () => {
    expect(postingsFor({ type: 'BalanceForfeited', data: { accountId: 'client-1', amount: 500 } })).toEqual([
      { account: 'wallet:client-1', debit: 500, credit: 0 },
      { account: 'forfeited-balances', debit: 0, credit: 500 },
    ]);
    expect(postingsFor({ type: 'WalletClosed', data: { accountId: 'client-1' } })).toEqual([]);
  });

  it('leaves out lines of zero (a fee-free payout) and posts nothing for events that move no money', () => {
    const data = { contractId: 'c1', gross: 1_000, net: 1_000, feeExTax: 0, feeTax: 0 };
    expect(postingsFor({ type: 'MilestonePaidOut', data }).map((p) => p.account)).toEqual(['escrow:c1', 'payable-to-wallets']);
    expect(postingsFor({ type: 'WithdrawalApproved', data: amounts })).toEqual([]);
    expect(postingsFor({ type: 'MilestoneDelivered', data: { contractId: 'c1' } })).toEqual([]);
  });

  it('refuses a payout whose parts do not add up to its gross', () => {
    const data = { contractId: 'c1', gross: 11_000, net: 8_580, feeExTax: 2_200, feeTax: 221 };
    expect(() => postingsFor({ type: 'MilestonePaidOut', data })).toThrow(UnbalancedPostingsError);
  });

  it('refuses amounts that are not whole yen', () => {
    expect(() => postingsFor({ type: 'EscrowFunded', data: { contractId: 'c1', amount: 10.5 } })).toThrow(RangeError);
    expect(() => postingsFor({ type: 'EscrowFunded', data: { contractId: 'c1', amount: -1 } })).toThrow(RangeError);
    expect(() => postingsFor({ type: 'WalletCredited', data: { accountId: 'a', amount: '100' } })).toThrow(RangeError);
  });
});

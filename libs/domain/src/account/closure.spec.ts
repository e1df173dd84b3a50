import fc from 'fast-check';
import { CLOSURE_BLOCKERS, ClosureFacts, closureBlockers, closureEligibility } from './closure';

const NOTHING_OPEN: ClosureFacts = {
  openContractsAsClient: 0,
  openContractsAsWorker: 0,
  unsettledEscrow: 0,
  walletAvailable: 0,
  withdrawalsInProgress: 0,
  identityStatus: 'approved',
};

describe('closureBlockers', () => {
  it('finds nothing for an account with nothing open', () => {
    expect(closureEligibility(NOTHING_OPEN)).toEqual({ eligible: true, reasons: [] });
  });

  it.each([
    ['OPEN_CONTRACT_AS_CLIENT', { openContractsAsClient: 1 }],
    ['OPEN_CONTRACT_AS_WORKER', { openContractsAsWorker: 2 }],
    ['UNSETTLED_ESCROW', { unsettledEscrow: 11_000 }],
    ['WALLET_BALANCE', { walletAvailable: 1_000 }],
    ['WALLET_BALANCE_BELOW_MINIMUM', { walletAvailable: 999 }],
    ['WALLET_BALANCE_BELOW_MINIMUM', { walletAvailable: 1 }],
    ['WITHDRAWAL_IN_PROGRESS', { withdrawalsInProgress: 1 }],
    ['IDENTITY_VERIFICATION_IN_REVIEW', { identityStatus: 'submitted' as const }],
  ])('%s', (reason, facts) => {
    expect(closureBlockers({ ...NOTHING_OPEN, ...facts })).toEqual([reason]);
  });

  it('judges the balance against the deployment’s withdrawal minimum when given one', () => {
    expect(closureBlockers({ ...NOTHING_OPEN, walletAvailable: 1_500 }, 2_000)).toEqual(['WALLET_BALANCE_BELOW_MINIMUM']);
  });

  it.each(['none', 'approved', 'rejected'] as const)('does not block on identity verification %s', (identityStatus) => {
    expect(closureBlockers({ ...NOTHING_OPEN, identityStatus })).toEqual([]);
  });

  it('lists every applying reason, in a fixed order, and only those', () => {
    const facts = fc.record({
      openContractsAsClient: fc.nat(3),
      openContractsAsWorker: fc.nat(3),
      unsettledEscrow: fc.nat(100_000),
      walletAvailable: fc.nat(100_000),
      withdrawalsInProgress: fc.nat(2),
      identityStatus: fc.constantFrom('none' as const, 'submitted' as const, 'approved' as const, 'rejected' as const),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const reasons = closureBlockers(f);
        const expected = new Set<string>();
        if (f.openContractsAsClient > 0) expected.add('OPEN_CONTRACT_AS_CLIENT');
        if (f.openContractsAsWorker > 0) expected.add('OPEN_CONTRACT_AS_WORKER');
        if (f.unsettledEscrow > 0) expected.add('UNSETTLED_ESCROW');
        if (f.walletAvailable >= 1_000) expected.add('WALLET_BALANCE');
        if (f.walletAvailable > 0 && f.walletAvailable < 1_000) expected.add('WALLET_BALANCE_BELOW_MINIMUM');
        if (f.withdrawalsInProgress > 0) expected.add('WITHDRAWAL_IN_PROGRESS');
        if (f.identityStatus === 'submitted') expected.add('IDENTITY_VERIFICATION_IN_REVIEW');
        expect(new Set(reasons)).toEqual(expected);
        expect(reasons).toEqual(CLOSURE_BLOCKERS.filter((blocker) => expected.has(blocker)));
        expect(closureEligibility(f).eligible).toBe(reasons.length === 0);
      }),
    );
  });
});

import { walletDecider } from './decider';
import { walletView } from './view';
import { creditCommand, historyOf, withdrawalCommand } from './wallet.fixtures';

const stateOf = (commands: Parameters<typeof historyOf>[0]) =>
  historyOf(commands).reduce(walletDecider.evolve, walletDecider.initialState());

describe('walletView', () => {
  const state = stateOf([
    creditCommand('payout-old', 10_000, '2026-01-10T00:00:00Z'),
    creditCommand('refund-new', 5_000, '2026-04-01T00:00:00Z', {}, 'refund'),
    withdrawalCommand('wd-1', 3_000, '2026-04-02T00:00:00Z'),
  ]);

  it('shows available, pending and the remaining credits oldest first', () => {
    const view = walletView(state, '2026-06-01T00:00:00Z');
    expect(view).toMatchObject({ accountId: 'acc-worker-1', available: 12_000, pending: 3_000, totalCredited: 15_000 });
    expect(view.lots.map((lot) => [lot.sourceId, lot.remaining, lot.expiresAt])).toEqual([
      ['payout-old', 7_000, '2026-07-09T00:00:00.000Z'],
      ['refund-new', 5_000, '2026-09-28T00:00:00.000Z'],
    ]);
    expect(view.withdrawalsInProgress).toEqual([
      expect.objectContaining({ withdrawalId: 'wd-1', status: 'scheduled', payoutDate: '2026-04-30' }),
    ]);
  });

  it('warns of what expires within 30 days', () => {
    expect(walletView(state, '2026-06-01T00:00:00Z')).toMatchObject({ expiringWithin30Days: 0, nextExpiresAt: '2026-07-09T00:00:00.000Z' });
    expect(walletView(state, '2026-06-09T00:00:00Z').expiringWithin30Days).toBe(7_000);
    expect(walletView(state, '2026-09-01T00:00:00Z').expiringWithin30Days).toBe(12_000);
  });

  it('sums what expires at each instant, soonest first, with the notices given', () => {
    const sameInstant = stateOf([
      creditCommand('payout-a', 4_000, '2026-01-10T00:00:00Z'),
      creditCommand('payout-b', 6_000, '2026-01-10T00:00:00Z'),
      creditCommand('refund-c', 2_500, '2026-03-01T00:00:00Z', {}, 'refund'),
    ]);
    const noticed = walletDecider.evolve(sameInstant, {
      type: 'BalanceExpiryNoticed',
      data: { accountId: 'acc-worker-1', expiresAt: '2026-07-09T00:00:00.000Z', daysBefore: 30, amount: 10_000, lots: [{ sourceId: 'payout-a', amount: 4_000 }, { sourceId: 'payout-b', amount: 6_000 }], noticedAt: '2026-06-09T00:00:00Z' },
    } as Parameters<typeof walletDecider.evolve>[1]);
    expect(walletView(noticed, '2026-06-10T00:00:00Z').expiries).toEqual([
      { expiresAt: '2026-07-09T00:00:00.000Z', amount: 10_000, expiringSoon: true, noticesGiven: [30] },
      { expiresAt: '2026-08-28T00:00:00.000Z', amount: 2_500, expiringSoon: false, noticesGiven: [] },
    ]);
  });

  it('shows an empty wallet', () => {
    expect(walletView(walletDecider.initialState(), '2026-06-01T00:00:00Z')).toMatchObject({
      accountId: null,
      available: 0,
      expiringWithin30Days: 0,
      nextExpiresAt: null,
      expiries: [],
      lots: [],
    });
  });
});

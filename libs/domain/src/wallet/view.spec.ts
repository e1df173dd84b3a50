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

  it('shows an empty wallet', () => {
    expect(walletView(walletDecider.initialState(), '2026-06-01T00:00:00Z')).toMatchObject({
      accountId: null,
      available: 0,
      expiringWithin30Days: 0,
      nextExpiresAt: null,
      lots: [],
    });
  });
});

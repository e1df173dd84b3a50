import fc from 'fast-check';
import type { Actor } from '../shared/actor';
import { deciderSpec } from '../testing/given-when-then';
import type { WalletCommand } from './commands';
import { walletDecider } from './decider';
import type { WalletEvent } from './events';
import { walletView } from './view';
import {
  ACCOUNT_ID,
  OWNER,
  REVIEWER,
  creditCommand,
  decided,
  failedCommand,
  historyOf,
  paidCommand,
  refusalOf,
  withdrawalCommand,
} from './wallet.fixtures';

/** Every balance has a way out: withdrawn, withdrawn whole below the minimum, or forfeited; closure is final. */

const { given } = deciderSpec(walletDecider);

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';
const APRIL_20 = '2026-04-20T01:00:00Z';

const forfeit = (actor: Actor = OWNER, reason = 'closing the account; below the withdrawal minimum'): WalletCommand => ({
  type: 'ForfeitBalance',
  accountId: ACCOUNT_ID,
  actor,
  at: APRIL_10,
  reason,
});

const closeWallet = (actor: Actor = OWNER, at = APRIL_10): WalletCommand => ({ type: 'CloseWallet', accountId: ACCOUNT_ID, actor, at });

const fiveHundred = historyOf([creditCommand('refund-1', 300, APRIL_1, {}, 'refund'), creditCommand('payout-1', 200, '2026-04-02T00:00:00Z')]);

describe('the final withdrawal of a balance below the minimum', () => {
  it('withdraws all of a ¥500 balance, with the fees as usual', () => {
    const { events, state } = decided(fiveHundred, withdrawalCommand('wd-final', 500, APRIL_10));
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({
      amount: 500,
      bankFee: 100,
      quickFee: 0,
      netAmount: 400,
      status: 'scheduled',
      allocations: [
        { sourceId: 'refund-1', amount: 300 },
        { sourceId: 'payout-1', amount: 200 },
      ],
      availableAfter: 0,
    });
    expect({ available: state.available, pending: state.pending }).toEqual({ available: 0, pending: 500 });
  });

  it('charges the quick and other-bank fees too', () => {
    const { events } = decided(historyOf([creditCommand('payout-1', 990, APRIL_1)]), withdrawalCommand('wd-final', 990, APRIL_10, { mode: 'quick' }));
    expect(events[0].data).toMatchObject({ amount: 990, bankFee: 100, quickFee: 530, netAmount: 360, mode: 'quick' });
    const otherBank = decided(historyOf([creditCommand('payout-1', 990, APRIL_1)]), withdrawalCommand('wd-final', 990, APRIL_10, { bankCode: '0005' }));
    expect(otherBank.events[0].data).toMatchObject({ amount: 990, bankFee: 500, quickFee: 0, netAmount: 490 });
  });

  it('is only ever the whole balance: part of it is still below the minimum', () => {
    expect(refusalOf(fiveHundred, withdrawalCommand('wd-part', 400, APRIL_10))).toMatchObject({
      kind: 'invalid',
      code: 'WITHDRAWAL_BELOW_MINIMUM',
    });
  });

  it('is refused when the balance does not cover the fees; the balance can then be forfeited', () => {
    const eighty = historyOf([creditCommand('payout-1', 80, APRIL_1)]);
    expect(refusalOf(eighty, withdrawalCommand('wd-final', 80, APRIL_10))).toMatchObject({
      kind: 'invalid',
      code: 'WITHDRAWAL_FEES_EXCEED_AMOUNT',
    });
    given(eighty)
      .when(forfeit())
      .thenAssert((events) => expect(events[0]).toMatchObject({ type: 'BalanceForfeited', data: { amount: 80 } }));
  });

  it('returns to the balance when the transfer fails, and can be made again', () => {
    const requested = historyOf([
      creditCommand('payout-1', 500, APRIL_1),
      withdrawalCommand('wd-final', 500, APRIL_10),
      failedCommand('wd-final', APRIL_20),
    ]);
    const { events } = decided(requested, withdrawalCommand('wd-final-2', 500, APRIL_20));
    expect(events[0].data).toMatchObject({ amount: 500, netAmount: 400, availableAfter: 0 });
  });
});

describe('ForfeitBalance', () => {
  it('records the owner giving up a balance below the minimum, from the lots it is in', () => {
    given(fiveHundred)
      .when(forfeit())
      .then([
        {
          type: 'BalanceForfeited',
          data: {
            accountId: ACCOUNT_ID,
            amount: 500,
            lots: [
              { sourceId: 'refund-1', amount: 300 },
              { sourceId: 'payout-1', amount: 200 },
            ],
            reason: 'closing the account; below the withdrawal minimum',
            forfeitedBy: OWNER,
            forfeitedAt: APRIL_10,
            availableAfter: 0,
          },
        },
      ]);
  });

  it('shows the forfeit and the closure in the owner’s view of the wallet', () => {
    const history = historyOf([creditCommand('payout-1', 500, APRIL_1), forfeit(), closeWallet()]);
    const view = walletView(history.reduce(walletDecider.evolve, walletDecider.initialState()), APRIL_20);
    expect(view).toMatchObject({ available: 0, forfeited: 500, totalCredited: 500, closed: true, lots: [] });
  });

  it('leaves nothing available and counts the forfeit apart from withdrawals and expiries', () => {
    given(fiveHundred)
      .when(forfeit(REVIEWER, 'owner asked by phone, identity confirmed'))
      .thenAssert((_events, state) =>
        expect({
          available: state.available,
          forfeited: state.forfeited,
          paidOut: state.paidOut,
          expired: state.expired,
          lots: state.lots.map((lot) => lot.remaining),
        }).toEqual({ available: 0, forfeited: 500, paidOut: 0, expired: 0, lots: [0, 0] }),
      );
  });

  it('requires a reason', () => {
    expect(refusalOf(fiveHundred, forfeit(OWNER, ' '))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ field: 'reason' })] },
    });
  });

  it('is refused from another user and from the platform', () => {
    given(fiveHundred).when(forfeit({ id: 'acc-other', role: 'user' })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given(fiveHundred).when(forfeit({ id: 'settlement-job', role: 'system' })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('refuses a balance that can be withdrawn, and an empty one', () => {
    given(historyOf([creditCommand('payout-1', 1_000, APRIL_1)])).when(forfeit()).thenThrows('conflict', 'BALANCE_WITHDRAWABLE');
    given([]).when(forfeit()).thenThrows('conflict', 'NOTHING_TO_FORFEIT');
    given(historyOf([creditCommand('payout-1', 500, APRIL_1), withdrawalCommand('wd-final', 500, APRIL_10)]))
      .when(forfeit())
      .thenThrows('conflict', 'NOTHING_TO_FORFEIT');
  });

  it('forfeits only what is available: money held by a withdrawal in progress stays with it', () => {
    const history = historyOf([creditCommand('payout-1', 5_400, APRIL_1), withdrawalCommand('wd-1', 5_000, APRIL_10)]);
    given(history)
      .when(forfeit())
      .thenAssert((events, state) => {
        expect(events[0].data).toMatchObject({ amount: 400, lots: [{ sourceId: 'payout-1', amount: 400 }] });
        expect({ available: state.available, pending: state.pending }).toEqual({ available: 0, pending: 5_000 });
      });
  });
});

describe('a closed wallet', () => {
  const closed = historyOf([creditCommand('payout-1', 500, APRIL_1), closeWallet()]);

  it('records the closure once, by the owner or support', () => {
    given([])
      .when(closeWallet())
      .then([{ type: 'WalletClosed', data: { accountId: ACCOUNT_ID, closedBy: OWNER, closedAt: APRIL_10 } }]);
    given(closed).when(closeWallet(REVIEWER)).then([]);
    given([]).when(closeWallet({ id: 'acc-other', role: 'user' })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('refuses a new credit, and appends nothing for a redelivery of one made before the closure', () => {
    given(closed).when(creditCommand('payout-2', 8_580, APRIL_20)).thenThrows('conflict', 'WALLET_CLOSED');
    given(closed).when(creditCommand('payout-1', 500, APRIL_20)).then([]);
  });

  it('may forfeit any balance, also one at or above the withdrawal minimum', () => {
    const closedWithMore = historyOf([creditCommand('payout-1', 8_580, APRIL_1), closeWallet()]);
    expect(decided(closedWithMore, forfeit(REVIEWER, 'stranded after closure')).events[0].data).toMatchObject({ amount: 8_580 });
  });

  it('still lets what it holds leave: by withdrawal or by forfeit', () => {
    expect(decided(closed, withdrawalCommand('wd-final', 500, APRIL_10)).events.map((event) => event.type)).toEqual(['WithdrawalRequested']);
    expect(decided(closed, forfeit()).events.map((event) => event.type)).toEqual(['BalanceForfeited']);
    const paid = historyOf([creditCommand('payout-1', 500, APRIL_1), closeWallet(), withdrawalCommand('wd-final', 500, APRIL_10), paidCommand('wd-final', APRIL_20)]);
    const state = paid.reduce(walletDecider.evolve, walletDecider.initialState());
    expect({ available: state.available, pending: state.pending, paidOut: state.paidOut, closed: state.closed }).toEqual({
      available: 0,
      pending: 0,
      paidOut: 500,
      closed: true,
    });
  });
});

describe('ways out, as properties', () => {
  it('any balance below the minimum leaves whole: by its final withdrawal when it covers the fees, by a forfeit always', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.constantFrom('0036', '0005'), fc.boolean(), (balance, bankCode, quick) => {
        const history: WalletEvent[] = historyOf([creditCommand('payout-1', balance, APRIL_1)]);
        const fees = (bankCode === '0036' ? 100 : 500) + (quick ? 530 : 0);
        const withdrawal = withdrawalCommand('wd-final', balance, APRIL_10, { bankCode, mode: quick ? 'quick' : 'standard' });
        if (balance > fees) {
          const { events, state } = decided(history, withdrawal);
          expect(events[0].data).toMatchObject({ amount: balance, netAmount: balance - fees });
          expect(state.available).toBe(0);
        } else {
          expect(refusalOf(history, withdrawal).code).toBe('WITHDRAWAL_FEES_EXCEED_AMOUNT');
        }
        const { state } = decided(history, forfeit());
        expect({ available: state.available, forfeited: state.forfeited }).toEqual({ available: 0, forfeited: balance });
      }),
    );
  });
});

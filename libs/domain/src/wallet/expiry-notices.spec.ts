import { deciderSpec } from '../testing/given-when-then';
import type { WalletCommand } from './commands';
import { walletDecider } from './decider';
import { ACCOUNT_ID, REVIEWER, SETTLEMENT, creditCommand, decided, expireCommand, historyOf, withdrawalCommand } from './wallet.fixtures';

const { given } = deciderSpec(walletDecider);

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';
/** 180 days after April 1st. */
const EXPIRES_AT = '2026-09-28T00:00:00.000Z';
const THIRTY_DAYS_BEFORE = '2026-08-29T00:00:00.000Z';
const SEVEN_DAYS_BEFORE = '2026-09-21T00:00:00.000Z';

const notice = (daysBefore: 30 | 7, at: string, expiresAt = EXPIRES_AT): WalletCommand => ({
  type: 'NoticeBalanceExpiry',
  accountId: ACCOUNT_ID,
  actor: SETTLEMENT,
  at,
  expiresAt,
  daysBefore,
});

describe('NoticeBalanceExpiry', () => {
  const history = historyOf([
    creditCommand('payout-1', 10_000, APRIL_1),
    creditCommand('payout-2', 7_000, '2026-05-01T00:00:00Z'),
    withdrawalCommand('wd-1', 4_000, APRIL_10),
  ]);

  it('tells the owner 30 days ahead what is left of the credits expiring then, with the amount and the instant', () => {
    given(history)
      .when(notice(30, THIRTY_DAYS_BEFORE))
      .then([
        {
          type: 'BalanceExpiryNoticed',
          data: {
            accountId: ACCOUNT_ID,
            expiresAt: EXPIRES_AT,
            daysBefore: 30,
            amount: 6_000,
            lots: [{ sourceId: 'payout-1', amount: 6_000 }],
            noticedAt: THIRTY_DAYS_BEFORE,
          },
        },
      ]);
  });

  it('gives the 7-day notice on its own day, apart from the 30-day one', () => {
    const thirty = decided(history, notice(30, THIRTY_DAYS_BEFORE)).events;
    given([...history, ...thirty])
      .when(notice(7, SEVEN_DAYS_BEFORE))
      .then([
        {
          type: 'BalanceExpiryNoticed',
          data: { accountId: ACCOUNT_ID, expiresAt: EXPIRES_AT, daysBefore: 7, amount: 6_000, lots: [{ sourceId: 'payout-1', amount: 6_000 }], noticedAt: SEVEN_DAYS_BEFORE },
        },
      ]);
  });

  it('is refused before its day, and nothing is recorded', () => {
    given(history).when(notice(30, '2026-08-28T23:59:59.999Z')).thenThrows('conflict', 'EXPIRY_NOTICE_NOT_DUE');
    given(history).when(notice(7, '2026-09-20T23:59:59.999Z')).thenThrows('conflict', 'EXPIRY_NOTICE_NOT_DUE');
  });

  it('is given once: repeated, it records nothing', () => {
    const first = decided(history, notice(30, THIRTY_DAYS_BEFORE)).events;
    given([...history, ...first]).when(notice(30, '2026-08-30T00:00:00.000Z')).then([]);
  });

  it('given late, after a stop, still tells the owner; once the expiry has come it tells nothing', () => {
    given(history)
      .when(notice(30, '2026-09-25T00:00:00.000Z'))
      .then([
        {
          type: 'BalanceExpiryNoticed',
          data: { accountId: ACCOUNT_ID, expiresAt: EXPIRES_AT, daysBefore: 30, amount: 6_000, lots: [{ sourceId: 'payout-1', amount: 6_000 }], noticedAt: '2026-09-25T00:00:00.000Z' },
        },
      ]);
    given(history).when(notice(7, EXPIRES_AT)).then([]);
  });

  it('tells nothing when the credits of that instant are spent or already expired', () => {
    const spent = historyOf([creditCommand('payout-1', 10_000, APRIL_1), withdrawalCommand('wd-1', 10_000, APRIL_10)]);
    given(spent).when(notice(30, THIRTY_DAYS_BEFORE)).then([]);
    given(history).when(notice(30, '2026-09-10T00:00:00.000Z', '2026-10-01T00:00:00.000Z')).then([]); // no credit expires then
    const expired = decided(history, expireCommand(EXPIRES_AT)).events;
    given([...history, ...expired]).when(notice(7, SEVEN_DAYS_BEFORE)).then([]);
  });

  it('is refused from anyone but the platform, and for a number of days other than 30 or 7', () => {
    given(history)
      .when({ ...notice(30, THIRTY_DAYS_BEFORE), actor: REVIEWER })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given(history)
      .when({ ...notice(30, THIRTY_DAYS_BEFORE), daysBefore: 14 } as unknown as WalletCommand)
      .thenThrows('invalid', 'INVALID_EXPIRY_NOTICE');
  });
});

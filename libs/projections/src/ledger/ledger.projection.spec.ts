import Database from 'better-sqlite3';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { ProjectionEngine } from '../runtime/projection-engine';
import { anEvent, steppingClock } from '../testing/events';
import { appendScenario, interpretScenario, scenarioSteps } from '../testing/money-scenarios';
import { ESCROW_ACCOUNT_PREFIX, WALLET_ACCOUNT_PREFIX } from './chart-of-accounts';
import { ledgerProjection } from './ledger.projection';
import { LedgerQueries, TrialBalance } from './ledger.queries';

async function ledgerOf(build: (store: InMemoryEventStore) => Promise<void>, batchSize = 7) {
  const store = new InMemoryEventStore({ clock: steppingClock('2026-04-01T00:00:00.000Z') });
  const db = new Database(':memory:');
  await build(store);
  await new ProjectionEngine({ store, db, projections: [ledgerProjection], batchSize, catchUpBatchSize: batchSize, catchUpPageSize: 3 }).catchUp();
  await store.close();
  return { db, queries: new LedgerQueries(db) };
}

const balancesWithPrefix = (trial: TrialBalance, prefix: string): Record<string, number> =>
  Object.fromEntries(trial.accounts.filter((a) => a.account.startsWith(prefix)).map((a) => [a.account.slice(prefix.length), a.balance]));

const nonZero = (balances: Record<string, number>) => Object.fromEntries(Object.entries(balances).filter(([, amount]) => amount !== 0));

describe('the ledger projection', () => {
  it('balances every event, at every position, and keeps escrow = funded − paid out − refunded and wallets as the wallet model says', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSteps(60), async (steps) => {
        const scenario = interpretScenario(steps);
        const { db, queries } = await ledgerOf((store) => appendScenario(store, scenario));
        try {
          const unbalanced = db
            .prepare('SELECT position FROM ledger_postings GROUP BY position HAVING sum(debit) <> sum(credit)')
            .pluck()
            .all();
          expect(unbalanced).toEqual([]);

          scenario.snapshots.forEach((expected, index) => {
            const trial = queries.trialBalance(index + 1);
            expect(trial.totalDebits).toBe(trial.totalCredits);
            expect(trial.balanced).toBe(true);
            expect(nonZero(balancesWithPrefix(trial, ESCROW_ACCOUNT_PREFIX))).toEqual(nonZero(expected.escrow));
            expect(nonZero(balancesWithPrefix(trial, WALLET_ACCOUNT_PREFIX))).toEqual(nonZero(expected.wallets));
          });
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('keeps running totals per account and a balance per posting that agree with the postings themselves', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSteps(40), async (steps) => {
        const scenario = interpretScenario(steps);
        const { db, queries } = await ledgerOf((store) => appendScenario(store, scenario));
        try {
          const current = queries.trialBalance(scenario.events.length);
          const summed = db
            .prepare('SELECT account, sum(debit) AS debits, sum(credit) AS credits FROM ledger_postings GROUP BY account ORDER BY account')
            .all();
          expect(current.accounts.map(({ account, debits, credits }) => ({ account, debits, credits }))).toEqual(summed);

          for (const { account, normalBalance, balance } of current.accounts) {
            const statement = queries.statement(account, scenario.events.length, { after: 0, limit: 1000 })!;
            let running = new Decimal(0);
            for (const line of statement.postings) {
              const change = new Decimal(line.credit).minus(line.debit);
              running = normalBalance === 'credit' ? running.plus(change) : running.minus(change);
              expect(line.balance).toBe(running.toNumber());
            }
            expect(statement.balance).toBe(balance);
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  describe('given a contract funded, partly paid out and refunded, and the worker paid', () => {
    const build = async (store: InMemoryEventStore) => {
      const contract = (type: string, data: Record<string, unknown>) => store.append('contract-c1', [anEvent(type, { contractId: 'c1', ...data })], 'any');
      const wallet = (type: string, data: Record<string, unknown>) => store.append('wallet-worker-1', [anEvent(type, { accountId: 'worker-1', ...data })], 'any');
      await contract('EscrowFunded', { amount: 50_000 }); // 1, recorded 00:00:00
      await contract('MilestoneDelivered', {}); // 2, no money
      await contract('MilestonePaidOut', { gross: 30_000, net: 23_400, feeExTax: 6_000, feeTax: 600 }); // 3
      await wallet('WalletCredited', { amount: 23_400 }); // 4
      await contract('EscrowRefunded', { amount: 20_000 }); // 5
      await wallet('WithdrawalRequested', { withdrawalId: 'w1', amount: 10_000, bankFee: 100, quickFee: 0, netAmount: 9_900 }); // 6
      await wallet('WithdrawalPaid', { withdrawalId: 'w1', amount: 10_000, bankFee: 100, quickFee: 0, netAmount: 9_900 }); // 7
    };

    it('gives the trial balance as of a past position', async () => {
      const { queries } = await ledgerOf(build);
      expect(queries.trialBalance(3)).toEqual({
        position: 3,
        totalDebits: 80_000,
        totalCredits: 80_000,
        balanced: true,
        accounts: [
          { account: 'escrow:c1', normalBalance: 'credit', debits: 30_000, credits: 50_000, balance: 20_000 },
          { account: 'fee-revenue', normalBalance: 'credit', debits: 0, credits: 6_000, balance: 6_000 },
          { account: 'fee-tax-payable', normalBalance: 'credit', debits: 0, credits: 600, balance: 600 },
          { account: 'gateway-clearing', normalBalance: 'debit', debits: 50_000, credits: 0, balance: 50_000 },
          { account: 'payable-to-wallets', normalBalance: 'credit', debits: 0, credits: 23_400, balance: 23_400 },
        ],
      });
      const now = queries.trialBalance(7);
      expect(Object.fromEntries(now.accounts.map((a) => [a.account, a.balance]))).toEqual({
        'bank-payouts': 9_900,
        'escrow:c1': 0,
        'fee-revenue': 6_000,
        'fee-tax-payable': 600,
        'gateway-clearing': 50_000,
        'payable-to-wallets': 20_000,
        'wallet:worker-1': 13_400,
        'withdrawal-fee-revenue': 100,
        'withdrawals-in-progress': 0,
      });
    });

    it('maps a time to the last position recorded at or before it', async () => {
      const { queries } = await ledgerOf(build);
      // The store's clock gives position n the time 00:00:(n-1).
      expect(queries.positionRecordedBy(new Date('2026-03-31T23:59:59Z'))).toBe(0);
      expect(queries.positionRecordedBy(new Date('2026-04-01T00:00:01.500Z'))).toBe(1); // 2 moved no money
      expect(queries.positionRecordedBy(new Date('2026-04-01T09:00:02+09:00'))).toBe(3);
      expect(queries.positionRecordedBy(new Date('2026-04-02T00:00:00Z'))).toBe(7);
    });

    it('lists an account with its running balance, page by page, as of a position', async () => {
      const { queries } = await ledgerOf(build);
      const first = queries.statement('escrow:c1', 7, { after: 0, limit: 2 })!;
      expect(first).toMatchObject({ account: 'escrow:c1', normalBalance: 'credit', position: 7, debits: 50_000, credits: 50_000, balance: 0, openingBalance: 0 });
      expect(first.postings.map(({ position, eventType, debit, credit, balance }) => ({ position, eventType, debit, credit, balance }))).toEqual([
        { position: 1, eventType: 'EscrowFunded', debit: 0, credit: 50_000, balance: 50_000 },
        { position: 3, eventType: 'MilestonePaidOut', debit: 30_000, credit: 0, balance: 20_000 },
      ]);
      expect(first.nextAfter).toBe(3);

      const second = queries.statement('escrow:c1', 7, { after: 3, limit: 2 })!;
      expect(second.openingBalance).toBe(20_000);
      expect(second.postings.map((p) => [p.position, p.balance])).toEqual([[5, 0]]);
      expect(second.nextAfter).toBeNull();

      const asOfThree = queries.statement('escrow:c1', 3, { after: 0, limit: 10 })!;
      expect(asOfThree).toMatchObject({ balance: 20_000, debits: 30_000, credits: 50_000 });
      expect(asOfThree.postings.map((p) => p.position)).toEqual([1, 3]);

      expect(queries.statement('wallet:nobody', 7, { after: 0, limit: 10 })).toBeUndefined();
    });
  });
});

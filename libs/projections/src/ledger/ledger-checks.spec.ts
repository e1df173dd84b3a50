import Database from 'better-sqlite3';
import fc from 'fast-check';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { feesProjection } from '../fees/fees.projection';
import { ProjectionEngine } from '../runtime/projection-engine';
import { appendStory, storySteps } from '../testing/contract-stories';
import { anEvent, steppingClock } from '../testing/events';
import { appendScenario, interpretScenario, type ScenarioEvent, scenarioSteps } from '../testing/money-scenarios';
import { type LedgerChecksReport, failedChecksOf, LEDGER_CHECK_NAMES, ledgerChecksReport, uncheckedChecksOf } from './ledger-checks';
import type { LedgerCheckRows } from './ledger-check-rows';
import { LedgerCheckQueries } from './ledger-checks.queries';
import { ledgerProjection } from './ledger.projection';

/** The ledger and the fees read models built from what `build` appends. */
async function booksOf(build: (store: InMemoryEventStore) => Promise<void>) {
  const store = new InMemoryEventStore({ clock: steppingClock('2026-04-01T00:00:00.000Z') });
  const db = new Database(':memory:');
  await build(store);
  await new ProjectionEngine({
    store,
    db,
    projections: [ledgerProjection, feesProjection],
    batchSize: 7,
    catchUpBatchSize: 7,
    catchUpPageSize: 3,
  }).catchUp();
  await store.close();
  const head = db.prepare<[], number>('SELECT coalesce(max(position), 0) FROM ledger_transactions').pluck().get()!;
  return { db, checks: new LedgerCheckQueries(db), head };
}

const failures = (report: LedgerChecksReport) =>
  Object.fromEntries(
    report.checks
      .filter((c) => !c.passed)
      .map((c) => [c.name, c.violations.map(({ subjectKind, subject }) => `${subjectKind} ${subject}`)]),
  );

/** A posting the corruption picks among those that match, by a generated index. */
const pick = <Row>(db: Database.Database, sql: string, choice: number): Row | undefined => {
  const rows = db.prepare<[], Row>(sql).all();
  return rows.length === 0 ? undefined : rows[choice % rows.length];
};

const scenarioWith = (predicate: (events: ScenarioEvent[]) => boolean) =>
  scenarioSteps(60)
    .map((steps) => interpretScenario(steps))
    .filter((scenario) => predicate(scenario.events));
const has = (type: string) => (events: ScenarioEvent[]) => events.some((event) => event.type === type);

describe('the ledger checks', () => {
  it('pass at every position of every ledger built from generated marketplace money', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSteps(60), async (steps) => {
        const scenario = interpretScenario(steps);
        const { db, checks } = await booksOf((store) => appendScenario(store, scenario));
        try {
          for (let position = 0; position <= scenario.events.length; position++) {
            const report = checks.report(position);
            expect(failures(report)).toEqual({});
            expect(report).toMatchObject({ position, passed: true });
            expect(report.checks.map((c) => c.name)).toEqual(LEDGER_CHECK_NAMES);
          }
          expect(checks.report(scenario.events.length, { withFees: false }).passed).toBe(true);
        } finally {
          db.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('pass on contract histories the real decider records (amendments, changes of terms, terminations, refunds)', async () => {
    await fc.assert(
      fc.asyncProperty(storySteps(60), async (steps) => {
        const { db, checks, head } = await booksOf((store) => appendStory(store, steps));
        try {
          expect(failures(checks.report(head))).toEqual({});
        } finally {
          db.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('find an escrow that went below zero, naming the contract, the position and the amount, when a running balance is corrupted', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioWith(has('EscrowFunded')),
        fc.nat(),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (scenario, choice, below) => {
          const { db, checks, head } = await booksOf((store) => appendScenario(store, scenario));
          try {
            const posting = pick<{ position: number; account: string }>(
              db,
              "SELECT position, account FROM ledger_postings WHERE account LIKE 'escrow:%'",
              choice,
            )!;
            db.prepare('UPDATE ledger_postings SET balance_after = ? WHERE position = ? AND account = ?').run(
              -below,
              posting.position,
              posting.account,
            );
            const check = checks.report(head).checks.find((c) => c.name === 'escrow-non-negative')!;
            expect(check.passed).toBe(false);
            expect(check.violations).toEqual([
              expect.objectContaining({
                subjectKind: 'contract',
                subject: posting.account.slice('escrow:'.length),
                position: posting.position,
                expected: 0,
                actual: -below,
              }),
            ]);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('find a posting off by one yen: the transaction does not balance and the escrow or wallet does not reconcile', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioWith(has('WalletCredited')), fc.nat(), fc.constantFrom(1, -1), async (scenario, choice, delta) => {
        const { db, checks, head } = await booksOf((store) => appendScenario(store, scenario));
        try {
          const posting = pick<{ position: number; line: number; account: string; side: 'debit' | 'credit'; amount: number }>(
            db,
            `SELECT position, line, account, CASE WHEN credit > 0 THEN 'credit' ELSE 'debit' END AS side, credit + debit AS amount
             FROM ledger_postings WHERE (account LIKE 'escrow:%' OR account LIKE 'wallet:%') AND (credit > 0 OR debit > 0)`,
            choice,
          )!;
          // A posting of ¥1 cannot lose a yen (amounts are never negative): it gains one instead.
          db.prepare(`UPDATE ledger_postings SET ${posting.side} = ${posting.side} + ? WHERE position = ? AND line = ?`).run(
            posting.amount > 1 ? delta : 1,
            posting.position,
            posting.line,
          );
          const report = checks.report(head);
          const [kind, id] = posting.account.split(':');
          expect(report.passed).toBe(false);
          expect(failures(report)).toMatchObject({
            'journal-balanced': ['journal journal', `transaction ${posting.position}`],
            [kind === 'escrow' ? 'escrow-reconciles' : 'wallet-reconciles']: [`${kind === 'escrow' ? 'contract' : 'wallet'} ${id}`],
          });
          const reconciliation = report.checks.find((c) => c.name === (kind === 'escrow' ? 'escrow-reconciles' : 'wallet-reconciles'))!;
          expect(Math.abs(reconciliation.violations[0].expected - reconciliation.violations[0].actual)).toBe(1);
          expect(failures(report)['running-totals']).toContain(`account ${posting.account}`);
        } finally {
          db.close();
        }
      }),
      { numRuns: 20 },
    );
  });

  it('find a fee missing from the ledger, naming the payout, and the fee revenue short of the fees stated', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioWith(has('MilestonePaidOut')), fc.nat(), async (scenario, choice) => {
        const { db, checks, head } = await booksOf((store) => appendScenario(store, scenario));
        try {
          const posting = pick<{ position: number; credit: number; contractId: string; milestoneId: string }>(
            db,
            `SELECT p.position, p.credit, f.contract_id AS contractId, f.milestone_id AS milestoneId
             FROM ledger_postings p JOIN fee_payouts f ON f.position = p.position WHERE p.account = 'fee-revenue'`,
            choice,
          );
          fc.pre(posting !== undefined);
          db.prepare("DELETE FROM ledger_postings WHERE position = ? AND account = 'fee-revenue'").run(posting!.position);
          const report = checks.report(head);
          const fees = report.checks.find((c) => c.name === 'fee-revenue-reconciles')!;
          expect(fees.passed).toBe(false);
          expect(fees.violations).toContainEqual(
            expect.objectContaining({
              subjectKind: 'payout',
              subject: `${posting!.contractId}/${posting!.milestoneId}`,
              position: posting!.position,
            }),
          );
          expect(failures(report)['journal-balanced']).toEqual(['journal journal', `transaction ${posting!.position}`]);
        } finally {
          db.close();
        }
      }),
      { numRuns: 20 },
    );
  });

  it('find the escrow of a funding edited from ¥11,000 to ¥1,100 before the payout that follows: −¥9,900, though every transaction balances', async () => {
    const { checks, head } = await booksOf(async (store) => {
      const parties = { contractId: 'c1', milestoneId: 'm1', clientId: 'client-1', workerId: 'worker-1' };
      await store.append(
        'contract-c1',
        [anEvent('EscrowFunded', { ...parties, amount: 1_100, paymentReference: 'p', method: 'card', escrowAfter: 11_000 })],
        'any',
      );
      await store.append(
        'contract-c1',
        [
          anEvent('MilestonePaidOut', {
            ...parties,
            gross: 11_000,
            feeExTax: 2_200,
            feeTax: 220,
            fee: 2_420,
            net: 8_580,
            tiers: [],
            cumulativeGrossBefore: 0,
            cumulativeGrossAfter: 11_000,
            cumulativeFeeAfter: 2_420,
            scheduleId: 'crowdworks-2019-10',
            taxRate: '0.1',
            cause: 'settlement',
          }),
        ],
        'any',
      );
    });
    const report = checks.report(head);
    expect(failedChecksOf(report)).toEqual(['escrow-non-negative']);
    expect(report.checks.find((c) => c.name === 'escrow-non-negative')).toMatchObject({
      passed: false,
      violationCount: 1,
      violations: [{ subjectKind: 'contract', subject: 'c1', position: 2, expected: 0, actual: -9_900 }],
    });
    expect(report.checks.find((c) => c.name === 'escrow-non-negative')!.violations[0].detail).toContain(
      '−¥9,900 at position 2 (MilestonePaidOut)',
    );
  });

  describe('as pure functions over rows', () => {
    const sound: LedgerCheckRows = {
      position: 9,
      accounts: [
        { account: 'escrow:c1', debits: 0n, credits: 5_000n, totalDebits: 0n, totalCredits: 5_000n, balance: 5_000n },
        { account: 'gateway-clearing', debits: 5_000n, credits: 0n, totalDebits: 5_000n, totalCredits: 0n, balance: 5_000n },
      ],
      unbalancedTransactions: { rows: [], total: 0 },
      postingsByType: [{ account: 'escrow:c1', eventType: 'EscrowFunded', debits: 0n, credits: 5_000n }],
      lowestBalances: [],
      fees: { stated: { feeExTax: 0n, feeTax: 0n }, payoutMismatches: { rows: [], total: 0 } },
    };

    it('pass on sound rows', () => {
      expect(ledgerChecksReport(sound).passed).toBe(true);
    });

    it('leave out the fee check, and only it, without the rows of the fees read model', () => {
      const withoutFees = ledgerChecksReport({ ...sound, fees: undefined });
      expect(withoutFees.checks.map((c) => c.name)).toEqual(LEDGER_CHECK_NAMES.filter((name) => name !== 'fee-revenue-reconciles'));
      expect(uncheckedChecksOf(withoutFees)).toEqual(['fee-revenue-reconciles']);
      expect(uncheckedChecksOf(ledgerChecksReport(sound))).toEqual([]);
      const short = ledgerChecksReport({
        ...sound,
        fees: { stated: { feeExTax: 1n, feeTax: 0n }, payoutMismatches: { rows: [], total: 0 } },
      });
      expect(failedChecksOf(short)).toEqual(['fee-revenue-reconciles']);
      expect(failedChecksOf({ ...short, checks: short.checks.filter((c) => c.name !== 'fee-revenue-reconciles') })).toEqual([]);
    });

    it('list at most the limit of violations and count them all', () => {
      const rows = Array.from({ length: 5 }, (_, i) => ({ position: i + 1, eventType: 'EscrowFunded', debits: 1n, credits: 2n }));
      const report = ledgerChecksReport({ ...sound, unbalancedTransactions: { rows: rows.slice(0, 3), total: 5 } }, 3);
      const journal = report.checks.find((c) => c.name === 'journal-balanced')!;
      expect(journal).toMatchObject({ passed: false, violationCount: 5 });
      expect(journal.violations.map((v) => v.subject)).toEqual(['1', '2', '3']);
    });

    it('count a prepayment once whichever format posted it: a task funded with nothing paid out yet reconciles', () => {
      const task = 'escrow:task~t1';
      const report = ledgerChecksReport({
        ...sound,
        accounts: [...sound.accounts, { account: task, debits: 0n, credits: 15n, totalDebits: 0n, totalCredits: 15n, balance: 15n }],
        postingsByType: [...sound.postingsByType, { account: task, eventType: 'TaskFunded', debits: 0n, credits: 15n }],
      });
      expect(report.checks.find((c) => c.name === 'escrow-reconciles')!.violations).toEqual([]);
    });

    it('name postings to an escrow by an event type that never moves escrow', () => {
      const report = ledgerChecksReport({
        ...sound,
        accounts: [{ ...sound.accounts[0], credits: 5_100n, totalCredits: 5_100n, balance: 5_100n }, sound.accounts[1]],
        postingsByType: [...sound.postingsByType, { account: 'escrow:c1', eventType: 'WalletCredited', debits: 0n, credits: 100n }],
      });
      const escrow = report.checks.find((c) => c.name === 'escrow-reconciles')!;
      expect(escrow.violations).toEqual([expect.objectContaining({ subject: 'c1', expected: 5_000, actual: 5_100 })]);
      expect(escrow.violations[0].detail).toContain('WalletCredited');
    });
  });
});

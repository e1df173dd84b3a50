import { TestService } from './harness';
import { Books, crowdworksFee, impliedLedger, recomputeBooks, walletAccounts, walletFigures } from './scenario/books';
import { headPosition, LoggedEvent, readWholeLog, settledHead } from './scenario/event-log';
import { expectStatus, HttpClient } from './scenario/http-client';
import { CONTRACT_PATHS, MarketplaceScenario } from './scenario/marketplace';
import { SeededRandom, scenarioSeed } from './scenario/random';

/**
 * A generated marketplace of more than a thousand contracts, down every path of the lifecycle, with
 * withdrawals of the money they release, run against one service over HTTP. Afterwards the books the
 * service keeps are checked against what the events themselves say, at the head and at positions
 * taken while the scenario was running.
 */

interface TrialBalanceBody {
  position: number;
  totalDebits: number;
  totalCredits: number;
  balanced: boolean;
  accounts: { account: string; normalBalance: 'debit' | 'credit'; debits: number; credits: number; balance: number }[];
}

interface WalletBody {
  available: number;
  pending: number;
  paidOut: number;
  expired: number;
  totalCredited: number;
}

const CONTRACTS = 1_000;
const CONCURRENCY = 16;

const balancesOf = (trial: TrialBalanceBody) => new Map(trial.accounts.map((a) => [a.account, a.balance]));

/** Accounts whose balance in the trial balance differs from what the events imply (absent counts as 0). */
function differences(trial: TrialBalanceBody, implied: Map<string, number>): { account: string; ledger: number; events: number }[] {
  const ledger = balancesOf(trial);
  const names = new Set([...ledger.keys(), ...implied.keys()]);
  return [...names]
    .map((account) => ({ account, ledger: ledger.get(account) ?? 0, events: implied.get(account) ?? 0 }))
    .filter((row) => row.ledger !== row.events);
}

function expectBalanced(trial: TrialBalanceBody): void {
  const debits = trial.accounts.reduce((sum, a) => sum + a.debits, 0);
  const credits = trial.accounts.reduce((sum, a) => sum + a.credits, 0);
  const debitSide = trial.accounts.filter((a) => a.normalBalance === 'debit').reduce((sum, a) => sum + a.balance, 0);
  const creditSide = trial.accounts.filter((a) => a.normalBalance === 'credit').reduce((sum, a) => sum + a.balance, 0);
  expect({ balanced: trial.balanced, totalDebits: trial.totalDebits, debits, debitSide }).toEqual({
    balanced: true,
    totalDebits: trial.totalCredits,
    debits: credits,
    debitSide: creditSide,
  });
  expect(trial.totalDebits).toBe(debits);
}

describe('a generated marketplace of 1,000+ contracts: the books against the events', () => {
  const seed = scenarioSeed();
  let service: TestService;
  let http: HttpClient;
  let scenario: MarketplaceScenario;
  let events: LoggedEvent[];
  let head: number;
  let books: Books;
  let trial: TrialBalanceBody;
  let midPosition = 0;
  const liveSamples: TrialBalanceBody[] = [];

  beforeAll(async () => {
    console.log(`ledger scenario: seed ${seed} (replay with SCENARIO_SEED=${seed})`);
    const started = Date.now();
    service = await TestService.start();
    await service.app.listen(0, '127.0.0.1');
    const { port } = service.app.getHttpServer().address() as { port: number };
    http = new HttpClient(`http://127.0.0.1:${port}`);

    // While the scenario runs: the ledger as it stands (whatever it has applied) at a quarter, half and three quarters.
    const sampleLive = async () => {
      liveSamples.push(await expectStatus<TrialBalanceBody>(http.get('/v1/ledger/trial-balance'), 200, 'live trial balance'));
    };
    scenario = new MarketplaceScenario(http, new SeededRandom(seed), {
      contracts: CONTRACTS,
      concurrency: CONCURRENCY,
      clients: 80,
      workers: 120,
      withdrawalChance: 0.3,
      milestonesOfProgress: [
        { share: 0.25, then: sampleLive },
        {
          share: 0.5,
          then: async () => {
            midPosition = await headPosition(http);
            await sampleLive();
          },
        },
        { share: 0.75, then: sampleLive },
      ],
    });
    await scenario.run();
    const driven = Date.now();

    head = await settledHead(http);
    events = await readWholeLog(http);
    books = recomputeBooks(events);
    trial = await expectStatus<TrialBalanceBody>(http.get(`/v1/ledger/trial-balance?minPosition=${head}`), 200, 'trial balance');
    console.log(
      `ledger scenario: seed ${seed}, ${scenario.contracts.length} contracts, ${scenario.withdrawals.length} withdrawals, ` +
        `${events.length} events, ${http.calls} HTTP calls, driven in ${((driven - started) / 1000).toFixed(1)} s, ` +
        `settled and read back in ${((Date.now() - driven) / 1000).toFixed(1)} s`,
    );
  }, 170_000);

  afterAll(async () => {
    http?.close();
    await service?.stop();
  });

  it('ran every path, and the log holds what the plan expected of each contract and withdrawal', () => {
    expect(scenario.contracts.length).toBeGreaterThanOrEqual(1_000);
    expect(events.length).toBe(head);
    for (const path of CONTRACT_PATHS) expect(scenario.contracts.filter((c) => c.path === path).length).toBeGreaterThan(10);

    const statusFromLog = new Map<string, string>();
    const endings: Record<string, string> = {
      ContractAccepted: 'active',
      ContractCompleted: 'completed',
      ContractTerminated: 'terminated',
      OfferDeclined: 'declined',
      OfferWithdrawn: 'withdrawn',
    };
    for (const event of events) if (event.type in endings) statusFromLog.set(event.data.contractId, endings[event.type]);
    const mismatched = scenario.contracts.filter((c) => statusFromLog.get(c.contractId) !== c.expectedStatus);
    expect(mismatched.map((c) => ({ ...c, fromLog: statusFromLog.get(c.contractId) }))).toEqual([]);

    const revisionRounds = scenario.contracts.reduce((sum, c) => sum + c.revisionRounds, 0);
    expect(revisionRounds).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'RevisionRequested').length).toBe(revisionRounds);
    expect(events.filter((e) => e.type === 'EscrowRefunded' && e.data.cause === 'terms_change').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'MilestonePaidOut' && e.data.cause === 'support_termination').length).toBeGreaterThan(0);

    // Withdrawals: every way through review and transfer happened, and each ended as the scenario drove it.
    const outcomes = scenario.withdrawals.map((w) => {
      const facts = books.withdrawals.get(w.withdrawalId);
      return { withdrawalId: w.withdrawalId, expected: [w.expectedOutcome, w.expectedLastEvent, w.amount], fromLog: [facts?.outcome, facts?.lastEvent, facts?.amount] };
    });
    expect(outcomes.filter((o) => JSON.stringify(o.expected) !== JSON.stringify(o.fromLog))).toEqual([]);
    expect(books.withdrawals.size).toBe(scenario.withdrawals.length);
    const seen = (pick: (w: (typeof scenario.withdrawals)[number]) => string) => new Set(scenario.withdrawals.map(pick));
    expect(seen((w) => w.requestedStatus)).toEqual(new Set(['scheduled', 'in_review']));
    expect(seen((w) => w.mode)).toEqual(new Set(['standard', 'quick']));
    expect(seen((w) => w.expectedLastEvent)).toEqual(
      new Set(['WithdrawalRequested', 'WithdrawalApproved', 'WithdrawalRejected', 'WithdrawalPaid', 'WithdrawalFailed']),
    );
    expect(events.filter((e) => e.type === 'WithdrawalInfoRequested').length).toBeGreaterThan(0);
  });

  it('debits equal credits in the trial balance at the head', () => {
    expect(trial.position).toBe(head);
    expectBalanced(trial);
    expect(trial.totalDebits).toBeGreaterThan(0);
  });

  it('escrow is funded − paid out − refunded, in total and for every contract', () => {
    expect(books.funded).toBe(scenario.fundedByScenario);
    const balances = balancesOf(trial);
    const escrowAccounts = trial.accounts.filter((a) => a.account.startsWith('escrow:'));
    const escrowTotal = escrowAccounts.reduce((sum, a) => sum + a.balance, 0);
    expect(escrowTotal).toBe(books.funded - books.paidOutGross - books.refunded);
    expect(escrowTotal).toBeGreaterThan(0);
    expect(balances.get('gateway-clearing')).toBe(books.funded);

    const perContract = [...books.escrowByContract].filter(([contractId, escrow]) => balances.get(`escrow:${contractId}`) !== escrow);
    expect(perContract).toEqual([]);
    expect(escrowAccounts.length).toBe(books.escrowByContract.size);
    // Every contract the scenario settled holds nothing any more.
    const stillHolding = scenario.contracts.filter((c) => c.expectSettledEscrow && (books.escrowByContract.get(c.contractId) ?? 0) !== 0);
    expect(stillHolding).toEqual([]);
  });

  it('credits every payout and every refund exactly once, to the right wallet and amount', () => {
    expect(books.releases.length).toBeGreaterThan(1_000);
    const wrong = books.releases.filter((release) => {
      const credits = books.creditsBySource.get(release.sourceId) ?? [];
      return credits.length !== 1 || credits[0].accountId !== release.accountId || credits[0].amount !== release.amount || credits[0].sourceKind !== release.kind;
    });
    expect(wrong).toEqual([]);
    expect(books.creditsBySource.size).toBe(books.releases.length);
    expect(balancesOf(trial).get('payable-to-wallets') ?? 0).toBe(0);
  });

  it('every wallet: available + pending = credits − paid withdrawals, pending = withdrawals in progress, as the ledger says', async () => {
    const accounts = walletAccounts(books);
    expect(accounts.length).toBeGreaterThan(150);
    const balances = balancesOf(trial);
    const mismatches: object[] = [];
    for (const accountId of accounts) {
      const expected = walletFigures(books, accountId);
      const wallet = await expectStatus<WalletBody>(http.get(`/v1/accounts/${accountId}/wallet?minPosition=${head}`), 200, `wallet ${accountId}`);
      const seen = { availablePlusPending: wallet.available + wallet.pending, pending: wallet.pending, credited: wallet.totalCredited, paidOut: wallet.paidOut, ledger: balances.get(`wallet:${accountId}`) ?? 0 };
      const want = { availablePlusPending: expected.credited - expected.paid, pending: expected.inProgress, credited: expected.credited, paidOut: expected.paid, ledger: expected.available };
      if (JSON.stringify(seen) !== JSON.stringify(want)) mismatches.push({ accountId, seen, want });
      if (wallet.available < 0 || wallet.pending < 0) mismatches.push({ accountId, negative: wallet });
    }
    expect(mismatches).toEqual([]);
    const inProgress = [...books.withdrawals.values()].filter((w) => w.outcome === 'in_progress').reduce((sum, w) => sum + w.amount, 0);
    expect(inProgress).toBeGreaterThan(0);
    expect(balances.get('withdrawals-in-progress')).toBe(inProgress);
  });

  it('fee revenue and fee tax are the sums of the payouts\' fee parts, and each contract\'s fee follows the tiers on its total', () => {
    const balances = balancesOf(trial);
    expect(balances.get('fee-revenue')).toBe(books.feeExTax);
    expect(balances.get('fee-tax-payable')).toBe(books.feeTax);
    expect(books.feeExTax).toBeGreaterThan(0);

    const offTariff: object[] = [];
    for (const [contractId, payouts] of books.payoutsByContract) {
      const gross = payouts.reduce((sum, p) => sum + p.gross, 0);
      const charged = payouts.reduce((sum, p) => ({ feeExTax: sum.feeExTax + p.feeExTax, feeTax: sum.feeTax + p.feeTax, fee: sum.fee + p.fee }), { feeExTax: 0, feeTax: 0, fee: 0 });
      const tariff = crowdworksFee(gross, payouts[0].taxRate);
      if (payouts.some((p) => p.scheduleId !== 'crowdworks-2019-10') || JSON.stringify(charged) !== JSON.stringify(tariff)) offTariff.push({ contractId, gross, charged, tariff });
    }
    expect(offTariff).toEqual([]);
    expect([...books.payoutsByContract.values()].some((payouts) => payouts.reduce((sum, p) => sum + p.gross, 0) > 200_000)).toBe(true);
  });

  it('withdrawal fee revenue and bank payouts are the fees and net amounts of the paid withdrawals', () => {
    const paid = [...books.withdrawals.values()].filter((w) => w.outcome === 'paid');
    expect(paid.length).toBeGreaterThan(0);
    const balances = balancesOf(trial);
    expect(balances.get('withdrawal-fee-revenue')).toBe(paid.reduce((sum, w) => sum + w.bankFee + w.quickFee, 0));
    expect(balances.get('bank-payouts')).toBe(paid.reduce((sum, w) => sum + w.netAmount, 0));
    expect(paid.some((w) => w.quickFee > 0)).toBe(true);
  });

  it('every account of the trial balance at the head is what the events imply', () => {
    expect(differences(trial, impliedLedger(books))).toEqual([]);
  });

  it('the trial balance as of a mid-run position, and as it stood while the scenario ran, balances and matches the events up to it', async () => {
    expect(midPosition).toBeGreaterThan(0);
    expect(midPosition).toBeLessThan(head);
    const mid = await expectStatus<TrialBalanceBody>(http.get(`/v1/ledger/trial-balance?asOf=${midPosition}`), 200, 'trial balance as of mid-run');
    expect(mid.position).toBe(midPosition);
    expectBalanced(mid);
    const midBooks = recomputeBooks(events, midPosition);
    expect(differences(mid, impliedLedger(midBooks))).toEqual([]);
    expect(mid.accounts.filter((a) => a.account.startsWith('escrow:')).reduce((sum, a) => sum + a.balance, 0)).toBe(
      midBooks.funded - midBooks.paidOutGross - midBooks.refunded,
    );

    expect(liveSamples.length).toBe(3);
    for (const sample of liveSamples) {
      expect(sample.position).toBeGreaterThan(0);
      expectBalanced(sample);
      expect(differences(sample, impliedLedger(recomputeBooks(events, sample.position)))).toEqual([]);
    }
  });
});

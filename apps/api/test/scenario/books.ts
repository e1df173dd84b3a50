import Decimal from 'decimal.js';
import type { LoggedEvent } from './event-log';

/**
 * What the money did, recomputed in the test from the events alone (no read model involved), and the
 * ledger balances those facts imply. The service's ledger is checked against this.
 */

export type WithdrawalOutcome = 'in_progress' | 'paid' | 'returned';

export interface WithdrawalFacts {
  withdrawalId: string;
  accountId: string;
  amount: number;
  bankFee: number;
  quickFee: number;
  netAmount: number;
  requestedStatus: 'scheduled' | 'in_review';
  outcome: WithdrawalOutcome;
  /** The last event of the withdrawal (WithdrawalRequested, WithdrawalApproved, WithdrawalPaid, …). */
  lastEvent: string;
}

export interface CreditFacts {
  accountId: string;
  amount: number;
  sourceKind: string;
}

export interface Releases {
  /** Id of the MilestonePaidOut or EscrowRefunded event. */
  sourceId: string;
  kind: 'payout' | 'refund';
  /** The wallet that must be credited, and with how much. */
  accountId: string;
  amount: number;
}

export interface Books {
  upTo: number;
  funded: number;
  paidOutGross: number;
  refunded: number;
  feeExTax: number;
  feeTax: number;
  netToWorkers: number;
  escrowByContract: Map<string, number>;
  /** Gross paid out per contract, in payout order, for the fee rule check. */
  payoutsByContract: Map<string, { gross: number; fee: number; feeExTax: number; feeTax: number; scheduleId: string; taxRate: string }[]>;
  releases: Releases[];
  /** Every WalletCredited by its source id (an array, so that a double credit shows). */
  creditsBySource: Map<string, CreditFacts[]>;
  creditedByAccount: Map<string, number>;
  expiredByAccount: Map<string, number>;
  forfeitedByAccount: Map<string, number>;
  withdrawals: Map<string, WithdrawalFacts>;
}

const add = (map: Map<string, number>, key: string, amount: number) => map.set(key, (map.get(key) ?? 0) + amount);

export function recomputeBooks(events: readonly LoggedEvent[], upTo = Number.MAX_SAFE_INTEGER): Books {
  const books: Books = {
    upTo,
    funded: 0,
    paidOutGross: 0,
    refunded: 0,
    feeExTax: 0,
    feeTax: 0,
    netToWorkers: 0,
    escrowByContract: new Map(),
    payoutsByContract: new Map(),
    releases: [],
    creditsBySource: new Map(),
    creditedByAccount: new Map(),
    expiredByAccount: new Map(),
    forfeitedByAccount: new Map(),
    withdrawals: new Map(),
  };
  const withdrawal = (id: string, type: string) => {
    const known = books.withdrawals.get(id);
    if (!known) throw new Error(`${type} of an unknown withdrawal ${id}`);
    known.lastEvent = type;
    return known;
  };
  for (const event of events) {
    if (event.position > upTo) break;
    const d = event.data;
    switch (event.type) {
      case 'EscrowFunded':
        books.funded += d.amount;
        add(books.escrowByContract, d.contractId, d.amount);
        break;
      case 'MilestonePaidOut': {
        books.paidOutGross += d.gross;
        books.feeExTax += d.feeExTax;
        books.feeTax += d.feeTax;
        books.netToWorkers += d.net;
        add(books.escrowByContract, d.contractId, -d.gross);
        const payouts = books.payoutsByContract.get(d.contractId) ?? [];
        payouts.push({ gross: d.gross, fee: d.fee, feeExTax: d.feeExTax, feeTax: d.feeTax, scheduleId: d.scheduleId, taxRate: d.taxRate });
        books.payoutsByContract.set(d.contractId, payouts);
        books.releases.push({ sourceId: event.id, kind: 'payout', accountId: d.workerId, amount: d.net });
        break;
      }
      case 'EscrowRefunded':
        books.refunded += d.amount;
        add(books.escrowByContract, d.contractId, -d.amount);
        books.releases.push({ sourceId: event.id, kind: 'refund', accountId: d.clientId, amount: d.amount });
        break;
      case 'WalletCredited': {
        const credits = books.creditsBySource.get(d.source.id) ?? [];
        credits.push({ accountId: d.accountId, amount: d.amount, sourceKind: d.source.kind });
        books.creditsBySource.set(d.source.id, credits);
        add(books.creditedByAccount, d.accountId, d.amount);
        break;
      }
      case 'BalanceExpired':
        add(books.expiredByAccount, d.accountId, d.amount);
        break;
      case 'BalanceForfeited':
        add(books.forfeitedByAccount, d.accountId, d.amount);
        break;
      case 'WithdrawalRequested':
        if (books.withdrawals.has(d.withdrawalId)) throw new Error(`withdrawal ${d.withdrawalId} requested twice`);
        books.withdrawals.set(d.withdrawalId, {
          withdrawalId: d.withdrawalId,
          accountId: d.accountId,
          amount: d.amount,
          bankFee: d.bankFee,
          quickFee: d.quickFee,
          netAmount: d.netAmount,
          requestedStatus: d.status,
          outcome: 'in_progress',
          lastEvent: event.type,
        });
        break;
      case 'WithdrawalApproved':
      case 'WithdrawalInfoRequested':
        withdrawal(d.withdrawalId, event.type);
        break;
      case 'WithdrawalPaid':
        withdrawal(d.withdrawalId, event.type).outcome = 'paid';
        break;
      case 'WithdrawalRejected':
      case 'WithdrawalFailed':
        withdrawal(d.withdrawalId, event.type).outcome = 'returned';
        break;
    }
  }
  return books;
}

export interface WalletFigures {
  credited: number;
  /** Taken by withdrawals in review or scheduled. */
  inProgress: number;
  /** Left the wallet for the bank. */
  paid: number;
  expired: number;
  forfeited: number;
  available: number;
}

export function walletFigures(books: Books, accountId: string): WalletFigures {
  let inProgress = 0;
  let paid = 0;
  for (const w of books.withdrawals.values()) {
    if (w.accountId !== accountId) continue;
    if (w.outcome === 'in_progress') inProgress += w.amount;
    if (w.outcome === 'paid') paid += w.amount;
  }
  const credited = books.creditedByAccount.get(accountId) ?? 0;
  const expired = books.expiredByAccount.get(accountId) ?? 0;
  const forfeited = books.forfeitedByAccount.get(accountId) ?? 0;
  return { credited, inProgress, paid, expired, forfeited, available: credited - inProgress - paid - expired - forfeited };
}

export function walletAccounts(books: Books): string[] {
  const ids = new Set<string>([...books.creditedByAccount.keys()]);
  for (const w of books.withdrawals.values()) ids.add(w.accountId);
  return [...ids].sort();
}

/**
 * Every ledger account's balance (on its normal side) that the facts imply, by the chart of accounts:
 * prepayments in, escrow per contract, released money owed to wallets, wallets, fees and tax, and
 * withdrawals in progress, paid to banks, and their fees.
 */
export function impliedLedger(books: Books): Map<string, number> {
  const ledger = new Map<string, number>();
  ledger.set('gateway-clearing', books.funded);
  for (const [contractId, escrow] of books.escrowByContract) ledger.set(`escrow:${contractId}`, escrow);
  let credited = 0;
  for (const amount of books.creditedByAccount.values()) credited += amount;
  ledger.set('payable-to-wallets', books.netToWorkers + books.refunded - credited);
  for (const accountId of walletAccounts(books)) ledger.set(`wallet:${accountId}`, walletFigures(books, accountId).available);
  ledger.set('fee-revenue', books.feeExTax);
  ledger.set('fee-tax-payable', books.feeTax);
  let inProgress = 0;
  let bankPayouts = 0;
  let withdrawalFees = 0;
  for (const w of books.withdrawals.values()) {
    if (w.outcome === 'in_progress') inProgress += w.amount;
    if (w.outcome === 'paid') {
      bankPayouts += w.netAmount;
      withdrawalFees += w.bankFee + w.quickFee;
    }
  }
  ledger.set('withdrawals-in-progress', inProgress);
  ledger.set('bank-payouts', bankPayouts);
  ledger.set('withdrawal-fee-revenue', withdrawalFees);
  let expired = 0;
  for (const amount of books.expiredByAccount.values()) expired += amount;
  ledger.set('expired-balances', expired);
  let forfeited = 0;
  for (const amount of books.forfeitedByAccount.values()) forfeited += amount;
  ledger.set('forfeited-balances', forfeited);
  return ledger;
}

const TIERS = [
  { from: 0, upTo: 100_000, rate: '0.20' },
  { from: 100_000, upTo: 200_000, rate: '0.10' },
  { from: 200_000, upTo: Infinity, rate: '0.05' },
];

/**
 * The system fee (システム利用料) of a cumulative gross under the default schedule, written from the
 * specification: marginal tiers 20% / 10% / 5%, each part truncated to the yen, tax on top.
 */
export function crowdworksFee(cumulativeGross: number, taxRate: string): { feeExTax: number; feeTax: number; fee: number } {
  let exact = new Decimal(0);
  for (const tier of TIERS) {
    const inTier = Decimal.max(0, Decimal.min(cumulativeGross, tier.upTo).minus(tier.from));
    exact = exact.plus(inTier.times(tier.rate));
  }
  const feeExTax = exact.toDecimalPlaces(0, Decimal.ROUND_DOWN);
  const feeTax = feeExTax.times(taxRate).toDecimalPlaces(0, Decimal.ROUND_DOWN);
  return { feeExTax: feeExTax.toNumber(), feeTax: feeTax.toNumber(), fee: feeExTax.plus(feeTax).toNumber() };
}

import type Database from 'better-sqlite3';
import { ESCROW_ACCOUNT_PREFIX, LEDGER_ACCOUNTS, WALLET_ACCOUNT_PREFIX } from './chart-of-accounts';
import type {
  AccountSumsRow,
  LedgerCheckRows,
  LowestBalanceRow,
  PayoutFeeMismatchRow,
  PostingsByTypeRow,
  UnbalancedTransactionRow,
} from './ledger-check-rows';
import { type LedgerChecksReport, ledgerChecksReport, MAX_VIOLATIONS_LISTED } from './ledger-checks';

/** The first name after every `prefix…` name: `escrow:` … `escrow;` bounds the escrow accounts, as the account index orders them. */
const after = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
const ESCROW_OR_WALLET = `((p.account >= '${ESCROW_ACCOUNT_PREFIX}' AND p.account < '${after(ESCROW_ACCOUNT_PREFIX)}')
  OR (p.account >= '${WALLET_ACCOUNT_PREFIX}' AND p.account < '${after(WALLET_ACCOUNT_PREFIX)}'))`;

const FEE_ACCOUNTS = `('${LEDGER_ACCOUNTS.feeRevenue}', '${LEDGER_ACCOUNTS.feeTaxPayable}')`;

const position = (value: bigint | number): number => Number(value);

export interface CheckOptions {
  /** Violations listed per check at most (default MAX_VIOLATIONS_LISTED). */
  limit?: number;
  /** Whether to read the fees read model (default true); without it, the checks that need it do not run. */
  withFees?: boolean;
}
const nullableYen = (value: bigint | null): bigint | null => value;

/**
 * Reads what the ledger checks need from the ledger and fees read models, as of a position: a handful of
 * aggregates over the postings (each one pass, by the primary key or the account index), never every posting.
 * Integers are read as BigInt, so that no sum of yen is ever rounded. The fees read model must have applied the
 * position too when its rows are read (the caller waits for it, or leaves them out).
 */
export class LedgerCheckQueries {
  private statements: ReturnType<LedgerCheckQueries['prepare']> | undefined;

  constructor(private readonly db: Database.Database) {}

  /** `withFees: false` leaves out the fees read model's rows: for when it has not reached the position. */
  rowsAsOf(at: number, { limit = MAX_VIOLATIONS_LISTED, withFees = true }: CheckOptions = {}): LedgerCheckRows {
    const sql = (this.statements ??= this.prepare());
    const read = this.db.transaction((): LedgerCheckRows => {
      const unbalanced = sql.unbalancedTransactions.all(at, limit) as [bigint, string | null, bigint, bigint, bigint][];
      return {
        position: at,
        accounts: (sql.accounts.all(at) as [string, bigint, bigint, bigint, bigint, bigint][]).map(
          ([account, debits, credits, totalDebits, totalCredits, balance]): AccountSumsRow => ({
            account,
            debits,
            credits,
            totalDebits,
            totalCredits,
            balance,
          }),
        ),
        unbalancedTransactions: {
          rows: unbalanced.map(([p, eventType, debits, credits]): UnbalancedTransactionRow => ({
            position: position(p),
            eventType,
            debits,
            credits,
          })),
          total: unbalanced.length === 0 ? 0 : position(unbalanced[0][4]),
        },
        postingsByType: (sql.postingsByType.all(at) as [string, string, bigint, bigint][]).map(
          ([account, eventType, debits, credits]): PostingsByTypeRow => ({ account, eventType, debits, credits }),
        ),
        lowestBalances: (sql.lowestBalances.all(at) as [string, bigint, bigint, string, bigint][]).map(
          ([account, lowest, p, eventType, negativePostings]): LowestBalanceRow => ({
            account,
            lowest,
            position: position(p),
            eventType,
            negativePostings: position(negativePostings),
          }),
        ),
        ...(withFees ? { fees: this.feeRows(at, limit) } : {}),
      };
    });
    // One read transaction: every aggregate sees the same committed state.
    return read.deferred();
  }

  /** Every ledger check as of the position. */
  report(at: number, options: CheckOptions = {}): LedgerChecksReport {
    return ledgerChecksReport(this.rowsAsOf(at, options), options.limit ?? MAX_VIOLATIONS_LISTED);
  }

  private feeRows(at: number, limit: number): NonNullable<LedgerCheckRows['fees']> {
    const sql = this.statements!;
    const [feeExTax, feeTax] = sql.statedFees.get(at) as [bigint, bigint];
    const mismatches = sql.payoutFeeMismatches.all({ at, limit }) as [
      bigint,
      string | null,
      string | null,
      bigint | null,
      bigint | null,
      bigint | null,
      bigint | null,
      bigint,
    ][];
    return {
      stated: { feeExTax, feeTax },
      payoutMismatches: {
        rows: mismatches.map(
          ([p, contractId, milestoneId, statedFeeExTax, statedFeeTax, postedFeeExTax, postedFeeTax]): PayoutFeeMismatchRow => ({
            position: position(p),
            contractId,
            milestoneId,
            statedFeeExTax: nullableYen(statedFeeExTax),
            statedFeeTax: nullableYen(statedFeeTax),
            postedFeeExTax: nullableYen(postedFeeExTax),
            postedFeeTax: nullableYen(postedFeeTax),
          }),
        ),
        total: mismatches.length === 0 ? 0 : position(mismatches[0][7]),
      },
    };
  }

  private prepare() {
    const db = this.db;
    const exact = <Params extends unknown[]>(sql: string) => db.prepare<Params>(sql).raw().safeIntegers();
    return {
      // Per account: the sums of its postings, and (SQLite takes bare columns from the row max() picks) its latest running totals.
      accounts: exact<[number]>(
        `SELECT account, sum(debit), sum(credit), total_debits, total_credits, balance_after, max(position)
         FROM ledger_postings WHERE position <= ? GROUP BY account ORDER BY account`,
      ),
      unbalancedTransactions: exact<[number, number]>(
        `SELECT u.position, t.event_type, u.debits, u.credits, count(*) OVER ()
         FROM (SELECT position, sum(debit) AS debits, sum(credit) AS credits FROM ledger_postings
               WHERE position <= ? GROUP BY position HAVING sum(debit) <> sum(credit)) u
         LEFT JOIN ledger_transactions t ON t.position = u.position
         ORDER BY u.position LIMIT ?`,
      ),
      // Driven by the transactions in position order, each one's postings read by the primary key: faster than the account
      // index here, which would look up every posting and its transaction out of order.
      postingsByType: exact<[number]>(
        `SELECT p.account, t.event_type, sum(p.debit), sum(p.credit)
         FROM ledger_transactions t CROSS JOIN ledger_postings p ON p.position = t.position
         WHERE t.position <= ? AND ${ESCROW_OR_WALLET}
         GROUP BY p.account, t.event_type`,
      ),
      lowestBalances: exact<[number]>(
        `SELECT low.account, low.lowest, low.position, t.event_type, low.negative_postings
         FROM (SELECT p.account, min(p.balance_after) AS lowest, p.position, count(*) AS negative_postings FROM ledger_postings p
               WHERE p.position <= ? AND p.balance_after < 0 AND ${ESCROW_OR_WALLET} GROUP BY p.account) low
         LEFT JOIN ledger_transactions t ON t.position = low.position`,
      ),
      statedFees: exact<[number]>('SELECT coalesce(sum(fee_ex_tax), 0), coalesce(sum(fee_tax), 0) FROM fee_payouts WHERE position <= ?'),
      // Payout by payout: the fees the event states against the fee postings at its position (a payout without fees posts
      // none), then fee postings at a position where no payout was recorded. Each side is looked up by its primary key.
      payoutFeeMismatches: exact<[{ at: number; limit: number }]>(
        `WITH stated AS (
           SELECT f.position, f.contract_id, f.milestone_id, f.fee_ex_tax AS stated_ex, f.fee_tax AS stated_tax,
             (SELECT sum(credit - debit) FROM ledger_postings p WHERE p.position = f.position AND p.account = '${LEDGER_ACCOUNTS.feeRevenue}') AS posted_ex,
             (SELECT sum(credit - debit) FROM ledger_postings p WHERE p.position = f.position AND p.account = '${LEDGER_ACCOUNTS.feeTaxPayable}') AS posted_tax
           FROM fee_payouts f WHERE f.position <= @at),
         mismatches AS (
           SELECT * FROM stated WHERE stated_ex <> coalesce(posted_ex, 0) OR stated_tax <> coalesce(posted_tax, 0)
           UNION ALL
           SELECT p.position, NULL, NULL, NULL, NULL,
             sum(CASE WHEN p.account = '${LEDGER_ACCOUNTS.feeRevenue}' THEN p.credit - p.debit ELSE 0 END),
             sum(CASE WHEN p.account = '${LEDGER_ACCOUNTS.feeTaxPayable}' THEN p.credit - p.debit ELSE 0 END)
           FROM ledger_postings p
           WHERE p.account IN ${FEE_ACCOUNTS} AND p.position <= @at AND NOT EXISTS (SELECT 1 FROM fee_payouts f WHERE f.position = p.position)
           GROUP BY p.position)
         SELECT *, count(*) OVER () FROM mismatches ORDER BY position LIMIT @limit`,
      ),
    };
  }
}

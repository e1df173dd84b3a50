import type Database from 'better-sqlite3';
import { NormalBalance, normalBalanceOf } from './chart-of-accounts';

export interface TrialBalanceAccount {
  account: string;
  normalBalance: NormalBalance;
  debits: number;
  credits: number;
  /** On the account's normal side: debits − credits for `gateway-clearing`, credits − debits otherwise. */
  balance: number;
}

export interface TrialBalance {
  /** Global position the balances are as of (every event up to it included). */
  position: number;
  totalDebits: number;
  totalCredits: number;
  balanced: boolean;
  accounts: TrialBalanceAccount[];
}

export interface StatementLine {
  position: number;
  eventId: string;
  eventType: string;
  streamId: string;
  occurredAt: string;
  recordedAt: string;
  debit: number;
  credit: number;
  /** The account's balance right after this posting. */
  balance: number;
}

export interface AccountStatement {
  account: string;
  normalBalance: NormalBalance;
  /** Global position the statement is as of. */
  position: number;
  /** Totals and balance as of `position`. */
  debits: number;
  credits: number;
  balance: number;
  /** Balance before the first line of this page. */
  openingBalance: number;
  postings: StatementLine[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: number | null;
}

export interface StatementPage {
  /** Lines strictly after this position. */
  after: number;
  limit: number;
}

type AccountRow = [account: string, debits: number, credits: number, balance: number];
type LineRow = [number, string, string, string, string, string, number, number, number];

const toAccount = ([account, debits, credits, balance]: AccountRow): TrialBalanceAccount => ({
  account,
  normalBalance: normalBalanceOf(account),
  debits,
  credits,
  balance,
});

/** Read side of the ledger projection. Statements are prepared on first use, once the tables exist. */
export class LedgerQueries {
  private statements: ReturnType<LedgerQueries['prepare']> | undefined;

  constructor(private readonly db: Database.Database) {}

  /** The last position recorded at or before the instant (ISO-8601); 0 when none was. */
  positionRecordedBy(instant: Date): number {
    return this.sql.positionRecordedBy.get(instant.toISOString()) ?? 0;
  }

  /** Balances of every account that has postings, after every event up to `position`. */
  trialBalance(position: number): TrialBalance {
    const sql = this.sql;
    const [totalDebits, totalCredits] = sql.totalsAsOf.get(position)!;
    return {
      position,
      totalDebits,
      totalCredits,
      balanced: totalDebits === totalCredits,
      accounts: sql.accountsAsOf.all(position).map(toAccount),
    };
  }

  /** The account's postings after `page.after` up to `position`, with running balances; undefined for an unknown account. */
  statement(account: string, position: number, page: StatementPage): AccountStatement | undefined {
    const sql = this.sql;
    if (sql.hasPostings.get(account) === undefined) return undefined;
    const [debits, credits, balance] = sql.totalsOfAccountAsOf.get(account, position) ?? [0, 0, 0];
    const opening = sql.totalsOfAccountAsOf.get(account, Math.min(page.after, position));
    const lines = sql.lines.all(account, page.after, position, page.limit + 1);
    const hasMore = lines.length > page.limit;
    const postings = lines.slice(0, page.limit).map(
      ([linePosition, eventId, eventType, streamId, occurredAt, recordedAt, debit, credit, balanceAfter]): StatementLine => ({
        position: linePosition,
        eventId,
        eventType,
        streamId,
        occurredAt,
        recordedAt,
        debit,
        credit,
        balance: balanceAfter,
      }),
    );
    return {
      account,
      normalBalance: normalBalanceOf(account),
      position,
      debits,
      credits,
      balance,
      openingBalance: opening?.[2] ?? 0,
      postings,
      nextAfter: hasMore ? postings[postings.length - 1].position : null,
    };
  }

  private get sql() {
    return (this.statements ??= this.prepare());
  }

  private prepare() {
    const db = this.db;
    // Each account's latest posting at or before the position carries its totals as of then.
    const latestPerAccount = `SELECT account, max(position) AS position FROM ledger_postings WHERE position <= ? GROUP BY account`;
    return {
      positionRecordedBy: db.prepare<[string], number>('SELECT max(position) FROM ledger_transactions WHERE recorded_at <= ?').pluck(),
      accountsAsOf: db
        .prepare<[number], AccountRow>(
          `SELECT p.account, p.total_debits, p.total_credits, p.balance_after
           FROM (${latestPerAccount}) latest JOIN ledger_postings p ON p.account = latest.account AND p.position = latest.position
           ORDER BY p.account`,
        )
        .raw(),
      totalsAsOf: db
        .prepare<[number], [number, number]>(
          `SELECT coalesce(sum(p.total_debits), 0), coalesce(sum(p.total_credits), 0)
           FROM (${latestPerAccount}) latest JOIN ledger_postings p ON p.account = latest.account AND p.position = latest.position`,
        )
        .raw(),
      hasPostings: db.prepare<[string], number>('SELECT 1 FROM ledger_postings WHERE account = ? LIMIT 1').pluck(),
      totalsOfAccountAsOf: db
        .prepare<[string, number], [number, number, number]>(
          `SELECT total_debits, total_credits, balance_after FROM ledger_postings
           WHERE account = ? AND position <= ? ORDER BY position DESC LIMIT 1`,
        )
        .raw(),
      lines: db
        .prepare<[string, number, number, number], LineRow>(
          `SELECT p.position, t.event_id, t.event_type, t.stream_id, t.occurred_at, t.recorded_at, p.debit, p.credit, p.balance_after
           FROM ledger_postings p JOIN ledger_transactions t ON t.position = p.position
           WHERE p.account = ? AND p.position > ? AND p.position <= ?
           ORDER BY p.position LIMIT ?`,
        )
        .raw(),
    };
  }
}

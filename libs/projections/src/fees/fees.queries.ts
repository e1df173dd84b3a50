import type Database from 'better-sqlite3';
import type { FeeTierPortion, MilestonePaidOutData } from '@escrow/domain/contract';

export interface FeeTotals {
  payouts: number;
  gross: number;
  feeExTax: number;
  feeTax: number;
  fee: number;
  net: number;
}

/** A payout's fee breakdown as its `MilestonePaidOut` event states it, with where and when it was recorded. */
export type PayoutFeeBreakdown = Pick<
  MilestonePaidOutData,
  | 'milestoneId'
  | 'gross'
  | 'feeExTax'
  | 'feeTax'
  | 'fee'
  | 'net'
  | 'tiers'
  | 'cumulativeGrossBefore'
  | 'cumulativeGrossAfter'
  | 'cumulativeFeeAfter'
  | 'scheduleId'
  | 'taxRate'
> & {
  position: number;
  eventId: string;
  cause: string;
  occurredAt: string;
  /** Calendar date in Japan of occurredAt. */
  tokyoDate: string;
};

export interface ContractFees {
  contractId: string;
  clientId: string;
  workerId: string;
  /** null while only offered with the default schedule; fixed at acceptance. */
  feeScheduleId: string | null;
  taxRate: string | null;
  totals: FeeTotals;
  payouts: PayoutFeeBreakdown[];
}

export type RevenuePeriod = 'day' | 'month';

export interface RevenueRow {
  /** `YYYY-MM-DD` (day) or `YYYY-MM` (month), in Japan. */
  period: string;
  payouts: number;
  gross: number;
  feeExTax: number;
  feeTax: number;
  fee: number;
}

export interface FeeRevenue {
  by: RevenuePeriod;
  from: string | null;
  to: string | null;
  /** Only periods with at least one payout, oldest first. */
  rows: RevenueRow[];
  totals: Omit<RevenueRow, 'period'>;
}

type ContractRow = [string, string, string, string | null, string | null, number, number, number, number, number, number];
type PayoutRow = [number, string, string, number, number, number, number, number, string, number, number, number, string, string, string, string, string];
type RevenueSqlRow = [string, number, number, number, number, number];

/** Read side of the fees projection. */
export class FeeQueries {
  private statements: ReturnType<FeeQueries['prepare']> | undefined;

  constructor(private readonly db: Database.Database) {}

  /** The contract's fees; `page` keeps only payouts after a global position, at most `limit` of them (every one by default). */
  contractFees(contractId: string, page: { after?: number; limit?: number } = {}): ContractFees | undefined {
    const sql = this.sql;
    const row = sql.contract.get(contractId);
    if (row === undefined) return undefined;
    const [, clientId, workerId, feeScheduleId, taxRate, payouts, gross, feeExTax, feeTax, fee, net] = row;
    return {
      contractId,
      clientId,
      workerId,
      feeScheduleId,
      taxRate,
      totals: { payouts, gross, feeExTax, feeTax, fee, net },
      payouts: sql.payouts.all(contractId, page.after ?? 0, page.limit ?? -1).map(
        ([position, eventId, milestoneId, g, fx, ft, f, n, tiers, before, after, cumulativeFee, scheduleId, rate, cause, occurredAt, tokyoDate]) => ({
          position,
          eventId,
          milestoneId,
          gross: g,
          feeExTax: fx,
          feeTax: ft,
          fee: f,
          net: n,
          tiers: JSON.parse(tiers) as FeeTierPortion[],
          cumulativeGrossBefore: before,
          cumulativeGrossAfter: after,
          cumulativeFeeAfter: cumulativeFee,
          scheduleId,
          taxRate: rate,
          cause,
          occurredAt,
          tokyoDate,
        }),
      ),
    };
  }

  /**
   * Fee revenue per Tokyo day or month between `from` and `to` (inclusive; `YYYY-MM-DD` for days,
   * `YYYY-MM` for months; null for no bound). The totals cover the whole range; `page` keeps only the periods after
   * `after` (a period of the same kind), at most `limit` of them (every one by default).
   */
  revenue(by: RevenuePeriod, from: string | null, to: string | null, page: { after?: string; limit?: number } = {}): FeeRevenue {
    const sql = this.sql;
    // Day keys compare as strings; a month range covers its first to its last day.
    const fromDay = from === null ? '0000-00-00' : by === 'month' ? `${from}-00` : from;
    const toDay = to === null ? '9999-99-99' : by === 'month' ? `${to}-99` : to;
    const statement = by === 'day' ? sql.revenueByDay : sql.revenueByMonth;
    // A day sorts after every earlier period; the first day of the next month sorts after a whole month.
    const afterDay = page.after === undefined ? '' : by === 'month' ? `${page.after}-99` : page.after;
    const rows = statement.all(fromDay, toDay, afterDay, page.limit ?? -1).map(([period, payouts, gross, feeExTax, feeTax, fee]) => ({ period, payouts, gross, feeExTax, feeTax, fee }));
    const [, payouts, gross, feeExTax, feeTax, fee] = sql.revenueTotal.get(fromDay, toDay)!;
    return { by, from, to, rows, totals: { payouts, gross, feeExTax, feeTax, fee } };
  }

  private get sql() {
    return (this.statements ??= this.prepare());
  }

  private prepare() {
    const db = this.db;
    const sums = 'sum(payouts), sum(gross), sum(fee_ex_tax), sum(fee_tax), sum(fee)';
    return {
      contract: db
        .prepare<[string], ContractRow>(
          `SELECT contract_id, client_id, worker_id, fee_schedule_id, tax_rate, payouts, gross, fee_ex_tax, fee_tax, fee, net
           FROM fee_contracts WHERE contract_id = ?`,
        )
        .raw(),
      payouts: db
        .prepare<[string, number, number], PayoutRow>(
          `SELECT position, event_id, milestone_id, gross, fee_ex_tax, fee_tax, fee, net, tiers, cumulative_gross_before,
             cumulative_gross_after, cumulative_fee_after, schedule_id, tax_rate, cause, occurred_at, tokyo_date
           FROM fee_payouts WHERE contract_id = ? AND position > ? ORDER BY position LIMIT ?`,
        )
        .raw(),
      revenueByDay: db
        .prepare<[string, string, string, number], RevenueSqlRow>(
          `SELECT tokyo_date, payouts, gross, fee_ex_tax, fee_tax, fee FROM fee_revenue_daily
           WHERE tokyo_date >= ? AND tokyo_date <= ? AND tokyo_date > ? ORDER BY tokyo_date LIMIT ?`,
        )
        .raw(),
      revenueByMonth: db
        .prepare<[string, string, string, number], RevenueSqlRow>(
          `SELECT substr(tokyo_date, 1, 7) AS month, ${sums} FROM fee_revenue_daily
           WHERE tokyo_date >= ? AND tokyo_date <= ? AND tokyo_date > ? GROUP BY month ORDER BY month LIMIT ?`,
        )
        .raw(),
      revenueTotal: db
        .prepare<[string, string], RevenueSqlRow>(
          `SELECT '', coalesce(sum(payouts), 0), coalesce(sum(gross), 0), coalesce(sum(fee_ex_tax), 0), coalesce(sum(fee_tax), 0), coalesce(sum(fee), 0)
           FROM fee_revenue_daily WHERE tokyo_date >= ? AND tokyo_date <= ?`,
        )
        .raw(),
    };
  }
}

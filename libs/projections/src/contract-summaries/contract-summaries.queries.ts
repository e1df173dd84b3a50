import type Database from 'better-sqlite3';
import type { ContractStatus } from '@escrow/domain/contract';
import type { ContractTotalsView } from '@escrow/domain/contract/view-types';

/** The contract's totals as its view states them (`ContractTotalsView`), with the amount; gross unknown before acceptance. */
export type ContractSummaryTotals = Omit<ContractTotalsView, 'gross'> & {
  /** Tax-exclusive amount of the milestones that are not cancelled. */
  amount: number;
  /** Gross of the milestones that are not cancelled; null until the contract is accepted. */
  gross: number | null;
};

export interface ContractSummary {
  contractId: string;
  clientId: string;
  workerId: string;
  title: string;
  status: ContractStatus;
  feeScheduleId: string | null;
  milestones: number;
  totals: ContractSummaryTotals;
  offeredAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
  terminatedAt: string | null;
  /** Global position of the contract's first event; the list order and paging cursor. */
  createdPosition: number;
  /** Global position of the contract's last event. */
  updatedPosition: number;
  updatedAt: string;
}

export type ContractParty = 'client' | 'worker';

export interface ContractListPage {
  /** Contracts whose createdPosition is strictly after this. */
  after: number;
  limit: number;
  status?: ContractStatus;
}

export interface ContractList {
  contracts: ContractSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: number | null;
}

/**
 * A contract search. Every filter given narrows it; `visibleTo` keeps only the contracts that account is party to
 * (client or worker), which is how a user's own search is scoped whatever else it names.
 */
export interface ContractSearch {
  visibleTo?: string;
  clientId?: string;
  workerId?: string;
  /** Client or worker. */
  partyId?: string;
  status?: ContractStatus;
  /** Days of the offer in Japan (YYYY-MM-DD), both inclusive. */
  offeredFrom?: string;
  offeredTo?: string;
  /** Bounds, inclusive, of the tax-exclusive amount of the milestones not cancelled. */
  minAmount?: number;
  maxAmount?: number;
}

/** Each filter's condition, over named parameters only: a search's SQL is these fixed fragments, its values are bound. */
const SEARCH_CONDITIONS: Record<keyof ContractSearch, string> = {
  visibleTo: '(client_id = @visibleTo OR worker_id = @visibleTo)',
  clientId: 'client_id = @clientId',
  workerId: 'worker_id = @workerId',
  partyId: '(client_id = @partyId OR worker_id = @partyId)',
  status: 'status = @status',
  offeredFrom: 'offered_on >= @offeredFrom',
  offeredTo: 'offered_on <= @offeredTo',
  minAmount: 'amount >= @minAmount',
  maxAmount: 'amount <= @maxAmount',
};
const SEARCH_FILTERS = Object.keys(SEARCH_CONDITIONS) as (keyof ContractSearch)[];

/** A summary as selected: the totals beside the other columns, gross as stored. */
type SummaryRow = Omit<ContractSummary, 'totals'> & Omit<ContractSummaryTotals, 'gross'> & { gross: number };

// The escrow is computed by SQLite's integer arithmetic, like every other amount here.
const COLUMNS = `contract_id AS contractId, client_id AS clientId, worker_id AS workerId, title, status, fee_schedule_id AS feeScheduleId,
  milestones, amount, gross, funded, paid_out AS paidOut, fees, net, refunded, funded - paid_out - refunded AS escrow,
  offered_at AS offeredAt, accepted_at AS acceptedAt, completed_at AS completedAt, terminated_at AS terminatedAt,
  created_position AS createdPosition, updated_position AS updatedPosition, updated_at AS updatedAt`;

const toSummary = ({ amount, gross, funded, paidOut, fees, net, refunded, escrow, ...row }: SummaryRow): ContractSummary => ({
  contractId: row.contractId,
  clientId: row.clientId,
  workerId: row.workerId,
  title: row.title,
  status: row.status,
  feeScheduleId: row.feeScheduleId,
  milestones: row.milestones,
  totals: { amount, gross: row.acceptedAt === null ? null : gross, funded, paidOut, fees, net, refunded, escrow },
  offeredAt: row.offeredAt,
  acceptedAt: row.acceptedAt,
  completedAt: row.completedAt,
  terminatedAt: row.terminatedAt,
  createdPosition: row.createdPosition,
  updatedPosition: row.updatedPosition,
  updatedAt: row.updatedAt,
});

/** Read side of the contract summaries. */
export class ContractSummaryQueries {
  private statements: ReturnType<ContractSummaryQueries['prepare']> | undefined;
  /** A prepared search per combination of filters given (at most 2^9). */
  private readonly searches = new Map<string, Database.Statement<[Record<string, string | number>], SummaryRow>>();

  constructor(private readonly db: Database.Database) {}

  get(contractId: string): ContractSummary | undefined {
    const row = this.sql.one.get(contractId);
    return row === undefined ? undefined : toSummary(row);
  }

  /** The party's contracts, oldest offer first. */
  list(party: ContractParty, partyId: string, page: ContractListPage): ContractList {
    const rows = this.sql.list[party].all(partyId, page.after, page.status ?? null, page.limit + 1);
    const contracts = rows.slice(0, page.limit).map(toSummary);
    return { contracts, nextAfter: rows.length > page.limit ? contracts[contracts.length - 1].createdPosition : null };
  }

  /**
   * The contracts the search matches, oldest offer first, after the position `page.after`; one more than the limit
   * is read, so that the caller can tell a next page exists.
   */
  search(search: ContractSearch, page: { after: number; limit: number }): ContractSummary[] {
    const given = SEARCH_FILTERS.filter((filter) => search[filter] !== undefined);
    const shape = given.join(',');
    let statement = this.searches.get(shape);
    if (statement === undefined) {
      const conditions = ['created_position > @after', ...given.map((filter) => SEARCH_CONDITIONS[filter])];
      statement = this.db.prepare<[Record<string, string | number>], SummaryRow>(
        `SELECT ${COLUMNS} FROM contract_summaries WHERE ${conditions.join(' AND ')} ORDER BY created_position LIMIT @limit`,
      );
      this.searches.set(shape, statement);
    }
    const values: Record<string, string | number> = { after: page.after, limit: page.limit + 1 };
    for (const filter of given) values[filter] = search[filter]!;
    return statement.all(values).map(toSummary);
  }

  private get sql() {
    return (this.statements ??= this.prepare());
  }

  private prepare() {
    const db = this.db;
    const listFor = (column: 'client_id' | 'worker_id') =>
      db.prepare<[string, number, string | null, number], SummaryRow>(
        `SELECT ${COLUMNS} FROM contract_summaries
         WHERE ${column} = ? AND created_position > ? AND status = coalesce(?, status)
         ORDER BY created_position LIMIT ?`,
      );
    return {
      one: db.prepare<[string], SummaryRow>(`SELECT ${COLUMNS} FROM contract_summaries WHERE contract_id = ?`),
      list: { client: listFor('client_id'), worker: listFor('worker_id') },
    };
  }
}

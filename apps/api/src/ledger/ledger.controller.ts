import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { QueryResponses } from '../http/openapi/operation-responses';
import { PositionOrInstantQuery } from '../http/openapi/query-parameters';
import { FEES_PROJECTION } from '@escrow/projections/fees/fees.projection';
import { failedChecksOf, type LedgerChecksReport, MAX_VIOLATIONS_LISTED, uncheckedChecksOf } from '@escrow/projections/ledger/ledger-checks';
import { LedgerCheckQueries } from '@escrow/projections/ledger/ledger-checks.queries';
import { LEDGER_PROJECTION } from '@escrow/projections/ledger/ledger.projection';
import { LedgerQueries } from '@escrow/projections/ledger/ledger.queries';
import { encodeCursor, positionCursor } from '../http/list-cursor';
import { PAGE_PARAMETERS, readPage } from '../http/list-page';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { ProblemError } from '../http/problem';
import { AwaitsProjections, MIN_POSITION_WAIT_MS, projectionBehind } from '../projections/min-position.interceptor';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { AsOf, ReadQuery } from '../projections/read-query';
import { CsvAlternative } from '../http/csv';
import { TRIAL_BALANCE_CSV_HEADER, trialBalanceCsv } from './ledger-csv';
import { AccountStatementPageSchema, LedgerChecksSchema, StatementLineSchema, TrialBalanceSchema } from './ledger.responses';

/** How long the trial balance waits for the fees read model to reach its position before answering without the fee check. */
const TRIAL_BALANCE_FEES_WAIT_MS = 500;

export const STATEMENT_PAGE = { default: 100, max: 1000 };
/** Postings are listed by global position: fixed once written, and later postings come after. */
const STATEMENT_CURSOR = positionCursor('ledger');

/** A ledger account: a fixed name, or escrow: or wallet: and an id. */
const LEDGER_ACCOUNT_NAME = '^[a-z][a-z-]*(:([a-z_]{1,20}~)?[A-Za-z0-9][A-Za-z0-9._:-]{0,127})?$';
const MAX_LEDGER_ACCOUNT_NAME = 200;

const ledgerAccountNotFound = (account: string) =>
  new ProblemError(404, 'LEDGER_ACCOUNT_NOT_FOUND', 'Not found', `The ledger has no postings to ${account}.`);

@ApiTags('ledger')
@Controller('v1/ledger')
@AwaitsProjections(LEDGER_PROJECTION)
export class LedgerController {
  constructor(
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
    @Inject(LedgerQueries) private readonly ledger: LedgerQueries,
    @Inject(LedgerCheckQueries) private readonly checks: LedgerCheckQueries,
  ) {}

  @Get('trial-balance')
  @Access.staff()
  @ApiOperation({
    summary: 'Trial balance: every account with its debits, credits and balance',
    description:
      'As of now, of a global position, or of an instant (the last position recorded at or before it). Balances are on each ' +
      "account's normal side. `balanced` means every ledger check passes (see GET /v1/ledger/checks): totalDebits equals " +
      'totalCredits, every transaction balances, and escrow, wallets and fee revenue reconcile and never went negative; ' +
      '`failedChecks` names those that do not. A check that compares with another read model not yet at the position (the fee ' +
      'check while the fees read model is behind or failing, after waiting up to 0.5 s) is not run: `uncheckedChecks` names it, ' +
      'and `balanced` does not vouch for it. With `Accept: text/csv`: one row per account ' +
      'and a totals row (docs/audit.md, Exports).',
  })
  @CsvAlternative(TRIAL_BALANCE_CSV_HEADER, trialBalanceCsv, (balance: TrialBalanceSchema) => `trial-balance-${balance.position}.csv`)
  @QueryResponses(TrialBalanceSchema, { problems: [400, 401, 403, 404, 406, 414, 500, 503] })
  @PositionOrInstantQuery('asOf', 'A global position or an ISO-8601 instant with offset')
  async trialBalance(@Query() query: Record<string, unknown>): Promise<TrialBalanceSchema> {
    const read = new ReadQuery(query, ['asOf']);
    const asOf = read.asOf();
    read.done();
    const position = this.positionFor(asOf);
    const trial = this.ledger.trialBalance(position);
    // The trial balance keeps answering while the fees read model is behind or failing: the checks that need it are then named unchecked.
    const withFees = await this.runtime.waitFor(position, { timeoutMs: TRIAL_BALANCE_FEES_WAIT_MS, projections: [FEES_PROJECTION] });
    const report = this.checks.report(position, { withFees });
    const failedChecks = failedChecksOf(report);
    return {
      ...trial,
      balanced: trial.balanced && failedChecks.length === 0,
      failedChecks,
      uncheckedChecks: uncheckedChecksOf(report),
      asOf: typeof query.asOf === 'string' ? query.asOf : null,
    };
  }

  @Get('checks')
  @Access.staff()
  @ApiOperation({
    summary: 'Ledger checks: every invariant of the books with its result and its violations',
    description:
      'As of now, of a global position, or of an instant (the last position recorded at or before it). The checks, always in this ' +
      'order: journal-balanced, running-totals, escrow-non-negative, escrow-reconciles, wallet-non-negative, wallet-reconciles, ' +
      `fee-revenue-reconciles. Each lists at most ${MAX_VIOLATIONS_LISTED} violations and counts them all (violationCount). ` +
      'Money in whole yen. The fee check reads the fees read model: the answer waits up to 5 s for it to reach the position ' +
      '(503 PROJECTION_BEHIND otherwise). What each check proves and does not: docs/audit.md, "Ledger checks".',
  })
  @QueryResponses(LedgerChecksSchema)
  @PositionOrInstantQuery('asOf', 'A global position or an ISO-8601 instant with offset')
  async ledgerChecks(@Query() query: Record<string, unknown>): Promise<LedgerChecksSchema> {
    const read = new ReadQuery(query, ['asOf']);
    const asOf = read.asOf();
    read.done();
    return { ...(await this.checksAt(this.positionFor(asOf))), asOf: typeof query.asOf === 'string' ? query.asOf : null };
  }

  @Get('accounts/:account')
  @Access.ledgerAccount('account')
  @ApiOperation({
    summary: 'Statement of one ledger account: its postings with the running balance',
    description: 'Accounts: gateway-clearing, escrow:{contractId}, payable-to-wallets, wallet:{accountId}, fee-revenue, fee-tax-payable, ' +
      'withdrawals-in-progress, bank-payouts, withdrawal-fee-revenue, expired-balances, forfeited-balances. Postings are in `data`, ' +
      'oldest first; the totals, the balance and the opening balance of the page come with every page.',
  })
  @ApiParam({ name: 'account', example: 'escrow:3f1c…', schema: { type: 'string', pattern: LEDGER_ACCOUNT_NAME, maxLength: MAX_LEDGER_ACCOUNT_NAME } })
  @PositionOrInstantQuery('asOf', 'A global position or an ISO-8601 instant with offset')
  @PageParameters(STATEMENT_PAGE)
  @ListResponses(StatementLineSchema, { page: AccountStatementPageSchema })
  statement(@Param('account') account: string, @Query() query: Record<string, unknown>): AccountStatementPageSchema {
    const read = new ReadQuery(query, ['asOf', ...PAGE_PARAMETERS]);
    const asOf = read.asOf();
    const page = readPage(query, read, STATEMENT_CURSOR, STATEMENT_PAGE);
    read.done();
    const statement = this.ledger.statement(account, this.positionFor(asOf), { after: page.after ?? 0, limit: page.limit });
    if (statement === undefined) throw ledgerAccountNotFound(account);
    const { postings, nextAfter, ...totals } = statement;
    return {
      data: postings,
      nextCursor: nextAfter === null ? null : encodeCursor(STATEMENT_CURSOR, nextAfter),
      ...totals,
      asOf: typeof query.asOf === 'string' ? query.asOf : null,
    };
  }

  /**
   * The checks compare the ledger with the fees read model, which is applied in a transaction of its own: they wait
   * (as minPosition does) until it has reached the ledger's position, so that both sides are as of the same event.
   */
  private async checksAt(position: number): Promise<LedgerChecksReport> {
    if (!(await this.runtime.waitFor(position, { timeoutMs: MIN_POSITION_WAIT_MS, projections: [FEES_PROJECTION] }))) {
      throw projectionBehind(position, [{ name: FEES_PROJECTION, position: this.runtime.positionOf(FEES_PROJECTION) }]);
    }
    return this.checks.report(position);
  }

  /** Never beyond what the ledger has applied, so that the answer names the position it really is as of. */
  private positionFor(asOf: AsOf | undefined): number {
    const applied = this.runtime.positionOf(LEDGER_PROJECTION);
    if (asOf === undefined) return applied;
    const asked = 'position' in asOf ? asOf.position : this.ledger.positionRecordedBy(asOf.instant);
    return Math.min(asked, applied);
  }
}

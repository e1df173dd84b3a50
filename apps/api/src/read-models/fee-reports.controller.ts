import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FEES_PROJECTION } from '@escrow/projections/fees/fees.projection';
import { FeeQueries, RevenuePeriod } from '@escrow/projections/fees/fees.queries';
import { calendarDate, EARLIEST_DATE, LATEST_DATE } from '@escrow/domain/shared/field-rules';
import { patternCursor, positionCursor } from '../http/list-cursor';
import { PAGE_PARAMETERS, pageOf, readPage } from '../http/list-page';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { ProblemError } from '../http/problem';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';
import { ContractFeesPageSchema, FeeRevenuePageSchema, PayoutFeeBreakdownSchema, RevenueRowSchema } from './fee-report.responses';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
const PERIOD_SCHEMA = { type: 'string', pattern: '^\\d{4}-\\d{2}(-\\d{2})?$' } as const;
/** Days and months follow the domain's calendar rule and bounds (a month is valid when its first day is). */
const isCalendarDate = (text: string) => calendarDate(text, 'date') === undefined;
const isCalendarMonth = (text: string) => isCalendarDate(`${text}-01`);

export const PAYOUT_PAGE = { default: 100, max: 500 };
export const REVENUE_PAGE = { default: 100, max: 1000 };
/** Payouts by global position; revenue periods by their date, a cursor of days never read as one of months. */
const PAYOUT_CURSOR = positionCursor('payouts');
const REVENUE_CURSORS = {
  day: patternCursor('revenue-day', DAY, isCalendarDate),
  month: patternCursor('revenue-month', MONTH, isCalendarMonth),
};

export const contractNotFound = (contractId: string) =>
  new ProblemError(404, 'CONTRACT_NOT_FOUND', 'Not found', `Contract ${contractId} does not exist (or is not in the read models yet: pass minPosition).`);

@ApiTags('fees')
@Controller('v1')
@AwaitsProjections(FEES_PROJECTION)
export class FeeReportsController {
  constructor(@Inject(FeeQueries) private readonly fees: FeeQueries) {}

  @Get('contracts/:contractId/fees')
  @Access.contract('contractId')
  @ApiOperation({
    summary: 'System fees of one contract: totals and the breakdown of every payout (tiers, tax, cumulative totals)',
    description: 'The payouts are in `data`, in the order of the log; the totals cover every payout of the contract on every page.',
  })
  @PageParameters(PAYOUT_PAGE)
  @ListResponses(PayoutFeeBreakdownSchema, { page: ContractFeesPageSchema })
  contractFees(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): ContractFeesPageSchema {
    const read = new ReadQuery(query, PAGE_PARAMETERS);
    const page = readPage(query, read, PAYOUT_CURSOR, PAYOUT_PAGE);
    read.done();
    const fees = this.fees.contractFees(contractId, { after: page.after ?? 0, limit: page.limit + 1 });
    if (fees === undefined) throw contractNotFound(contractId);
    const { payouts, ...contract } = fees;
    return { ...pageOf(payouts, page.limit, PAYOUT_CURSOR, (payout) => payout.position), ...contract };
  }

  @Get('fees/revenue')
  @Access.staff()
  @ApiOperation({
    summary: 'Platform fee revenue per day or month of Japan (UTC+9)',
    description:
      'Only periods with at least one payout are listed, oldest first, in `data`; from and to are inclusive. The totals cover ' +
      'the whole range on every page. A cursor belongs to its `by`: one of days is refused for months.',
  })
  @ApiQuery({ name: 'by', required: false, enum: ['day', 'month'], description: 'Default day' })
  @ApiQuery({ name: 'from', required: false, schema: PERIOD_SCHEMA, description: 'YYYY-MM-DD (by=day) or YYYY-MM (by=month)' })
  @ApiQuery({ name: 'to', required: false, schema: PERIOD_SCHEMA, description: 'YYYY-MM-DD (by=day) or YYYY-MM (by=month)' })
  @PageParameters(REVENUE_PAGE)
  @ListResponses(RevenueRowSchema, { page: FeeRevenuePageSchema })
  revenue(@Query() query: Record<string, unknown>): FeeRevenuePageSchema {
    const read = new ReadQuery(query, ['by', 'from', 'to', ...PAGE_PARAMETERS]);
    const by = read.oneOf<RevenuePeriod>('by', ['day', 'month'], 'day');
    const [pattern, valid, description] = by === 'day'
        ? [DAY, isCalendarDate, `a real date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}`]
        : [MONTH, isCalendarMonth, `a month YYYY-MM from ${EARLIEST_DATE.slice(0, 7)} to ${LATEST_DATE.slice(0, 7)}`];
    const from = read.matching('from', pattern, description, valid) ?? null;
    const to = read.matching('to', pattern, description, valid) ?? null;
    if (from !== null && to !== null && from > to) read.fail('to', 'notBeforeFrom', 'to must not be before from');
    const cursor = REVENUE_CURSORS[by];
    const page = readPage(query, read, cursor, REVENUE_PAGE);
    read.done();
    const { rows, ...revenue } = this.fees.revenue(by, from, to, { after: page.after, limit: page.limit + 1 });
    return { ...pageOf(rows, page.limit, cursor, (row) => row.period), ...revenue };
  }
}

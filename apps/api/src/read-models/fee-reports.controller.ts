import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryResponses, UntypedReadResponses } from '../http/openapi/operation-responses';
import { ContractFeesSchema } from './read-model.responses';
import { EnumQuery, PatternQuery } from '../http/openapi/query-parameters';
import { FEES_PROJECTION } from '@escrow/projections/fees/fees.projection';
import { ContractFees, FeeQueries, FeeRevenue, RevenuePeriod } from '@escrow/projections/fees/fees.queries';
import { calendarDate, EARLIEST_DATE, LATEST_DATE } from '@escrow/domain/shared/field-rules';
import { ProblemError } from '../http/problem';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
const DAY_OR_MONTH = /^\d{4}-\d{2}(-\d{2})?$/;
/** Days and months follow the domain's calendar rule and bounds (a month is valid when its first day is). */
const isCalendarDate = (text: string) => calendarDate(text, 'date') === undefined;
const isCalendarMonth = (text: string) => isCalendarDate(`${text}-01`);

export const contractNotFound = (contractId: string) =>
  new ProblemError(404, 'CONTRACT_NOT_FOUND', 'Not found', `Contract ${contractId} does not exist (or is not in the read models yet: pass minPosition).`);

@ApiTags('fees')
@Controller('v1')
@AwaitsProjections(FEES_PROJECTION)
export class FeeReportsController {
  constructor(@Inject(FeeQueries) private readonly fees: FeeQueries) {}

  @Get('contracts/:contractId/fees')
  @Access.contract('contractId')
  @ApiOperation({ summary: 'System fees of one contract: totals and the breakdown of every payout (tiers, tax, cumulative totals)' })
  @QueryResponses(ContractFeesSchema)
  contractFees(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): ContractFees {
    new ReadQuery(query, []).done();
    const fees = this.fees.contractFees(contractId);
    if (fees === undefined) throw contractNotFound(contractId);
    return fees;
  }

  @Get('fees/revenue')
  @Access.staff()
  @ApiOperation({
    summary: 'Platform fee revenue per day or month of Japan (UTC+9)',
    description: 'Only periods with at least one payout are listed, oldest first; from and to are inclusive.',
  })
  @UntypedReadResponses()
  @EnumQuery('by', ['day', 'month'], 'Default day', 'day')
  @PatternQuery('from', DAY_OR_MONTH, 'YYYY-MM-DD (by=day) or YYYY-MM (by=month)')
  @PatternQuery('to', DAY_OR_MONTH, 'YYYY-MM-DD (by=day) or YYYY-MM (by=month)')
  revenue(@Query() query: Record<string, unknown>): FeeRevenue {
    const read = new ReadQuery(query, ['by', 'from', 'to']);
    const by = read.oneOf<RevenuePeriod>('by', ['day', 'month'], 'day');
    const [pattern, valid, description] = by === 'day'
        ? [DAY, isCalendarDate, `a real date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}`]
        : [MONTH, isCalendarMonth, `a month YYYY-MM from ${EARLIEST_DATE.slice(0, 7)} to ${LATEST_DATE.slice(0, 7)}`];
    const from = read.matching('from', pattern, description, valid) ?? null;
    const to = read.matching('to', pattern, description, valid) ?? null;
    if (from !== null && to !== null && from > to) read.fail('to', 'notBeforeFrom', 'to must not be before from');
    read.done();
    return this.fees.revenue(by, from, to);
  }
}

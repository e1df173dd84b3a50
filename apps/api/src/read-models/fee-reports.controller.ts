import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FEES_PROJECTION } from '@escrow/projections/fees/fees.projection';
import { ContractFees, FeeQueries, FeeRevenue, RevenuePeriod } from '@escrow/projections/fees/fees.queries';
import { ProblemError } from '../http/problem';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
const isCalendarDate = (text: string) => {
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
};
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
  @ApiQuery({ name: 'by', required: false, enum: ['day', 'month'], description: 'Default day' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD (by=day) or YYYY-MM (by=month)' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (by=day) or YYYY-MM (by=month)' })
  revenue(@Query() query: Record<string, unknown>): FeeRevenue {
    const read = new ReadQuery(query, ['by', 'from', 'to']);
    const by = read.oneOf<RevenuePeriod>('by', ['day', 'month'], 'day');
    const [pattern, valid, description] = by === 'day' ? [DAY, isCalendarDate, 'a date YYYY-MM-DD'] : [MONTH, isCalendarMonth, 'a month YYYY-MM'];
    const from = read.matching('from', pattern, description, valid) ?? null;
    const to = read.matching('to', pattern, description, valid) ?? null;
    if (from !== null && to !== null && from > to) read.fail('to', 'notBeforeFrom', 'to must not be before from');
    read.done();
    return this.fees.revenue(by, from, to);
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  FEE_SCHEDULES,
  FeeQuote,
  MAX_QUOTE_AMOUNT,
  consumptionTaxRateAt,
  defaultFeeScheduleAt,
  getFeeSchedule,
  quoteFromAmount,
  quoteFromTakeHome,
} from '@escrow/domain/money';
import { Command, CommandContext } from '../http/command-context';
import { badRequest, FieldError } from '../http/problem';
import { QueryResponses } from '../http/openapi/operation-responses';
import { FeeQuoteSchema } from './fee.responses';

@ApiTags('fees')
@Controller('v1/fees')
export class FeesController {
  @Get('quote')
  @Access.authenticated()
  @ApiOperation({
    summary: 'Fee breakdown of a contract amount, or the smallest amount that yields a wanted take-home',
    description: 'Give exactly one of amount (tax-exclusive) or takeHome (what the worker wants to receive).',
  })
  @QueryResponses(FeeQuoteSchema, { problems: [400, 401, 403, 500] })
  @ApiQuery({ name: 'amount', required: false, description: 'Tax-exclusive contract amount in yen', schema: { type: 'integer', minimum: 1, maximum: MAX_QUOTE_AMOUNT } })
  @ApiQuery({
    name: 'takeHome',
    required: false,
    description: 'Wanted take-home (ワーカー受け取り金額) in yen',
    schema: { type: 'integer', minimum: 1, maximum: MAX_QUOTE_AMOUNT / 2 },
  })
  @ApiQuery({
    name: 'schedule',
    required: false,
    description: 'Fee schedule id; the default in force today when omitted',
    schema: { type: 'string', enum: FEE_SCHEDULES.map((schedule) => schedule.id) },
  })
  quote(
    @Command() context: CommandContext,
    @Query('amount') amount?: string,
    @Query('takeHome') takeHome?: string,
    @Query('schedule') scheduleId?: string,
  ): FeeQuote {
    const errors: FieldError[] = [];
    if ((amount === undefined) === (takeHome === undefined)) {
      errors.push({ field: 'amount', rule: 'exactlyOneOf', message: 'give exactly one of amount or takeHome' });
    }
    const parsedAmount = parseYen('amount', amount, MAX_QUOTE_AMOUNT, errors);
    // A take-home needs a larger amount to reach it; half the quote ceiling leaves room for any fee schedule.
    const parsedTakeHome = parseYen('takeHome', takeHome, MAX_QUOTE_AMOUNT / 2, errors);
    const today = context.at;
    const schedule = scheduleId === undefined ? defaultFeeScheduleAt(today) : getFeeSchedule(scheduleId);
    if (!schedule) {
      errors.push({ field: 'schedule', rule: 'isKnownSchedule', message: `schedule must be one of ${FEE_SCHEDULES.map((s) => s.id).join(', ')}` });
    }
    if (errors.length > 0 || !schedule) throw badRequest(errors);
    const taxRate = consumptionTaxRateAt(today);
    return parsedAmount !== undefined ? quoteFromAmount(parsedAmount, schedule, taxRate) : quoteFromTakeHome(parsedTakeHome!, schedule, taxRate);
  }
}

function parseYen(field: string, text: string | undefined, maximum: number, errors: FieldError[]): number | undefined {
  if (text === undefined) return undefined;
  const rule = !/^\d{1,12}$/.test(text) ? 'isInt' : Number(text) < 1 ? 'min' : Number(text) > maximum ? 'max' : undefined;
  if (rule) {
    errors.push({ field, rule, message: `${field} must be a whole number of yen from 1 to ${maximum}` });
    return undefined;
  }
  return Number(text);
}

import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HourlyCommand } from '@escrow/domain/hourly';
import { MAX_INSTANT_LENGTH } from '@escrow/domain/shared/limits';
import type { FormatHistory } from '@escrow/projections/format-history/format-history';
import { Access } from '../auth/access-policy';
import { newIdFor } from '../commands/envelope';
import { EmptyDto } from '../contracts/contract.dto';
import { FormatHistorySchema } from '../formats/format-history.responses';
import { BusController } from '../http/bus-controller';
import { Command, CommandContext } from '../http/command-context';
import { CommandRoute } from '../http/decorators';
import { QueryResponses } from '../http/openapi/operation-responses';
import { ExecuteHourlyCommand, GetHourlyContractQuery, HourlyContractResponse } from './hourly-commands';
import { DisputeHoursDto, EndHourlyContractDto, HourlyPrepayDto, OfferHourlyContractDto, RecordHoursDto, SettleDisputeDto } from './hourly.dto';
import { GetHourlyHistoryQuery } from './hourly-history';
import { HourlyContractResponseSchema } from './hourly.responses';

/** asOf: a stream revision, a calendar date or an instant (checked in full by the history). */
const REVISION_OR_INSTANT = '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T.+)?)$';

const base = (contractId: string, context: CommandContext) => ({ contractId, actor: context.actor, at: context.at });

@ApiTags('hourly contracts')
@Controller('v1/hourly-contracts')
export class HourlyContractsController extends BusController {
  private run(command: HourlyCommand, context: CommandContext): Promise<HourlyContractResponse> {
    return this.commands.execute(new ExecuteHourlyCommand(command, context));
  }

  @CommandRoute('/', 201, HourlyContractResponseSchema, { summary: 'Offer an hourly contract (時間単価制)', description: 'Actor: the client. An hourly rate (tax-exclusive yen) and a weekly hour limit.' })
  offer(@Body() body: OfferHourlyContractDto, @Command() context: CommandContext): Promise<HourlyContractResponse> {
    const { feeSchedule, ...terms } = body;
    return this.run(
      { type: 'OfferHourlyContract', ...base(newIdFor(context, 'hourly-contract'), context), ...terms, ...(feeSchedule !== undefined ? { feeScheduleId: feeSchedule } : {}) },
      context,
    );
  }

  @CommandRoute(':contractId/accept', 200, HourlyContractResponseSchema, { summary: 'Accept the hourly offer (契約成立)', description: 'Actor: the worker. Fixes the fee schedule, the tax rate and the estimated week.' })
  accept(@Param('contractId') contractId: string, @Body() _body: EmptyDto, @Command() context: CommandContext): Promise<HourlyContractResponse> {
    return this.run({ type: 'AcceptHourlyContract', ...base(contractId, context) }, context);
  }

  @CommandRoute(':contractId/prepay', 200, HourlyContractResponseSchema, {
    summary: 'Prepay an estimated week, or top up (仮払い)',
    description: 'Actor: the client. Without an amount, the estimated week: rate × weekly limit, with tax. Each gateway payment funds one thing once.',
  })
  prepay(@Param('contractId') contractId: string, @Body() body: HourlyPrepayDto, @Command() context: CommandContext): Promise<HourlyContractResponse> {
    return this.run({ type: 'PrepayHourlyEscrow', ...base(contractId, context), ...body }, context);
  }

  @CommandRoute(':contractId/hours', 200, HourlyContractResponseSchema, {
    summary: 'Record hours of a work week',
    description: "Actor: the worker, through their time-tracking service. Quarter hours within one work week (Monday–Sunday, Japan time), up to the weekly limit and the prepaid escrow, until the week's review window opens.",
  })
  recordHours(@Param('contractId') contractId: string, @Body() body: RecordHoursDto, @Command() context: CommandContext): Promise<HourlyContractResponse> {
    return this.run({ type: 'RecordHourlyWork', ...base(contractId, context), ...body }, context);
  }

  @CommandRoute(':contractId/weeks/:weekStart/dispute', 200, HourlyContractResponseSchema, {
    summary: "Dispute a week's hours",
    description: 'Actor: the client, during the review window (from the Tuesday after the work week through the following Monday). The disputed amount is held until support settles it.',
  })
  dispute(@Param('contractId') contractId: string, @Param('weekStart') weekStart: string, @Body() body: DisputeHoursDto, @Command() context: CommandContext): Promise<HourlyContractResponse> {
    return this.run({ type: 'DisputeHourlyWork', ...base(contractId, context), weekStart, ...body }, context);
  }

  @CommandRoute(':contractId/weeks/:weekStart/settle-dispute', 200, HourlyContractResponseSchema, {
    summary: "Settle a week's dispute",
    description: 'Actor: support. Awards the worker some of the disputed minutes (0 to all); paid at once when the review window has closed, else with the week.',
  })
  settleDispute(@Param('contractId') contractId: string, @Param('weekStart') weekStart: string, @Body() body: SettleDisputeDto, @Command() context: CommandContext): Promise<HourlyContractResponse> {
    return this.run({ type: 'SettleHourlyDispute', ...base(contractId, context), weekStart, ...body }, context);
  }

  @CommandRoute(':contractId/end', 200, HourlyContractResponseSchema, {
    summary: 'End the contract (契約終了)',
    description: 'Actor: either party, or support. The contract ends once the current work week is settled; what escrow then holds is refunded.',
  })
  end(@Param('contractId') contractId: string, @Body() body: EndHourlyContractDto, @Command() context: CommandContext): Promise<HourlyContractResponse> {
    return this.run({ type: 'EndHourlyContract', ...base(contractId, context), ...body }, context);
  }

  @Get(':contractId')
  @Access.work('hourly', 'contractId')
  @ApiOperation({ summary: 'Current state of an hourly contract: its weeks, money and revision' })
  @QueryResponses(HourlyContractResponseSchema)
  get(@Param('contractId') contractId: string): Promise<HourlyContractResponse> {
    return this.queries.execute(new GetHourlyContractQuery(contractId));
  }

  @Get(':contractId/history')
  @Access.work('hourly', 'contractId')
  @ApiOperation({
    summary: 'Every event of the hourly contract with the state, the money per week and the postings after it',
    description: 'money.lines: the prepaid line (prepayments and the final refund) and one line per paid week (week-YYYY-MM-DD). See docs/formats.md.',
  })
  @QueryResponses(FormatHistorySchema)
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'A stream revision (a whole number) or an ISO-8601 instant: the history and state up to it',
    schema: { type: 'string', pattern: REVISION_OR_INSTANT, maxLength: MAX_INSTANT_LENGTH },
  })
  history(@Param('contractId') contractId: string, @Query('asOf') asOf?: string): Promise<FormatHistory<object>> {
    return this.queries.execute(new GetHourlyHistoryQuery(contractId, asOf));
  }
}

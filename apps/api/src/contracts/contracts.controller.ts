import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ContractCommand } from '@escrow/domain/contract';
import { newIdFor } from '../commands/envelope';
import { Command, CommandContext } from '../http/command-context';
import { BusController } from '../http/bus-controller';
import { CommandRoute } from '../http/decorators';
import { QueryResponses } from '../http/openapi/operation-responses';
import { ContractResponseSchema } from './contract.responses';
import { ContractHistoryDiffSchema, ContractHistorySchema } from './contract-history.responses';
import { ContractHistory, ContractHistoryDiff, GetContractDiffQuery, GetContractHistoryQuery } from './contract-history';
import { ReadQuery } from '../projections/read-query';
import { asOfBreach } from '@escrow/projections/contract-history/contract-history';
import { badRequest } from '../http/problem';
import { MAX_INSTANT_LENGTH } from '@escrow/domain/shared/limits';

/** asOf: a stream revision, a calendar date or an instant (checked in full by asOfBreach). */
const REVISION_OR_INSTANT = '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T.+)?)$';
/** The largest stream revision a query takes: 15 digits, as asOf. */
const MAX_REVISION = 999_999_999_999_999;
import { refuseFieldsNotForRole } from '../http/validation';
import {
  AmendOfferDto,
  ContactReminderDto,
  DeliverDto,
  EmptyDto,
  InspectDto,
  OfferContractDto,
  OptionalReasonDto,
  PrepayDto,
  ProposeTermsChangeDto,
  ReasonDto,
  RefundDto,
  TerminationDto,
} from './contract.dto';
import { ContractResponse, ExecuteContractCommand, GetContractQuery, commandBase } from './contract-commands';

@ApiTags('contracts')
@Controller('v1/contracts')
export class ContractsController extends BusController {
  private run(command: ContractCommand, context: CommandContext): Promise<ContractResponse> {
    return this.commands.execute(new ExecuteContractCommand(command, context));
  }

  @CommandRoute('/', 201, ContractResponseSchema, { summary: 'Offer a contract (オファー)', description: 'Actor: the client. Returns the contract with its new id and milestone ids.' })
  offer(@Body() body: OfferContractDto, @Command() context: CommandContext): Promise<ContractResponse> {
    const contractId = newIdFor(context, 'contract');
    return this.run(
      {
        type: 'OfferContract',
        ...commandBase(contractId, context),
        clientId: body.clientId,
        workerId: body.workerId,
        title: body.title,
        milestones: body.milestones.map((m, i) => ({ ...m, milestoneId: newIdFor(context, `milestone:${i}`) })),
        ...(body.feeSchedule !== undefined ? { feeScheduleId: body.feeSchedule } : {}),
      },
      context,
    );
  }

  @CommandRoute(':contractId/amend', 200, ContractResponseSchema, { summary: 'Amend the open offer', description: 'Actor: the client, before acceptance.' })
  amend(@Param('contractId') contractId: string, @Body() body: AmendOfferDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run(
      {
        type: 'AmendOffer',
        ...commandBase(contractId, context),
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.milestones ? { milestones: body.milestones.map((m, i) => ({ ...m, milestoneId: newIdFor(context, `milestone:${i}`) })) } : {}),
        ...(body.feeSchedule !== undefined ? { feeScheduleId: body.feeSchedule } : {}),
      },
      context,
    );
  }

  @CommandRoute(':contractId/withdraw', 200, ContractResponseSchema, { summary: 'Withdraw the offer', description: 'Actor: the client, before acceptance.' })
  withdraw(@Param('contractId') contractId: string, @Body() body: OptionalReasonDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'WithdrawOffer', ...commandBase(contractId, context), ...body }, context);
  }

  @CommandRoute(':contractId/decline', 200, ContractResponseSchema, { summary: 'Decline the offer', description: 'Actor: the worker, before acceptance.' })
  decline(@Param('contractId') contractId: string, @Body() body: OptionalReasonDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'DeclineOffer', ...commandBase(contractId, context), ...body }, context);
  }

  @CommandRoute(':contractId/accept', 200, ContractResponseSchema, { summary: 'Accept the offer (契約成立)', description: 'Actor: the worker. Fixes the fee schedule and tax rate.' })
  accept(@Param('contractId') contractId: string, @Body() _body: EmptyDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'AcceptOffer', ...commandBase(contractId, context) }, context);
  }

  @CommandRoute(':contractId/milestones/:milestoneId/prepay', 200, ContractResponseSchema, { summary: 'Prepay a milestone into escrow (仮払い)', description: 'Actor: the client, with the exact gross.' })
  prepay(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: PrepayDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'FundMilestone', ...commandBase(contractId, context), milestoneId, ...body }, context);
  }

  @CommandRoute(':contractId/milestones/:milestoneId/deliver', 200, ContractResponseSchema, { summary: 'Deliver a funded milestone (納品)', description: 'Actor: the worker.' })
  deliver(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: DeliverDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'DeliverMilestone', ...commandBase(contractId, context), milestoneId, ...body }, context);
  }

  @CommandRoute(':contractId/milestones/:milestoneId/request-revision', 200, ContractResponseSchema, { summary: 'Request a revision of the delivery (修正依頼)', description: 'Actor: the client.' })
  requestRevision(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: ReasonDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'RequestRevision', ...commandBase(contractId, context), milestoneId, reason: body.reason }, context);
  }

  @CommandRoute(':contractId/milestones/:milestoneId/inspect', 200, ContractResponseSchema, {
    summary: 'Accept the delivery (検収)',
    description:
      'Actor: the client; or support, with a reason, when the client has been silent for 7 days after delivery. ' +
      'reason is support\'s only: from another role it is a 400.',
  })
  inspect(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: InspectDto, @Command() context: CommandContext): Promise<ContractResponse> {
    const base = { ...commandBase(contractId, context), milestoneId };
    refuseFieldsNotForRole(body, context.actor.role, { reason: ['support'] });
    if (context.actor.role === 'support' && body.reason === undefined) {
      throw badRequest([{ field: 'reason', rule: 'requiredForSupport', message: 'reason is required when support inspects on the client\'s behalf' }]);
    }
    return this.run(
      context.actor.role === 'support'
        ? { type: 'SupportInspectMilestone', ...base, reason: body.reason ?? '' }
        : { type: 'InspectMilestone', ...base },
      context,
    );
  }

  @CommandRoute(':contractId/milestones/:milestoneId/payout', 200, ContractResponseSchema, { summary: 'Release the escrow of an inspected milestone (報酬支払い)', description: 'Actor role: system (settlement).' })
  payout(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() _body: EmptyDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'PayOutMilestone', ...commandBase(contractId, context), milestoneId }, context);
  }

  @CommandRoute(':contractId/milestones/:milestoneId/refund', 200, ContractResponseSchema, { summary: 'Refund escrow to the client (返金)', description: 'Actor role: support or system, with a reason.' })
  refund(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: RefundDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'RefundMilestone', ...commandBase(contractId, context), milestoneId, ...body }, context);
  }

  @CommandRoute(':contractId/terms-changes', 201, ContractResponseSchema, { summary: 'Propose a change of terms (条件変更)', description: 'Actor: either party, after acceptance.' })
  proposeTermsChange(@Param('contractId') contractId: string, @Body() body: ProposeTermsChangeDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run(
      {
        type: 'ProposeTermsChange',
        ...commandBase(contractId, context),
        changeId: newIdFor(context, 'terms-change'),
        changes: body.changes,
        newMilestones: (body.newMilestones ?? []).map((m, i) => ({ ...m, milestoneId: newIdFor(context, `milestone:${i}`) })),
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
      },
      context,
    );
  }

  @CommandRoute(':contractId/terms-changes/:changeId/accept', 200, ContractResponseSchema, { summary: 'Accept the counterparty\'s change of terms' })
  acceptTermsChange(@Param('contractId') contractId: string, @Param('changeId') changeId: string, @Body() _body: EmptyDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'AcceptTermsChange', ...commandBase(contractId, context), changeId }, context);
  }

  @CommandRoute(':contractId/terms-changes/:changeId/reject', 200, ContractResponseSchema, { summary: 'Reject the counterparty\'s change of terms' })
  rejectTermsChange(@Param('contractId') contractId: string, @Param('changeId') changeId: string, @Body() body: OptionalReasonDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'RejectTermsChange', ...commandBase(contractId, context), changeId, ...body }, context);
  }

  @CommandRoute(':contractId/termination', 200, ContractResponseSchema, {
    summary: 'Request termination (契約途中終了)',
    description:
      'Actor: either party (the counterparty then accepts or rejects); or support, which terminates at once with optional splits. ' +
      'splits are support\'s only: from another role they are a 400.',
  })
  terminate(@Param('contractId') contractId: string, @Body() body: TerminationDto, @Command() context: CommandContext): Promise<ContractResponse> {
    const base = commandBase(contractId, context);
    refuseFieldsNotForRole(body, context.actor.role, { splits: ['support'] });
    return this.run(
      context.actor.role === 'support'
        ? { type: 'SupportTerminate', ...base, reason: body.reason, splits: body.splits ?? [] }
        : { type: 'RequestTermination', ...base, reason: body.reason },
      context,
    );
  }

  @CommandRoute(':contractId/termination/accept', 200, ContractResponseSchema, { summary: 'Accept the counterparty\'s termination request' })
  acceptTermination(@Param('contractId') contractId: string, @Body() _body: EmptyDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'AcceptTermination', ...commandBase(contractId, context) }, context);
  }

  @CommandRoute(':contractId/termination/reject', 200, ContractResponseSchema, { summary: 'Reject the counterparty\'s termination request' })
  rejectTermination(@Param('contractId') contractId: string, @Body() body: OptionalReasonDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'RejectTermination', ...commandBase(contractId, context), ...body }, context);
  }

  @CommandRoute(':contractId/contact-reminders', 201, ContractResponseSchema, { summary: 'Ask support to prompt an unresponsive counterparty (連絡催促申請)', description: 'Actor: either party, while active.' })
  requestContactReminder(@Param('contractId') contractId: string, @Body() body: ContactReminderDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'RequestContactReminder', ...commandBase(contractId, context), reminderId: newIdFor(context, 'reminder'), ...body }, context);
  }

  @CommandRoute(':contractId/contact-reminders/:reminderId/approve', 200, ContractResponseSchema, { summary: 'Approve a contact reminder', description: 'Actor role: support.' })
  approveContactReminder(@Param('contractId') contractId: string, @Param('reminderId') reminderId: string, @Body() body: OptionalReasonDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'ApproveContactReminder', ...commandBase(contractId, context), reminderId, ...body }, context);
  }

  @CommandRoute(':contractId/contact-reminders/:reminderId/deny', 200, ContractResponseSchema, { summary: 'Deny a contact reminder', description: 'Actor role: support, with a reason.' })
  denyContactReminder(@Param('contractId') contractId: string, @Param('reminderId') reminderId: string, @Body() body: ReasonDto, @Command() context: CommandContext): Promise<ContractResponse> {
    return this.run({ type: 'DenyContactReminder', ...commandBase(contractId, context), reminderId, reason: body.reason }, context);
  }

  @Get(':contractId')
  @Access.contract('contractId')
  @ApiOperation({ summary: 'Current state of a contract, its milestones, amounts and revision' })
  @QueryResponses(ContractResponseSchema)
  get(@Param('contractId') contractId: string): Promise<ContractResponse> {
    return this.queries.execute(new GetContractQuery(contractId));
  }

  @Get(':contractId/history')
  @Access.contract('contractId')
  @ApiOperation({
    summary: 'Every event of the contract: who did it and through which service, the state and money after it, the postings it caused',
    description:
      'Each event comes with the whole contract after it (after), its money sheet per milestone (money: funded, in escrow, paid out ' +
      'with fee and net, refunded, cancelled), the ledger postings it caused and what it changed (changes). See docs/support.md.',
  })
  @QueryResponses(ContractHistorySchema)
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'A stream revision (a whole number) or an ISO-8601 instant: the history and state up to it',
    schema: { type: 'string', pattern: REVISION_OR_INSTANT, maxLength: MAX_INSTANT_LENGTH },
  })
  history(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): Promise<ContractHistory> {
    // Like every read, an unknown or repeated parameter is refused rather than silently read as the whole history.
    const read = new ReadQuery(query, ['asOf']);
    const asOf = read.text('asOf');
    const breach = asOf === undefined ? undefined : asOfBreach(asOf);
    if (breach) read.fail('asOf', breach.rule, breach.message);
    read.done();
    return this.queries.execute(new GetContractHistoryQuery(contractId, asOf));
  }

  @Get(':contractId/history/diff')
  @Access.contract('contractId')
  @ApiOperation({
    summary: 'What changed in the contract from one revision to another',
    description:
      'Names the status, the money totals, each milestone (status, money, title and due date) and the other facts that changed ' +
      'from revision from to revision to (the last when omitted), and the events between. See docs/support.md.',
  })
  @QueryResponses(ContractHistoryDiffSchema)
  @ApiQuery({ name: 'from', required: true, description: 'The stream revision compared from', schema: { type: 'integer', minimum: 0, maximum: MAX_REVISION } })
  @ApiQuery({ name: 'to', required: false, description: 'The stream revision compared to; the last when omitted', schema: { type: 'integer', minimum: 0, maximum: MAX_REVISION } })
  diff(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): Promise<ContractHistoryDiff> {
    const read = new ReadQuery(query, ['from', 'to']);
    if (query.from === undefined) read.fail('from', 'required', 'from is required: the stream revision to compare from');
    const from = read.integer('from', { default: 0, max: MAX_REVISION });
    const to = query.to === undefined ? undefined : read.integer('to', { default: 0, max: MAX_REVISION });
    read.done();
    return this.queries.execute(new GetContractDiffQuery(contractId, from, to));
  }
}

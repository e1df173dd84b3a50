import { Body, Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  type CompetitionCommand,
  type CompetitionEvent,
  competitionStreamId,
  competitionView,
  evolveCompetition,
  initialCompetitionState,
  mayReadCompetitionHistory,
} from '@escrow/domain/competition';
import { MAX_INSTANT_LENGTH } from '@escrow/domain/shared/limits';
import type { FormatFold, FormatHistory } from '@escrow/projections/format-history/format-history';
import { Access } from '../auth/access-policy';
import { CommandExecutor } from '../commands/command-executor';
import { newIdFor } from '../commands/envelope';
import { EmptyDto, PrepayDto } from '../contracts/contract.dto';
import { FormatHistorySchema } from '../formats/format-history.responses';
import { readFormatHistory } from '../formats/format-history';
import { BusController } from '../http/bus-controller';
import { Command, CommandContext } from '../http/command-context';
import { CommandRoute } from '../http/decorators';
import { QueryResponses } from '../http/openapi/operation-responses';
import { badRequest, ProblemError } from '../http/problem';
import { refuseFieldsNotForRole } from '../http/validation';
import { CompetitionResponse, ExecuteCompetitionCommand, GetCompetitionQuery, competitionAggregate, competitionNotFound } from './competition-commands';
import { AdoptProposalDto, CloseCompetitionDto, DraftCompetitionDto, SubmitProposalDto } from './competition.dto';
import { CompetitionResponseSchema } from './competition.responses';

/** asOf: a stream revision, a calendar date or an instant (checked in full by the history read). */
const REVISION_OR_INSTANT = '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T.+)?)$';

const COMPETITION_FOLD: FormatFold<ReturnType<typeof initialCompetitionState>, NonNullable<ReturnType<typeof competitionView>>> = {
  format: 'competition',
  initialState: initialCompetitionState,
  evolve: (state, event) => evolveCompetition(state, event as CompetitionEvent),
  view: competitionView,
};

const base = (competitionId: string, context: CommandContext) => ({ competitionId, actor: context.actor, at: context.at });

@ApiTags('competitions')
@Controller('v1/competitions')
export class CompetitionsController extends BusController {
  /** The history reads the stream whole, as every format's history route does. */
  @Inject(CommandExecutor) private readonly executor!: CommandExecutor;

  private run(command: CompetitionCommand, context: CommandContext): Promise<CompetitionResponse> {
    return this.commands.execute(new ExecuteCompetitionCommand(command, context));
  }

  @CommandRoute('/', 201, CompetitionResponseSchema, { summary: 'Draft a competition (コンペ)', description: 'Actor: the client. Fixes the prize gross (tax at the rate in force), the fee schedule and the deadline.' })
  draft(@Body() body: DraftCompetitionDto, @Command() context: CommandContext): Promise<CompetitionResponse> {
    const { feeSchedule, ...terms } = body;
    return this.run({ type: 'DraftCompetition', ...base(newIdFor(context, 'competition'), context), ...terms, ...(feeSchedule !== undefined ? { feeScheduleId: feeSchedule } : {}) }, context);
  }

  @CommandRoute(':competitionId/prepay', 200, CompetitionResponseSchema, { summary: 'Prepay the prize into escrow (仮払い)', description: 'Actor: the client, with the exact prize gross, before publishing.' })
  prepay(@Param('competitionId') competitionId: string, @Body() body: PrepayDto, @Command() context: CommandContext): Promise<CompetitionResponse> {
    return this.run({ type: 'PrepayPrize', ...base(competitionId, context), ...body }, context);
  }

  @CommandRoute(':competitionId/publish', 200, CompetitionResponseSchema, { summary: 'Publish the competition', description: 'Actor: the client, once the prize is prepaid and before the deadline.' })
  publish(@Param('competitionId') competitionId: string, @Body() _body: EmptyDto, @Command() context: CommandContext): Promise<CompetitionResponse> {
    return this.run({ type: 'PublishCompetition', ...base(competitionId, context) }, context);
  }

  @CommandRoute(':competitionId/proposals', 201, CompetitionResponseSchema, {
    summary: 'Submit a proposal with the work (応募)',
    description: 'Actor: a worker (not the client), before the deadline; at most 5 per worker. Answers with the worker\'s own proposals only.',
  })
  submit(@Param('competitionId') competitionId: string, @Body() body: SubmitProposalDto, @Command() context: CommandContext): Promise<CompetitionResponse> {
    return this.run({ type: 'SubmitProposal', ...base(competitionId, context), proposalId: newIdFor(context, 'proposal'), ...body }, context);
  }

  @CommandRoute(':competitionId/proposals/:proposalId/adopt', 200, CompetitionResponseSchema, {
    summary: 'Adopt a proposal (採用): its worker is paid the prize at once',
    description: 'Actor: the client. The first adoption uses the prize prepaid before publishing; every further one must carry the prepayment of its prize.',
  })
  adopt(@Param('competitionId') competitionId: string, @Param('proposalId') proposalId: string, @Body() body: AdoptProposalDto, @Command() context: CommandContext): Promise<CompetitionResponse> {
    return this.run({ type: 'AdoptProposal', ...base(competitionId, context), proposalId, ...(body.prepayment ? { prepayment: { ...body.prepayment } } : {}) }, context);
  }

  @CommandRoute(':competitionId/close', 200, CompetitionResponseSchema, {
    summary: 'Close the competition; an unadopted prize is refunded as docs/formats.md says',
    description:
      'Actor: the client (a draft, or after an adoption, or after the deadline with no proposal); or support with a reason, after the deadline ' +
      'and without an adoption, finding that no proposal met the brief. reason is support\'s only: from another role it is a 400.',
  })
  close(@Param('competitionId') competitionId: string, @Body() body: CloseCompetitionDto, @Command() context: CommandContext): Promise<CompetitionResponse> {
    refuseFieldsNotForRole(body, context.actor.role, { reason: ['support'] });
    if (context.actor.role === 'support') {
      if (body.reason === undefined) throw badRequest([{ field: 'reason', rule: 'requiredForSupport', message: 'reason is required when support closes a competition' }]);
      return this.run({ type: 'CloseWithoutAdoption', ...base(competitionId, context), reason: body.reason }, context);
    }
    return this.run({ type: 'CloseCompetition', ...base(competitionId, context) }, context);
  }

  @Get(':competitionId')
  @Access.work('competition', 'competitionId')
  @ApiOperation({
    summary: 'A competition: its prizes, proposals, adoptions and escrow',
    description: 'Read by its client and staff whole; by a worker who entered it with their own proposals only.',
  })
  @QueryResponses(CompetitionResponseSchema)
  get(@Param('competitionId') competitionId: string, @Command() context: CommandContext): Promise<CompetitionResponse> {
    return this.queries.execute(new GetCompetitionQuery(competitionId, context.actor));
  }

  @Get(':competitionId/history')
  @Access.work('competition', 'competitionId')
  @ApiOperation({
    summary: 'Every event of the competition with the state, the money per prize and the ledger postings after it',
    description:
      'Money lines are the prizes (prize-1, prize-2, …): prepaid, paid out with fee and net on adoption, or refunded. Read by the client and staff: ' +
      'it holds every proposal whole. See docs/formats.md.',
  })
  @QueryResponses(FormatHistorySchema)
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'A stream revision (a whole number) or an ISO-8601 instant: the history and state up to it',
    schema: { type: 'string', pattern: REVISION_OR_INSTANT, maxLength: MAX_INSTANT_LENGTH },
  })
  async history(@Param('competitionId') competitionId: string, @Command() context: CommandContext, @Query('asOf') asOf?: string): Promise<FormatHistory<object>> {
    const current = await this.executor.read(competitionAggregate, competitionStreamId(competitionId));
    if (current && !mayReadCompetitionHistory(context.actor, current.state)) {
      throw new ProblemError(403, 'NOT_A_PARTY', 'Forbidden', `Only the client of competition ${competitionId} and staff may read its history, which holds every proposal.`);
    }
    return readFormatHistory(this.executor, {
      fold: COMPETITION_FOLD,
      streamId: competitionStreamId(competitionId),
      id: competitionId,
      ...(asOf !== undefined ? { asOf } : {}),
      notFound: () => competitionNotFound(competitionId),
    });
  }
}

import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryResponses, UntypedReadResponses } from '../http/openapi/operation-responses';
import { ClientCompletionRateSchema, WorkerCompletionRateSchema } from './read-model.responses';
import { EnumQuery, LimitQuery, PositionQuery } from '../http/openapi/query-parameters';
import type { ContractStatus } from '@escrow/domain/contract';
import { COMPLETION_RATES_PROJECTION, CompletionParty } from '@escrow/projections/completion-rates/completion-rates.projection';
import type { CompletionRate } from '@escrow/projections/completion-rates/completion-rate';
import { CompletionRateQueries } from '@escrow/projections/completion-rates/completion-rates.queries';
import { CONTRACT_SUMMARIES_PROJECTION } from '@escrow/projections/contract-summaries/contract-summaries.projection';
import { ContractList, ContractSummaryQueries } from '@escrow/projections/contract-summaries/contract-summaries.queries';
import { stacked } from '../http/decorators';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';

export type ClientCompletionRate = CompletionRate & { clientId: string };
export type WorkerCompletionRate = CompletionRate & { workerId: string };

export const DEFAULT_CONTRACT_PAGE = 50;
export const MAX_CONTRACT_PAGE = 500;
const CONTRACT_STATUSES: readonly ContractStatus[] = ['offered', 'active', 'completed', 'terminated', 'declined', 'withdrawn'];

/** Read models per client and per worker: completion rate (プロジェクト完了率) and contract lists. */
abstract class PartyReadModels {
  constructor(
    private readonly party: CompletionParty,
    private readonly rates: CompletionRateQueries,
    private readonly summaries: ContractSummaryQueries,
  ) {}

  protected rate(id: string, query: Record<string, unknown>): CompletionRate {
    new ReadQuery(query, []).done();
    return this.rates.rateOf(this.party, id);
  }

  protected contracts(id: string, query: Record<string, unknown>): ContractList {
    const read = new ReadQuery(query, ['status', 'after', 'limit']);
    const status = read.oneOf('status', CONTRACT_STATUSES);
    const after = read.integer('after', { default: 0 });
    const limit = read.integer('limit', { default: DEFAULT_CONTRACT_PAGE, min: 1, max: MAX_CONTRACT_PAGE });
    read.done();
    return this.summaries.list(this.party, id, { after, limit, status });
  }
}

const RATE_DESCRIPTION =
  'completed / ended, where ended = completed + terminated. rate is a decimal string truncated to at most 4 decimals, ' +
  'null when nothing has ended; atLeast90 flags a rate of 90 % or more.';

/** The routes both parties have: a completion rate any authenticated caller may read, */
const CompletionRateRoute = (summary: string) =>
  stacked(Get('completion-rate'), Access.authenticated(), AwaitsProjections(COMPLETION_RATES_PROJECTION), ApiOperation({ summary, description: RATE_DESCRIPTION }));

/** and a list of contracts only the party (or staff) may read. */
const ContractListRoute = (partyParam: string, summary: string) =>
  stacked(
    Get('contracts'),
    Access.account(partyParam),
    AwaitsProjections(CONTRACT_SUMMARIES_PROJECTION),
    ApiOperation({ summary }),
    UntypedReadResponses(),
    EnumQuery('status', CONTRACT_STATUSES, 'Only contracts in this status'),
    PositionQuery('after', "The previous page's nextAfter"),
    LimitQuery(MAX_CONTRACT_PAGE, DEFAULT_CONTRACT_PAGE, `1 to ${MAX_CONTRACT_PAGE} (default ${DEFAULT_CONTRACT_PAGE})`),
  );

@ApiTags('clients')
@Controller('v1/clients/:clientId')
export class ClientReadModelsController extends PartyReadModels {
  constructor(@Inject(CompletionRateQueries) rates: CompletionRateQueries, @Inject(ContractSummaryQueries) summaries: ContractSummaryQueries) {
    super('client', rates, summaries);
  }

  @CompletionRateRoute("The client's project completion rate (プロジェクト完了率)")
  @QueryResponses(ClientCompletionRateSchema)
  completionRate(@Param('clientId') clientId: string, @Query() query: Record<string, unknown>): ClientCompletionRate {
    return { clientId, ...this.rate(clientId, query) };
  }

  @ContractListRoute('clientId', "The client's contracts, oldest offer first, with status and money totals")
  contractList(@Param('clientId') clientId: string, @Query() query: Record<string, unknown>) {
    return { clientId, ...this.contracts(clientId, query) };
  }
}

@ApiTags('workers')
@Controller('v1/workers/:workerId')
export class WorkerReadModelsController extends PartyReadModels {
  constructor(@Inject(CompletionRateQueries) rates: CompletionRateQueries, @Inject(ContractSummaryQueries) summaries: ContractSummaryQueries) {
    super('worker', rates, summaries);
  }

  @CompletionRateRoute("The worker's project completion rate")
  @QueryResponses(WorkerCompletionRateSchema)
  completionRate(@Param('workerId') workerId: string, @Query() query: Record<string, unknown>): WorkerCompletionRate {
    return { workerId, ...this.rate(workerId, query) };
  }

  @ContractListRoute('workerId', "The worker's contracts, oldest offer first, with status and money totals")
  contractList(@Param('workerId') workerId: string, @Query() query: Record<string, unknown>) {
    return { workerId, ...this.contracts(workerId, query) };
  }
}

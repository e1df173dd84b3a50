import { Controller, Get, Inject, Param, Query, type Type } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ClientCompletionRateSchema, WorkerCompletionRateSchema } from './read-model.responses';
import { CONTRACT_STATUSES } from '@escrow/domain/contract';
import { COMPLETION_RATES_PROJECTION, CompletionParty } from '@escrow/projections/completion-rates/completion-rates.projection';
import type { CompletionRate } from '@escrow/projections/completion-rates/completion-rate';
import { CompletionRateQueries } from '@escrow/projections/completion-rates/completion-rates.queries';
import { CONTRACT_SUMMARIES_PROJECTION } from '@escrow/projections/contract-summaries/contract-summaries.projection';
import { ContractSummary, ContractSummaryQueries } from '@escrow/projections/contract-summaries/contract-summaries.queries';
import { stacked } from '../http/decorators';
import { encodeCursor, positionCursor } from '../http/list-cursor';
import { ListPage, PAGE_PARAMETERS, readPage } from '../http/list-page';
import { ListResponses, PageParameters, QueryResponses } from '../http/openapi/operation-responses';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';
import { ClientContractsPageSchema, ContractSummarySchema, WorkerContractsPageSchema } from './contract-list.responses';

export type ClientCompletionRate = CompletionRate & { clientId: string };
export type WorkerCompletionRate = CompletionRate & { workerId: string };

export const CONTRACT_PAGE = { default: 50, max: 500 };
/** Contracts are listed by the global position of their first event: it never changes, and new contracts come after. */
const CONTRACTS_CURSOR = positionCursor('contracts');

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

  protected contracts(id: string, query: Record<string, unknown>): ListPage<ContractSummary> {
    const read = new ReadQuery(query, ['status', ...PAGE_PARAMETERS]);
    const status = read.oneOf('status', CONTRACT_STATUSES);
    const page = readPage(query, read, CONTRACTS_CURSOR, CONTRACT_PAGE);
    read.done();
    const { contracts, nextAfter } = this.summaries.list(this.party, id, { after: page.after ?? 0, limit: page.limit, status });
    return { data: contracts, nextCursor: nextAfter === null ? null : encodeCursor(CONTRACTS_CURSOR, nextAfter) };
  }
}

const RATE_DESCRIPTION =
  'completed / ended, where ended = completed + terminated. rate is a decimal string truncated to at most 4 decimals, ' +
  'null when nothing has ended; atLeast90 flags a rate of 90 % or more.';

/** The routes both parties have: a completion rate any authenticated caller may read, */
const CompletionRateRoute = (summary: string) =>
  stacked(
    Get('completion-rate'),
    Access.authenticated(),
    AwaitsProjections(COMPLETION_RATES_PROJECTION),
    ApiOperation({ summary, description: RATE_DESCRIPTION }),
  );

/** and a list of contracts only the party (or staff) may read. */
const ContractListRoute = (partyParam: string, summary: string, page: Type<unknown>) =>
  stacked(
    Get('contracts'),
    Access.account(partyParam),
    AwaitsProjections(CONTRACT_SUMMARIES_PROJECTION),
    ApiOperation({ summary }),
    ApiQuery({ name: 'status', required: false, enum: CONTRACT_STATUSES }),
    PageParameters(CONTRACT_PAGE),
    ListResponses(ContractSummarySchema, { page }),
  );

@ApiTags('clients')
@Controller('v1/clients/:clientId')
export class ClientReadModelsController extends PartyReadModels {
  constructor(
    @Inject(CompletionRateQueries) rates: CompletionRateQueries,
    @Inject(ContractSummaryQueries) summaries: ContractSummaryQueries,
  ) {
    super('client', rates, summaries);
  }

  @CompletionRateRoute("The client's project completion rate (プロジェクト完了率)")
  @QueryResponses(ClientCompletionRateSchema)
  completionRate(@Param('clientId') clientId: string, @Query() query: Record<string, unknown>): ClientCompletionRate {
    return { clientId, ...this.rate(clientId, query) };
  }

  @ContractListRoute('clientId', "The client's contracts, oldest offer first, with status and money totals", ClientContractsPageSchema)
  contractList(@Param('clientId') clientId: string, @Query() query: Record<string, unknown>): ClientContractsPageSchema {
    return { clientId, ...this.contracts(clientId, query) };
  }
}

@ApiTags('workers')
@Controller('v1/workers/:workerId')
export class WorkerReadModelsController extends PartyReadModels {
  constructor(
    @Inject(CompletionRateQueries) rates: CompletionRateQueries,
    @Inject(ContractSummaryQueries) summaries: ContractSummaryQueries,
  ) {
    super('worker', rates, summaries);
  }

  @CompletionRateRoute("The worker's project completion rate")
  @QueryResponses(WorkerCompletionRateSchema)
  completionRate(@Param('workerId') workerId: string, @Query() query: Record<string, unknown>): WorkerCompletionRate {
    return { workerId, ...this.rate(workerId, query) };
  }

  @ContractListRoute('workerId', "The worker's contracts, oldest offer first, with status and money totals", WorkerContractsPageSchema)
  contractList(@Param('workerId') workerId: string, @Query() query: Record<string, unknown>): WorkerContractsPageSchema {
    return { workerId, ...this.contracts(workerId, query) };
  }
}

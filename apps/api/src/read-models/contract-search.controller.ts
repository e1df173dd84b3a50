import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CONTRACT_STATUSES, MAX_MILESTONES } from '@escrow/domain/contract';
import { readsEverything } from '@escrow/domain/shared/access';
import { calendarDate, EARLIEST_DATE, LATEST_DATE } from '@escrow/domain/shared/field-rules';
import { ID_PATTERN, MAX_ID_LENGTH, MAX_MILESTONE_AMOUNT } from '@escrow/domain/shared/limits';
import { CONTRACT_SUMMARIES_PROJECTION } from '@escrow/projections/contract-summaries/contract-summaries.projection';
import { ContractSearch, ContractSummary, ContractSummaryQueries } from '@escrow/projections/contract-summaries/contract-summaries.queries';
import { Access } from '../auth/access-policy';
import { Command, CommandContext } from '../http/command-context';
import { positionCursor } from '../http/list-cursor';
import { ListPage, PAGE_PARAMETERS, pageOf, readPage } from '../http/list-page';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';
import { ContractSummarySchema } from './contract-list.responses';
import { CONTRACT_PAGE } from './party-read-models.controller';

/** The search's own cursor: a position in its order, never read by another list. */
const SEARCH_CURSOR = positionCursor('contract-search');
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = (text: string) => calendarDate(text, 'date') === undefined;
const ID_SCHEMA = { type: 'string', pattern: ID_PATTERN.source, maxLength: MAX_ID_LENGTH } as const;
const DAY_SCHEMA = { type: 'string', format: 'date' } as const;
/** The largest amount a contract can have: every milestone at its largest. */
const MAX_CONTRACT_AMOUNT = MAX_MILESTONES * MAX_MILESTONE_AMOUNT;
const AMOUNT_SCHEMA = { type: 'integer', minimum: 0, maximum: MAX_CONTRACT_AMOUNT } as const;

const PARTY_FILTERS = ['clientId', 'workerId', 'partyId'] as const;
const FILTERS = [...PARTY_FILTERS, 'status', 'offeredFrom', 'offeredTo', 'minAmount', 'maxAmount'] as const;

@ApiTags('contracts')
@Controller('v1/contracts')
@AwaitsProjections(CONTRACT_SUMMARIES_PROJECTION)
export class ContractSearchController {
  constructor(@Inject(ContractSummaryQueries) private readonly summaries: ContractSummaryQueries) {}

  @Get()
  @Access.authenticated()
  @ApiOperation({
    summary: 'Search contracts by party, status, day of the offer and amount, oldest offer first',
    description:
      'Support, system and auditor search every contract; a user finds only the contracts they are party to (client or ' +
      'worker), whatever the filters name: naming another account narrows the search, it never widens it. Every filter ' +
      'given must match. See docs/support.md.',
  })
  @ApiQuery({ name: 'clientId', required: false, schema: ID_SCHEMA, description: "The contract's client" })
  @ApiQuery({ name: 'workerId', required: false, schema: ID_SCHEMA, description: "The contract's worker" })
  @ApiQuery({ name: 'partyId', required: false, schema: ID_SCHEMA, description: 'An account that is either party' })
  @ApiQuery({ name: 'status', required: false, enum: CONTRACT_STATUSES })
  @ApiQuery({ name: 'offeredFrom', required: false, schema: DAY_SCHEMA, description: 'First day of the offer in Japan (JST), inclusive' })
  @ApiQuery({ name: 'offeredTo', required: false, schema: DAY_SCHEMA, description: 'Last day of the offer in Japan (JST), inclusive' })
  @ApiQuery({ name: 'minAmount', required: false, schema: AMOUNT_SCHEMA, description: 'Least tax-exclusive amount of the milestones not cancelled, in yen' })
  @ApiQuery({ name: 'maxAmount', required: false, schema: AMOUNT_SCHEMA, description: 'Greatest tax-exclusive amount of the milestones not cancelled, in yen' })
  @PageParameters(CONTRACT_PAGE)
  @ListResponses(ContractSummarySchema)
  search(@Command() context: CommandContext, @Query() query: Record<string, unknown>): ListPage<ContractSummary> {
    const read = new ReadQuery(query, [...FILTERS, ...PAGE_PARAMETERS]);
    const search: ContractSearch = {};
    for (const party of PARTY_FILTERS) search[party] = read.matching(party, ID_PATTERN, `an account id (${ID_PATTERN.source})`);
    search.status = read.oneOf('status', CONTRACT_STATUSES);
    const dayRule = `a real date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}`;
    search.offeredFrom = read.matching('offeredFrom', DAY, dayRule, isCalendarDate);
    search.offeredTo = read.matching('offeredTo', DAY, dayRule, isCalendarDate);
    if (search.offeredFrom !== undefined && search.offeredTo !== undefined && search.offeredFrom > search.offeredTo) {
      read.fail('offeredTo', 'notBeforeFrom', 'offeredTo must not be before offeredFrom');
    }
    search.minAmount = query.minAmount === undefined ? undefined : read.integer('minAmount', { default: 0, max: MAX_CONTRACT_AMOUNT });
    search.maxAmount = query.maxAmount === undefined ? undefined : read.integer('maxAmount', { default: 0, max: MAX_CONTRACT_AMOUNT });
    if (search.minAmount !== undefined && search.maxAmount !== undefined && search.minAmount > search.maxAmount) {
      read.fail('maxAmount', 'notBelowMinAmount', 'maxAmount must not be less than minAmount');
    }
    const page = readPage(query, read, SEARCH_CURSOR, CONTRACT_PAGE);
    read.done();
    // A user's search is scoped to their own contracts before any filter applies: nothing else is ever read for them.
    if (!readsEverything(context.actor)) search.visibleTo = context.actor.id;
    const rows = this.summaries.search(search, { after: page.after ?? 0, limit: page.limit });
    return pageOf(rows, page.limit, SEARCH_CURSOR, (summary) => summary.createdPosition);
  }
}

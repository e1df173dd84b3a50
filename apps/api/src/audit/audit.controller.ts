import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { positionCursor } from '../http/list-cursor';
import { PAGE_PARAMETERS, pageOf, readPage } from '../http/list-page';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { ReadQuery } from '../projections/read-query';
import { AuditPageSchema, RecordedEventSchema } from './audit.responses';

export class ReadAuditFeedQuery {
  constructor(
    readonly after: number,
    readonly limit: number,
  ) {}
}

export const AUDIT_PAGE = { default: 100, max: 1000 };
/** The feed is in global order: a position never changes, and new events come after. */
export const AUDIT_CURSOR = positionCursor('audit');

@QueryHandler(ReadAuditFeedQuery)
export class ReadAuditFeedQueryHandler implements IQueryHandler<ReadAuditFeedQuery, AuditPageSchema> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after, limit }: ReadAuditFeedQuery): Promise<AuditPageSchema> {
    const [events, headPosition] = await Promise.all([this.store.readAll({ after, maxCount: limit + 1 }), this.store.headPosition()]);
    return { ...pageOf(events, limit, AUDIT_CURSOR, (event) => event.position), headPosition };
  }
}

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('events')
  @Access.staff()
  @ApiOperation({
    summary: "The global event feed in store order, with every event's metadata, for auditors and subscribers",
    description:
      'nextCursor is null once the page reaches the head of the log; to go on reading as the log grows, pass the position of ' +
      'the last event received as after (or follow the live feed, GET /v1/events/stream).',
  })
  @ApiQuery({
    name: 'after',
    required: false,
    schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 },
    description: 'Global position to start after (exclusive); 0 from the start. Not with cursor',
  })
  @PageParameters(AUDIT_PAGE)
  @ListResponses(RecordedEventSchema, { page: AuditPageSchema })
  events(@Query() query: Record<string, unknown>): Promise<AuditPageSchema> {
    const read = new ReadQuery(query, ['after', ...PAGE_PARAMETERS]);
    const after = read.integer('after', { default: 0 });
    const page = readPage(query, read, AUDIT_CURSOR, AUDIT_PAGE);
    if (query.after !== undefined && query.cursor !== undefined)
      read.fail('after', 'notWithCursor', 'after and cursor may not be given together');
    read.done();
    return this.queries.execute(new ReadAuditFeedQuery(page.after ?? after, page.limit));
  }
}

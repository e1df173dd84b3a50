import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore, RecordedEvent } from '@escrow/event-store/port';
import { badRequest, FieldError } from '../http/problem';
import { UntypedReadResponses } from '../http/openapi/operation-responses';
import { LimitQuery, PositionQuery } from '../http/openapi/query-parameters';

export interface AuditPage {
  events: RecordedEvent[];
  /** Pass as `after` to read the next page; equal to the request's `after` when nothing newer exists. */
  nextAfter: number;
  headPosition: number;
}

export class ReadAuditFeedQuery {
  constructor(
    readonly after: number,
    readonly limit: number,
  ) {}
}

@QueryHandler(ReadAuditFeedQuery)
export class ReadAuditFeedQueryHandler implements IQueryHandler<ReadAuditFeedQuery, AuditPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after, limit }: ReadAuditFeedQuery): Promise<AuditPage> {
    const [events, headPosition] = await Promise.all([this.store.readAll({ after, maxCount: limit }), this.store.headPosition()]);
    return { events, nextAfter: events.at(-1)?.position ?? after, headPosition };
  }
}

const MAX_PAGE = 1000;

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('events')
  @Access.staff()
  @ApiOperation({ summary: 'The global event feed in store order, with every event\'s metadata, for auditors and subscribers' })
  @UntypedReadResponses()
  @PositionQuery('after', 'Global position to read after (exclusive); 0 from the start')
  @LimitQuery(MAX_PAGE, 100, `Page size, 1 to ${MAX_PAGE} (default 100)`)
  events(@Query('after') after = '0', @Query('limit') limit = '100'): Promise<AuditPage> {
    const errors: FieldError[] = [];
    if (!/^\d{1,15}$/.test(after)) errors.push({ field: 'after', rule: 'isInt', message: 'after must be a non-negative integer position' });
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE) {
      errors.push({ field: 'limit', rule: 'range', message: `limit must be an integer from 1 to ${MAX_PAGE}` });
    }
    if (errors.length > 0) throw badRequest(errors);
    return this.queries.execute(new ReadAuditFeedQuery(Number(after), Number(limit)));
  }
}

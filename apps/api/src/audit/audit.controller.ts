import { Controller, Get, Inject, Logger, Optional, Req, Res } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { negotiate } from '../http/content-negotiation';
import { AlternativeContent, textBody } from '../http/openapi/alternative-content';
import { PatternQuery, PositionQuery } from '../http/openapi/query-parameters';
import { ExportSlots } from '../http/export-slots';
import { StreamedBody } from '../http/streamed-body';
import { ShutdownCoordinator } from '../observability/shutdown';
import { FEED_CATEGORIES, MAX_LISTED_TYPES } from '../event-feed/feed-filter';
import { EventExportRequest, EXPORT_ONLY_PARAMETERS, parseEventExportRequest, STREAM_ID_PATTERN } from './event-export-request';
import { NDJSON, streamEventExport } from './event-export';
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

/** A comma-separated list of names (checked against the known ones when read). */
const LIST_OF_WORDS = /^[A-Za-z][A-Za-z0-9_-]*(,[A-Za-z][A-Za-z0-9_-]*)*$/;
const INSTANT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T.+$';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  private readonly logger = new Logger('AuditExport');

  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ExportSlots) private readonly exportSlots: ExportSlots,
    @Optional() @Inject(ShutdownCoordinator) private readonly shutdown?: ShutdownCoordinator,
  ) {}

  @Get('events')
  @Access.staff()
  @ApiOperation({
    summary: "The global event feed in store order, with every event's metadata, for auditors and subscribers; or all of it as NDJSON",
    description:
      'As JSON (the default): pages; nextCursor is null once the page reaches the head of the log; to go on reading as the log grows, ' +
      'pass the position of the last event received as after (or follow the live feed, GET /v1/events/stream). ' +
      'With `Accept: application/x-ndjson`: an export, one event per line as stored (position, streamId, revision, id, type, data, ' +
      'metadata, recordedAt), over the positions after `after` through `through` (the head when the export starts, named in ' +
      'X-Export-Through-Position), filtered by recordedAt, stream, category and type, with no page cap. At most EXPORT_MAX_CONCURRENT exports (NDJSON and journal CSV together) run at once: ' +
      'past it, 503 EXPORTS_BUSY with Retry-After. An export the service ' +
      'could not finish ends with an unterminated line and no final chunk (see docs/audit.md). Any other Accept: 406.',
  })
  @ApiQuery({
    name: 'after',
    required: false,
    schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 },
    description: 'Global position to start after (exclusive); 0 from the start. Not with cursor',
  })
  @PositionQuery('through', 'NDJSON only: the last global position exported (inclusive); the head of the log when the export starts by default')
  @PatternQuery('since', INSTANT, 'NDJSON only: events recorded at or after this ISO-8601 instant with offset', 64)
  @PatternQuery('until', INSTANT, 'NDJSON only: events recorded before this ISO-8601 instant with offset', 64)
  @PatternQuery('stream', STREAM_ID_PATTERN, 'NDJSON only: the events of this one stream (exact id, e.g. contract-<id>)')
  @PatternQuery('category', LIST_OF_WORDS, `NDJSON only: comma-separated stream categories: ${FEED_CATEGORIES.join(', ')}`)
  @PatternQuery('type', LIST_OF_WORDS, `NDJSON only: comma-separated event types (or the parameter repeated), at most ${MAX_LISTED_TYPES}`)
  @PageParameters(AUDIT_PAGE)
  @AlternativeContent(
    200,
    { [NDJSON]: textBody('One event per line as stored, each line a JSON object ended by a newline', '^(\\{[^\\n]*\\}\\n)*$') },
    {
      'X-Export-Through-Position': {
        description: 'NDJSON: the last global position the export covers (the head of the log when it started, or `through`)',
        schema: { type: 'integer', minimum: 0 },
      },
      'Content-Disposition': { description: 'NDJSON: `attachment` with a file name naming the positions', schema: { type: 'string' } },
    },
  )
  @ListResponses(RecordedEventSchema, { page: AuditPageSchema, problems: [400, 401, 403, 404, 406, 414, 500, 503] })
  async events(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (negotiate(request.headers.accept, ['application/json', NDJSON]) === NDJSON) return this.exportEvents(query, reply);
    const read = new ReadQuery(query, ['after', ...PAGE_PARAMETERS, ...EXPORT_ONLY_PARAMETERS]);
    for (const name of EXPORT_ONLY_PARAMETERS.filter((name) => name in query))
      read.fail(name, 'ndjsonOnly', `${name} filters an NDJSON export only: send Accept: ${NDJSON}`);
    const after = read.integer('after', { default: 0 });
    const page = readPage(query, read, AUDIT_CURSOR, AUDIT_PAGE);
    if (query.after !== undefined && query.cursor !== undefined)
      read.fail('after', 'notWithCursor', 'after and cursor may not be given together');
    read.done();
    const answer: AuditPageSchema = await this.queries.execute(new ReadAuditFeedQuery(page.after ?? after, page.limit));
    await reply.send(answer);
  }

  private async exportEvents(query: Record<string, unknown>, reply: FastifyReply): Promise<void> {
    const exportRequest = parseEventExportRequest(query);
    const release = this.exportSlots.take();
    try {
      await this.streamExport(exportRequest, reply);
    } finally {
      release();
    }
  }

  private async streamExport(exportRequest: EventExportRequest, reply: FastifyReply): Promise<void> {
    const head = await this.store.headPosition();
    const through = Math.min(exportRequest.through ?? head, head);
    const body = StreamedBody.open(reply, {
      'content-type': `${NDJSON}; charset=utf-8`,
      'content-disposition': `attachment; filename="events-${exportRequest.after + 1}-${through}.ndjson"`,
      'x-export-through-position': String(through),
    });
    const { outcome, scanned, error } = await streamEventExport(body, this.store, exportRequest, through, () => this.shutdown?.stopping ?? false);
    if (outcome === 'failed')
      this.logger.warn(`An NDJSON export was cut short after position ${scanned} of ${through}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

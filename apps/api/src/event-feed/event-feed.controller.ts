import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi/problem-schema';
import { PatternQuery, PositionQuery } from '../http/openapi/query-parameters';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access-policy';
import { commandContextOf } from '../http/command-context';
import { badRequest, FieldError } from '../http/problem';
import { EventFeed } from './event-feed.service';
import { FEED_CATEGORIES, MAX_LISTED_TYPES, parseFeedRequest } from './feed-filter';

const PARAMETERS = new Set(['after', 'until', 'category', 'type']);
/** A comma-separated list of names (checked against the known ones by parseFeedRequest). */
const LIST_OF_WORDS = /^[A-Za-z][A-Za-z0-9_-]*(,[A-Za-z][A-Za-z0-9_-]*)*$/;

@ApiTags('events')
@Controller('v1/events')
export class EventFeedController {
  constructor(@Inject(EventFeed) private readonly feed: EventFeed) {}

  @Get('stream')
  @Access.staff()
  @ApiOperation({
    summary:
      'The live event feed as Server-Sent Events: the global log after a position, then every new event, at least once and in global order',
    description:
      'Each `data:` is one event as `/v1/audit/events` shows it (current schema, metadata); its `id:` is its global position. ' +
      'Reconnect with `Last-Event-ID` (or `after`) to resume exactly after the last event received. Comment lines are heartbeats. ' +
      'The service ends a stream with `event: reconnect` (resume from its `id:`) when the reader is too slow or the service stops, ' +
      'and with `event: end` when `until` is reached. See docs/integration.md.',
  })
  @ApiProduces('text/event-stream')
  @PositionQuery('after', 'Global position to read after (exclusive); 0 from the start. Last-Event-ID wins over it.')
  @PositionQuery('until', 'End the stream (event: end) once the log has been read up to this position')
  @PatternQuery('category', LIST_OF_WORDS, `Comma-separated stream categories: ${FEED_CATEGORIES.join(', ')}`)
  @PatternQuery('type', LIST_OF_WORDS, `Comma-separated event types, at most ${MAX_LISTED_TYPES}`)
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received: the stream resumes strictly after it',
  })
  @ApiResponse({
    status: 200,
    description:
      'A stream of events (`id:` the position, `data:` the event as JSON), heartbeat comments, and a final `reconnect` or `end` frame',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 403, 429, 500, 503)
  stream(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const unknown: FieldError[] = Object.keys(query)
      .filter((name) => !PARAMETERS.has(name))
      .slice(0, 5)
      .map((name) => ({
        field: name.slice(0, 64),
        rule: 'whitelist',
        message: `${name.slice(0, 64)} is not a parameter of the event feed`,
      }));
    const { request: feedRequest, errors } = parseFeedRequest({
      after: query.after,
      until: query.until,
      category: query.category,
      type: query.type,
      lastEventId: request.headers['last-event-id'],
    });
    if (unknown.length > 0 || errors.length > 0)
      throw badRequest([...unknown, ...errors], 'The event feed request has invalid parameters.');

    this.feed.open(commandContextOf(request).callingService, feedRequest!, () => {
      reply.hijack();
      // Headers other parts of the server set before the route ran (request ids) go out with the stream.
      const headers = Object.fromEntries(
        Object.entries(reply.getHeaders())
          .filter(([, value]) => value !== undefined)
          .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]),
      );
      return { out: reply.raw, headers };
    });
  }
}

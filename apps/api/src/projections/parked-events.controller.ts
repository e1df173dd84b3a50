import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  ParkedEventNotFoundError,
  ParkedEventNotInLogError,
  ParkedEventResolvedError,
  ReactorNotRunningError,
} from '@escrow/projections/runtime/parked-event-retry';
import type { ParkedEvent } from '@escrow/projections/runtime/parked-events';
import { ReactorStoppedError } from '@escrow/projections/runtime/reactor';
import { Access } from '../auth/access-policy';
import { Command, CommandContext } from '../http/command-context';
import { CommandRoute } from '../http/decorators';
import { positionCursor } from '../http/list-cursor';
import { ListPage, PAGE_PARAMETERS, pageOf, readPage } from '../http/list-page';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { badRequest, ProblemError } from '../http/problem';
import { ParkedEventSchema } from './parked-event.responses';
import { ProjectionRuntime } from './projection-runtime';
import { ReadQuery } from './read-query';

export const PARKED_PAGE = { default: 100, max: 500 };
/** Parked events are listed by their id, given in the order they were parked and never reused. */
const PARKED_CURSOR = positionCursor('parked');
const PARKED_ID = /^[1-9]\d{0,14}$/;
const REACTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Who may see parked events: they name accounts and amounts of anyone. */
const READ_ROLES: readonly string[] = ['support', 'system', 'auditor'];
/** Who may deliver one again: it acts for the platform. */
const RETRY_ROLES: readonly string[] = ['support', 'system'];

function requireRole(context: CommandContext, allowed: readonly string[], action: string): void {
  if (!allowed.includes(context.actor.role)) {
    throw new ProblemError(403, 'ROLE_NOT_ALLOWED', 'Forbidden', `Only ${allowed.join(', ')} may ${action}.`, { role: context.actor.role });
  }
}

/** Events the background processes refused for good, for support to see and deliver again. */
@ApiTags('operations')
@Controller('v1/processors/parked')
export class ParkedEventsController {
  constructor(@Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime) {}

  @Get()
  @Access.staff()
  @ApiOperation({
    summary: 'Events a background process (reactor) refused for good and parked',
    description:
      'Actor role: support, system or auditor. Oldest first. Each names its reactor, the event (position, id, type, stream), the code and ' +
      'message of its latest refusal, when it was parked, the deliveries refused so far (`attempts`) and, once a retry succeeded, who ' +
      'retried it and when.',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['parked', 'resolved', 'all'], description: 'Default `parked`: those still waiting' })
  @ApiQuery({ name: 'reactor', required: false, schema: { type: 'string', pattern: REACTOR_NAME.source }, description: 'Only this reactor, e.g. `wallet-credits`' })
  @PageParameters(PARKED_PAGE)
  @ListResponses(ParkedEventSchema)
  list(@Query() query: Record<string, unknown>, @Command() context: CommandContext): ListPage<ParkedEvent> {
    requireRole(context, READ_ROLES, 'read parked events');
    const read = new ReadQuery(query, ['status', 'reactor', ...PAGE_PARAMETERS]);
    const status = read.oneOf('status', ['parked', 'resolved', 'all'] as const, 'parked');
    const reactor = read.matching('reactor', REACTOR_NAME, 'a reactor name');
    const page = readPage(query, read, PARKED_CURSOR, PARKED_PAGE);
    read.done();
    const events = this.runtime.parkedEvents({ status, reactor, after: page.after ?? 0, limit: page.limit + 1 });
    return pageOf(events, page.limit, PARKED_CURSOR, (event) => event.parkedId);
  }

  @CommandRoute(':parkedId/retry', 200, ParkedEventSchema, {
    summary: 'Deliver a parked event to its reactor again, now',
    description:
      'Actor role: support or system. Fix the cause first. On success the event is `resolved` with who retried it and when; refused ' +
      'again, it stays `parked` with the new reason and one more attempt (answered 200 either way, with the parked event). ' +
      '409 PARKED_EVENT_RESOLVED when it was already resolved (nothing is delivered again), REACTOR_NOT_RUNNING where the reactor ' +
      'does not run (ROLE=api), PARKED_EVENT_NOT_IN_LOG when the log no longer holds it; 503 when the store is unavailable ' +
      '(nothing changed, retry later).',
  })
  @ApiParam({ name: 'parkedId', description: 'The `parkedId` of a parked event', schema: { type: 'string', pattern: PARKED_ID.source } })
  async retry(@Param('parkedId') parkedId: string, @Command() context: CommandContext): Promise<ParkedEvent> {
    requireRole(context, RETRY_ROLES, 'retry parked events');
    if (!PARKED_ID.test(parkedId)) throw badRequest([{ field: 'parkedId', rule: 'isInt', message: 'parkedId must be a whole number >= 1' }]);
    try {
      return await this.runtime.retryParkedEvent(Number(parkedId), { id: context.actor.id, role: context.actor.role });
    } catch (error) {
      throw problemOf(error);
    }
  }
}

function problemOf(error: unknown): unknown {
  if (error instanceof ParkedEventNotFoundError) {
    return new ProblemError(404, 'PARKED_EVENT_NOT_FOUND', 'Not found', error.message, { parkedId: error.parkedId });
  }
  if (error instanceof ParkedEventResolvedError) {
    const { parkedId, resolvedAt, resolvedBy } = error.parked;
    return new ProblemError(409, 'PARKED_EVENT_RESOLVED', 'Conflict with the current state', error.message, { parkedId, resolvedAt, resolvedBy });
  }
  if (error instanceof ReactorNotRunningError) {
    return new ProblemError(409, 'REACTOR_NOT_RUNNING', 'Conflict with the current state', error.message, { reactor: error.reactor });
  }
  if (error instanceof ParkedEventNotInLogError) {
    return new ProblemError(409, 'PARKED_EVENT_NOT_IN_LOG', 'Conflict with the current state', error.message, { parkedId: error.parked.parkedId });
  }
  if (error instanceof ReactorStoppedError) {
    return new ProblemError(503, 'SERVICE_STOPPING', 'Service unavailable', 'The service is stopping; nothing was delivered. Retry shortly.', {}, { 'retry-after': '1' });
  }
  return error;
}

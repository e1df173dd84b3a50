import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { PROJECTION_READER, ProjectionReader } from '@escrow/projections/projection';
import { badRequest, FieldError, ProblemError } from '../http/problem';

export const MIN_POSITION_QUERY = 'minPosition';
export const MIN_POSITION_HEADER = 'X-Min-Position';
/** How long a read waits for the read models to reach the position it was asked for. */
export const MIN_POSITION_WAIT_MS = 5000;
export const PROJECTION_BEHIND_RETRY_AFTER_SECONDS = 1;

const AWAITED_PROJECTIONS = 'escrow:awaited-projections';
const POSITION = /^\d{1,15}$/;

/** The documented form of a minPosition: a global position, as POSITION accepts it. */
export const MIN_POSITION_SCHEMA = { type: 'integer', minimum: 0, maximum: 999_999_999_999_999 } as const;

export const projectionBehind = (position: number, projections: readonly { name: string; position: number }[]) =>
  new ProblemError(
    503,
    'PROJECTION_BEHIND',
    'Service unavailable',
    `The read models have not reached position ${position} within ${MIN_POSITION_WAIT_MS / 1000} s. Retry shortly.`,
    { minPosition: position, projections },
    { 'retry-after': String(PROJECTION_BEHIND_RETRY_AFTER_SECONDS) },
  );

/**
 * The position a read must include, from `?minPosition=` or `X-Min-Position:` (the larger when both are
 * given); undefined when neither is. The query parameter is removed from the request so that route DTOs
 * that refuse unknown fields need not declare it.
 */
export function takeMinPosition(request: FastifyRequest): number | undefined {
  const errors: FieldError[] = [];
  const query = (request.query ?? {}) as Record<string, unknown>;
  const fromQuery = parsePosition(query[MIN_POSITION_QUERY], MIN_POSITION_QUERY, errors);
  delete query[MIN_POSITION_QUERY];
  const fromHeader = parsePosition(request.headers[MIN_POSITION_HEADER.toLowerCase()], MIN_POSITION_HEADER, errors);
  if (errors.length > 0) throw badRequest(errors);
  if (fromQuery === undefined) return fromHeader;
  return fromHeader === undefined ? fromQuery : Math.max(fromQuery, fromHeader);
}

function parsePosition(value: unknown, field: string, errors: FieldError[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !POSITION.test(value)) {
    errors.push({ field, rule: 'isInt', message: `${field} must be one global position, a whole number >= 0` });
    return undefined;
  }
  return Number(value);
}

/**
 * Read-your-writes for read routes: a caller that just got `position` from a command passes it as
 * minPosition, and the read waits (up to 5 s) until the projections behind the route have applied it,
 * or answers 503 PROJECTION_BEHIND with Retry-After.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    @Inject(PROJECTION_READER) private readonly reader: ProjectionReader,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const position = takeMinPosition(context.switchToHttp().getRequest<FastifyRequest>());
    if (position !== undefined) {
      const named = this.reflector.getAllAndOverride<string[] | undefined>(AWAITED_PROJECTIONS, [context.getHandler(), context.getClass()]);
      const projections = named !== undefined && named.length > 0 ? named : undefined;
      if (!(await this.reader.waitFor(position, { timeoutMs: MIN_POSITION_WAIT_MS, projections }))) {
        const statuses = await this.reader.status();
        throw projectionBehind(
          position,
          statuses
            .filter((s) => projections === undefined || projections.includes(s.name))
            .map(({ name, position: at }) => ({ name, position: at })),
        );
      }
    }
    return next.handle();
  }
}

/**
 * Marks a read route (or a controller) as answering from the named projections (all of them when none
 * is named): it accepts `minPosition` / `X-Min-Position` and waits for them to reach it.
 */
export const AwaitsProjections = (...projections: string[]) =>
  applyDecorators(
    SetMetadata(AWAITED_PROJECTIONS, projections),
    UseInterceptors(MinPositionInterceptor),
    ApiQuery({
      name: MIN_POSITION_QUERY,
      required: false,
      description: 'A global position (e.g. the `position` a command returned) the answer must include; the read waits up to 5 s for it',
      schema: MIN_POSITION_SCHEMA,
    }),
    ApiHeader({ name: MIN_POSITION_HEADER, required: false, description: `Same as the ${MIN_POSITION_QUERY} query parameter` }),
  );

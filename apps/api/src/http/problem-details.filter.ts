import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { EventStoreUnavailableError } from '@escrow/event-store/port';
import { ConcurrencyConflictError, StaleRevisionError } from '../commands/command-refusals';
import { IdempotencyKeyReusedError } from '../idempotency';
import { isServerFault } from '../observability/logging';
import { isStorageUnavailable } from '../store/storage-errors';
import { HTTP_STATUS_OF_DOMAIN_ERROR, PROBLEM_TITLES as TITLES, ProblemDocument, ProblemError, problemType } from './problem';

/** Renders every error as application/problem+json (RFC 9457) with a stable `code`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // The connection is gone (a deadline cut it off and answered 408, or the client hung up): nobody to answer.
    if (reply.raw.destroyed) return;
    const { problem, headers } = request.is404 && exception instanceof NotFoundException ? unmatchedRoute(request) : this.toProblem(exception);
    problem.instance = request.url;
    // A client asking ahead of the read models (503 PROJECTION_BEHIND) is not a fault: its access line says enough.
    if (isServerFault(problem)) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  }

  private toProblem(exception: unknown): { problem: ProblemDocument; headers: Record<string, string> } {
    if (exception instanceof ProblemError) {
      return {
        problem: {
          type: problemType(exception.code),
          title: exception.title,
          status: exception.status,
          code: exception.code,
          detail: exception.detail,
          ...exception.extensions,
        },
        headers: exception.headers,
      };
    }
    const refusal = pipelineRefusal(exception);
    if (refusal) return { problem: refusal, headers: {} };
    if (exception instanceof DomainError) {
      const status = HTTP_STATUS_OF_DOMAIN_ERROR[exception.kind];
      return {
        problem: {
          type: problemType(exception.code),
          title: TITLES[status],
          status,
          code: exception.code,
          detail: exception.message,
          ...(exception.details ? { details: exception.details } : {}),
          ...(exception.kind === 'invalid' ? { errors: fieldErrorsOf(exception) } : {}),
        },
        headers: {},
      };
    }
    // Any SQLite file that cannot take a write right now (full disk, I/O error), not only the event log's.
    if (exception instanceof EventStoreUnavailableError || isStorageUnavailable(exception)) {
      return {
        problem: {
          type: problemType('STORE_UNAVAILABLE'),
          title: TITLES[503],
          status: 503,
          code: 'STORE_UNAVAILABLE',
          detail: 'The storage cannot take this request right now; nothing was written. Retry later.',
        },
        headers: { 'retry-after': String(exception instanceof EventStoreUnavailableError ? exception.retryAfterSeconds : 1) },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = httpCode(status);
      const response = exception.getResponse();
      if (typeof response === 'string') {
        return { problem: { type: problemType(code), title: TITLES[status] ?? 'Error', status, code, detail: response }, headers: {} };
      }
      // Keep what the thrower attached (a health check's per-indicator report, say) as extension members.
      const { message, statusCode: _statusCode, error: _error, ...extensions } = response as Record<string, unknown>;
      const detail = typeof message === 'string' ? message : exception.message;
      return { problem: { ...extensions, type: problemType(code), title: TITLES[status] ?? 'Error', status, code, detail }, headers: {} };
    }
    const bodyError = fastifyBodyError(exception);
    if (bodyError) return { problem: bodyError, headers: {} };
    return {
      problem: { type: problemType('INTERNAL_ERROR'), title: TITLES[500], status: 500, code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred.' },
      headers: {},
    };
  }
}

function httpCode(status: number): string {
  switch (status) {
    case 400: return 'BAD_REQUEST';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'FORBIDDEN';
    case 404: return 'NOT_FOUND';
    case 405: return 'METHOD_NOT_ALLOWED';
    case 413: return 'PAYLOAD_TOO_LARGE';
    case 414: return 'URI_TOO_LONG';
    case 415: return 'UNSUPPORTED_MEDIA_TYPE';
    case 429: return 'TOO_MANY_REQUESTS';
    default: return status >= 500 ? 'INTERNAL_ERROR' : 'HTTP_' + status;
  }
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * No route matched: a path that exists for other methods is a 405 naming them in Allow; any other path is a
 * 404 ROUTE_NOT_FOUND (a route that exists answers CONTRACT_NOT_FOUND and the like for an unknown resource).
 * A wildcard route that found nothing to answer (a file the console does not have) takes this very method: a 404.
 */
function unmatchedRoute(request: FastifyRequest): { problem: ProblemDocument; headers: Record<string, string> } {
  const path = request.url.split('?')[0];
  const takes = (method: string) => request.server.findRoute({ method: method as (typeof METHODS)[number], url: path }) !== null;
  const allowed = takes(request.method) ? [] : METHODS.filter((method) => method !== request.method && takes(method));
  if (allowed.length > 0) {
    return {
      problem: {
        type: problemType('METHOD_NOT_ALLOWED'),
        title: TITLES[405],
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        detail: `${request.method} is not a method of ${path}; it takes ${allowed.join(', ')}.`,
      },
      headers: { allow: allowed.join(', ') },
    };
  }
  return {
    problem: { type: problemType('ROUTE_NOT_FOUND'), title: TITLES[404], status: 404, code: 'ROUTE_NOT_FOUND', detail: `No route ${request.method} ${path}.` },
    headers: {},
  };
}

/** Fastify's own body errors (malformed JSON, wrong content type) arrive as plain errors with a statusCode. */
function fastifyBodyError(exception: unknown): ProblemDocument | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { statusCode, code } = exception as Error & { statusCode?: number; code?: string };
  if (!statusCode || statusCode >= 500) return undefined;
  const machineCode = code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : code?.startsWith('FST_ERR_CTP') ? 'MALFORMED_BODY' : httpCode(statusCode);
  return { type: problemType(machineCode), title: TITLES[statusCode] ?? 'Error', status: statusCode, code: machineCode, detail: exception.message };
}

/** Domain value checks list their problems in details.errors; they are shown in the same shape as request validation's. */
function fieldErrorsOf(error: DomainError): { field: string; rule: string; message: string }[] {
  const listed = (error.details as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(listed)) return [{ field: String(error.details?.field ?? ''), rule: error.code, message: error.message }];
  return listed.map((entry: { field?: unknown; rule?: unknown; code?: unknown; message?: unknown }) => ({
    field: String(entry.field ?? ''),
    rule: String(entry.rule ?? entry.code ?? error.code),
    message: String(entry.message ?? error.message),
  }));
}

/** The command pipeline's own refusals, as HTTP. */
function pipelineRefusal(exception: unknown): ProblemDocument | undefined {
  const problem = (status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDocument => ({
    type: problemType(code),
    title: TITLES[status],
    status,
    code,
    detail,
    ...extensions,
  });
  if (exception instanceof StaleRevisionError) {
    return problem(412, exception.code, exception.message, { expectedRevision: exception.expectedRevision, currentRevision: exception.currentRevision });
  }
  if (exception instanceof ConcurrencyConflictError) return problem(409, exception.code, exception.message);
  if (exception instanceof IdempotencyKeyReusedError) return problem(422, exception.code, exception.message);
  return undefined;
}

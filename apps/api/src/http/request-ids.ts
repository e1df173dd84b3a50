import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * The ids that tie a request to its answer, its log lines and its events. A caller's X-Request-Id is taken
 * when it is 1-128 visible ASCII characters; anything else (absent, too long, spaces or controls) is replaced
 * by a fresh UUID, so an unbounded or forged-looking value is never echoed into headers, bodies or logs.
 */
export const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** X-Correlation-Id keeps the bound it has always had in event metadata: 1-255 visible ASCII characters. */
export const CORRELATION_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Fastify's `genReqId`: the id becomes `request.id` (and Fastify's own log lines' `reqId`). It is also set on
 * the raw Node request as `id`, where pino-http (nestjs-pino) looks for a request id before making its own.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const given = firstHeader(raw.headers['x-request-id']);
  const id = given !== undefined && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** The caller's X-Correlation-Id when it is well-formed, otherwise the request's own id. */
export function correlationIdOf(request: FastifyRequest): string {
  const given = firstHeader(request.headers['x-correlation-id']);
  return given !== undefined && CORRELATION_ID_PATTERN.test(given) ? given : request.id;
}

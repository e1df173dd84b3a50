import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { locationOfCreated } from './created-locations';
import { correlationIdOf } from './request-ids';

/**
 * What every answer carries, whichever code produced it (a controller, the idempotency interceptor's replay,
 * the problem filter, the server's edges): X-Request-Id and X-Correlation-Id headers, the same ids as members
 * of every problem document, a strong ETag `"<revision>"` on every answer that reports a stream revision, and
 * a Location on every 201. Done in Fastify's hooks, after any Nest interceptor, so a replayed answer is
 * treated exactly like the first one.
 */
export function installHttpConventions(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    setRequestIdHeaders(request, reply);
    done();
  });
  fastify.addHook('preSerialization', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    if (!isObject(payload)) return done(null, payload);
    if (reply.statusCode >= 400) return done(null, isProblem(payload) ? withRequestIds(payload, request) : payload);
    const revision = payload.revision;
    if (reply.statusCode < 300 && Number.isSafeInteger(revision) && (revision as number) >= -1) void reply.header('etag', entityTag(revision as number));
    if (reply.statusCode === 201 && request.routeOptions.url !== undefined) {
      const location = locationOfCreated(request.method, request.routeOptions.url, (request.params ?? {}) as Record<string, string>, payload);
      if (location !== undefined) void reply.header('location', location);
    }
    done(null, payload);
  });
}

/** The service's entity tag of a stream revision: strong, the revision in quotes. */
export const entityTag = (revision: number): string => `"${revision}"`;

export function setRequestIdHeaders(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('x-request-id', request.id);
  void reply.header('x-correlation-id', correlationIdOf(request));
}

/** A problem document with the request's ids as members, so a caller quoting it quotes them too. */
export function withRequestIds<Problem extends Record<string, unknown>>(problem: Problem, request: FastifyRequest): Problem & { requestId: string; correlationId: string } {
  return { ...problem, requestId: request.id, correlationId: correlationIdOf(request) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isProblem = (value: Record<string, unknown>): boolean => typeof value.code === 'string' && typeof value.status === 'number' && typeof value.type === 'string';

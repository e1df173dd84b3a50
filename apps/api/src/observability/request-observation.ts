import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger as PinoInstance } from 'pino';
import { commandContextOf } from '../http/command-context';
import { accessLevel } from './logging';
import type { Metrics } from './metrics';
import { runWithRequestLogger } from './request-logger';

/** A request id or correlation id taken from a header: visible ASCII, bounded, else one is made. */
const TRACE_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

const headerOf = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The request's id: the caller's `X-Request-Id` when it is a usable one, a new UUID otherwise. */
export function requestIdOf(request: IncomingMessage): string {
  const given = headerOf(request, 'x-request-id');
  return given !== undefined && TRACE_ID_PATTERN.test(given) ? given : randomUUID();
}

/** The caller's `X-Correlation-Id` when it is a usable one; the request's own id otherwise (as the events record it). */
export function correlationIdOf(request: FastifyRequest): string {
  const given = headerOf(request.raw, 'x-correlation-id');
  return given !== undefined && TRACE_ID_PATTERN.test(given) ? given : request.id;
}

const PROBLEM_CODE = Symbol('problemCode');
type Observed = FastifyRequest & { [PROBLEM_CODE]?: string };

/**
 * Watches every request the server answers: one access line each (method, route pattern, status, duration,
 * request and correlation ids, calling service, actor) and the HTTP metrics. Installed on the Fastify instance
 * before anything else, and told its logger and metrics once the application exists.
 */
export class RequestObservation {
  private logger: PinoInstance | undefined;
  private metrics: Metrics | undefined;

  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      const metrics = this.metrics;
      if (metrics !== undefined) {
        metrics.requestStarted();
        // 'close' comes after the answer and after a client's hang-up alike, so the gauge never drifts.
        reply.raw.once('close', () => metrics.requestEnded());
      }
      // The rest of the handling runs with the request's logger, so that Nest's messages written meanwhile carry its id.
      if (this.logger === undefined) done();
      else runWithRequestLogger(this.logger, request.id, done);
    });
    fastify.addHook('onSend', (request: Observed, reply, payload, done) => {
      if (reply.statusCode >= 400 && typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').includes('problem+json')) {
        request[PROBLEM_CODE] = problemCodeIn(payload);
      }
      done(null, payload);
    });
    fastify.addHook('onResponse', (request: Observed, reply, done) => {
      this.answered(request, reply);
      done();
    });
  }

  attach(logger: PinoInstance, metrics: Metrics): void {
    this.logger = logger;
    this.metrics = metrics;
  }

  private answered(request: Observed, reply: FastifyReply): void {
    const route = request.routeOptions.url;
    const status = reply.statusCode;
    // A duration, not money: two decimals of a millisecond are plenty.
    const durationMs = Number(reply.elapsedTime.toFixed(2));
    this.metrics?.requestAnswered({
      method: request.method,
      route,
      status,
      seconds: reply.elapsedTime / 1000,
      replayed: reply.getHeader('idempotent-replayed') === 'true',
    });
    if (this.logger === undefined) return;
    const code = request[PROBLEM_CODE];
    const caller = callerOf(request);
    this.logger[accessLevel(status, code)](
      {
        type: 'access',
        method: request.method,
        route: route ?? null,
        status,
        durationMs,
        requestId: request.id,
        correlationId: correlationIdOf(request),
        clientId: caller?.callingService ?? null,
        actor: caller?.actor ?? null,
        ...(code !== undefined ? { code } : {}),
      },
      `${request.method} ${route ?? '(no route)'} ${status} ${durationMs} ms`,
    );
  }
}

/** The caller the access guard established; none on public routes and for requests refused before it. */
function callerOf(request: FastifyRequest) {
  try {
    return commandContextOf(request);
  } catch {
    return undefined;
  }
}

function problemCodeIn(payload: string): string | undefined {
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyHttpOptions, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { connectionsCheckingIntervalMs, HttpLimits } from '../config/http-limits';
import { installHttpConventions, setRequestIdHeaders, withRequestIds } from './http-conventions';
import { PROBLEM_TITLES, ProblemDocument, ProblemError, problemType } from './problem';
import { requestIdOf } from './request-ids';

/**
 * The edges of the HTTP server that Nest's exception filter never sees: errors Fastify answers itself
 * (a path that cannot be decoded or routed), errors of the HTTP parser and of the server's deadlines (on the
 * raw socket), and the JSON body parser. Every one of them answers application/problem+json with a code.
 */

/** Path parameters are ids of at most 128 characters; anything far longer is not one (414). */
export const MAX_PATH_PARAMETER_LENGTH = 512;

const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function edgeProblem(status: number, code: string, detail: string, instance?: string): ProblemDocument {
  return { type: problemType(code), title: PROBLEM_TITLES[status] ?? STATUS_CODES[status] ?? 'Error', status, code, detail, ...(instance !== undefined ? { instance } : {}) };
}

/** Fastify options that carry the limits: deadlines, body size, router limits and the edge error handlers. */
export function fastifyOptions(limits: HttpLimits): FastifyHttpOptions<Server> {
  return {
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingIntervalMs(limits),
    },
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    // Fastify 5 reads no request id header by itself; this takes a bounded X-Request-Id or makes one.
    genReqId: requestIdOf,
    frameworkErrors: answerRoutingError,
    clientErrorHandler: answerClientError,
  };
}

/** A path Fastify cannot decode (bad percent-encoding) or whose parameter is too long, before any route runs. */
function answerRoutingError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem =
    error.code === 'FST_ERR_BAD_URL'
      ? edgeProblem(400, 'INVALID_URL_ENCODING', 'The request path is not valid percent-encoded UTF-8.')
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? edgeProblem(414, 'URI_TOO_LONG', `A path segment is longer than ${MAX_PATH_PARAMETER_LENGTH} characters.`)
        : edgeProblem(500, 'INTERNAL_ERROR', 'An unexpected error occurred.');
  // No hook has run for a request that could not be routed: its ids are set here.
  setRequestIdHeaders(request, reply);
  void reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(withRequestIds(problem, request));
}

/**
 * Errors of the HTTP parser and the server's deadlines arrive on the socket, before there is a request
 * object: the answer is written by hand, and the connection closed as Node itself does.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? edgeProblem(408, 'REQUEST_TIMEOUT', 'The request did not arrive in time; the connection is closed.')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? edgeProblem(431, 'HEADERS_TOO_LARGE', 'The request line and headers are too large.')
        : edgeProblem(400, 'MALFORMED_REQUEST', 'The request is not valid HTTP/1.1.');
  if (socket.writable) {
    // There is no request to read an X-Request-Id from: the answer gets an id of its own.
    const requestId = randomUUID();
    const body = JSON.stringify({ ...problem, requestId, correlationId: requestId });
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `X-Request-Id: ${requestId}\r\nX-Correlation-Id: ${requestId}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Installs the edges on the Fastify instance: JSON as the only body type (anything else is a 415), the
 * JSON parser with its depth limit, the request target length limit and the connection cap.
 */
export function installServerEdges(adapter: FastifyAdapter, limits: HttpLimits): void {
  const fastify = adapter.getInstance();
  // First, so that every later hook's answer (a 414 here, a 401 of an unrouted request) carries the ids.
  installHttpConventions(fastify);
  fastify.server.maxConnections = limits.maxConnections;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.raw.url !== undefined && request.raw.url.length > limits.maxUrlLength) {
      const problem = edgeProblem(414, 'URI_TOO_LONG', `The request target is longer than ${limits.maxUrlLength} characters.`);
      void reply.code(414).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
      return;
    }
    done();
  });
  fastify.removeAllContentTypeParsers();
  const parseSafely = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Commands without fields (accept, payout, ...) may be sent with no body at all: an empty body reads as {}.
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    if (jsonDepthExceeds(text, limits.maxJsonDepth)) {
      return done(
        new ProblemError(400, 'BODY_TOO_DEEP', 'Invalid request', `The JSON body nests arrays and objects deeper than ${limits.maxJsonDepth} levels.`),
        undefined,
      );
    }
    // Fastify's own parser also refuses __proto__ and constructor.prototype keys (prototype poisoning).
    parseSafely(request, text, (error, parsed) => {
      if (error) done(new ProblemError(400, 'MALFORMED_BODY', 'Invalid request', 'The request body is not valid JSON, or names __proto__ or constructor.prototype.'), undefined);
      else done(null, parsed);
    });
  });
}

/**
 * Whether arrays and objects nest deeper than `maxDepth` anywhere in the text. A linear scan with no
 * recursion, run before parsing: deep nesting would otherwise exhaust the stack of whatever walks the value.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return false;
}

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ACTOR_ROLES, Actor } from '@escrow/domain/shared/actor';
import { ID_PATTERN } from '@escrow/domain/shared/limits';
// From its file rather than the module's index: the index holds the interceptor, which reads the context made here.
import { hashRequest } from '../idempotency/request-hash';
import type { RevisionCondition } from '../commands/revision-condition';
import { parseIfMatch } from './if-match';
import { badRequest, FieldError } from './problem';
import { correlationIdOf } from './request-ids';

/** Everything about a request that is not its body: who, through which service, which retry, which revision, which trace. */
export interface CommandContext {
  actor: Actor;
  /** Id of the calling service (its configured API client) the request came through; recorded on every event. */
  callingService: string;
  idempotencyKey?: string;
  /**
   * Secret-keyed digest of (calling service, actor, Idempotency-Key): the seed of every id derived from the
   * command, so a retry names the same things while nobody outside can predict them. Set with the key.
   */
  keySeed?: string;
  /** SHA-256 of method, route, parameters, canonical body and actor (`hashRequest`): a reused key with another request is told apart by it. */
  requestHash: string;
  /** The If-Match header: what the command's stream must be at for it to append (412 otherwise). */
  ifMatch?: RevisionCondition;
  /** The caller's X-Correlation-Id, or the request id when it sent none. */
  correlationId: string;
  /**
   * Id of this request's handling, made here and unique even when a caller repeats an X-Request-Id (prepayments
   * without a key are told apart by it); the causation id of the events it produces unless causationId says
   * otherwise. The X-Request-Id a caller sees reaches the events as their correlation id when it sent none.
   */
  requestId: string;
  /** What caused the command when it is not a request of its own (a process manager reacting to an event). */
  causationId?: string;
  /** The instant the command is issued at (ISO-8601); the time of the facts it records. */
  at: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const CONTEXT = Symbol('commandContext');

/** The context the access guard read from the request's headers; every route but the public ones has one. */
export function commandContextOf(request: FastifyRequest): CommandContext {
  const context = (request as FastifyRequest & { [CONTEXT]?: CommandContext })[CONTEXT];
  if (!context) throw new Error(`No caller was established for ${request.method} ${request.routeOptions?.url ?? request.url}`);
  return context;
}

export function attachCommandContext(request: FastifyRequest, context: CommandContext): void {
  (request as FastifyRequest & { [CONTEXT]?: CommandContext })[CONTEXT] = context;
}

/** Who a request acts for: its actor headers, checked; throws a 400 naming every bad header. */
export function readActor(request: FastifyRequest): Actor {
  const errors: FieldError[] = [];
  const actorId = header(request, 'x-actor-id');
  if (actorId === undefined) errors.push({ field: 'X-Actor-Id', rule: 'required', message: 'X-Actor-Id header is required' });
  else if (!ID_PATTERN.test(actorId)) errors.push({ field: 'X-Actor-Id', rule: 'pattern', message: 'X-Actor-Id must be 1-128 letters, digits, ".", "_", ":" or "-"' });

  const role = header(request, 'x-actor-role');
  if (role === undefined) errors.push({ field: 'X-Actor-Role', rule: 'required', message: 'X-Actor-Role header is required' });
  else if (!(ACTOR_ROLES as readonly string[]).includes(role)) {
    errors.push({ field: 'X-Actor-Role', rule: 'isIn', message: `X-Actor-Role must be one of ${ACTOR_ROLES.join(', ')}` });
  }
  if (errors.length > 0) throw badRequest(errors, 'The request headers are invalid.');
  return { id: actorId!, role: role as Actor['role'] };
}

/** Reads the command headers of a request already attributed to an actor and a calling service, arrived at `arrivedAt` by the service's clock. */
export function readCommandContext(
  request: FastifyRequest,
  caller: { actor: Actor; callingService: string },
  seedOf: (callingService: string, actor: Actor, idempotencyKey: string) => string,
  arrivedAt: Date,
): CommandContext {
  const errors: FieldError[] = [];
  const idempotencyKey = header(request, 'idempotency-key');
  if (idempotencyKey !== undefined && !KEY_PATTERN.test(idempotencyKey)) {
    errors.push({ field: 'Idempotency-Key', rule: 'pattern', message: 'Idempotency-Key must be 1-255 visible ASCII characters' });
  }

  const ifMatchText = header(request, 'if-match');
  const ifMatch = ifMatchText === undefined ? undefined : parseIfMatch(ifMatchText);
  if (ifMatchText !== undefined && ifMatch === undefined) {
    errors.push({ field: 'If-Match', rule: 'entityTag', message: 'If-Match must be *, or entity tags such as "3" (a stream revision), comma-separated' });
  }

  if (errors.length > 0) throw badRequest(errors, 'The request headers are invalid.');

  const { actor, callingService } = caller;
  return {
    actor,
    callingService,
    idempotencyKey,
    ...(idempotencyKey !== undefined ? { keySeed: seedOf(callingService, actor, idempotencyKey) } : {}),
    requestHash:
      request.method === 'GET'
        ? ''
        : hashRequest({ method: request.method, route: request.routeOptions?.url ?? request.url, params: request.params, body: request.body, actor }),
    ifMatch,
    correlationId: correlationIdOf(request),
    requestId: randomUUID(),
    at: arrivedAt.toISOString(),
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Injects the CommandContext of the current request into a controller method. */
export const Command = createParamDecorator((_: unknown, ctx: ExecutionContext) => commandContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()));

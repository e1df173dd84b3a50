import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@escrow/domain/shared/actor';
import { badRequest, FieldError } from './problem';

/** Everything about a command request that is not its body: who, which retry, which revision, which trace. */
export interface CommandContext {
  actor: Actor;
  idempotencyKey?: string;
  /** SHA-256 of method, route and canonical body: a reused key with another request is told apart by it. */
  requestHash: string;
  ifMatch?: number;
  correlationId: string;
  /** Id of this request; the causation id of the events it produces unless causationId says otherwise. */
  requestId: string;
  /** What caused the command when it is not a request of its own (a process manager reacting to an event). */
  causationId?: string;
  /** The instant the command is issued at (ISO-8601); the time of the facts it records. */
  at: string;
}

const ROLES = ['user', 'support', 'system'] as const;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const CONTEXT = Symbol('commandContext');

/** Reads (once per request) the command headers; throws a 400 naming every bad header. */
export function commandContextOf(request: FastifyRequest): CommandContext {
  const holder = request as FastifyRequest & { [CONTEXT]?: CommandContext };
  return (holder[CONTEXT] ??= readCommandContext(request));
}

function readCommandContext(request: FastifyRequest): CommandContext {
  const errors: FieldError[] = [];
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };

  const actorId = header('x-actor-id');
  if (actorId === undefined) errors.push({ field: 'X-Actor-Id', rule: 'required', message: 'X-Actor-Id header is required' });
  else if (!ID_PATTERN.test(actorId)) errors.push({ field: 'X-Actor-Id', rule: 'pattern', message: 'X-Actor-Id must be 1-128 letters, digits, ".", "_", ":" or "-"' });

  const role = header('x-actor-role');
  if (role === undefined) errors.push({ field: 'X-Actor-Role', rule: 'required', message: 'X-Actor-Role header is required' });
  else if (!(ROLES as readonly string[]).includes(role)) errors.push({ field: 'X-Actor-Role', rule: 'isIn', message: 'X-Actor-Role must be one of user, support, system' });

  const idempotencyKey = header('idempotency-key');
  if (idempotencyKey !== undefined && !KEY_PATTERN.test(idempotencyKey)) {
    errors.push({ field: 'Idempotency-Key', rule: 'pattern', message: 'Idempotency-Key must be 1-255 visible ASCII characters' });
  }

  const ifMatchText = header('if-match');
  let ifMatch: number | undefined;
  if (ifMatchText !== undefined) {
    const unquoted = ifMatchText.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
    if (/^\d{1,15}$/.test(unquoted)) ifMatch = Number(unquoted);
    else errors.push({ field: 'If-Match', rule: 'isInt', message: 'If-Match must be a stream revision (a non-negative integer)' });
  }

  if (errors.length > 0) throw badRequest(errors, 'The request headers are invalid.');

  const correlationHeader = header('x-correlation-id');
  const requestId = randomUUID();
  const actor: Actor = { id: actorId!, role: role as Actor['role'] };
  return {
    actor,
    idempotencyKey,
    requestHash: hashRequest({ method: request.method, route: request.routeOptions?.url ?? request.url, params: request.params, body: request.body, actor }),
    ifMatch,
    correlationId: correlationHeader && KEY_PATTERN.test(correlationHeader) ? correlationHeader : requestId,
    requestId,
    at: new Date().toISOString(),
  };
}

export function hashRequest(request: { method: string; route: string; params: unknown; body: unknown; actor: Actor }): string {
  const { method, route, params, body, actor } = request;
  return createHash('sha256')
    .update(canonicalJson({ method, route, params: params ?? {}, body: body ?? {}, actor }))
    .digest('hex');
}

/** JSON with object keys sorted, so that the same body written in another key order hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Injects the CommandContext of the current request into a controller method. */
export const Command = createParamDecorator((_: unknown, ctx: ExecutionContext) => commandContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()));

/**
 * A new id for something a command creates (a contract, a milestone, a change). With an Idempotency-Key it
 * is derived from the key, so a retry names the same thing and is recognised instead of creating another.
 */
export function newIdFor(context: CommandContext, purpose: string): string {
  if (!context.idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${context.actor.id}\u0000${context.idempotencyKey}\u0000${purpose}`).digest('hex');
  return uuidFromHex(hex);
}

/** Formats 32 hex digits as an RFC 9562 version-8 (custom) UUID. */
export function uuidFromHex(hex: string): string {
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

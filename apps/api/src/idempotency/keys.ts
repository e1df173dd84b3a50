import type { Actor } from '@escrow/domain/shared/actor';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { CommandContext } from '../http/command-context';

/**
 * Who a key belongs to: the calling service and the actor it acts for. Two callers using the same key
 * never meet; the service's own processes act under calling-service ids no API client may have.
 */
export function idempotencyScope(callingService: string, actor: Actor, idempotencyKey: string): string {
  return `${callingService}\u0000${actor.role}\u0000${actor.id}\u0000${idempotencyKey}`;
}

/** The scope of a command's key; undefined when the command carries no key. */
export function scopeOfCommand(context: CommandContext): string | undefined {
  return context.idempotencyKey === undefined ? undefined : idempotencyScope(context.callingService, context.actor, context.idempotencyKey);
}

/** The caller-scoped key of the command that appended an event; events from before calling services were recorded have an empty one. */
export function scopeOfEvent(event: RecordedEvent): string | undefined {
  const { idempotencyKey, callingService, actor } = event.metadata;
  return idempotencyKey === undefined ? undefined : idempotencyScope(callingService ?? '', actor, idempotencyKey);
}

/**
 * A key that comes back from its caller with the request that first used it is a retry; with any other
 * request (another body, route or contract) it is a reuse, refused. A first use recorded without a request
 * hash matches no request.
 */
export function isRetryOf(firstRequestHash: string | undefined, context: CommandContext): boolean {
  return firstRequestHash === context.requestHash;
}

/** The Idempotency-Key came back, from the same caller, with another request. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor() {
    super('This Idempotency-Key was already used with a different request.');
    this.name = 'IdempotencyKeyReusedError';
  }
}

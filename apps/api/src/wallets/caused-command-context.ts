import { createHash } from 'node:crypto';
import type { Actor } from '@escrow/domain/shared/actor';
import type { RecordedEvent } from '@escrow/event-store/port';
import { SERVICE_ITSELF } from '../auth/api-clients';
import type { DerivedIds } from '../auth/derived-ids';
import type { CommandContext } from '../http/command-context';

/**
 * The context of a command the service issues itself because of a stored event: keyed by that event, so a
 * redelivery is a retry; timed by it, so a late delivery records the same facts; and caused by it.
 */
export function commandContextCausedBy(event: RecordedEvent, actor: Actor, idempotencyKey: string, derivedIds: DerivedIds): CommandContext {
  return {
    actor,
    callingService: SERVICE_ITSELF,
    idempotencyKey,
    keySeed: derivedIds.seedOf(SERVICE_ITSELF, actor, idempotencyKey),
    requestHash: createHash('sha256').update(idempotencyKey).digest('hex'),
    correlationId: event.metadata.correlationId,
    causationId: event.id,
    requestId: event.id,
    at: event.metadata.occurredAt,
  };
}

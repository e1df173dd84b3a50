import type { Actor } from '@escrow/domain/shared/actor';
import type { EventMetadata, RecordedEvent } from '@escrow/event-store/port';
import { ListPageSchema } from '../http/openapi/operation-responses';
import { FreeFormField, InstantField, NestedField, PositionField, TextField } from '../http/openapi/response-fields';

export class EventActorSchema implements Actor {
  @TextField() id!: string;
  @TextField({ description: 'user, support, system or auditor' }) role!: Actor['role'];
}

export class EventMetadataSchema implements EventMetadata {
  @PositionField({ minimum: 1 }) schemaVersion!: number;
  @InstantField({ description: 'When the fact happened (the command time)' }) occurredAt!: string;
  @NestedField(() => EventActorSchema) actor!: Actor;
  @TextField({ optional: true, description: 'The calling service the command came through' }) callingService?: string;
  @TextField() correlationId!: string;
  @TextField() causationId!: string;
  @TextField({ optional: true }) idempotencyKey?: string;
  @TextField({ optional: true }) requestHash?: string;
}

export class RecordedEventSchema implements RecordedEvent {
  @TextField({ description: 'Event id (UUID)' }) id!: string;
  @TextField({ description: 'A past-tense fact, e.g. EscrowFunded' }) type!: string;
  @FreeFormField({ description: "The event's data, by type (see docs/events.md)" }) data!: Record<string, unknown>;
  @NestedField(() => EventMetadataSchema) metadata!: EventMetadata;
  @TextField() streamId!: string;
  @PositionField({ description: 'Position inside its stream, from 0' }) revision!: number;
  @PositionField({ minimum: 1, description: 'Position in the global order: the list order' }) position!: number;
  @InstantField() recordedAt!: string;
}

export class AuditPageSchema extends ListPageSchema(RecordedEventSchema) {
  @PositionField({ description: 'Position of the last event in the log when the page was read' }) headPosition!: number;
}

import { ApiProperty } from '@nestjs/swagger';
import type { ParkedEvent, ParkedEventResolver, ParkedEventStatus } from '@escrow/projections/runtime/parked-events';
import type { ReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { CountField, EnumField, InstantField, NestedField, PositionField, TextField } from '../http/openapi/response-fields';

const PARKED_STATUSES: readonly ParkedEventStatus[] = ['parked', 'resolved'];

export class ParkedEventRefSchema {
  @PositionField({ minimum: 1 }) position!: number;
  @TextField() id!: string;
  @TextField() type!: string;
  @TextField() streamId!: string;
  @PositionField() revision!: number;
}

export class ReactionFailureSchema implements ReactionFailure {
  @TextField({ description: "The error's machine code (a domain code, SQLITE_…), otherwise its class name" }) code!: string;
  @TextField() message!: string;
}

export class ParkedEventSchema implements ParkedEvent {
  @PositionField({ minimum: 1, description: 'Given in the order events are parked: the list order' }) parkedId!: number;
  @TextField() reactor!: string;
  @EnumField(PARKED_STATUSES) status!: ParkedEventStatus;
  @NestedField(() => ParkedEventRefSchema) event!: ParkedEvent['event'];
  @NestedField(() => ReactionFailureSchema, { description: 'The latest refusal' }) error!: ReactionFailure;
  @InstantField() parkedAt!: string;
  @CountField({ description: 'Deliveries refused so far' }) attempts!: number;
  @InstantField() lastAttemptAt!: string;
  @InstantField({ nullable: true }) resolvedAt!: string | null;
  // Inline rather than a reference: validators read a nullable reference differently, a nullable object alike.
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { id: { type: 'string' }, role: { type: 'string' } },
    description: 'Who retried it successfully ({ id, role }); null until then',
  })
  resolvedBy!: ParkedEventResolver | null;
}

import type { ParkedEvent, ParkedEventResolver, ParkedEventStatus } from '@escrow/projections/runtime/parked-events';
import {
  CountField,
  EnumField,
  everyValueOf,
  IdField,
  InstantField,
  NestedField,
  PositionField,
  TextField,
} from '../http/openapi/response-fields';

const PARKED_EVENT_STATUSES = everyValueOf<ParkedEventStatus>()(['parked', 'resolved']);

type ParkedEventRef = ParkedEvent['event'];
type ParkedEventError = ParkedEvent['error'];

export class ParkedEventRefSchema implements ParkedEventRef {
  @PositionField({ minimum: 1 }) position!: number;
  @TextField({ description: 'The event id (a UUID)' }) id!: string;
  @TextField() type!: string;
  @TextField() streamId!: string;
  @PositionField() revision!: number;
}

export class ParkedEventErrorSchema implements ParkedEventError {
  @TextField({ description: 'The refusal code, e.g. a domain error code' }) code!: string;
  @TextField() message!: string;
}

export class ParkedEventResolverSchema implements ParkedEventResolver {
  @IdField() id!: string;
  @TextField() role!: string;
}

/** An event a reactor refused for good, as support sees it and as a retry answers it. */
export class ParkedEventSchema implements ParkedEvent {
  @PositionField({ minimum: 1 }) parkedId!: number;
  @TextField({ description: 'The reactor that refused it, e.g. wallet-credits' }) reactor!: string;
  @EnumField(PARKED_EVENT_STATUSES) status!: ParkedEventStatus;
  @NestedField(() => ParkedEventRefSchema) event!: ParkedEventRef;
  @NestedField(() => ParkedEventErrorSchema, { description: 'The latest refusal' }) error!: ParkedEventError;
  @InstantField() parkedAt!: string;
  @CountField({ description: 'Deliveries refused so far' }) attempts!: number;
  @InstantField() lastAttemptAt!: string;
  @InstantField({ nullable: true }) resolvedAt!: string | null;
  @NestedField(() => ParkedEventResolverSchema, { nullable: true }) resolvedBy!: ParkedEventResolver | null;
}

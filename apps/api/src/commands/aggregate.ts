import { currentShapeOf } from '@escrow/domain/event-schemas';
import type { Decider, DomainEvent } from '@escrow/domain/shared/decider';
import type { RecordedEvent } from '@escrow/event-store/port';

/** How the application stores one kind of aggregate: its decider, stream naming and event versions. */
export interface AggregateDefinition<Command, State, Event extends DomainEvent> {
  name: string;
  decider: Decider<Command, State, Event>;
  /** Current schema version of each event type this aggregate writes. */
  schemaVersions: Readonly<Record<string, number>>;
  /** Turns a stored event of any schema version into the current shape. */
  upcast(event: RecordedEvent): Event;
}

/** A stored event in its current shape, through the one upcaster registry every reader of the log shares. */
export const currentShape = <Event extends DomainEvent>(event: RecordedEvent): Event =>
  // Cast kept: a generic upcaster has no guard for an arbitrary Event; the stream holds only its aggregate's events.
  ({ type: event.type, data: currentShapeOf({ type: event.type, data: event.data, schemaVersion: event.metadata.schemaVersion }).data }) as unknown as Event;

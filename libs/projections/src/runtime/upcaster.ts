import { currentShapeOf } from '@escrow/domain/event-schemas';
import type { RecordedEvent } from '@escrow/event-store/port';

/**
 * Turns a stored event of an older schema version into the current shape before any handler sees it.
 * Must be pure: a rebuild passes every event through it again and must get the same result.
 */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/** Leaves every event as stored: for specs of the runtime itself. */
export const identityUpcaster: Upcaster = (event) => event;

/**
 * The service's upcaster: the domain's one registry of event shapes (`@escrow/domain/event-schemas`), the
 * same the command executor folds streams with. An event already in its current shape is handed on as is.
 */
export const registryUpcaster: Upcaster = (event) => {
  const { data, schemaVersion } = currentShapeOf({ type: event.type, data: event.data, schemaVersion: event.metadata.schemaVersion });
  return data === event.data ? event : { ...event, data, metadata: { ...event.metadata, schemaVersion } };
};

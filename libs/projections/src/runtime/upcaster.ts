import type { RecordedEvent } from '@escrow/event-store/port';

/**
 * Turns a stored event of an older schema version into the current shape before any handler sees it.
 * Must be pure: a rebuild passes every event through it again and must get the same result.
 */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/** Every event type is still at its first schema version, so nothing needs changing yet. */
export const identityUpcaster: Upcaster = (event) => event;

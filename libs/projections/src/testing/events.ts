import type { EventStore, EventToAppend } from '@escrow/event-store/port';

let sequence = 0;

/** An event ready to append, with the metadata every stored event carries. */
export function anEvent(type: string, data: Record<string, unknown> = {}, occurredAt = '2026-04-01T00:00:00.000Z'): EventToAppend {
  sequence++;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    type,
    data,
    metadata: {
      schemaVersion: 1,
      occurredAt,
      actor: { id: 'spec', role: 'system' },
      correlationId: `correlation-${sequence}`,
      causationId: `causation-${sequence}`,
    },
  };
}

/** Appends `count` events of a dummy type, one per append, to the stream; resolves with the last position. */
export async function appendNumbered(store: EventStore, count: number, streamId = 'numbers-1', type = 'Numbered'): Promise<number> {
  let position = 0;
  for (let index = 0; index < count; index++) {
    position = (await store.append(streamId, [anEvent(type, { index })], 'any')).position;
  }
  return position;
}

/** A clock that moves one second per reading, so recorded times are distinct and increasing. */
export function steppingClock(start = '2026-04-01T00:00:00.000Z'): () => Date {
  let millis = Date.parse(start);
  return () => {
    const now = new Date(millis);
    millis += 1000;
    return now;
  };
}

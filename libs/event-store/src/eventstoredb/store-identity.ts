/**
 * The identity of an EventStoreDB store. EventStoreDB has no place of ours to keep a store id, so it
 * is the first (and only) event of a stream of ours, created on first use by whichever replica asks
 * first: `no_stream` makes creation happen once, and a replica that loses the race reads the winner's.
 * The stream name has no `$`, so no system rights are needed to write it; the event appears in the
 * global order like any other fact, and projections ignore its type.
 */

import { systemClock } from '@escrow/clock';
import { randomUUID } from 'node:crypto';
import { EventStore, RecordedEvent, WrongExpectedRevisionError } from '../port';

export const STORE_IDENTITY_STREAM = 'escrow-store-identity';
export const STORE_IDENTIFIED_EVENT_TYPE = 'EventStoreIdentified';

const storeIdOf = (event: RecordedEvent): string => {
  const storeId = event.data.storeId;
  if (event.type !== STORE_IDENTIFIED_EVENT_TYPE || typeof storeId !== 'string' || storeId === '') {
    throw new Error(`The first event of ${STORE_IDENTITY_STREAM} is not a ${STORE_IDENTIFIED_EVENT_TYPE} with a storeId`);
  }
  return storeId;
};

/** Reads the store id, creating it when the store has none yet. */
export async function readOrCreateStoreId(store: Pick<EventStore, 'readStream' | 'append'>, clock: () => Date = systemClock.now): Promise<string> {
  const [first] = await store.readStream(STORE_IDENTITY_STREAM, { maxCount: 1 });
  if (first !== undefined) return storeIdOf(first);
  const storeId = randomUUID();
  const eventId = randomUUID();
  try {
    await store.append(
      STORE_IDENTITY_STREAM,
      [
        {
          id: eventId,
          type: STORE_IDENTIFIED_EVENT_TYPE,
          data: { storeId },
          metadata: {
            schemaVersion: 1,
            occurredAt: clock().toISOString(),
            actor: { id: 'event-store', role: 'system' },
            correlationId: eventId,
            causationId: eventId,
          },
        },
      ],
      'no_stream',
    );
    return storeId;
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const [winner] = await store.readStream(STORE_IDENTITY_STREAM, { maxCount: 1 });
    if (winner === undefined) throw error;
    return storeIdOf(winner);
  }
}

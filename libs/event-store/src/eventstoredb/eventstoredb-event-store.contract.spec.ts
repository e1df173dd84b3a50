/**
 * The shared store contract against a real EventStoreDB, when EVENTSTORE_CONNECTION_STRING names
 * one (for example `docker compose -f docker/compose.dev.yml up -d eventstore`, then
 * EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false'). Every test writes streams of its
 * own, so a database that already holds events is fine.
 */

import { randomUUID } from 'node:crypto';
import { EventStoreUnavailableError } from '../port';
import { describeEventStoreContract } from '../testing/store-contract';
import { InvalidConnectionStringError } from './esdb-client';
import { isTransientEsdbError } from './esdb-errors';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { SubscriptionDrop } from './resubscribing-all-subscription';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING?.trim();

if (connectionString) {
  describeEventStoreContract('EventStoreDbEventStore against a live server', async () => {
    const store = EventStoreDbEventStore.connect(connectionString);
    return {
      store,
      cleanup: () => store.close(),
      // Positions are log offsets (increasing, with gaps); ids are unique per stream, not globally.
      capabilities: { contiguousPositions: false, globallyUniqueEventIds: false, sharedStore: true },
    };
  });
} else {
  console.warn(
    'The EventStoreDB store-contract suite was not run: EVENTSTORE_CONNECTION_STRING is not set ' +
      "(no EventStoreDB server to test against; e.g. EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false').",
  );
}

describe('EventStoreDbEventStore.connect', () => {
  it.each(['', '   ', 'http://eventstore:2113', 'esdb://eventstore:port', 'esdb://eventstore:2113?tls=maybe', 'eventstore:2113'])(
    'rejects the malformed connection string %j without touching the network',
    (malformed) => {
      expect(() => EventStoreDbEventStore.connect(malformed)).toThrow(InvalidConnectionStringError);
    },
  );

  it('accepts a single node and a three-node cluster, connecting only on first use', async () => {
    for (const valid of [
      'esdb://localhost:2113?tls=false',
      'esdb://eventstore-1:2113,eventstore-2:2113,eventstore-3:2113?tls=false&nodePreference=leader',
    ]) {
      const store = EventStoreDbEventStore.connect(valid);
      await expect(store.close()).resolves.toBeUndefined();
    }
  });
});

/** With the real client: nothing listens on port 1, so every connection attempt is refused at once. */
describe('EventStoreDbEventStore when the server cannot be reached', () => {
  const unreachable = 'esdb://127.0.0.1:1?tls=false';

  it('fails every call with EventStoreUnavailableError', async () => {
    const store = EventStoreDbEventStore.connect(unreachable);
    const event = {
      id: randomUUID(),
      type: 'ContractOffered',
      data: {},
      metadata: {
        schemaVersion: 1,
        occurredAt: '2024-04-01T09:00:00.000Z',
        actor: { id: 'client-1', role: 'user' as const },
        correlationId: randomUUID(),
        causationId: randomUUID(),
      },
    };
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.append('contract-1', [event], 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream('contract-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('keeps resubscribing with growing delays and stops cleanly', async () => {
    const drops: SubscriptionDrop[] = [];
    const store = EventStoreDbEventStore.connect(unreachable, {
      resubscribeBackoff: { initialDelayMs: 5, maxDelayMs: 20, multiplier: 2, jitter: 0 },
      onSubscriptionDropped: (drop) => drops.push(drop),
    });
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll({ handler: async () => undefined, onError: (error) => errors.push(error) });
    try {
      const deadline = Date.now() + 10_000;
      while (drops.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));

      expect(drops.slice(0, 4).map((drop) => drop.delayMs)).toEqual([5, 10, 20, 20]);
      expect(drops.every((drop) => isTransientEsdbError(drop.error))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await subscription.stop();
      await store.close();
    }
  });
});

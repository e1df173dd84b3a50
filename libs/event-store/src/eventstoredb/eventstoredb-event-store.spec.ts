import { randomUUID } from 'node:crypto';
import { UnavailableError, type AppendToStreamOptions } from '@eventstore/db-client';
import { DuplicateEventIdError } from '../errors';
import { EventStoreUnavailableError, EventToAppend, WrongExpectedRevisionError } from '../port';
import { describeEventStoreContract } from '../testing/store-contract';
import { EventStoreDbEventStore, EventStoreDbEventStoreOptions } from './eventstoredb-event-store';
import { PositionOutOfRangeError } from './positions';
import { STORE_IDENTIFIED_EVENT_TYPE, STORE_IDENTITY_STREAM } from './store-identity';
import { StubEsdbClient } from './testing/stub-esdb-client';

const newEvent = (type = 'MilestonePaidOut', data: Record<string, unknown> = { amount: 100_000 }): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: {
    schemaVersion: 1,
    occurredAt: '2024-04-01T09:00:00.000Z',
    actor: { id: 'client-1', role: 'user' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    idempotencyKey: 'key-1',
  },
});

const newEvents = (count: number): EventToAppend[] => Array.from({ length: count }, (_, index) => newEvent('T', { index }));

function storeOnStub(options: EventStoreDbEventStoreOptions = {}): { store: EventStoreDbEventStore; client: StubEsdbClient } {
  const client = new StubEsdbClient();
  return { store: new EventStoreDbEventStore(client, options), client };
}

describeEventStoreContract('EventStoreDbEventStore on a simulated EventStoreDB client', async () => {
  const client = new StubEsdbClient();
  // Pages smaller than the suite's reads, so paging across system records is exercised too.
  const store = new EventStoreDbEventStore(client, { readPageSize: 4 });
  client.appendSystemEvent();
  return {
    store,
    cleanup: () => store.close(),
    capabilities: { contiguousPositions: false, globallyUniqueEventIds: false },
  };
});

describe('EventStoreDbEventStore', () => {
  describe('append', () => {
    it.each([
      ['any', 'any'],
      ['no_stream', 'no_stream'],
      ['stream_exists', 'stream_exists'],
    ] as const)("maps expected revision '%s' to the client's %s", async (expected, esdb) => {
      const { store, client } = storeOnStub();
      if (expected === 'stream_exists') await store.append('contract-1', [newEvent()], 'no_stream');

      await store.append('contract-1', [newEvent()], expected);

      expect(client.appendCalls.at(-1)?.options.expectedRevision).toBe(esdb);
    });

    it('maps an exact revision to a bigint', async () => {
      const { store, client } = storeOnStub();
      await store.append('contract-1', newEvents(3), 'no_stream');

      await store.append('contract-1', [newEvent()], 2);

      expect(client.appendCalls.at(-1)?.options.expectedRevision).toBe(2n);
    });

    it('passes event ids, types, JSON data and metadata through unchanged', async () => {
      const { store, client } = storeOnStub();
      const events = newEvents(2);

      await store.append('contract-1', events, 'no_stream');

      const sent = client.appendCalls[0].events;
      expect(sent.map((event) => event.id)).toEqual(events.map((event) => event.id));
      expect(sent.map((event) => event.type)).toEqual(['T', 'T']);
      expect(sent.map((event) => event.contentType)).toEqual(['application/json', 'application/json']);
      expect(sent.map((event) => event.data)).toEqual(events.map((event) => event.data));
      expect(sent[0].metadata).toEqual({
        ...events[0].metadata,
        $correlationId: events[0].metadata.correlationId,
        $causationId: events[0].metadata.causationId,
      });
    });

    it('sends the same ids when a command is retried, so the server can recognise the retry', async () => {
      const { store, client } = storeOnStub({ duplicateCheckWindow: 0 });
      const events = newEvents(2);
      const outcome = await store.append('contract-1', events, 'no_stream');

      // The first attempt landed but its answer was lost; the caller retries the same append.
      const retried = await store.append('contract-1', events, 'no_stream');

      expect(client.appendCalls.map((call) => call.events.map((event) => event.id))).toEqual([
        events.map((event) => event.id),
        events.map((event) => event.id),
      ]);
      expect(retried).toEqual(outcome);
      expect(client.log.filter((record) => record.streamId === 'contract-1')).toHaveLength(2);
    });

    it('reports an idempotent write acknowledged without a position as a duplicate', async () => {
      const { store, client } = storeOnStub({ duplicateCheckWindow: 0 });
      client.omitPositionOnIdempotentWrite = true;
      const events = newEvents(2);
      await store.append('contract-1', events, 'no_stream');

      const error = await store.append('contract-1', events, 'no_stream').catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ eventId: events[0].id, streamId: 'contract-1' });
    });

    it('refuses an id stored in the stream before sending anything', async () => {
      const { store, client } = storeOnStub();
      const stored = newEvent();
      await store.append('contract-1', [stored], 'no_stream');

      await expect(store.append('contract-1', [newEvent(), { ...stored }], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);

      expect(client.appendCalls).toHaveLength(1);
    });

    it('checks only the configured number of latest events for stored ids', async () => {
      const { store } = storeOnStub({ duplicateCheckWindow: 2 });
      const old = newEvent();
      await store.append('contract-1', [old, ...newEvents(2)], 'no_stream');

      // The old id is outside the window; EventStoreDB's own check is what remains for it.
      await expect(store.append('contract-1', [{ ...old }], 'any')).resolves.toMatchObject({ nextExpectedRevision: 3 });
    });

    it('refuses a stale expected revision before sending, with the actual revision', async () => {
      const { store, client } = storeOnStub();
      await store.append('contract-1', newEvents(3), 'no_stream');

      const error = await store.append('contract-1', [newEvent()], 0).catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: 'contract-1', expected: 0, actual: 2 });
      expect(client.appendCalls).toHaveLength(1);
    });

    it("maps the server's refusal when another writer got in between the check and the append", async () => {
      const { store, client } = storeOnStub();
      await store.append('contract-1', newEvents(1), 'no_stream');
      // Another replica appends right after this one read the stream's tail.
      const original = client.readStream.bind(client);
      jest.spyOn(client, 'readStream').mockImplementationOnce((name, options) => {
        const tail = original(name, options);
        client.log.push({ ...client.log[0], id: randomUUID(), revision: 1n, position: { commit: 9_999n, prepare: 9_999n } });
        return tail;
      });

      const error = await store.append('contract-1', [newEvent()], 0).catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ expected: 0, actual: 1 });
    });

    it('returns the revision and the commit position of the last event', async () => {
      const { store, client } = storeOnStub();
      client.nextPosition = 50_000n;

      const result = await store.append('contract-1', newEvents(3), 'no_stream');

      const last = client.log[client.log.length - 1];
      expect(result).toEqual({ nextExpectedRevision: 2, position: Number(last.position.commit) });
    });

    it('refuses a position beyond 2^53 - 1 instead of rounding it', async () => {
      const { store, client } = storeOnStub({ duplicateCheckWindow: 0 });
      client.nextPosition = 2n ** 53n + 1n;

      await expect(store.append('contract-1', [newEvent()], 'no_stream')).rejects.toBeInstanceOf(PositionOutOfRangeError);
    });

    it('turns an unreachable leader into EventStoreUnavailableError', async () => {
      const { store, client } = storeOnStub({ duplicateCheckWindow: 0 });
      client.failures.append.push(new UnavailableError());

      const error = await store.append('contract-1', [newEvent()], 'any').catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect((error as EventStoreUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
    });

    it('turns a failure of the pre-append read into EventStoreUnavailableError and sends nothing', async () => {
      const { store, client } = storeOnStub();
      client.failures.readStream.push(new UnavailableError());

      await expect(store.append('contract-1', [newEvent()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(client.appendCalls).toHaveLength(0);
    });

    it('refuses an event that cannot be serialised before sending anything', async () => {
      const { store, client } = storeOnStub({ duplicateCheckWindow: 0 });

      await expect(store.append('contract-1', [newEvent('T', { amount: 10n })], 'any')).rejects.toThrow(TypeError);
      expect(client.appendCalls).toHaveLength(0);
    });

    it('treats a result with success=false (throwOnAppendFailure=false) as a revision conflict', async () => {
      const { store, client } = storeOnStub({ duplicateCheckWindow: 0 });
      jest
        .spyOn(client, 'appendToStream')
        .mockImplementationOnce(async (_name: string, _events: unknown, _options: AppendToStreamOptions) => ({
          success: false,
          nextExpectedRevision: 4n,
          position: undefined,
        }));

      await expect(store.append('contract-1', [newEvent()], 1)).rejects.toMatchObject({ expected: 1, actual: 4 });
    });
  });

  describe('reads', () => {
    it('reads events back with metadata as appended and recordedAt from the server', async () => {
      const { store, client } = storeOnStub();
      client.clock = () => new Date('2024-04-01T09:00:00.123Z');
      const event = newEvent();
      await store.append('contract-1', [event], 'no_stream');

      const [read] = await store.readStream('contract-1');

      expect(read.metadata).toEqual(event.metadata);
      expect(read.recordedAt).toBe('2024-04-01T09:00:00.123Z');
    });

    it('excludes system events from readAll and pages across them', async () => {
      const { store, client } = storeOnStub({ readPageSize: 2 });
      const events = newEvents(5);
      for (const [index, event] of events.entries()) {
        client.appendSystemEvent();
        await store.append(`contract-${index}`, [event], 'no_stream');
        client.appendSystemEvent('$settings', '$metadata');
      }

      const all = await store.readAll();

      expect(all.map((event) => event.id)).toEqual(events.map((event) => event.id));
      expect(await store.readAll({ after: all[1].position, maxCount: 2 })).toEqual(all.slice(2, 4));
    });

    it('refuses to read an event whose position is beyond 2^53 - 1', async () => {
      const { store, client } = storeOnStub();
      await store.append('contract-1', [newEvent()], 'no_stream');
      client.log[0].position = { commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 1n };

      await expect(store.readAll()).rejects.toBeInstanceOf(PositionOutOfRangeError);
    });

    it('reads an unknown stream as empty', async () => {
      const { store } = storeOnStub();
      expect(await store.readStream('contract-unknown')).toEqual([]);
    });

    it('turns an unreachable server into EventStoreUnavailableError', async () => {
      const { store, client } = storeOnStub();
      client.failures.readAll.push(new UnavailableError());
      client.failures.readStream.push(new UnavailableError());

      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream('contract-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('headPosition', () => {
    it('is 0 for a store without user events', async () => {
      const { store, client } = storeOnStub();
      client.appendSystemEvent();
      expect(await store.headPosition()).toBe(0);
    });

    it('skips trailing system events, across pages', async () => {
      const { store, client } = storeOnStub({ readPageSize: 3 });
      const { position } = await store.append('contract-1', newEvents(2), 'no_stream');
      for (let index = 0; index < 10; index++) client.appendSystemEvent();

      expect(await store.headPosition()).toBe(position);
    });
  });

  describe('ping', () => {
    it('succeeds when the server answers', async () => {
      const { store } = storeOnStub();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('fails with EventStoreUnavailableError when the server is down', async () => {
      const { store, client } = storeOnStub();
      client.failures.readAll.push(new UnavailableError());
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('fails with EventStoreUnavailableError when the server does not answer in time', async () => {
      const { store, client } = storeOnStub({ pingTimeoutMs: 20 });
      client.hangReads = true;
      await expect(store.ping()).rejects.toThrow(/did not answer within 20 ms/);
    });
  });

  describe('close', () => {
    it('stops the subscriptions, disposes of the client and refuses further calls as unavailable', async () => {
      const { store, client } = storeOnStub();
      const subscription = store.subscribeToAll({ handler: async () => undefined });
      await new Promise((resolve) => setImmediate(resolve));

      await store.close();

      expect(client.disposed).toBe(true);
      expect(client.liveSubscriptions()).toEqual([]);
      await expect(subscription.stop()).resolves.toBeUndefined();
      await expect(store.append('contract-1', [newEvent()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  it('rejects options that cannot work', () => {
    const client = new StubEsdbClient();
    expect(() => new EventStoreDbEventStore(client, { readPageSize: 0 })).toThrow(RangeError);
    expect(() => new EventStoreDbEventStore(client, { duplicateCheckWindow: -1 })).toThrow(RangeError);
    expect(() => new EventStoreDbEventStore(client, { resubscribeBackoff: { multiplier: 0 } })).toThrow(RangeError);
  });
});

describe('EventStoreDbEventStore store identity', () => {
  it('is created once in its own stream: replicas asking at the same time all get the one id', async () => {
    const client = new StubEsdbClient();
    const replicas = Array.from({ length: 4 }, () => new EventStoreDbEventStore(client));
    const ids = await Promise.all(replicas.map((replica) => replica.storeId()));
    expect(new Set(ids).size).toBe(1);
    const identity = await replicas[0].readStream(STORE_IDENTITY_STREAM);
    expect(identity).toHaveLength(1);
    expect(identity[0]).toMatchObject({ type: STORE_IDENTIFIED_EVENT_TYPE, data: { storeId: ids[0] } });
    const later = new EventStoreDbEventStore(client);
    expect(await later.storeId()).toBe(ids[0]);
  });
});

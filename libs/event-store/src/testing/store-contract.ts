/**
 * The store contract: one suite that every EventStore adapter runs unchanged, from its own spec:
 *
 *   describeEventStoreContract('SqliteEventStore', async () => ({ store, cleanup, capabilities }));
 *
 * Every test uses streams of its own, so the suite also runs against a shared server that already
 * holds events (EventStoreDB); assertions on the whole log are made only where the adapter declares
 * that each factory call returns an empty store with contiguous positions.
 */

import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError } from '../errors';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../port';

export interface EventStoreContractCapabilities {
  /** Each factory call returns an empty store whose positions are exactly 1, 2, 3, … without gaps. */
  contiguousPositions: boolean;
  /** An event id is refused even when it was stored in another stream (default true). */
  globallyUniqueEventIds?: boolean;
  /** Every factory call connects to the same store, a shared server (default false: each call makes a new store). */
  sharedStore?: boolean;
  /** The adapter tells its committed head at once (`committedHeadPosition`; default false: it must not offer it). */
  committedHeadPosition?: boolean;
}

export interface EventStoreUnderTest {
  store: EventStore;
  cleanup(): Promise<void>;
  capabilities: EventStoreContractCapabilities;
}

const SUBSCRIPTION_TEST_TIMEOUT_MS = 20_000;

const newStreamId = (label: string): string => `contract-${label}-${randomUUID()}`;

const newEvent = (type = 'ContractTested', data: Record<string, unknown> = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: {
    schemaVersion: 1,
    occurredAt: '2024-04-01T09:00:00.000Z',
    actor: { id: 'client-1', role: 'user' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    idempotencyKey: randomUUID(),
  },
});

const newEvents = (count: number, type?: string): EventToAppend[] =>
  Array.from({ length: count }, (_, index) => newEvent(type, { index }));

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${description}`);
    await delay(5);
  }
}

async function expectWrongExpectedRevision(
  append: Promise<AppendResult>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number,
): Promise<void> {
  const error = await append.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ streamId, expected, actual });
}

function expectStrictlyIncreasing(positions: number[]): void {
  for (let index = 1; index < positions.length; index++) {
    expect(positions[index]).toBeGreaterThan(positions[index - 1]);
  }
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, index) => from + index);

export function describeEventStoreContract(name: string, factory: () => Promise<EventStoreUnderTest>): void {
  describe(`${name} (event store contract)`, () => {
    let store: EventStore;
    let capabilities: EventStoreContractCapabilities;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, capabilities, cleanup } = await factory());
    });

    afterEach(async () => {
      await cleanup();
    });

    /** The events of the given streams in global order, after `after`. */
    const readOwn = async (streamIds: readonly string[], after = 0): Promise<RecordedEvent[]> => {
      const wanted = new Set(streamIds);
      return (await store.readAll({ after })).filter((event) => wanted.has(event.streamId));
    };

    /** Positions of consecutive appends: +1 per event when contiguous, otherwise only increasing. */
    const expectFollows = (later: number, earlier: number, eventsBetween: number) => {
      if (capabilities.contiguousPositions) expect(later).toBe(earlier + eventsBetween);
      else expect(later).toBeGreaterThan(earlier);
    };

    describe('append and read back', () => {
      it('returns every field as appended, with revisions, positions and recordedAt from the store', async () => {
        const streamId = newStreamId('fields');
        const withKey = newEvent('EscrowFunded', {
          contractId: 'c-1',
          amount: 110_000,
          largestSafeInteger: Number.MAX_SAFE_INTEGER,
          title: 'ロゴ制作（修正2回まで）',
          milestones: [{ id: 'm-1', amount: 100_000, dueDate: '2024-05-31' }],
          note: null,
          flagged: false,
        });
        const withoutKey = newEvent('MilestoneDelivered', { deliverables: [{ uri: 'https://example.test/a.zip' }] });
        delete withoutKey.metadata.idempotencyKey;
        const before = Date.now();

        const result = await store.append(streamId, [withKey, withoutKey], 'no_stream');
        const read = await store.readStream(streamId);

        expect(read).toHaveLength(2);
        expect(read.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual([withKey, withoutKey]);
        expect(read[1].metadata).not.toHaveProperty('idempotencyKey');
        expect(read.map((event) => event.streamId)).toEqual([streamId, streamId]);
        expect(read.map((event) => event.revision)).toEqual([0, 1]);
        expectFollows(read[1].position, read[0].position, 1);
        expect(result).toEqual({ nextExpectedRevision: 1, position: read[1].position });
        for (const event of read) {
          expect(event.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
          const recordedAt = Date.parse(event.recordedAt);
          expect(recordedAt).toBeGreaterThanOrEqual(before - 1000);
          expect(recordedAt).toBeLessThanOrEqual(Date.now() + 1000);
        }
        expect(await readOwn([streamId])).toEqual(read);
      });

      it('continues the revisions of a stream across appends', async () => {
        const streamId = newStreamId('revisions');
        const first = await store.append(streamId, newEvents(2), 'no_stream');
        const second = await store.append(streamId, newEvents(3), 1);
        const third = await store.append(streamId, newEvents(1), 'any');

        expect([first.nextExpectedRevision, second.nextExpectedRevision, third.nextExpectedRevision]).toEqual([1, 4, 5]);
        expectFollows(second.position, first.position, 3);
        expectFollows(third.position, second.position, 1);
        expect((await store.readStream(streamId)).map((event) => event.revision)).toEqual(range(0, 6));
      });

      it('hands out copies: changing what was appended or read does not change the store', async () => {
        const streamId = newStreamId('copies');
        const event = newEvent('ContractOffered', { milestones: [{ amount: 5000 }] });
        await store.append(streamId, [event], 'no_stream');
        (event.data.milestones as Array<{ amount: number }>)[0].amount = 1;
        const [read] = await store.readStream(streamId);
        (read.data.milestones as Array<{ amount: number }>)[0].amount = 2;
        read.metadata.actor.id = 'someone-else';

        const [again] = await store.readStream(streamId);
        expect(again.data).toEqual({ milestones: [{ amount: 5000 }] });
        expect(again.metadata.actor.id).toBe('client-1');
      });

      it('reads a stream that does not exist as an empty array', async () => {
        expect(await store.readStream(newStreamId('missing'))).toEqual([]);
      });

      it('refuses malformed appends and writes nothing', async () => {
        const streamId = newStreamId('malformed');
        await expect(store.append(streamId, [], 'any')).rejects.toThrow(TypeError);
        await expect(store.append(streamId, [{ ...newEvent(), id: 'not-a-uuid' }], 'any')).rejects.toThrow(TypeError);
        await expect(store.append(streamId, [newEvent()], -1)).rejects.toThrow(RangeError);
        await expect(store.append(streamId, [newEvent()], 0.5)).rejects.toThrow(RangeError);
        await expect(store.append(streamId, [newEvent('T', { amount: BigInt(1) })], 'any')).rejects.toThrow();
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it("'any' appends to a new and to an existing stream", async () => {
        const streamId = newStreamId('any');
        expect((await store.append(streamId, [newEvent()], 'any')).nextExpectedRevision).toBe(0);
        expect((await store.append(streamId, [newEvent()], 'any')).nextExpectedRevision).toBe(1);
      });

      it("'no_stream' creates a stream and is refused once the stream exists", async () => {
        const streamId = newStreamId('no-stream');
        await store.append(streamId, newEvents(2), 'no_stream');
        await expectWrongExpectedRevision(store.append(streamId, [newEvent()], 'no_stream'), streamId, 'no_stream', 1);
      });

      it("'stream_exists' is refused for a missing stream and accepted for an existing one", async () => {
        const streamId = newStreamId('stream-exists');
        await expectWrongExpectedRevision(store.append(streamId, [newEvent()], 'stream_exists'), streamId, 'stream_exists', -1);
        await store.append(streamId, [newEvent()], 'no_stream');
        expect((await store.append(streamId, [newEvent()], 'stream_exists')).nextExpectedRevision).toBe(1);
      });

      it('an exact revision is accepted only when it is the revision of the last event', async () => {
        const streamId = newStreamId('exact');
        await expectWrongExpectedRevision(store.append(streamId, [newEvent()], 0), streamId, 0, -1);
        await store.append(streamId, newEvents(3), 'no_stream');
        await expectWrongExpectedRevision(store.append(streamId, [newEvent()], 1), streamId, 1, 2);
        await expectWrongExpectedRevision(store.append(streamId, [newEvent()], 3), streamId, 3, 2);
        expect((await store.append(streamId, [newEvent()], 2)).nextExpectedRevision).toBe(3);
      });

      it('a refused append writes nothing', async () => {
        const streamId = newStreamId('refused');
        const existing = newEvents(2);
        await store.append(streamId, existing, 'no_stream');
        const head = await store.headPosition();

        await expect(store.append(streamId, newEvents(3), 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);

        expect((await store.readStream(streamId)).map((event) => event.id)).toEqual(existing.map((event) => event.id));
        if (capabilities.contiguousPositions) expect(await store.headPosition()).toBe(head);
      });
    });

    describe('atomic multi-event appends', () => {
      it('stores the events of one append together, in order', async () => {
        const streamId = newStreamId('atomic');
        const events = newEvents(5);
        const result = await store.append(streamId, events, 'no_stream');
        const read = await store.readStream(streamId);

        expect(read.map((event) => event.id)).toEqual(events.map((event) => event.id));
        expect(read.map((event) => event.revision)).toEqual(range(0, 5));
        expectStrictlyIncreasing(read.map((event) => event.position));
        if (capabilities.contiguousPositions) {
          expect(read.map((event) => event.position)).toEqual(range(result.position - 4, 5));
        }
        expect(result.position).toBe(read[4].position);
      });

      it('an append whose last event fails writes none of its events, and their ids stay usable', async () => {
        const streamId = newStreamId('all-or-nothing');
        const stored = newEvent();
        await store.append(streamId, [stored], 'no_stream');
        const fresh = newEvents(2);

        await expect(store.append(streamId, [...fresh, { ...newEvent(), id: stored.id }], 'any')).rejects.toBeInstanceOf(
          DuplicateEventIdError,
        );
        expect((await store.readStream(streamId)).map((event) => event.id)).toEqual([stored.id]);

        await store.append(streamId, fresh, 0);
        expect((await store.readStream(streamId)).map((event) => event.id)).toEqual([stored.id, ...fresh.map((e) => e.id)]);
      });
    });

    describe('duplicate event ids', () => {
      it('refuses an event id already stored in the stream', async () => {
        const streamId = newStreamId('duplicate');
        const event = newEvent();
        await store.append(streamId, [event], 'no_stream');

        const error = await store.append(streamId, [{ ...event }], 'any').catch((reason: unknown) => reason);

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId: event.id, streamId });
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('refuses an append that carries the same event id twice', async () => {
        const streamId = newStreamId('duplicate-within');
        const event = newEvent();
        await expect(store.append(streamId, [event, { ...event }], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('refuses an event id already stored in another stream', async () => {
        if (capabilities.globallyUniqueEventIds === false) return;
        const event = newEvent();
        await store.append(newStreamId('duplicate-first'), [event], 'no_stream');
        const otherStream = newStreamId('duplicate-other');

        await expect(store.append(otherStream, [{ ...event }], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(otherStream)).toEqual([]);
      });
    });

    describe('concurrent appends', () => {
      it('of one stream with the same expected revision: exactly one wins, the others see its revision', async () => {
        const streamId = newStreamId('race');
        await store.append(streamId, [newEvent()], 'no_stream');
        const contenders = Array.from({ length: 10 }, () => newEvents(2));

        const outcomes = await Promise.allSettled(contenders.map((events) => store.append(streamId, events, 0)));

        const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
        expect(winners).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
            expect(outcome.reason).toMatchObject({ streamId, expected: 0, actual: 2 });
          }
        }
        const read = await store.readStream(streamId);
        expect(read.slice(1).map((event) => event.id)).toEqual(contenders[winners[0]].map((event) => event.id));
      });

      it("of one stream with 'no_stream': exactly one creates it", async () => {
        const streamId = newStreamId('race-create');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () => store.append(streamId, [newEvent()], 'no_stream')),
        );
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('of different streams all succeed with distinct positions', async () => {
        const streamIds = Array.from({ length: 20 }, (_, index) => newStreamId(`parallel-${index}`));

        const results = await Promise.all(streamIds.map((streamId) => store.append(streamId, newEvents(3), 'no_stream')));

        expect(new Set(results.map((result) => result.position)).size).toBe(20);
        const own = await readOwn(streamIds);
        expect(own).toHaveLength(60);
        expect(own.map((event) => event.position).sort((a, b) => a - b)).toEqual(own.map((event) => event.position));
        for (const [index, streamId] of streamIds.entries()) {
          const stream = own.filter((event) => event.streamId === streamId);
          expect(stream.map((event) => event.revision)).toEqual([0, 1, 2]);
          expect(results[index]).toEqual({ nextExpectedRevision: 2, position: stream[2].position });
        }
      });
    });

    describe('global order', () => {
      it('gives every event one position, strictly increasing (1..N without gaps when contiguous)', async () => {
        const streamIds = [newStreamId('order-a'), newStreamId('order-b'), newStreamId('order-c')];
        const base = await store.headPosition();
        await Promise.all(
          streamIds.map(async (streamId, index) => {
            for (let round = 0; round < 4; round++) await store.append(streamId, newEvents(index + 1), 'any');
          }),
        );

        const own = await readOwn(streamIds, base);
        expect(own).toHaveLength(24);
        expectStrictlyIncreasing(own.map((event) => event.position));
        expect(new Set(own.map((event) => event.id)).size).toBe(24);
        if (capabilities.contiguousPositions) {
          expect(base).toBe(0);
          expect((await store.readAll()).map((event) => event.position)).toEqual(range(1, 24));
          expect(await store.headPosition()).toBe(24);
        }
      });

      it('readAll returns events strictly after `after`, at most `maxCount`', async () => {
        const streamId = newStreamId('read-all');
        const base = await store.headPosition();
        await store.append(streamId, newEvents(8), 'no_stream');
        const own = await readOwn([streamId], base);
        const after = own[2].position;

        const page = await store.readAll({ after, maxCount: 4 });
        const everythingAfter = await store.readAll({ after });

        expect(page).toEqual(everythingAfter.slice(0, 4));
        expect(page[0]).toEqual(own[3]);
        if (capabilities.contiguousPositions) expect(page.map((event) => event.position)).toEqual(range(after + 1, 4));
        for (const event of everythingAfter) expect(event.position).toBeGreaterThan(after);
        expect(everythingAfter.filter((event) => event.streamId === streamId)).toEqual(own.slice(3));
        expect(await store.readAll({ maxCount: 0 })).toEqual([]);
        expect(await store.readAll({ after: await store.headPosition() })).toEqual([]);
        if (capabilities.contiguousPositions) expect(await store.readAll({ maxCount: 3 })).toEqual(own.slice(0, 3));
      });

      it('readStream honours fromRevision and maxCount', async () => {
        const streamId = newStreamId('read-stream');
        await store.append(streamId, newEvents(6), 'no_stream');

        expect((await store.readStream(streamId, { fromRevision: 2, maxCount: 3 })).map((e) => e.revision)).toEqual([2, 3, 4]);
        expect((await store.readStream(streamId, { fromRevision: 4 })).map((e) => e.revision)).toEqual([4, 5]);
        expect((await store.readStream(streamId, { maxCount: 2 })).map((e) => e.revision)).toEqual([0, 1]);
        expect(await store.readStream(streamId, { fromRevision: 6 })).toEqual([]);
        expect(await store.readStream(streamId, { maxCount: 0 })).toEqual([]);
      });

      it('headPosition is the position of the last appended event', async () => {
        if (capabilities.contiguousPositions) expect(await store.headPosition()).toBe(0);
        await store.append(newStreamId('head'), newEvents(2), 'no_stream');
        const last = await store.append(newStreamId('head'), newEvents(3), 'no_stream');
        const head = await store.headPosition();
        if (capabilities.contiguousPositions) expect(head).toBe(5);
        // A shared server may have taken further appends meanwhile, never fewer.
        expect(head).toBeGreaterThanOrEqual(last.position);
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('committed head position', () => {
      it('is offered by the adapters that declare it, and then is the head after every settled append, an append holding consecutive positions', async () => {
        expect(typeof store.committedHeadPosition).toBe(capabilities.committedHeadPosition === true ? 'function' : 'undefined');
        if (store.committedHeadPosition === undefined) return;
        const streamId = newStreamId('committed-head');
        const before = store.committedHeadPosition();
        expect(before).toBe(await store.headPosition());
        const pending = store.append(streamId, newEvents(3), 'no_stream');
        // Told at once: an adapter that queues its appends does not count this one before it has committed.
        const meanwhile = store.committedHeadPosition();
        const appended = await pending;
        expect(meanwhile === before || meanwhile === appended.position).toBe(true);
        const after = store.committedHeadPosition();
        expect(after).toBe(await store.headPosition());
        expect(after).toBeGreaterThanOrEqual(appended.position);
        expectFollows(after, before, 3);
        expect((await store.readStream(streamId)).map((event) => event.position)).toEqual(range(appended.position - 2, 3));
        const second = await store.append(streamId, newEvents(2), 2);
        expect(store.committedHeadPosition()).toBe(second.position);
      });
    });

    describe('store identity', () => {
      const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

      it('has an id, a UUID that stays the same across calls and appends', async () => {
        const first = await store.storeId();
        expect(first).toMatch(UUID);
        await store.append(newStreamId('identity'), newEvents(2), 'no_stream');
        const again = await Promise.all([store.storeId(), store.storeId()]);
        expect(again).toEqual([first, first]);
      });

      it('gives a store of its own an id of its own', async () => {
        const other = await factory();
        try {
          const [mine, theirs] = [await store.storeId(), await other.store.storeId()];
          // A shared server is one store whichever connection asks; a fresh store is another one.
          if (capabilities.sharedStore === true) expect(theirs).toBe(mine);
          else expect(theirs).not.toBe(mine);
        } finally {
          await other.cleanup();
        }
      });
    });

    describe('subscribeToAll', () => {
      it(
        'catches up, then delivers live appends made concurrently, in order, without loss or duplicates',
        async () => {
          const streamIds = Array.from({ length: 5 }, (_, index) => newStreamId(`subscription-${index}`));
          const base = await store.headPosition();
          for (const streamId of streamIds) await store.append(streamId, newEvents(5), 'no_stream');

          const wanted = new Set(streamIds);
          const received: RecordedEvent[] = [];
          const batchSizes: number[] = [];
          let inFlight = 0;
          let overlapped = false;
          const errors: unknown[] = [];
          const subscription = store.subscribeToAll({
            after: base,
            maxBatchSize: 7,
            handler: async (events) => {
              inFlight++;
              if (inFlight > 1) overlapped = true;
              batchSizes.push(events.length);
              received.push(...events);
              await delay(1);
              inFlight--;
            },
            onError: (error) => errors.push(error),
          });
          try {
            await Promise.all(
              streamIds.map(async (streamId, index) => {
                for (let round = 0; round < 5; round++) {
                  await store.append(streamId, newEvents(1 + ((index + round) % 3)), 'stream_exists');
                  if (round % 2 === 0) await delay(2);
                }
              }),
            );
            const expected = await readOwn(streamIds, base);
            await waitUntil(
              () => received.filter((event) => wanted.has(event.streamId)).length >= expected.length,
              'every appended event was delivered',
            );
            await delay(50);

            expect(received.filter((event) => wanted.has(event.streamId))).toEqual(expected);
            expectStrictlyIncreasing(received.map((event) => event.position));
            expect(received[0].position).toBeGreaterThan(base);
            expect(Math.max(...batchSizes)).toBeLessThanOrEqual(7);
            expect(overlapped).toBe(false);
            expect(errors).toEqual([]);
          } finally {
            await subscription.stop();
          }
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'resumes strictly after a checkpoint',
        async () => {
          const streamId = newStreamId('checkpoint');
          await store.append(streamId, newEvents(5), 'no_stream');
          const stream = await store.readStream(streamId);
          const received: RecordedEvent[] = [];
          const subscription = store.subscribeToAll({
            after: stream[2].position,
            handler: async (events) => {
              received.push(...events.filter((event) => event.streamId === streamId));
            },
          });
          try {
            await waitUntil(() => received.length >= 2, 'the events after the checkpoint were delivered');
            await delay(30);
            expect(received).toEqual(stream.slice(3));
          } finally {
            await subscription.stop();
          }
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'delivers appends made after it turned live',
        async () => {
          const streamId = newStreamId('live');
          const received: RecordedEvent[] = [];
          const subscription = store.subscribeToAll({
            after: await store.headPosition(),
            handler: async (events) => {
              received.push(...events.filter((event) => event.streamId === streamId));
            },
          });
          try {
            await delay(30);
            expect(received).toEqual([]);
            const events = newEvents(3);
            await store.append(streamId, events, 'no_stream');
            await waitUntil(() => received.length >= 3, 'the live append was delivered');
            expect(received.map((event) => event.id)).toEqual(events.map((event) => event.id));
          } finally {
            await subscription.stop();
          }
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'stop() waits for the handler in flight and nothing is delivered afterwards',
        async () => {
          const streamId = newStreamId('stop');
          const base = await store.headPosition();
          await store.append(streamId, [newEvent()], 'no_stream');
          let releaseHandler: () => void = () => undefined;
          const handlerReleased = new Promise<void>((resolve) => (releaseHandler = resolve));
          let calls = 0;
          let handlerEntered = false;
          const subscription = store.subscribeToAll({
            after: base,
            handler: async () => {
              calls++;
              handlerEntered = true;
              await handlerReleased;
            },
          });
          await waitUntil(() => handlerEntered, 'the handler was called');

          let stopped = false;
          const stopping = subscription.stop().then(() => {
            stopped = true;
          });
          await delay(30);
          expect(stopped).toBe(false);
          releaseHandler();
          await stopping;
          expect(stopped).toBe(true);

          const callsAtStop = calls;
          await store.append(streamId, newEvents(2), 'any');
          await delay(300);
          expect(calls).toBe(callsAtStop);
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'a failing handler stops the subscription and reaches onError',
        async () => {
          const streamId = newStreamId('failing');
          const base = await store.headPosition();
          await store.append(streamId, [newEvent()], 'no_stream');
          const failure = new Error('projection failed');
          const errors: unknown[] = [];
          let calls = 0;
          const subscription = store.subscribeToAll({
            after: base,
            handler: async () => {
              calls++;
              throw failure;
            },
            onError: (error) => errors.push(error),
          });
          try {
            await waitUntil(() => errors.length > 0, 'onError was called');
            await store.append(streamId, [newEvent()], 'any');
            await delay(300);
            expect(errors).toEqual([failure]);
            expect(calls).toBe(1);
          } finally {
            await subscription.stop();
          }
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );
    });
  });
}

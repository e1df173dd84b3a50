import { randomUUID } from 'node:crypto';
import { AccessDeniedError, START, UnavailableError } from '@eventstore/db-client';
import { EventToAppend, RecordedEvent } from '../port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { SubscriptionDrop } from './resubscribing-all-subscription';
import { StubEsdbClient } from './testing/stub-esdb-client';

const newEvents = (count: number): EventToAppend[] =>
  Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'EscrowFunded',
    data: { index },
    metadata: {
      schemaVersion: 1,
      occurredAt: '2024-04-01T09:00:00.000Z',
      actor: { id: 'client-1', role: 'user' as const },
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  }));

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function waitUntil(condition: () => boolean, description: string): Promise<void> {
  for (let turn = 0; turn < 2000; turn++) {
    if (condition()) return;
    await tick();
  }
  throw new Error(`Timed out waiting until ${description}`);
}

interface Harness {
  client: StubEsdbClient;
  store: EventStoreDbEventStore;
  /** Delays the subscription asked to wait, in order. */
  sleeps: number[];
  drops: SubscriptionDrop[];
}

/** A store whose waits between resubscriptions are recorded and return at once. */
function harness(): Harness {
  const client = new StubEsdbClient();
  const sleeps: number[] = [];
  const drops: SubscriptionDrop[] = [];
  const store = new EventStoreDbEventStore(client, {
    duplicateCheckWindow: 0,
    resubscribeBackoff: { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.5 },
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onSubscriptionDropped: (drop) => drops.push(drop),
  });
  return { client, store, sleeps, drops };
}

const ids = (events: Array<{ id: string }>) => events.map((event) => event.id);

describe('EventStoreDB subscribeToAll', () => {
  it('subscribes to $all excluding system events, from the start or strictly after the checkpoint', async () => {
    const { client, store } = harness();
    const first = store.subscribeToAll({ handler: async () => undefined });
    const second = store.subscribeToAll({ after: 5_000, handler: async () => undefined });
    await waitUntil(() => client.subscriptions.length === 2, 'both subscribed');

    expect(client.subscriptions[0].options).toMatchObject({
      fromPosition: START,
      resolveLinkTos: false,
      filter: { filterOn: 'eventType', regex: '^[^$].*' },
    });
    expect(client.subscriptions[1].options.fromPosition).toEqual({ commit: 5_000n, prepare: 5_000n });
    await Promise.all([first.stop(), second.stop()]);
  });

  it('skips system events even when the server lets them through', async () => {
    const { client, store } = harness();
    client.appendSystemEvent();
    const events = newEvents(2);
    await store.append('contract-1', events, 'no_stream');
    client.appendSystemEvent('$$contract-1', '$metadata');
    const received: RecordedEvent[] = [];

    const subscription = store.subscribeToAll({ handler: async (batch) => void received.push(...batch) });
    await waitUntil(() => received.length === 2, 'the user events were delivered');
    await tick();

    expect(ids(received)).toEqual(ids(events));
    await subscription.stop();
  });

  it('resubscribes after a dropped connection without losing or repeating events', async () => {
    const { client, store, drops } = harness();
    // The new subscription replays the checkpoint event too; the adapter must not deliver it again.
    client.subscriptionReplaysFromPosition = true;
    const before = newEvents(10);
    await store.append('contract-1', before, 'no_stream');
    const received: RecordedEvent[] = [];
    let releaseHandler: () => void = () => undefined;
    let gate: Promise<void> | undefined = new Promise<void>((resolve) => (releaseHandler = resolve));
    let handlerEntered = false;

    const subscription = store.subscribeToAll({
      maxBatchSize: 3,
      handler: async (batch) => {
        handlerEntered = true;
        if (gate) await gate;
        received.push(...batch);
      },
    });
    await waitUntil(() => handlerEntered, 'the first batch reached the handler');

    // The connection drops while the first batch is being handled, and events keep being written.
    client.dropSubscriptions(new UnavailableError());
    const during = newEvents(4);
    await store.append('contract-2', during, 'no_stream');
    gate = undefined;
    releaseHandler();

    const after = newEvents(3);
    await waitUntil(() => client.liveSubscriptions().length === 1 && client.subscriptions.length === 2, 'resubscribed');
    await store.append('contract-3', after, 'no_stream');
    await waitUntil(() => received.length >= 17, 'every event was delivered');
    await tick();

    expect(ids(received)).toEqual(ids([...before, ...during, ...after]));
    expect(drops).toHaveLength(1);
    expect(drops[0].resumeAfter).toBe(received[2].position);
    expect(client.subscriptions[1].options.fromPosition).toEqual({
      commit: BigInt(received[2].position),
      prepare: BigInt(received[2].position),
    });
    await subscription.stop();
  });

  it('waits longer after each failed attempt, up to the cap, and starts over once events flow again', async () => {
    const { client, store, sleeps, drops } = harness();
    for (let attempt = 0; attempt < 7; attempt++) client.failures.subscribe.push(new UnavailableError());
    const events = newEvents(2);
    await store.append('contract-1', events, 'no_stream');
    const received: RecordedEvent[] = [];

    const subscription = store.subscribeToAll({ handler: async (batch) => void received.push(...batch) });
    await waitUntil(() => received.length === 2, 'delivery after the outage');

    expect(sleeps).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(drops.map((drop) => drop.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(drops.every((drop) => drop.error instanceof UnavailableError)).toBe(true);

    client.dropSubscriptions(new UnavailableError());
    await waitUntil(() => sleeps.length === 8, 'the next drop');
    expect(sleeps[7]).toBe(100);
    expect(ids(received)).toEqual(ids(events));
    await subscription.stop();
  });

  it('draws jittered delays within the policy', async () => {
    const client = new StubEsdbClient();
    const sleeps: number[] = [];
    const draws = [0.9, 0.1, 0.5];
    const store = new EventStoreDbEventStore(client, {
      resubscribeBackoff: { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.5 },
      random: () => draws.shift() ?? 0,
      sleep: async (ms) => void sleeps.push(ms),
    });
    for (let attempt = 0; attempt < 3; attempt++) client.failures.subscribe.push(new UnavailableError());

    const subscription = store.subscribeToAll({ handler: async () => undefined });
    await waitUntil(() => sleeps.length === 3, 'three retries');

    expect(sleeps).toEqual([55, 190, 300]);
    await subscription.stop();
  });

  it('resubscribes when the server ends the subscription', async () => {
    const { client, store, sleeps } = harness();
    const subscription = store.subscribeToAll({ handler: async () => undefined });
    await waitUntil(() => client.subscriptions.length === 1, 'subscribed');

    client.subscriptions[0].stream.end();

    await waitUntil(() => client.subscriptions.length === 2, 'resubscribed');
    expect(sleeps).toEqual([100]);
    await subscription.stop();
  });

  it('hands over one batch at a time and reads no further while the handler works', async () => {
    const { client, store } = harness();
    await store.append('contract-1', newEvents(50), 'no_stream');
    const batches: number[] = [];
    let inFlight = 0;
    let overlapped = false;
    let release: () => void = () => undefined;

    const subscription = store.subscribeToAll({
      maxBatchSize: 10,
      handler: async (batch) => {
        inFlight++;
        overlapped ||= inFlight > 1;
        batches.push(batch.length);
        await new Promise<void>((resolve) => (release = resolve));
        inFlight--;
      },
    });
    await waitUntil(() => batches.length === 1, 'the first batch');
    for (let turn = 0; turn < 20; turn++) await tick();

    const stream = client.subscriptions[0].stream;
    expect(batches).toEqual([10]);
    // The 40 undelivered events are still waiting in the stream (one may be counted on both sides of it).
    expect(stream.readableLength + stream.writableLength).toBeGreaterThanOrEqual(40);

    for (let handled = 1; handled < 5; handled++) {
      release();
      await waitUntil(() => batches.length === handled + 1, `batch ${handled + 1}`);
    }
    release();
    expect(batches).toEqual([10, 10, 10, 10, 10]);
    expect(overlapped).toBe(false);
    await subscription.stop();
  });

  it('stops and reports when the handler fails, without retrying', async () => {
    const { client, store, sleeps } = harness();
    await store.append('contract-1', newEvents(3), 'no_stream');
    const failure = new Error('projection failed');
    const errors: unknown[] = [];
    let calls = 0;

    store.subscribeToAll({
      handler: async () => {
        calls++;
        throw failure;
      },
      onError: (error) => errors.push(error),
    });
    await waitUntil(() => errors.length === 1, 'onError');
    await store.append('contract-1', newEvents(1), 'any');
    for (let turn = 0; turn < 20; turn++) await tick();

    expect(errors).toEqual([failure]);
    expect(calls).toBe(1);
    expect(client.subscriptions).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('stops and reports an error that retrying cannot cure', async () => {
    const { client, store } = harness();
    const denied = new AccessDeniedError();
    client.failures.subscribe.push(denied);
    const errors: unknown[] = [];

    store.subscribeToAll({ handler: async () => undefined, onError: (error) => errors.push(error) });
    await waitUntil(() => errors.length === 1, 'onError');

    expect(errors).toEqual([denied]);
    expect(client.subscriptions).toHaveLength(1);
  });

  it('stop() ends a wait between attempts at once', async () => {
    const client = new StubEsdbClient();
    const store = new EventStoreDbEventStore(client, { resubscribeBackoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    client.failures.subscribe.push(new UnavailableError());
    const subscription = store.subscribeToAll({ handler: async () => undefined });
    await waitUntil(() => client.subscriptions[0]?.stream.destroyed === true, 'the first attempt failed');

    const started = Date.now();
    await subscription.stop();

    expect(Date.now() - started).toBeLessThan(1000);
    expect(client.subscriptions).toHaveLength(1);
  });

  it('stop() while waiting for events releases the subscription', async () => {
    const { client, store } = harness();
    const subscription = store.subscribeToAll({ handler: async () => undefined });
    await waitUntil(() => client.subscriptions.length === 1, 'subscribed');

    await subscription.stop();

    expect(client.subscriptions[0].unsubscribed).toBe(true);
    expect(client.liveSubscriptions()).toEqual([]);
  });

  it('refuses invalid options', () => {
    const { store } = harness();
    expect(() => store.subscribeToAll({ after: -1, handler: async () => undefined })).toThrow(RangeError);
    expect(() => store.subscribeToAll({ maxBatchSize: 0, handler: async () => undefined })).toThrow(RangeError);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateEventIdError } from '../errors';
import { AppendResult, EventStoreUnavailableError, EventToAppend, RecordedEvent, WrongExpectedRevisionError } from '../port';
import { describeEventStoreContract } from '../testing/store-contract';
import { EVENT_STORE_SCHEMA_VERSION } from './schema';
import { openSqliteDatabase } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

const newEvent = (data: Record<string, unknown> = {}): EventToAppend => ({
  id: randomUUID(),
  type: 'SqliteTested',
  data,
  metadata: {
    schemaVersion: 1,
    occurredAt: '2024-04-01T09:00:00.000Z',
    actor: { id: 'worker-1', role: 'user' },
    correlationId: 'correlation-1',
    causationId: 'causation-1',
  },
});
const newEvents = (count: number) => Array.from({ length: count }, (_, index) => newEvent({ index }));
const ids = (events: Array<{ id: string }>) => events.map((event) => event.id);
const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${description}`);
    await delay(5);
  }
}

const WRITER_MODES = [
  ['on its writer thread', true],
  ['on its own connection', false],
] as const;

for (const [mode, writerThread] of WRITER_MODES) {
  describeEventStoreContract(`SqliteEventStore writing ${mode}`, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'event-store-contract-'));
    const store = SqliteEventStore.open({ file: join(directory, 'events.sqlite'), pollIntervalMs: 50, writerThread });
    expect(store.writesOnWriterThread).toBe(writerThread);
    return {
      store,
      capabilities: { contiguousPositions: true, committedHeadPosition: true },
      cleanup: async () => {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  });
}

describe('SqliteEventStore', () => {
  let directory: string;
  let file: string;
  const opened: SqliteEventStore[] = [];
  const open = (options: Partial<Parameters<typeof SqliteEventStore.open>[0]> = {}) => {
    const store = SqliteEventStore.open({ file, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'event-store-sqlite-'));
    file = join(directory, 'events.sqlite');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  describe.each(WRITER_MODES)('group commit, writing %s', (_, writerThread) => {
    const openWriting = (options: Partial<Parameters<typeof SqliteEventStore.open>[0]> = {}) => open({ writerThread, ...options });

    it('decides each append of a batch in arrival order; a refused append fails alone; one transaction', async () => {
      const store = openWriting();
      const streams = Array.from({ length: 40 }, (_, index) => `contract-${index}`);
      const plans = streams.map((streamId) => {
        const created = newEvent();
        return {
          streamId,
          created: { events: [created], expected: 'no_stream' as const },
          followsCreation: { events: newEvents(2), expected: 0 },
          stale: { events: [newEvent()], expected: 0 },
          unconditional: { events: [newEvent()], expected: 'any' as const },
          reusesAnId: { events: [newEvent(), { ...newEvent(), id: created.id }], expected: 'any' as const },
          followsAll: { events: newEvents(2), expected: 3 },
        };
      });
      const kinds = ['created', 'followsCreation', 'stale', 'unconditional', 'reusesAnId', 'followsAll'] as const;

      // Queued in one tick, so they reach the same batch in this order.
      const pending = plans.flatMap((plan) =>
        kinds.map((kind) => store.append(plan.streamId, plan[kind].events, plan[kind].expected)),
      );
      const outcomes = await Promise.allSettled(pending);

      expect(store.metrics).toMatchObject({ committedTransactions: 1, committedAppends: 160, refusedAppends: 80 });
      plans.forEach((plan, planIndex) => {
        const [created, followsCreation, stale, unconditional, reusesAnId, followsAll] = outcomes.slice(
          planIndex * 6,
          planIndex * 6 + 6,
        );
        expect(created).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
        expect(followsCreation).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2 } });
        expect(stale.status).toBe('rejected');
        expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((stale as PromiseRejectedResult).reason).toMatchObject({ expected: 0, actual: 2 });
        expect(unconditional).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 3 } });
        expect((reusesAnId as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
        expect((reusesAnId as PromiseRejectedResult).reason).toMatchObject({ eventId: plan.created.events[0].id });
        expect(followsAll).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 5 } });
      });

      const all = await store.readAll();
      // The rolled-back half of each refused two-event append left no hole in the global order.
      expect(all.map((event) => event.position)).toEqual(range(1, 240));
      for (const plan of plans) {
        const stream = all.filter((event) => event.streamId === plan.streamId);
        expect(ids(stream)).toEqual(
          ids([...plan.created.events, ...plan.followsCreation.events, ...plan.unconditional.events, ...plan.followsAll.events]),
        );
      }
      const results = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      expect(new Set(results.map((result: AppendResult) => result.position)).size).toBe(160);
    });

    it('caps a batch by appends and by events', async () => {
      const byAppends = openWriting({ maxBatchAppends: 10 });
      await Promise.all(range(0, 35).map((index) => byAppends.append(`stream-${index}`, [newEvent()], 'no_stream')));
      expect(byAppends.metrics.committedTransactions).toBe(4);
      await byAppends.close();

      const byEvents = openWriting({ maxBatchEvents: 5 });
      await Promise.all(range(0, 3).map((index) => byEvents.append(`large-${index}`, newEvents(4), 'no_stream')));
      expect(byEvents.metrics).toMatchObject({ committedTransactions: 3, committedEvents: 12 });
      // One append larger than the cap still commits, alone and whole.
      await byEvents.append('larger', newEvents(7), 'no_stream');
      expect(byEvents.metrics.committedTransactions).toBe(4);
      expect(await byEvents.readStream('larger')).toHaveLength(7);
    });

    it('appends made while a batch settles share the next transaction', async () => {
      const store = openWriting();
      await store.append('warm-up', [newEvent()], 'no_stream');
      const before = store.metrics.committedTransactions;
      const waves = await Promise.all(
        range(0, 50).map(async (index) => {
          await store.append(`wave-${index}`, [newEvent()], 'no_stream');
          return store.append(`wave-${index}`, [newEvent()], 0);
        }),
      );
      expect(waves).toHaveLength(50);
      expect(store.metrics.committedTransactions - before).toBe(2);
    });

    it('settles an append only after its transaction committed, visible to another connection', async () => {
      const store = openWriting();
      const reader = openSqliteDatabase(file);
      try {
        const count = () => reader.prepare('SELECT count(*) FROM events').pluck().get() as number;
        const appending = store.append('visible', [newEvent()], 'no_stream');
        expect(count()).toBe(0);
        await appending;
        expect(count()).toBe(1);
      } finally {
        reader.close();
      }
    });

    it('rejects a whole batch with EventStoreUnavailableError when the file cannot be written, writing nothing', async () => {
      const store = openWriting({ busyTimeoutMs: 20 });
      const lockHolder = openSqliteDatabase(file);
      try {
        lockHolder.exec('BEGIN IMMEDIATE');
        const outcomes = await Promise.allSettled([
          store.append('blocked-a', [newEvent()], 'no_stream'),
          store.append('blocked-b', [newEvent()], 'no_stream'),
        ]);
        for (const outcome of outcomes) {
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(EventStoreUnavailableError);
        }
        expect(store.metrics.failedTransactions).toBe(1);
      } finally {
        lockHolder.exec('ROLLBACK');
        lockHolder.close();
      }

      const result = await store.append('blocked-a', [newEvent()], 'no_stream');
      expect(result).toEqual({ nextExpectedRevision: 0, position: 1 });
      expect((await store.readAll()).map((event) => event.streamId)).toEqual(['blocked-a']);
    });
  });

  describe('durability', () => {
    it('keeps events, stream revisions and positions across close and reopen', async () => {
      const first = open();
      const events = newEvents(3);
      await first.append('durable', events, 'no_stream');
      await first.append('other', newEvents(2), 'no_stream');
      const before = await first.readAll();
      await first.close();

      const reopened = open();
      expect(await reopened.readAll()).toEqual(before);
      expect(await reopened.headPosition()).toBe(5);
      await expect(reopened.append('durable', [newEvent()], 1)).rejects.toMatchObject({ actual: 2 });
      await expect(reopened.append('durable', [{ ...newEvent(), id: events[0].id }], 'any')).rejects.toBeInstanceOf(
        DuplicateEventIdError,
      );
      expect(await reopened.append('durable', [newEvent()], 2)).toEqual({ nextExpectedRevision: 3, position: 6 });
    });

    it('commits appends already accepted when closed', async () => {
      const store = open();
      const appending = store.append('closing', newEvents(2), 'no_stream');
      await store.close();
      await expect(appending).resolves.toEqual({ nextExpectedRevision: 1, position: 2 });
      await expect(store.append('closing', [newEvent()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);

      expect(await open().readStream('closing')).toHaveLength(2);
    });

    it('uses WAL with synchronous=FULL unless told otherwise, and a busy timeout', () => {
      const durable = openSqliteDatabase(file);
      const relaxed = openSqliteDatabase(file, { synchronous: 'NORMAL', busyTimeoutMs: 1234 });
      try {
        expect(durable.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(durable.pragma('synchronous', { simple: true })).toBe(2);
        expect(relaxed.pragma('synchronous', { simple: true })).toBe(1);
        expect(relaxed.pragma('busy_timeout', { simple: true })).toBe(1234);
      } finally {
        durable.close();
        relaxed.close();
      }
    });

    it('runs in memory when asked to', async () => {
      const store = open({ file: ':memory:' });
      await store.append('memory', newEvents(2), 'no_stream');
      expect((await store.readAll()).map((event) => event.position)).toEqual([1, 2]);
    });

    it('stamps recordedAt with the injected clock', async () => {
      const store = open({ clock: () => new Date('2024-06-30T15:00:00.000Z') });
      await store.append('clocked', [newEvent()], 'no_stream');
      expect((await store.readStream('clocked'))[0].recordedAt).toBe('2024-06-30T15:00:00.000Z');
    });
  });

  describe('schema', () => {
    it('records its version in user_version and refuses a file from a newer version', async () => {
      await open().close();
      const db = openSqliteDatabase(file);
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(EVENT_STORE_SCHEMA_VERSION);
        db.pragma(`user_version = ${EVENT_STORE_SCHEMA_VERSION + 1}`);
      } finally {
        db.close();
      }
      expect(() => open()).toThrow(/newer than this build/);
    });

    it('refuses to change or delete a stored event', async () => {
      const store = open();
      await store.append('immutable', [newEvent()], 'no_stream');
      const db = openSqliteDatabase(file);
      try {
        expect(() => db.prepare("UPDATE events SET data = '{}'").run()).toThrow(/immutable/);
        expect(() => db.prepare('DELETE FROM events').run()).toThrow(/never deleted/);
      } finally {
        db.close();
      }
      expect(await store.readStream('immutable')).toHaveLength(1);
    });
  });

  describe('several instances on one file', () => {
    it('wakes a subscription of this instance on commit, without waiting for the poll', async () => {
      const store = open({ pollIntervalMs: 60_000 });
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({ handler: async (events) => void received.push(...events) });
      try {
        await delay(20);
        await store.append('woken', newEvents(2), 'no_stream');
        await waitUntil(() => received.length === 2, 'the append was delivered', 1000);
      } finally {
        await subscription.stop();
      }
    });

    it("a second instance's subscription sees the first instance's appends, in order and once", async () => {
      const writer = open();
      const watcher = open({ pollIntervalMs: 20 });
      const received: RecordedEvent[] = [];
      const subscription = watcher.subscribeToAll({
        maxBatchSize: 3,
        handler: async (events) => void received.push(...events),
      });
      try {
        await writer.append('shared', newEvents(4), 'no_stream');
        await Promise.all(range(0, 10).map((index) => writer.append(`shared-${index}`, newEvents(2), 'no_stream')));
        await waitUntil(() => received.length >= 24, 'the other instance delivered every event');
        await delay(60);
        expect(received).toEqual(await writer.readAll());
      } finally {
        await subscription.stop();
      }
    });

    it('two writing instances share one gap-free order and one set of expected revisions', async () => {
      const first = open();
      const second = open();
      await Promise.all(
        range(0, 20).map((index) => (index % 2 === 0 ? first : second).append(`writer-${index}`, newEvents(3), 'no_stream')),
      );
      await first.append('contended', [newEvent()], 'no_stream');

      await expect(second.append('contended', [newEvent()], 'no_stream')).rejects.toMatchObject({ actual: 0 });
      await expect(second.append('contended', [newEvent()], 0)).resolves.toEqual({ nextExpectedRevision: 1, position: 62 });
      expect((await first.readAll()).map((event) => event.position)).toEqual(range(1, 62));
    });
  });
});

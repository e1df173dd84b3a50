import Database from 'better-sqlite3';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { ReadAllOptions, RecordedEvent } from '@escrow/event-store/port';
import { appendNumbered } from '../testing/events';
import { batchRecordingProjection, positionsOf, range, recordingProjection } from '../testing/recording-projection';
import { CheckpointMovedError, ProjectionEngine, ProjectionEngineOptions } from './projection-engine';

const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20 };

describe('ProjectionEngine', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  const engines: ProjectionEngine[] = [];

  const engine = (options: Omit<ProjectionEngineOptions, 'store' | 'db'>) => {
    const created = new ProjectionEngine({ store, db, retry: FAST_RETRY, ...options });
    engines.push(created);
    return created;
  };
  const checkpoint = (name: string) =>
    db.prepare('SELECT version, position FROM projection_checkpoints WHERE name = ?').get(name) as { version: number; position: number } | undefined;

  beforeEach(() => {
    store = new InMemoryEventStore();
    db = new Database(':memory:');
  });

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    await store.close();
    db.close();
  });

  describe('given events in the store', () => {
    it('tells onDelivered after each batch the subscription delivers, so processors kept outside the engine wake', async () => {
      await appendNumbered(store, 2);
      let delivered = 0;
      const running = engine({ projections: [recordingProjection('numbers')], onDelivered: () => delivered++ });
      await running.start();
      expect(await running.waitFor(2)).toBe(true);
      const before = delivered;
      expect(before).toBeGreaterThan(0);
      const head = await appendNumbered(store, 3);
      expect(await running.waitFor(head)).toBe(true);
      expect(delivered).toBeGreaterThan(before);
    });

    it('catches up from zero, then keeps applying new events live, each exactly once', async () => {
      await appendNumbered(store, 5);
      const numbers = recordingProjection('numbers');
      const running = engine({ projections: [numbers] });

      await running.start();
      expect(await running.waitFor(5)).toBe(true);
      expect(positionsOf(numbers.rows(db))).toEqual(range(1, 5));

      const head = await appendNumbered(store, 3);
      expect(await running.waitFor(head)).toBe(true);
      expect(positionsOf(numbers.rows(db))).toEqual(range(1, 8));
      expect(checkpoint('numbers')).toEqual({ version: 1, position: 8 });
    });

    it('applies a batch in one transaction: a handler failing mid-batch leaves neither rows nor checkpoints moved', async () => {
      await appendNumbered(store, 6);
      const steady = recordingProjection('steady');
      const fragile = recordingProjection('fragile');
      fragile.failOn = (event) => event.position === 4;
      const offline = engine({ projections: [steady, fragile], batchSize: 10 });

      await expect(offline.catchUp()).rejects.toThrow('fragile refuses event 4');

      // steady had already written events 1..6 and fragile 1..3 inside the batch: all rolled back.
      expect(steady.seen).toEqual(range(1, 6));
      expect(steady.rows(db)).toEqual([]);
      expect(fragile.rows(db)).toEqual([]);
      expect(checkpoint('steady')!.position).toBe(0);
      expect(checkpoint('fragile')!.position).toBe(0);
    });

    it('retries a failing projection alone on a running engine: its batch rolls back, the others commit theirs, and it applies it once the handler recovers', async () => {
      await appendNumbered(store, 6);
      const steady = recordingProjection('steady');
      const fragile = recordingProjection('fragile');
      fragile.failOn = (event) => event.position === 4;
      const errors: unknown[] = [];
      const running = engine({ projections: [steady, fragile], batchSize: 10, onError: (error) => errors.push(error) });

      await running.start();
      expect(await running.waitFor(6, { timeoutMs: 100 })).toBe(false);
      expect(errors.length).toBeGreaterThan(0);
      // fragile had written events 1..3 inside its transaction: rolled back; steady's own transaction committed.
      expect(fragile.rows(db)).toEqual([]);
      expect(checkpoint('fragile')!.position).toBe(0);
      expect(positionsOf(steady.rows(db))).toEqual(range(1, 6));
      expect(checkpoint('steady')!.position).toBe(6);

      fragile.failOn = undefined;
      expect(await running.waitFor(6)).toBe(true);
      expect(positionsOf(steady.rows(db))).toEqual(range(1, 6));
      expect(positionsOf(fragile.rows(db))).toEqual(range(1, 6));
      expect(checkpoint('fragile')!.position).toBe(6);
    });

    it('resumes after a restart from the stored checkpoint, with no event lost or applied twice', async () => {
      await appendNumbered(store, 3);
      const first = recordingProjection('numbers');
      const before = engine({ projections: [first] });
      await before.start();
      expect(await before.waitFor(3)).toBe(true);
      await before.stop();

      await appendNumbered(store, 4); // appended while nothing runs
      const second = recordingProjection('numbers');
      const errors: unknown[] = [];
      const after = engine({ projections: [second], onError: (error) => errors.push(error) });
      await after.start();
      expect(await after.waitFor(7)).toBe(true);

      expect(second.seen).toEqual(range(4, 7));
      expect(positionsOf(second.rows(db))).toEqual(range(1, 7));
      expect(errors).toEqual([]);
    });

    it('shares one subscription between projections at different checkpoints, each seeing only what it has not applied', async () => {
      await appendNumbered(store, 5);
      const old = recordingProjection('old');
      const first = engine({ projections: [old] });
      await first.catchUp();
      expect(checkpoint('old')!.position).toBe(5);

      await appendNumbered(store, 2);
      const oldAgain = recordingProjection('old');
      const added = recordingProjection('added');
      const both = engine({ projections: [oldAgain, added], batchSize: 3 });
      await both.start();
      expect(await both.waitFor(7)).toBe(true);

      expect(oldAgain.seen).toEqual([6, 7]);
      expect(added.seen).toEqual(range(1, 7));
      expect(positionsOf(oldAgain.rows(db))).toEqual(range(1, 7));
      expect(positionsOf(added.rows(db))).toEqual(range(1, 7));
    });

    it('tears down and rebuilds from zero a projection whose version changed', async () => {
      await appendNumbered(store, 4);
      await engine({ projections: [recordingProjection('numbers', { version: 1 })] }).catchUp();
      expect(new Set(recordingProjection('numbers').rows(db).map((row) => row.marker))).toEqual(new Set(['v1']));

      const bumped = recordingProjection('numbers', { version: 2 });
      const untouched = recordingProjection('untouched');
      await engine({ projections: [untouched] }).catchUp();
      untouched.seen.length = 0;

      const next = engine({ projections: [bumped, recordingProjection('untouched')] });
      await next.start();
      expect(await next.waitFor(4)).toBe(true);

      expect(bumped.seen).toEqual(range(1, 4));
      expect(bumped.rows(db).map((row) => row.marker)).toEqual(['v2', 'v2', 'v2', 'v2']);
      expect(checkpoint('numbers')).toEqual({ version: 2, position: 4 });
      expect(checkpoint('untouched')).toEqual({ version: 1, position: 4 });
    });

    it('passes every event through the upcaster before handlers see it', async () => {
      await appendNumbered(store, 2, 'numbers-1', 'OldName');
      const numbers = recordingProjection('numbers');
      const upcast = (event: RecordedEvent): RecordedEvent => (event.type === 'OldName' ? { ...event, type: 'NewName' } : event);
      await engine({ projections: [numbers], upcast }).catchUp();
      expect(numbers.rows(db).map((row) => row.type)).toEqual(['NewName', 'NewName']);
    });

    it('starts again from the table when another process moved a checkpoint backwards', async () => {
      await appendNumbered(store, 3);
      const numbers = recordingProjection('numbers');
      const errors: unknown[] = [];
      const running = engine({ projections: [numbers], onError: (error) => errors.push(error) });
      await running.start();
      expect(await running.waitFor(3)).toBe(true);

      // What a rebuild by the command-line tool leaves behind when interrupted right after its reset.
      db.exec("DELETE FROM numbers_rows; UPDATE projection_checkpoints SET position = 0 WHERE name = 'numbers'");
      await appendNumbered(store, 1);

      await waitUntil(() => numbers.rows(db).length === 4);
      expect(errors.some((error) => error instanceof CheckpointMovedError)).toBe(true);
      expect(positionsOf(numbers.rows(db))).toEqual(range(1, 4));
    });
  });

  describe('projections that hold writes back during a batch', () => {
    it('flushes each once at the end of every batch, before its checkpoint moves, and commits what it flushed', async () => {
      await appendNumbered(store, 5);
      const held = batchRecordingProjection('held');
      const running = engine({ projections: [held], batchSize: 2 });
      await running.start();
      expect(await running.waitFor(5)).toBe(true);

      expect(held.flushed).toEqual([[1, 2], [3, 4], [5]]);
      expect(held.checkpointsAtFlush).toEqual([0, 2, 4]);
      expect(positionsOf(held.rows(db))).toEqual(range(1, 5));
      expect(checkpoint('held')!.position).toBe(5);
    });

    it('rolls a batch back whole when a flush fails, and applies it again with a handler that holds nothing from it', async () => {
      await appendNumbered(store, 4);
      const steady = recordingProjection('steady');
      const held = batchRecordingProjection('held');
      held.failFlushOn = (positions) => positions.includes(3);
      const errors: unknown[] = [];
      const running = engine({ projections: [steady, held], batchSize: 2, onError: (error) => errors.push(error) });
      await running.start();
      await waitUntil(() => errors.length > 0);

      // The first batch committed; the second rolled back for held alone, in its own transaction.
      expect(positionsOf(steady.rows(db))).toEqual(range(1, 4));
      expect(positionsOf(held.rows(db))).toEqual([1, 2]);
      expect(checkpoint('held')!.position).toBe(2);
      const preparedAfterFailure = held.prepared;
      expect(preparedAfterFailure).toBeGreaterThan(1);

      held.failFlushOn = undefined;
      expect(await running.waitFor(4)).toBe(true);
      expect(positionsOf(steady.rows(db))).toEqual(range(1, 4));
      expect(positionsOf(held.rows(db))).toEqual(range(1, 4));
      // Every retried flush held exactly the retried batch, never what an earlier attempt had gathered.
      expect(held.flushed.filter((positions) => positions.includes(3))).toEqual(held.flushed.slice(1).map(() => [3, 4]));
    });
  });

  describe('catching up without a subscription', () => {
    const readsOf = (target: InMemoryEventStore): number[] => {
      const counts: number[] = [];
      const readAll = target.readAll.bind(target);
      target.readAll = async (options?: ReadAllOptions) => {
        counts.push(options?.maxCount ?? -1);
        return readAll(options);
      };
      return counts;
    };

    it('reads the log in pages and commits many pages per transaction, moving the checkpoint once per transaction', async () => {
      await appendNumbered(store, 11);
      const reads = readsOf(store);
      const held = batchRecordingProjection('held');

      expect(await engine({ projections: [held], catchUpBatchSize: 5, catchUpPageSize: 2 }).catchUp()).toBe(11);

      expect(held.flushed).toEqual([range(1, 5), range(6, 10), [11]]);
      expect(held.checkpointsAtFlush).toEqual([0, 5, 10]);
      // Pages of at most 2 that never cross a transaction; after the short page [11], an empty one is the head.
      expect(reads).toEqual([2, 2, 1, 2, 2, 1, 2, 2]);
      expect(positionsOf(held.rows(db))).toEqual(range(1, 11));
    });

    it('leaves no trace of a transaction whose next page could not be read, and a later catch-up applies it once', async () => {
      await appendNumbered(store, 6);
      const readAll = store.readAll.bind(store);
      let failing = true;
      store.readAll = async (options?: ReadAllOptions) => {
        if (failing && options?.after === 2) throw new Error('the store went away');
        return readAll(options);
      };
      const steady = recordingProjection('steady');
      const held = batchRecordingProjection('held');
      const offline = engine({ projections: [steady, held], catchUpBatchSize: 6, catchUpPageSize: 2 });

      // Events 1..2 were applied inside the transaction when reading 3..4 failed: all rolled back.
      await expect(offline.catchUp()).rejects.toThrow('the store went away');
      expect(held.rows(db)).toEqual([]);
      expect(steady.rows(db)).toEqual([]);
      expect(checkpoint('held')!.position).toBe(0);
      expect(db.inTransaction).toBe(false);

      failing = false;
      expect(await offline.catchUp()).toBe(6);
      expect(held.flushed.at(-1)).toEqual(range(1, 6));
      expect(positionsOf(held.rows(db))).toEqual(range(1, 6));
      expect(positionsOf(steady.rows(db))).toEqual(range(1, 6));
    });

    it('rolls back every page of a transaction when a handler fails on a later page', async () => {
      await appendNumbered(store, 6);
      const held = batchRecordingProjection('held');
      const fragile = recordingProjection('fragile');
      fragile.failOn = (event) => event.position === 5;

      await expect(engine({ projections: [held, fragile], catchUpBatchSize: 6, catchUpPageSize: 2 }).catchUp()).rejects.toThrow('refuses event 5');

      expect(held.rows(db)).toEqual([]);
      expect(fragile.rows(db)).toEqual([]);
      expect(checkpoint('held')!.position).toBe(0);
      expect(db.inTransaction).toBe(false);
    });
  });

  describe('waitFor', () => {
    it('answers true at once for a position already applied, and false after the timeout for one not reached', async () => {
      await appendNumbered(store, 2);
      const running = engine({ projections: [recordingProjection('numbers')] });
      await running.start();
      expect(await running.waitFor(2)).toBe(true);
      expect(await running.waitFor(1, { timeoutMs: 0 })).toBe(true);

      const startedAt = Date.now();
      expect(await running.waitFor(3, { timeoutMs: 60 })).toBe(false);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(50);
    });

    it('resolves as soon as the awaited position is applied, for the projections named', async () => {
      const fast = recordingProjection('fast');
      const slow = recordingProjection('slow');
      slow.failOn = () => true;
      const running = engine({ projections: [fast, slow] });
      await running.start();

      const waitingForFast = running.waitFor(2, { projections: ['fast'], timeoutMs: 2000 });
      const waitingForAll = running.waitFor(2, { timeoutMs: 150 });
      await appendNumbered(store, 2);
      // slow refuses every event, so waiting for every projection times out; fast is not held back by it.
      expect(await waitingForAll).toBe(false);
      slow.failOn = undefined;
      expect(await waitingForFast).toBe(true);
    });

    it('refuses an unknown projection and answers false to pending waits on stop', async () => {
      const running = engine({ projections: [recordingProjection('numbers')] });
      await running.start();
      expect(() => running.waitFor(1, { projections: ['nope'] })).toThrow(RangeError);
      const pending = running.waitFor(10, { timeoutMs: 10_000 });
      await running.stop();
      expect(await pending).toBe(false);
    });
  });

  describe('status', () => {
    it('reports each projection with its version, position, the head and the lag', async () => {
      await appendNumbered(store, 4);
      const offline = engine({ projections: [recordingProjection('numbers', { version: 3 })], clock: () => new Date('2026-05-01T00:00:00Z') });
      expect(await offline.status()).toEqual([{ name: 'numbers', version: 3, position: 0, headPosition: 4, lag: 4, updatedAt: null }]);
      await offline.catchUp();
      await appendNumbered(store, 1);
      expect(await offline.status()).toEqual([
        { name: 'numbers', version: 3, position: 4, headPosition: 5, lag: 1, updatedAt: '2026-05-01T00:00:00.000Z' },
      ]);
    });
  });

  describe('rebuild', () => {
    it('empties the named projection and applies the log again on a running engine, leaving the others alone', async () => {
      await appendNumbered(store, 5);
      const rebuilt = recordingProjection('rebuilt');
      const other = recordingProjection('other');
      const running = engine({ projections: [rebuilt, other], batchSize: 2 });
      await running.start();
      expect(await running.waitFor(5)).toBe(true);
      const rowsBefore = rebuilt.rows(db);
      rebuilt.seen.length = 0;
      other.seen.length = 0;

      const report = await running.rebuild(['rebuilt']);

      expect(report).toMatchObject({ targetPosition: 5, projections: [{ name: 'rebuilt', version: 1, previousPosition: 5, position: 5 }] });
      expect(report.eventsRead).toBe(5);
      expect(rebuilt.seen).toEqual(range(1, 5));
      expect(other.seen).toEqual([]);
      expect(rebuilt.rows(db)).toEqual(rowsBefore);

      // Still live afterwards.
      await appendNumbered(store, 1);
      expect(await running.waitFor(6)).toBe(true);
      expect(positionsOf(other.rows(db))).toEqual(range(1, 6));
    });

    it('rebuilds every projection on an engine that is not started, reading the log directly', async () => {
      await appendNumbered(store, 3);
      const numbers = recordingProjection('numbers');
      await engine({ projections: [numbers] }).catchUp();
      db.exec("UPDATE numbers_rows SET marker = 'tampered'");

      const report = await engine({ projections: [recordingProjection('numbers')] }).rebuild();

      expect(report.projections).toEqual([{ name: 'numbers', version: 1, previousPosition: 3, position: 3 }]);
      expect(numbers.rows(db).map((row) => row.marker)).toEqual(['v1', 'v1', 'v1']);
    });
  });

  it('refuses two projections with one name', () => {
    expect(() => engine({ projections: [recordingProjection('twice'), recordingProjection('twice')] })).toThrow('used twice');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

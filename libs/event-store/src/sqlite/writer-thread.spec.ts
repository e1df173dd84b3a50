import type { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreUnavailableError, EventToAppend } from '../port';
import { openSqliteDatabase } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

const newEvent = (): EventToAppend => ({
  id: randomUUID(),
  type: 'WriterThreadTested',
  data: {},
  metadata: { schemaVersion: 1, occurredAt: '2026-12-01T09:00:00.000Z', actor: { id: 'worker-1', role: 'user' }, correlationId: 'c-1', causationId: 'c-1' },
});
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const writerWorkerOf = (store: SqliteEventStore): Worker => (store as unknown as { writerThread: { worker: Worker } }).writerThread.worker;

describe('SqliteEventStore writer thread', () => {
  let directory: string;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'event-store-writer-'));
    file = join(directory, 'events.sqlite');
    store = SqliteEventStore.open({ file, busyTimeoutMs: 10_000 });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes a file on a writer thread by default, and a memory database on its own connection', async () => {
    expect(store.writesOnWriterThread).toBe(true);
    const memory = SqliteEventStore.open({ file: ':memory:' });
    expect(memory.writesOnWriterThread).toBe(false);
    await memory.close();
    expect(() => SqliteEventStore.open({ file: ':memory:', writerThread: true })).toThrow(/cannot be shared with a writer thread/);
  });

  it('gathers the appends made while a batch commits into the next one, and each is readable once it settled', async () => {
    const lockHolder = openSqliteDatabase(file);
    try {
      // The first batch waits for the lock on the writer thread, as it would for a long fsync.
      lockHolder.exec('BEGIN IMMEDIATE');
      const first = store.append('first', [newEvent()], 'no_stream');
      await nextTurn();
      const later: Promise<unknown>[] = [];
      for (let index = 0; index < 10; index++) {
        later.push(store.append(`later-${index}`, [newEvent()], 'no_stream'));
        await nextTurn();
      }
      expect(store.metrics.committedTransactions).toBe(0);
      lockHolder.exec('ROLLBACK');

      await first;
      expect(await store.readStream('first')).toHaveLength(1);
      await Promise.all(later);
      expect(store.metrics).toMatchObject({ committedTransactions: 2, committedAppends: 11 });
      expect(await store.headPosition()).toBe(11);
    } finally {
      lockHolder.close();
    }
  });

  it('sees every append on its own connection as soon as the append settled', async () => {
    await Promise.all(
      Array.from({ length: 30 }, async (_, index) => {
        const streamId = `read-your-writes-${index}`;
        for (let revision = 0; revision < 5; revision++) {
          const { position } = await store.append(streamId, [newEvent()], revision === 0 ? 'no_stream' : revision - 1);
          expect(await store.readStream(streamId)).toHaveLength(revision + 1);
          expect(await store.headPosition()).toBeGreaterThanOrEqual(position);
        }
      }),
    );
  });

  it('fails the appends in flight as unavailable when the writer thread dies, and starts a new one for the next', async () => {
    const lockHolder = openSqliteDatabase(file);
    let inFlight: Promise<unknown>;
    try {
      lockHolder.exec('BEGIN IMMEDIATE');
      inFlight = store.append('lost-thread', [newEvent()], 'no_stream');
      await nextTurn();
      await writerWorkerOf(store).terminate();
      await expect(inFlight).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(store.writeFailingSince).toEqual(expect.any(String));
    } finally {
      lockHolder.exec('ROLLBACK');
      lockHolder.close();
    }

    // The batch never committed, so the same append is accepted on the new thread.
    await expect(store.append('lost-thread', [newEvent()], 'no_stream')).resolves.toEqual({ nextExpectedRevision: 0, position: 1 });
    expect(store.writeFailingSince).toBeUndefined();
  });

  it('answers a pragma from the writing connection', async () => {
    expect(await store.writerPragma('synchronous')).toBe(2);
    await expect(store.writerPragma('no_such_pragma(')).rejects.toThrow();
  });
});

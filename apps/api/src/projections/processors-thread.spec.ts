import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { EventToAppend } from '@escrow/event-store/port';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { PROJECTIONS } from '@escrow/projections/registry';
import { openReadModelDatabase, readModelDatabaseFile } from '@escrow/projections/runtime/read-model-database';
import { ProcessorsThread, ProcessorsThreadOptions } from './processors-thread';

/** Events no projection cares about: every projection's checkpoint still moves over them. */
const noted = (count: number): EventToAppend[] =>
  Array.from({ length: count }, (_, index) => ({
    id: crypto.randomUUID(),
    type: 'Noted',
    data: { index },
    metadata: { schemaVersion: 1, occurredAt: new Date().toISOString(), actor: { id: 'spec', role: 'system' }, correlationId: 'spec', causationId: 'spec' },
  }));

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the projections on a worker thread', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: Database.Database;
  let thread: ProcessorsThread | undefined;
  const deaths: string[] = [];
  let restarts = 0;
  let deliveries = 0;

  const startThread = async (overrides: Partial<ProcessorsThreadOptions> = {}) => {
    thread = new ProcessorsThread({
      db,
      store,
      projections: PROJECTIONS,
      dataDir: dir,
      readModelFile: readModelDatabaseFile(dir),
      storeId: await store.storeId(),
      now: () => new Date(),
      onFailure: () => undefined,
      onDied: (reason) => deaths.push(reason),
      onRestarted: () => restarts++,
      onDelivered: () => deliveries++,
      restartDelayMs: 50,
      ...overrides,
    });
    store.observeCommits((commit) => {
      if (commit.committed) thread?.logGrew();
    });
    await thread.start();
    return thread;
  };

  const append = async (count: number) => (await store.append(`note-${crypto.randomUUID()}`, noted(count), 'no_stream')).position;
  /** The worker as a crash would leave it: gone without a word. */
  const killWorker = (running: ProcessorsThread) => (running as unknown as { worker: Worker }).worker.terminate();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'processors-thread-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    db = openReadModelDatabase(readModelDatabaseFile(dir));
    deaths.length = 0;
    restarts = 0;
    deliveries = 0;
  });

  afterEach(async () => {
    await thread?.stop();
    thread = undefined;
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies what the main thread commits, and releases waitFor and answers status from what the worker reports', async () => {
    const running = await startThread();
    const position = await append(3);
    await expect(running.waitFor(position, { timeoutMs: 5000 })).resolves.toBe(true);
    const statuses = await running.status();
    expect(statuses.map((status) => status.name)).toEqual(PROJECTIONS.map((projection) => projection.name));
    for (const status of statuses) expect(status).toMatchObject({ position, headPosition: position, lag: 0 });
    // The checkpoints the worker reported are those it committed, in the same transactions as its rows.
    const stored = db.prepare("SELECT name, position FROM projection_checkpoints WHERE kind = 'projection'").all() as { name: string; position: number }[];
    for (const row of stored) expect(row.position).toBe(position);
    expect(deliveries).toBeGreaterThan(0);
    expect(running.failingSince()).toBeUndefined();
  });

  it('reports a worker that died, starts it again, and the new one catches up with what was committed meanwhile', async () => {
    const running = await startThread();
    const first = await append(2);
    await expect(running.waitFor(first)).resolves.toBe(true);

    await killWorker(running);
    expect(deaths).toHaveLength(1);
    expect(running.failingSince()).toEqual(expect.any(String));
    const second = await append(4);
    await expect(running.waitFor(second, { timeoutMs: 5000 })).resolves.toBe(true);
    expect(restarts).toBe(1);
    expect(running.failingSince()).toBeUndefined();
    expect(running.positionOf(PROJECTIONS[0].name)).toBe(second);
  });

  it('reports projections that fail in the worker (health and status say since when), and clears it once they commit again', async () => {
    const failures: string[] = [];
    const running = await startThread({ onFailure: (source) => failures.push(source.kind === 'projection' ? source.projection : source.kind) });
    await expect(running.waitFor(await append(1))).resolves.toBe(true);
    // Another connection holds the read models' write lock past the busy timeout, as a disk that takes no
    // writes would: every projection's transaction fails, and is retried.
    db.prepare('BEGIN IMMEDIATE').run();
    const position = await append(1);
    await until(() => running.failingSince() !== undefined, 20_000);
    expect(failures.length).toBeGreaterThan(0);
    expect(running.projectionFailures()).toEqual(expect.arrayContaining([expect.objectContaining({ failures: expect.any(Number), lastError: expect.stringMatching(/locked|busy/i) })]));
    await expect(running.waitFor(position, { timeoutMs: 0 })).resolves.toBe(false);

    db.prepare('COMMIT').run();
    await expect(running.waitFor(position, { timeoutMs: 20_000 })).resolves.toBe(true);
    await until(() => running.failingSince() === undefined);
    expect(running.projectionFailures()).toEqual([]);
  }, 60_000);

  it('stops cleanly: the worker ends, and a wait for what it will never apply is told false at once', async () => {
    const running = await startThread();
    await running.stop();
    const position = await append(1);
    await expect(running.waitFor(position, { timeoutMs: 5000 })).resolves.toBe(false);
    expect(deaths).toEqual([]);
  });

  it('fails the start loudly when the worker cannot open what it was given', async () => {
    await expect(startThread({ dataDir: join(dir, 'missing') })).rejects.toThrow(/processors' thread/);
    thread = undefined;
  });
});

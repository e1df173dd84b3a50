import Database from 'better-sqlite3';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { EventStoreUnavailableError, RecordedEvent } from '@escrow/event-store/port';
import { appendNumbered } from '../testing/events';
import { range, recordingProjection } from '../testing/recording-projection';
import { ProjectionEngine, ProjectionEngineErrorSource } from './projection-engine';
import type { Reactor } from './reactor';

const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20 };

/** A reactor that records the positions it was called with, optionally failing (passingly: store unavailable) on some calls. */
function recordingReactor(name: string, options: { eventTypes?: string[]; failWhile?: (event: RecordedEvent, attempt: number) => boolean } = {}) {
  const calls: number[] = [];
  const attempts = new Map<number, number>();
  const reactor: Reactor = {
    name,
    eventTypes: options.eventTypes,
    async handle(event) {
      calls.push(event.position);
      const attempt = (attempts.get(event.position) ?? 0) + 1;
      attempts.set(event.position, attempt);
      if (options.failWhile?.(event, attempt)) throw new EventStoreUnavailableError(`${name} cannot handle ${event.position} yet`);
    },
  };
  return { reactor, calls };
}

describe('reactors', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  let engine: ProjectionEngine | undefined;

  const reactorCheckpoint = (name: string) =>
    (db.prepare("SELECT position FROM projection_checkpoints WHERE name = ? AND kind = 'reactor'").pluck().get(name) as number | undefined) ?? -1;

  beforeEach(() => {
    store = new InMemoryEventStore();
    db = new Database(':memory:');
  });

  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await store.close();
    db.close();
  });

  it('are called once per event, in global order, reading the log after their own checkpoint', async () => {
    const calls: number[] = [];
    const reactor: Reactor = {
      name: 'observer',
      async handle(event) {
        calls.push(event.position);
      },
    };
    await appendNumbered(store, 4);
    engine = new ProjectionEngine({ store, db, projections: [recordingProjection('numbers')], reactors: [reactor], batchSize: 2, reactorPageSize: 3, retry: FAST_RETRY });
    await engine.start();
    await appendNumbered(store, 2);

    await waitUntil(() => reactorCheckpoint('observer') === 6);
    expect(calls).toEqual(range(1, 6));
  });

  it('never wait for the projections: a projection that keeps failing leaves the reactors handling every event', async () => {
    const { reactor, calls } = recordingReactor('credits');
    const broken = recordingProjection('broken');
    broken.failOn = () => true;
    await appendNumbered(store, 3);
    engine = new ProjectionEngine({ store, db, projections: [broken], reactors: [reactor], retry: FAST_RETRY });
    await engine.start();
    await appendNumbered(store, 2);

    await waitUntil(() => reactorCheckpoint('credits') === 5);
    expect(calls).toEqual(range(1, 5));
    expect(broken.rows(db)).toEqual([]);
    expect(engine.projectionFailures()).toEqual([expect.objectContaining({ name: 'broken', lastError: expect.stringMatching(/broken refuses event/) })]);
  });

  it('retry an event whose reaction failed passingly, at least once delivery, without skipping ahead', async () => {
    const errors: ProjectionEngineErrorSource[] = [];
    const { reactor, calls } = recordingReactor('flaky', { failWhile: (event, attempt) => event.position === 2 && attempt <= 2 });
    await appendNumbered(store, 3);
    engine = new ProjectionEngine({
      store,
      db,
      projections: [recordingProjection('numbers')],
      reactors: [reactor],
      retry: FAST_RETRY,
      onError: (_error, source) => errors.push(source),
    });
    await engine.start();

    await waitUntil(() => reactorCheckpoint('flaky') === 3);
    expect(calls).toEqual([1, 2, 2, 2, 3]);
    expect(errors).toEqual([
      { kind: 'reactor', reactor: 'flaky', event: expect.objectContaining({ position: 2, type: 'Numbered' }) },
      { kind: 'reactor', reactor: 'flaky', event: expect.objectContaining({ position: 2, type: 'Numbered' }) },
    ]);
    expect(engine.reactorStatus()).toEqual([{ name: 'flaky', position: 3, failures: 0, lastError: null, parked: 0, updatedAt: expect.any(String) }]);
    expect(engine.parkedEvents({ status: 'all', limit: 10 })).toEqual([]);
  });

  it('wait out the back-off of a reaction that failed passingly however many events arrive meanwhile', async () => {
    const { reactor, calls } = recordingReactor('patient', { failWhile: (event, attempt) => event.position === 1 && attempt === 1 });
    await appendNumbered(store, 1);
    engine = new ProjectionEngine({
      store,
      db,
      projections: [recordingProjection('numbers')],
      reactors: [reactor],
      retry: { initialDelayMs: 300, maxDelayMs: 300 },
    });
    await engine.start();
    await waitUntil(() => calls.length === 1);

    // Each append wakes the reactors through the subscription; none of them retries the failed event early.
    for (let append = 0; append < 3; append++) await appendNumbered(store, 1);
    expect(await engine.waitFor(4)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual([1]);
    expect(engine.reactorStatus()[0]).toMatchObject({ position: 0, failures: 1, lastError: 'patient cannot handle 1 yet' });

    await waitUntil(() => reactorCheckpoint('patient') === 4);
    expect(calls).toEqual([1, 1, 2, 3, 4]);
    expect(engine.reactorStatus()[0]).toMatchObject({ position: 4, failures: 0, lastError: null });
  });

  it('count the failures in a row of the event they are on, not of the events handled before it', async () => {
    const { reactor } = recordingReactor('counting', {
      failWhile: (event, attempt) => (event.position === 1 && attempt <= 2) || event.position === 2,
    });
    await appendNumbered(store, 2);
    engine = new ProjectionEngine({
      store,
      db,
      projections: [recordingProjection('numbers')],
      reactors: [reactor],
      retry: { initialDelayMs: 100, maxDelayMs: 400 },
    });
    await engine.start();

    await waitUntil(() => reactorCheckpoint('counting') === 1);
    await waitUntil(() => engine!.reactorStatus()[0].lastError === 'counting cannot handle 2 yet');
    expect(engine.reactorStatus()[0].failures).toBe(1);
  });

  it('never hold the projections back: a reaction that keeps failing passingly leaves the read models live', async () => {
    const { reactor } = recordingReactor('stuck', { failWhile: () => true });
    const numbers = recordingProjection('numbers');
    await appendNumbered(store, 3);
    engine = new ProjectionEngine({ store, db, projections: [numbers], reactors: [reactor], retry: FAST_RETRY });
    await engine.start();

    expect(await engine.waitFor(3)).toBe(true);
    await appendNumbered(store, 2);
    expect(await engine.waitFor(5)).toBe(true);
    expect(reactorCheckpoint('stuck')).toBe(0);
    expect(engine.reactorStatus()[0]).toMatchObject({ position: 0, lastError: 'stuck cannot handle 1 yet' });
  });

  it('resume from their own checkpoint after a restart, repeating what was handled but not checkpointed', async () => {
    const first = recordingReactor('mailer');
    await appendNumbered(store, 4);
    engine = new ProjectionEngine({ store, db, projections: [recordingProjection('numbers')], reactors: [first.reactor], retry: FAST_RETRY });
    await engine.start();
    await waitUntil(() => reactorCheckpoint('mailer') === 4);
    await engine.stop();

    // A crash after reacting to 3 and 4 but before their checkpoint was written.
    db.prepare("UPDATE projection_checkpoints SET position = 2 WHERE name = 'mailer'").run();
    await appendNumbered(store, 1);

    const second = recordingReactor('mailer');
    const projection = recordingProjection('numbers');
    engine = new ProjectionEngine({ store, db, projections: [projection], retry: FAST_RETRY });
    engine.addReactor(second.reactor);
    await engine.start();
    await waitUntil(() => reactorCheckpoint('mailer') === 5);

    expect(second.calls).toEqual([3, 4, 5]);
    expect(projection.seen).toEqual([5]);
  });

  it('are called only for the event types they name, while their checkpoint follows every event', async () => {
    const { reactor, calls } = recordingReactor('payouts-only', { eventTypes: ['MilestonePaidOut'] });
    await appendNumbered(store, 2, 'numbers-1', 'Numbered');
    await appendNumbered(store, 1, 'contract-1', 'MilestonePaidOut');
    await appendNumbered(store, 2, 'numbers-1', 'Numbered');
    engine = new ProjectionEngine({ store, db, projections: [recordingProjection('numbers')], retry: FAST_RETRY });
    await engine.start();
    engine.addReactor(reactor);

    await waitUntil(() => reactorCheckpoint('payouts-only') === 5);
    expect(calls).toEqual([3]);
  });

  it('write their checkpoint at most once per interval, and store the last event handled once it has passed', async () => {
    const { reactor, calls } = recordingReactor('counted');
    engine = new ProjectionEngine({ store, db, projections: [recordingProjection('numbers')], reactors: [reactor], reactorPageSize: 1, retry: FAST_RETRY });
    await engine.start();
    db.exec(`CREATE TABLE checkpoint_writes (position INTEGER NOT NULL);
      CREATE TRIGGER count_checkpoint_writes AFTER UPDATE ON projection_checkpoints WHEN NEW.name = 'counted'
      BEGIN INSERT INTO checkpoint_writes VALUES (NEW.position); END;`);
    await appendNumbered(store, 40);

    await waitUntil(() => reactorCheckpoint('counted') === 40);
    expect(calls).toEqual(range(1, 40));
    const writes = db.prepare('SELECT position FROM checkpoint_writes ORDER BY rowid').pluck().all() as number[];
    // One page per event: a write per page would be 40.
    expect(writes.length).toBeLessThan(10);
    expect(writes.at(-1)).toBe(40);
  });

  it('store the position they reached when they stop, however recently they wrote it', async () => {
    const { reactor } = recordingReactor('stopping');
    engine = new ProjectionEngine({ store, db, projections: [recordingProjection('numbers')], reactors: [reactor], retry: FAST_RETRY });
    await engine.start();
    await appendNumbered(store, 1);
    await waitUntil(() => reactorCheckpoint('stopping') === 1);
    await appendNumbered(store, 2);
    await waitUntil(() => engine!.reactorStatus()[0].position === 3);

    await engine.stop();
    expect(reactorCheckpoint('stopping')).toBe(3);
  });

  it('may not take the name of a projection', () => {
    const { reactor } = recordingReactor('numbers');
    expect(() => new ProjectionEngine({ store, db, projections: [recordingProjection('numbers')], reactors: [reactor] })).toThrow('used twice');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

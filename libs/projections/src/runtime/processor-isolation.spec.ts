import Database from 'better-sqlite3';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { appendNumbered } from '../testing/events';
import { batchRecordingProjection, positionsOf, range, recordingProjection } from '../testing/recording-projection';
import { ProjectionEngine, ProjectionEngineErrorSource } from './projection-engine';
import type { Reactor } from './reactor';

const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20 };

describe('processors isolated from one another', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  let engine: ProjectionEngine | undefined;

  const checkpoint = (name: string) => db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').pluck().get(name) as number;

  /** A reactor standing for the wallet credits: it records every event it handles. */
  const creditsReactor = () => {
    const credited: number[] = [];
    const reactor: Reactor = {
      name: 'credits',
      async handle(event) {
        credited.push(event.position);
      },
    };
    return { reactor, credited };
  };

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

  it('one projection throwing on an event: the others reach the head, the reactor keeps crediting, the failing one reports and resumes with the rows of a rebuild', async () => {
    const ledger = recordingProjection('ledger');
    const fees = batchRecordingProjection('fees');
    const fragile = recordingProjection('fragile');
    fragile.failOn = (event) => event.position === 3;
    const { reactor, credited } = creditsReactor();
    const errors: ProjectionEngineErrorSource[] = [];
    await appendNumbered(store, 4);
    engine = new ProjectionEngine({
      store,
      db,
      projections: [ledger, fees, fragile],
      reactors: [reactor],
      batchSize: 2,
      retry: FAST_RETRY,
      clock: () => new Date('2026-06-01T00:00:00Z'),
      onError: (_error, source) => errors.push(source),
    });
    await engine.start();
    const head = await appendNumbered(store, 3);

    // The others and the reactor go to the head while fragile refuses event 3.
    expect(await engine.waitFor(head, { projections: ['ledger', 'fees'] })).toBe(true);
    await waitUntil(() => checkpoint('credits') === head);
    expect(credited).toEqual(range(1, head));
    expect(positionsOf(ledger.rows(db))).toEqual(range(1, head));
    expect(positionsOf(fees.rows(db))).toEqual(range(1, head));

    // fragile stopped after its last good batch, and says so; it is retried with the back-off.
    expect(await engine.waitFor(head, { timeoutMs: 50 })).toBe(false);
    expect(positionsOf(fragile.rows(db))).toEqual([1, 2]);
    expect(checkpoint('fragile')).toBe(2);
    await waitUntil(() => (engine!.projectionFailures()[0]?.failures ?? 0) >= 3);
    expect(engine.projectionFailures()).toEqual([
      { name: 'fragile', failures: expect.any(Number), lastError: 'fragile refuses event 3', failingSince: '2026-06-01T00:00:00.000Z' },
    ]);
    expect(engine.failingSince).toBe('2026-06-01T00:00:00.000Z');
    expect(errors).toContainEqual({ kind: 'projection', projection: 'fragile' });
    expect(errors.every((source) => source.kind === 'projection' && source.projection === 'fragile')).toBe(true);
    const status = await engine.status();
    expect(status.find((projection) => projection.name === 'fragile')).toMatchObject({ position: 2, lag: head - 2 });
    expect(status.find((projection) => projection.name === 'ledger')).toMatchObject({ position: head, lag: 0 });

    // Once it stops throwing it catches up on its own, and its rows are those a rebuild from zero gives.
    fragile.failOn = undefined;
    expect(await engine.waitFor(head)).toBe(true);
    expect(engine.projectionFailures()).toEqual([]);
    expect(engine.failingSince).toBeUndefined();
    const resumed = fragile.rows(db);
    expect(positionsOf(resumed)).toEqual(range(1, head));
    await engine.rebuild(['fragile']);
    expect(fragile.rows(db)).toEqual(resumed);

    // And everything stays live.
    const next = await appendNumbered(store, 1);
    expect(await engine.waitFor(next)).toBe(true);
    await waitUntil(() => checkpoint('credits') === next);
  });

  it('a projection failing from its first event holds back neither the others nor a rebuild of another', async () => {
    const broken = recordingProjection('broken');
    broken.failOn = () => true;
    const other = recordingProjection('other');
    await appendNumbered(store, 3);
    engine = new ProjectionEngine({ store, db, projections: [broken, other], retry: FAST_RETRY });
    await engine.start();
    expect(await engine.waitFor(3, { projections: ['other'] })).toBe(true);

    const report = await engine.rebuild(['other']);
    expect(report.projections).toEqual([{ name: 'other', version: 1, previousPosition: 3, position: 3 }]);
    expect(positionsOf(other.rows(db))).toEqual(range(1, 3));
    expect(broken.rows(db)).toEqual([]);
    expect(engine.projectionFailures().map((failure) => failure.name)).toEqual(['broken']);
  });

  it('a projection that fails while catching up after a restart does not delay the others', async () => {
    await appendNumbered(store, 5);
    const first = new ProjectionEngine({ store, db, projections: [recordingProjection('a'), recordingProjection('b')] });
    await first.catchUp();
    await first.stop();

    await appendNumbered(store, 3);
    const a = recordingProjection('a');
    const b = recordingProjection('b');
    b.failOn = (event) => event.position === 7;
    engine = new ProjectionEngine({ store, db, projections: [a, b], retry: FAST_RETRY });
    await engine.start();
    expect(await engine.waitFor(8, { projections: ['a'] })).toBe(true);
    expect(a.seen).toEqual(range(6, 8));
    expect(checkpoint('b')).toBe(5);

    b.failOn = undefined;
    expect(await engine.waitFor(8)).toBe(true);
    expect(positionsOf(b.rows(db))).toEqual(range(1, 8));
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

import Database from 'better-sqlite3';
import { conflict } from '@escrow/domain/shared/domain-error';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { EventStoreUnavailableError, RecordedEvent } from '@escrow/event-store/port';
import { appendNumbered } from '../testing/events';
import { recordingProjection } from '../testing/recording-projection';
import { createCheckpointTable } from './checkpoints';
import { ParkedEventNotFoundError, ParkedEventResolvedError, ReactorNotRunningError } from './parked-event-retry';
import type { ParkedEvent } from './parked-events';
import { ProjectionEngine, ProjectionEngineErrorSource } from './projection-engine';
import type { Reactor } from './reactor';

const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20 };
const SUPPORT = { id: 'support-1', role: 'support' };

/** A reactor whose answer to each delivery the spec decides: nothing (success) or an error to throw. */
function scriptedReactor(name: string, answer: (event: RecordedEvent, attempt: number) => Error | undefined) {
  const calls: number[] = [];
  const attempts = new Map<number, number>();
  const reactor: Reactor = {
    name,
    async handle(event) {
      calls.push(event.position);
      const attempt = (attempts.get(event.position) ?? 0) + 1;
      attempts.set(event.position, attempt);
      const error = answer(event, attempt);
      if (error) throw error;
    },
  };
  return { reactor, calls };
}

const refusal = () => conflict('CREDIT_SOURCE_CONFLICT', 'Source was already credited with another amount.');

describe('reactors park what they refuse for good', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  let engine: ProjectionEngine | undefined;
  let parkedReports: ParkedEvent[];
  let errors: ProjectionEngineErrorSource[];

  const checkpointOf = (name: string) =>
    (db.prepare("SELECT position FROM projection_checkpoints WHERE name = ? AND kind = 'reactor'").pluck().get(name) as number | undefined) ?? -1;
  const parkedRows = () => db.prepare('SELECT reactor, position, attempts, resolved_at FROM reactor_parked_events ORDER BY parked_id').all();

  const startEngine = async (reactor: Reactor, options: { isPassingFailure?: (error: unknown) => boolean } = {}) => {
    engine = new ProjectionEngine({
      store,
      db,
      projections: [recordingProjection('numbers')],
      reactors: [reactor],
      retry: FAST_RETRY,
      onError: (_error, source) => errors.push(source),
      onParked: (parked) => parkedReports.push(parked),
      ...options,
    });
    await engine.start();
    return engine;
  };

  beforeEach(() => {
    store = new InMemoryEventStore();
    db = new Database(':memory:');
    parkedReports = [];
    errors = [];
  });

  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await store.close();
    db.close();
  });

  it('park a refused event with its reason and deliver the events after it', async () => {
    const { reactor, calls } = scriptedReactor('credits', (event) => (event.position === 2 ? refusal() : undefined));
    await appendNumbered(store, 4);
    const running = await startEngine(reactor);

    await waitUntil(() => checkpointOf('credits') === 4);
    expect(calls).toEqual([1, 2, 3, 4]);
    const [parked] = running.parkedEvents({ limit: 10 });
    expect(running.parkedEvents({ limit: 10 })).toHaveLength(1);
    expect(parked).toMatchObject({
      reactor: 'credits',
      status: 'parked',
      event: { position: 2, type: 'Numbered', streamId: 'numbers-1', revision: 1 },
      error: { code: 'CREDIT_SOURCE_CONFLICT', message: 'Source was already credited with another amount.' },
      attempts: 1,
      resolvedAt: null,
      resolvedBy: null,
    });
    expect(parked.event.id).toBe((await store.readAll({ after: 1, maxCount: 1 }))[0].id);
    expect(parkedReports).toEqual([parked]);
    expect(errors).toEqual([]);
    expect(running.reactorStatus()).toEqual([{ name: 'credits', position: 4, failures: 0, lastError: null, parked: 1, updatedAt: expect.any(String) }]);
  });

  it('park any error that is not a passing failure, an unknown one included', async () => {
    const thrown = [new TypeError('data.source is undefined'), Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' })];
    const { reactor, calls } = scriptedReactor('strict', (event) => thrown[event.position - 1]);
    await appendNumbered(store, 3);
    const running = await startEngine(reactor);

    await waitUntil(() => checkpointOf('strict') === 3);
    expect(calls).toEqual([1, 2, 3]);
    expect(running.parkedEvents({ limit: 10 }).map((p) => [p.event.position, p.error.code])).toEqual([
      [1, 'TypeError'],
      // A plain error that only claims a SQLite code is not the driver's: it does not buy retries.
      [2, 'SQLITE_BUSY'],
    ]);
  });

  it('retry a passing failure with back-off and never park it', async () => {
    const { reactor, calls } = scriptedReactor('credits', (event, attempt) =>
      event.position === 2 && attempt <= 3 ? new EventStoreUnavailableError('The SQLite event store cannot write right now (SQLITE_FULL)') : undefined,
    );
    await appendNumbered(store, 3);
    const running = await startEngine(reactor);

    await waitUntil(() => checkpointOf('credits') === 3);
    expect(calls).toEqual([1, 2, 2, 2, 2, 3]);
    expect(errors).toHaveLength(3);
    expect(running.parkedEvents({ status: 'all', limit: 10 })).toEqual([]);
  });

  it('retry what the host says is passing (e.g. its 5xx answers)', async () => {
    class Unavailable extends Error {}
    const { reactor, calls } = scriptedReactor('credits', (event, attempt) => (event.position === 1 && attempt === 1 ? new Unavailable('503') : undefined));
    await appendNumbered(store, 2);
    const running = await startEngine(reactor, { isPassingFailure: (error) => error instanceof Unavailable });

    await waitUntil(() => checkpointOf('credits') === 2);
    expect(calls).toEqual([1, 1, 2]);
    expect(running.parkedEvents({ status: 'all', limit: 10 })).toEqual([]);
  });

  it('report a reactor stuck on a passing failure with its failures in a row and last error', async () => {
    const { reactor } = scriptedReactor('credits', () => new EventStoreUnavailableError('store down'));
    await appendNumbered(store, 2);
    const running = await startEngine(reactor);

    await waitUntil(() => running.reactorStatus()[0].failures >= 3);
    expect(running.reactorStatus()[0]).toMatchObject({ position: 0, lastError: 'store down', parked: 0 });
    expect(checkpointOf('credits')).toBe(0);
  });

  it('write a park and the checkpoint past it in one transaction: a failed write leaves neither, and the event is parked once', async () => {
    const { reactor, calls } = scriptedReactor('credits', (event) => (event.position === 2 ? refusal() : undefined));
    await appendNumbered(store, 3);
    createCheckpointTable(db);
    db.exec(`
      CREATE TRIGGER refuse_checkpoint BEFORE UPDATE ON projection_checkpoints WHEN NEW.name = 'credits' AND NEW.position >= 2
      BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END;
    `);
    const running = await startEngine(reactor);

    await waitUntil(() => calls.filter((position) => position === 2).length >= 3);
    expect(parkedRows()).toEqual([]);
    expect(checkpointOf('credits')).toBe(1);
    expect(calls).not.toContain(3);
    expect(errors.length).toBeGreaterThanOrEqual(2);

    db.exec('DROP TRIGGER refuse_checkpoint');
    await waitUntil(() => checkpointOf('credits') === 3);
    expect(parkedRows()).toEqual([{ reactor: 'credits', position: 2, attempts: 1, resolved_at: null }]);
    expect(running.reactorStatus()[0]).toMatchObject({ position: 3, parked: 1 });
  });

  it('neither deliver nor park a parked event again after a restart', async () => {
    const first = scriptedReactor('credits', (event) => (event.position === 2 ? refusal() : undefined));
    await appendNumbered(store, 2);
    await startEngine(first.reactor);
    await waitUntil(() => checkpointOf('credits') === 2);
    await engine!.stop();

    await appendNumbered(store, 1);
    const second = scriptedReactor('credits', () => undefined);
    const restarted = await startEngine(second.reactor);
    await waitUntil(() => checkpointOf('credits') === 3);

    expect(second.calls).toEqual([3]);
    expect(parkedRows()).toEqual([{ reactor: 'credits', position: 2, attempts: 1, resolved_at: null }]);
    expect(restarted.reactorStatus()[0].parked).toBe(1);
  });

  describe('a retry', () => {
    let refusing: boolean;
    let reactorCalls: number[];
    let running: ProjectionEngine;
    let parkedId: number;

    beforeEach(async () => {
      refusing = true;
      const { reactor, calls } = scriptedReactor('credits', (event) => (event.position === 2 && refusing ? refusal() : undefined));
      reactorCalls = calls;
      await appendNumbered(store, 3);
      running = await startEngine(reactor);
      await waitUntil(() => checkpointOf('credits') === 3);
      parkedId = running.parkedEvents({ limit: 10 })[0].parkedId;
    });

    it('delivers the event again and resolves it with who retried it and when, once', async () => {
      refusing = false;
      const resolved = await running.retryParkedEvent(parkedId, SUPPORT);

      expect(reactorCalls).toEqual([1, 2, 3, 2]);
      expect(resolved).toMatchObject({ parkedId, status: 'resolved', resolvedBy: SUPPORT, resolvedAt: expect.any(String), attempts: 1 });
      expect(running.parkedEvents({ limit: 10 })).toEqual([]);
      expect(running.parkedEvents({ status: 'resolved', limit: 10 })).toEqual([resolved]);
      expect(running.reactorStatus()[0].parked).toBe(0);
      expect(checkpointOf('credits')).toBe(3);

      await expect(running.retryParkedEvent(parkedId, SUPPORT)).rejects.toBeInstanceOf(ParkedEventResolvedError);
      expect(reactorCalls).toEqual([1, 2, 3, 2]);
    });

    it('refused again leaves it parked with the new reason and one more attempt', async () => {
      const after = await running.retryParkedEvent(parkedId, SUPPORT);

      expect(reactorCalls).toEqual([1, 2, 3, 2]);
      expect(after).toMatchObject({ parkedId, status: 'parked', attempts: 2, resolvedBy: null, error: { code: 'CREDIT_SOURCE_CONFLICT' } });
      expect(after.lastAttemptAt >= after.parkedAt).toBe(true);
      expect(running.reactorStatus()[0].parked).toBe(1);
    });

    it('that fails passingly is answered with that failure and changes nothing', async () => {
      const original = running.parkedEvents({ limit: 10 })[0];
      const unavailable = new EventStoreUnavailableError('store down');
      const flaky = scriptedReactor('credits', () => unavailable);
      await running.stop();
      running = await startEngine(flaky.reactor);

      await expect(running.retryParkedEvent(parkedId, SUPPORT)).rejects.toBe(unavailable);
      expect(running.parkedEvents({ limit: 10 })).toEqual([original]);
    });

    it('asked twice at once delivers the event once', async () => {
      refusing = false;
      const outcomes = await Promise.allSettled([running.retryParkedEvent(parkedId, SUPPORT), running.retryParkedEvent(parkedId, SUPPORT)]);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ParkedEventResolvedError);
      expect(reactorCalls.filter((position) => position === 2)).toHaveLength(2);
    });

    it('of an unknown id, or where the reactor does not run, is refused', async () => {
      await expect(running.retryParkedEvent(parkedId + 1000, SUPPORT)).rejects.toBeInstanceOf(ParkedEventNotFoundError);
      await running.stop();
      await expect(running.retryParkedEvent(parkedId, SUPPORT)).rejects.toBeInstanceOf(ReactorNotRunningError);
    });
  });

  describe('stopping', () => {
    it('while a passing failure is being retried ends the retries without parking or moving the checkpoint', async () => {
      const { reactor, calls } = scriptedReactor('credits', () => new EventStoreUnavailableError('store down'));
      await appendNumbered(store, 2);
      const running = await startEngine(reactor);
      await waitUntil(() => calls.length >= 2);

      await running.stop();
      const callsAtStop = calls.length;
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(calls).toHaveLength(callsAtStop);
      expect(checkpointOf('credits')).toBe(0);
      expect(parkedRows()).toEqual([]);
    });

    it('waits for a retry of a parked event that is in flight, and refuses new ones', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let parkedOnce = false;
      let retryEntered = false;
      const slow: Reactor = {
        name: 'credits',
        async handle() {
          if (!parkedOnce) {
            parkedOnce = true;
            throw refusal();
          }
          retryEntered = true;
          await gate;
        },
      };
      await appendNumbered(store, 1);
      const running = await startEngine(slow);
      await waitUntil(() => checkpointOf('credits') === 1);
      const parkedId = running.parkedEvents({ limit: 10 })[0].parkedId;

      const retry = running.retryParkedEvent(parkedId, SUPPORT);
      await waitUntil(() => retryEntered);
      let stopped = false;
      const stopping = running.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stopped).toBe(false);

      release();
      await stopping;
      expect(running.parkedEvents({ status: 'resolved', limit: 10 }).map((parked) => parked.parkedId)).toEqual([parkedId]);
      expect((await retry).status).toBe('resolved');
      await expect(running.retryParkedEvent(parkedId, SUPPORT)).rejects.toBeInstanceOf(ParkedEventResolvedError);
    });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

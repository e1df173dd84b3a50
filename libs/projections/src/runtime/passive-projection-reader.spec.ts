import Database from 'better-sqlite3';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { appendNumbered } from '../testing/events';
import { recordingProjection } from '../testing/recording-projection';
import { PassiveProjectionReader } from './passive-projection-reader';
import { ProjectionEngine } from './projection-engine';

describe('PassiveProjectionReader (projections run by another process)', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;

  beforeEach(() => {
    store = new InMemoryEventStore();
    db = new Database(':memory:');
  });

  afterEach(async () => {
    await store.close();
    db.close();
  });

  it('creates empty tables for projections never run, so that queries answer with nothing', () => {
    const numbers = recordingProjection('numbers');
    new PassiveProjectionReader(db, store, [numbers]);
    expect(numbers.rows(db)).toEqual([]);
  });

  it('sees the checkpoints the engine commits and waits for a position by polling them', async () => {
    const numbers = recordingProjection('numbers');
    const reader = new PassiveProjectionReader(db, store, [numbers], 5);
    await appendNumbered(store, 3);
    expect(await reader.waitFor(3, { timeoutMs: 30 })).toBe(false);

    const waiting = reader.waitFor(3, { timeoutMs: 2000 });
    const worker = new ProjectionEngine({ store, db, projections: [recordingProjection('numbers')] });
    await worker.catchUp();

    expect(await waiting).toBe(true);
    expect(reader.positionOf('numbers')).toBe(3);
    expect(await reader.status()).toEqual([expect.objectContaining({ name: 'numbers', position: 3, headPosition: 3, lag: 0 })]);
    await expect(reader.waitFor(1, { projections: ['unknown'] })).rejects.toThrow(RangeError);
  });
});

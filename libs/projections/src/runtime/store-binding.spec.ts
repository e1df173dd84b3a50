import Database from 'better-sqlite3';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { recordingProjection } from '../testing/recording-projection';
import { CHECKPOINT_TABLE, CheckpointTable } from './checkpoints';
import { ProjectionEngine } from './projection-engine';
import { assertReadModelsMatchStore, findStoreMismatch, rebindToStore, ReadModelsDoNotMatchStoreError } from './store-binding';

const STORE_A = '0b8a6f1e-5d36-4a43-9c3e-6f2f0c1d2e3a';
const STORE_B = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const NOW = '2026-11-30T00:00:00.000Z';

/** A store as the check sees it: its id and the position of its last event. */
const storeAt = (storeId: string, headPosition: number) => ({ storeId: async () => storeId, headPosition: async () => headPosition });

function readModelsOf(storeId: string | null, rows: Array<{ name: string; kind?: 'projection' | 'reactor'; position: number }>): Database.Database {
  const db = new Database(':memory:');
  const table = new CheckpointTable(db, storeId);
  for (const row of rows) table.insert({ name: row.name, kind: row.kind ?? 'projection', version: 1, position: row.position, updatedAt: NOW });
  return db;
}

describe('read models bound to their event store', () => {
  it('finds nothing wrong in a database where no read model was ever built', async () => {
    expect(await findStoreMismatch(new Database(':memory:'), storeAt(STORE_A, 0))).toEqual({ storeId: STORE_A, mismatch: undefined });
  });

  it('accepts checkpoints of this store at or behind its head', async () => {
    const db = readModelsOf(STORE_A, [{ name: 'ledger', position: 10 }, { name: 'wallet-credits', kind: 'reactor', position: 7 }]);
    await expect(assertReadModelsMatchStore(db, storeAt(STORE_A, 10))).resolves.toBe(STORE_A);
  });

  it('reads the checkpoints before the head: one moved by another process meanwhile is not taken for one beyond it', async () => {
    const db = readModelsOf(STORE_A, [{ name: 'ledger', position: 10 }]);
    const busy = {
      storeId: async () => STORE_A,
      headPosition: async () => {
        const head = 10;
        // Right after the head was read, another process appends two events and applies them.
        new CheckpointTable(db).advance('ledger', 12, NOW);
        return head;
      },
    };
    await expect(assertReadModelsMatchStore(db, busy)).resolves.toBe(STORE_A);
  });

  it('refuses checkpoints of another store (another log, or an emptied one), naming the cause and the remedy', async () => {
    const db = readModelsOf(STORE_A, [{ name: 'ledger', position: 3 }]);
    const attempt = () => assertReadModelsMatchStore(db, storeAt(STORE_B, 50));
    await expect(attempt()).rejects.toThrow(ReadModelsDoNotMatchStoreError);
    await expect(attempt()).rejects.toThrow(new RegExp(`built from event store ${STORE_A}, but the event store at hand is ${STORE_B}`));
    await expect(attempt()).rejects.toThrow(/npm run projections:rebuild/);
    expect((await findStoreMismatch(db, storeAt(STORE_B, 50))).mismatch).toMatchObject({ kind: 'foreign-store', checkpoints: ['ledger'] });
  });

  it('refuses checkpoints beyond the head of the log (an older copy of it), naming the furthest', async () => {
    const db = readModelsOf(STORE_A, [
      { name: 'ledger', position: 12 },
      { name: 'fees', position: 9 },
      { name: 'wallet-credits', kind: 'reactor', position: 11 },
    ]);
    expect((await findStoreMismatch(db, storeAt(STORE_A, 9))).mismatch).toEqual({
      kind: 'ahead-of-log',
      headPosition: 9,
      position: 12,
      checkpoints: ['ledger', 'wallet-credits'],
    });
    await expect(assertReadModelsMatchStore(db, storeAt(STORE_A, 9))).rejects.toThrow(
      /read the event log up to position 12 .* last event is at position 9: the log is older than the read models.*npm run projections:rebuild/s,
    );
  });

  it('binds checkpoints written before they recorded a store to the store they match, and refuses them if ahead', async () => {
    const legacy = readModelsOf(null, [{ name: 'ledger', position: 5 }]);
    await expect(assertReadModelsMatchStore(legacy, storeAt(STORE_A, 4))).rejects.toThrow(/older than the read models/);
    await assertReadModelsMatchStore(legacy, storeAt(STORE_A, 5));
    expect(new CheckpointTable(legacy).get('ledger')).toMatchObject({ storeId: STORE_A, position: 5 });
    expect((await findStoreMismatch(legacy, storeAt(STORE_B, 5))).mismatch).toMatchObject({ kind: 'foreign-store' });
  });

  it('gives a checkpoint table from before store ids its column, without losing a row', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE ${CHECKPOINT_TABLE} (name TEXT PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL,
      position INTEGER NOT NULL, updated_at TEXT) STRICT, WITHOUT ROWID;
      INSERT INTO ${CHECKPOINT_TABLE} VALUES ('ledger', 'projection', 3, 42, '${NOW}');`);
    expect(new CheckpointTable(db, STORE_A).all()).toEqual([
      { name: 'ledger', kind: 'projection', version: 3, position: 42, updatedAt: NOW, storeId: null },
    ]);
  });

  it('rebinding to a store moves every reactor back to its first event and forgets projections that no longer exist', () => {
    const db = readModelsOf(STORE_A, [
      { name: 'ledger', position: 0 },
      { name: 'retired-projection', position: 30 },
      { name: 'wallet-credits', kind: 'reactor', position: 30 },
    ]);
    expect(rebindToStore(db, STORE_B, ['ledger'], NOW)).toEqual(['wallet-credits']);
    expect(new CheckpointTable(db).all()).toEqual([
      { name: 'ledger', kind: 'projection', version: 1, position: 0, updatedAt: NOW, storeId: STORE_A },
      { name: 'wallet-credits', kind: 'reactor', version: 1, position: 0, updatedAt: NOW, storeId: STORE_B },
    ]);
  });

  it('the engine records the store in the checkpoints it creates, and a rebuild moves them to the store it reads', async () => {
    const db = readModelsOf(STORE_A, [{ name: 'ledger', position: 0 }]);
    const store = new InMemoryEventStore();
    const storeId = await store.storeId();
    const engine = new ProjectionEngine({ store, storeId, db, projections: [recordingProjection('ledger'), recordingProjection('fees')] });
    await engine.catchUp();
    expect(new CheckpointTable(db).get('fees')?.storeId).toBe(storeId);
    expect(new CheckpointTable(db).get('ledger')?.storeId).toBe(STORE_A);
    await engine.rebuild();
    expect(new CheckpointTable(db).all().map((checkpoint) => checkpoint.storeId)).toEqual([storeId, storeId]);
    await store.close();
  });
});

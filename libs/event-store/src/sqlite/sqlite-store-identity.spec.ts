import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventToAppend } from '../port';
import { EVENT_STORE_SCHEMA_VERSION, HEAD_POSITION_KEY, STORE_ID_KEY } from './schema';
import { EventStoreUnavailableError } from '../port';
import { SqliteEventStore } from './sqlite-event-store';

const newEvent = (): EventToAppend => ({
  id: randomUUID(),
  type: 'IdentityTested',
  data: {},
  metadata: {
    schemaVersion: 1,
    occurredAt: '2024-04-01T09:00:00.000Z',
    actor: { id: 'worker-1', role: 'user' },
    correlationId: 'correlation-1',
    causationId: 'causation-1',
  },
});

const metadataOf = (file: string): Record<string, unknown> => {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(db.prepare<[], [string, unknown]>('SELECT key, value FROM store_metadata').raw().all());
  } finally {
    db.close();
  }
};

describe('SqliteEventStore identity and recorded head', () => {
  let directory: string;
  let file: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'event-store-identity-'));
    file = join(directory, 'events.sqlite');
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps the id it was created with across reopening, and records the head with every commit', async () => {
    const store = SqliteEventStore.open({ file });
    const id = await store.storeId();
    await Promise.all([store.append('s-1', [newEvent(), newEvent()], 'no_stream'), store.append('s-2', [newEvent()], 'no_stream')]);
    await store.close();
    expect(metadataOf(file)).toEqual({ [STORE_ID_KEY]: id, [HEAD_POSITION_KEY]: 3 });

    const reopened = SqliteEventStore.open({ file });
    expect(await reopened.storeId()).toBe(id);
    // A refused append commits nothing new: the recorded head stays.
    await expect(reopened.append('s-1', [newEvent()], 'no_stream')).rejects.toThrow();
    await reopened.close();
    expect(metadataOf(file)[HEAD_POSITION_KEY]).toBe(3);
  });

  it('gives a file of the first schema version an id and its head when it is opened', async () => {
    const old = new Database(file);
    old.exec(`
      CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
        event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
        recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision)) STRICT;
      CREATE TABLE streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL) STRICT, WITHOUT ROWID;
      INSERT INTO events VALUES (1, 's', 0, 'e-1', 'T', '{}', '{}', '2024-04-01T09:00:00.000Z');
      INSERT INTO events VALUES (2, 's', 1, 'e-2', 'T', '{}', '{}', '2024-04-01T09:00:00.000Z');
      INSERT INTO streams VALUES ('s', 1);
      PRAGMA user_version = 1;
    `);
    old.close();

    const store = SqliteEventStore.open({ file });
    const id = await store.storeId();
    expect(await store.headPosition()).toBe(2);
    await store.close();
    expect(EVENT_STORE_SCHEMA_VERSION).toBe(2);
    expect(metadataOf(file)).toEqual({ [STORE_ID_KEY]: id, [HEAD_POSITION_KEY]: 2 });
  });

  it('never lets the id be changed or the metadata deleted', async () => {
    await SqliteEventStore.open({ file }).close();
    const db = new Database(file);
    try {
      expect(() => db.prepare(`UPDATE store_metadata SET value = 'other' WHERE key = '${STORE_ID_KEY}'`).run()).toThrow(/permanent/);
      expect(() => db.prepare('DELETE FROM store_metadata').run()).toThrow(/never deleted/);
    } finally {
      db.close();
    }
  });

  it('refuses to open a file whose last event is not the head its last commit recorded', async () => {
    const store = SqliteEventStore.open({ file });
    await store.append('s-1', [newEvent(), newEvent()], 'no_stream');
    await store.close();
    const db = new Database(file);
    db.prepare(`UPDATE store_metadata SET value = 1 WHERE key = '${HEAD_POSITION_KEY}'`).run();
    db.close();

    expect(() => SqliteEventStore.open({ file })).toThrow(/damaged: its last event is at position 2 but its last commit recorded 1/);
  });

  it.each([
    ['on its writer thread', true],
    ['on its own connection', false],
  ])('says since when appends fail for want of room, until one commits again, and keeps the recorded head right (writing %s)', async (_, writerThread) => {
    const store = SqliteEventStore.open({ file, writerThread });
    expect(store.writesOnWriterThread).toBe(writerThread);
    await store.append('before', [newEvent()], 'no_stream');
    expect(store.writeFailingSince).toBeUndefined();
    // SQLite's view of a full disk: the file may not grow by a page (a cap of the connection that writes).
    await store.writerPragma(`max_page_count = ${(await store.writerPragma('page_count')) as number}`);
    const big = { ...newEvent(), data: { padding: 'x'.repeat(64 * 1024) } };
    await expect(store.append('full', [big], 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(store.writeFailingSince).toEqual(expect.any(String));

    await store.writerPragma('max_page_count = 1073741823');
    await store.append('full', [big], 'no_stream');
    expect(store.writeFailingSince).toBeUndefined();
    await store.close();
    expect(metadataOf(file)[HEAD_POSITION_KEY]).toBe(2);
  });
});

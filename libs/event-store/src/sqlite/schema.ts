/**
 * Versioned schema of the SQLite event store. `PRAGMA user_version` records the version a file is
 * at; each migration moves it up by one inside the same transaction as its DDL, so a file is never
 * left half-migrated and two processes opening it at once migrate it only once.
 */

import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

interface Migration {
  version: number;
  statements: string;
  /** Rows the new tables start with, computed when the migration runs. */
  seed?: (db: Database.Database) => void;
}

/** Key of the store's identity in `store_metadata`: a UUID created with the file, never changed. */
export const STORE_ID_KEY = 'store_id';
/** Key of the position of the last event, moved in the same transaction as each committed batch. */
export const HEAD_POSITION_KEY = 'head_position';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: `
      CREATE TABLE events (
        position    INTEGER PRIMARY KEY,
        stream_id   TEXT    NOT NULL,
        revision    INTEGER NOT NULL,
        event_id    TEXT    NOT NULL UNIQUE,
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      ) STRICT;

      CREATE TABLE streams (
        stream_id TEXT    PRIMARY KEY,
        revision  INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;

      CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are never deleted'); END;
    `,
  },
  {
    // The file knows which store it is and how far its log goes: read models record the id and the
    // position they were built from, and a start on another store's file, or on an older copy of this
    // one, is refused instead of being read as a continuation.
    version: 2,
    statements: `
      CREATE TABLE store_metadata (
        key   TEXT PRIMARY KEY,
        value ANY  NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER store_id_is_permanent BEFORE UPDATE ON store_metadata WHEN old.key = '${STORE_ID_KEY}'
      BEGIN SELECT RAISE(ABORT, 'the store id is permanent'); END;

      CREATE TRIGGER store_metadata_is_never_deleted BEFORE DELETE ON store_metadata
      BEGIN SELECT RAISE(ABORT, 'store metadata is never deleted'); END;
    `,
    seed: (db) => {
      const insert = db.prepare('INSERT INTO store_metadata (key, value) VALUES (?, ?)');
      insert.run(STORE_ID_KEY, randomUUID());
      insert.run(HEAD_POSITION_KEY, db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number);
    },
  },
];

export const EVENT_STORE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

const userVersion = (db: Database.Database): number => db.pragma('user_version', { simple: true }) as number;

/** Brings the file to the current schema; refuses a file written by a newer version of the service. */
export function migrateEventStoreSchema(db: Database.Database): void {
  const migrate = db.transaction(() => {
    const current = userVersion(db);
    if (current > EVENT_STORE_SCHEMA_VERSION) {
      throw new Error(
        `The event store file is at schema version ${current}, newer than this build supports (${EVENT_STORE_SCHEMA_VERSION})`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.statements);
      migration.seed?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  // IMMEDIATE takes the write lock before reading the version, so concurrent openers serialise here.
  migrate.immediate();
}

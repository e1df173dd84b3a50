import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@escrow/event-store/port';
import { eachEventFlushed, type Projection } from '../projection';

export interface RecordingProjection extends Projection {
  /** Positions handed to the handler, in order, including those of batches later rolled back. */
  readonly seen: number[];
  /** While set, the handler throws on the events it matches. */
  failOn: ((event: RecordedEvent) => boolean) | undefined;
  /** Rows of its table: position and the marker of the version that wrote them. */
  rows(db: Database.Database): { position: number; type: string; marker: string }[];
}

/**
 * A projection that stores one row per event, keyed by position (a duplicate would violate the key),
 * tagged with a marker so a rebuild by another version is visible.
 */
export function recordingProjection(name: string, options: { version?: number; marker?: string } = {}): RecordingProjection {
  const table = `${name.replace(/[^A-Za-z0-9_]/g, '_')}_rows`;
  const marker = options.marker ?? `v${options.version ?? 1}`;
  const projection: RecordingProjection = {
    name,
    version: options.version ?? 1,
    tables: [table],
    seen: [],
    failOn: undefined,
    setup(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (position INTEGER PRIMARY KEY, type TEXT NOT NULL, marker TEXT NOT NULL) STRICT`);
    },
    prepare(db) {
      const insert = db.prepare<[number, string, string]>(`INSERT INTO ${table} (position, type, marker) VALUES (?, ?, ?)`);
      return (event) => {
        projection.seen.push(event.position);
        if (projection.failOn?.(event)) throw new Error(`${name} refuses event ${event.position}`);
        insert.run(event.position, event.type, marker);
      };
    },
    rows(db) {
      return db.prepare(`SELECT position, type, marker FROM ${table} ORDER BY position`).all() as { position: number; type: string; marker: string }[];
    },
  };
  return projection;
}

export const positionsOf = (rows: readonly { position: number }[]): number[] => rows.map((row) => row.position);

export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);

export interface BatchRecordingProjection extends Projection {
  /** Positions of each flushed batch, in order, including batches later rolled back. */
  readonly flushed: number[][];
  /** How many times a batch handler was prepared. */
  prepared: number;
  /** While set, the flush of a batch containing a matching event throws. */
  failFlushOn: ((positions: readonly number[]) => boolean) | undefined;
  /** Checkpoint of the projection as its flush saw it, per flush. */
  readonly checkpointsAtFlush: number[];
  rows(db: Database.Database): { position: number }[];
}

/**
 * A projection that holds every row back until the end of the batch, then writes them all: a duplicate
 * (an event applied twice) violates the key, a row lost by a rollback is missing.
 */
export function batchRecordingProjection(name: string): BatchRecordingProjection {
  const table = `${name.replace(/[^A-Za-z0-9_]/g, '_')}_rows`;
  const prepareBatch = (db: Database.Database) => {
    projection.prepared++;
    const insert = db.prepare<[number]>(`INSERT INTO ${table} (position) VALUES (?)`);
    const checkpoint = db.prepare<[string], number>('SELECT position FROM projection_checkpoints WHERE name = ?').pluck();
    let held: number[] = [];
    return {
      apply(event: RecordedEvent) {
        held.push(event.position);
      },
      flush() {
        const positions = held;
        held = [];
        projection.flushed.push(positions);
        projection.checkpointsAtFlush.push(checkpoint.get(name) ?? -1);
        if (projection.failFlushOn?.(positions)) throw new Error(`${name} refuses to flush ${positions.join(', ')}`);
        for (const position of positions) insert.run(position);
      },
    };
  };
  const projection: BatchRecordingProjection = {
    name,
    version: 1,
    tables: [table],
    flushed: [],
    prepared: 0,
    failFlushOn: undefined,
    checkpointsAtFlush: [],
    setup(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (position INTEGER PRIMARY KEY) STRICT`);
    },
    prepare: (db) => eachEventFlushed(prepareBatch(db)),
    prepareBatch,
    rows(db) {
      return db.prepare(`SELECT position FROM ${table} ORDER BY position`).all() as { position: number }[];
    },
  };
  return projection;
}

import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

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

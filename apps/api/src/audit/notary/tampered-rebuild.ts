/**
 * A rebuild of the read models over a log the notary found changed is only done when the operator says so
 * (`npm run projections:rebuild -- --accept-tampered-log`), and is then recorded in the read-model database
 * itself: as long as those read models stand, readiness and `GET /v1/audit/integrity` say what they were built on.
 * A later rebuild over an intact log removes the record.
 */

import type Database from 'better-sqlite3';

const TABLE = 'read_models_over_tampered_log';

export interface TamperedRebuild {
  rebuiltAt: string;
  mismatchingPositions: number[];
}

export function recordTamperedRebuild(db: Database.Database, rebuild: TamperedRebuild): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), rebuilt_at TEXT NOT NULL, mismatching_positions TEXT NOT NULL) STRICT`);
  db.prepare(`INSERT OR REPLACE INTO ${TABLE} (id, rebuilt_at, mismatching_positions) VALUES (1, ?, ?)`).run(rebuild.rebuiltAt, JSON.stringify(rebuild.mismatchingPositions));
}

export function clearTamperedRebuild(db: Database.Database): void {
  if (hasTable(db)) db.exec(`DELETE FROM ${TABLE}`);
}

/** The record of a rebuild over a tampered log, if the read models at hand are one. */
export function tamperedRebuildOf(db: Database.Database): TamperedRebuild | undefined {
  if (!hasTable(db)) return undefined;
  const row = db.prepare(`SELECT rebuilt_at AS rebuiltAt, mismatching_positions AS positions FROM ${TABLE} WHERE id = 1`).get() as
    | { rebuiltAt: string; positions: string }
    | undefined;
  return row === undefined ? undefined : { rebuiltAt: row.rebuiltAt, mismatchingPositions: JSON.parse(row.positions) as number[] };
}

const hasTable = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE) !== undefined;

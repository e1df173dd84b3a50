import type Database from 'better-sqlite3';

export type CheckpointKind = 'projection' | 'reactor';

export interface Checkpoint {
  name: string;
  kind: CheckpointKind;
  version: number;
  /** Global position of the last event applied (projections) or handled (reactors); 0 before the first. */
  position: number;
  updatedAt: string | null;
}

export const CHECKPOINT_TABLE = 'projection_checkpoints';

type CheckpointRow = [name: string, kind: CheckpointKind, version: number, position: number, updatedAt: string | null];

const toCheckpoint = ([name, kind, version, position, updatedAt]: CheckpointRow): Checkpoint => ({
  name,
  kind,
  version,
  position,
  updatedAt,
});

/** Creates the checkpoint table if needed; safe to call on every start and from several processes. */
export function createCheckpointTable(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (
      name       TEXT    PRIMARY KEY,
      kind       TEXT    NOT NULL CHECK (kind IN ('projection', 'reactor')),
      version    INTEGER NOT NULL,
      position   INTEGER NOT NULL CHECK (position >= 0),
      updated_at TEXT
    ) STRICT, WITHOUT ROWID;
  `);
}

/**
 * Prepared statements over the checkpoint table. Every write happens inside the caller's transaction
 * when there is one, which is what ties a projection's checkpoint to its rows.
 */
export class CheckpointTable {
  private readonly selectAll: Database.Statement<[], CheckpointRow>;
  private readonly selectOne: Database.Statement<[string], CheckpointRow>;
  private readonly insertOne: Database.Statement<[string, CheckpointKind, number, number, string | null]>;
  private readonly resetOne: Database.Statement<[number, string | null, string]>;
  private readonly advanceOne: Database.Statement<[number, string, string]>;

  constructor(db: Database.Database) {
    createCheckpointTable(db);
    const columns = 'name, kind, version, position, updated_at';
    this.selectAll = db.prepare<[], CheckpointRow>(`SELECT ${columns} FROM ${CHECKPOINT_TABLE} ORDER BY name`).raw();
    this.selectOne = db.prepare<[string], CheckpointRow>(`SELECT ${columns} FROM ${CHECKPOINT_TABLE} WHERE name = ?`).raw();
    this.insertOne = db.prepare(`INSERT INTO ${CHECKPOINT_TABLE} (${columns}) VALUES (?, ?, ?, ?, ?)`);
    this.resetOne = db.prepare(`UPDATE ${CHECKPOINT_TABLE} SET version = ?, position = 0, updated_at = ? WHERE name = ?`);
    this.advanceOne = db.prepare(`UPDATE ${CHECKPOINT_TABLE} SET position = ?, updated_at = ? WHERE name = ?`);
  }

  all(): Checkpoint[] {
    return this.selectAll.all().map(toCheckpoint);
  }

  get(name: string): Checkpoint | undefined {
    const row = this.selectOne.get(name);
    return row === undefined ? undefined : toCheckpoint(row);
  }

  insert(checkpoint: Checkpoint): void {
    this.insertOne.run(checkpoint.name, checkpoint.kind, checkpoint.version, checkpoint.position, checkpoint.updatedAt);
  }

  /** Back to position 0 under the given version. */
  reset(name: string, version: number, updatedAt: string | null): void {
    this.resetOne.run(version, updatedAt, name);
  }

  advance(name: string, position: number, updatedAt: string): void {
    this.advanceOne.run(position, updatedAt, name);
  }
}

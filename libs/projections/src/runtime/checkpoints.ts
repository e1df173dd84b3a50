import type Database from 'better-sqlite3';

export type CheckpointKind = 'projection' | 'reactor';

export interface Checkpoint {
  name: string;
  kind: CheckpointKind;
  version: number;
  /** Global position of the last event applied (projections) or handled (reactors); 0 before the first. */
  position: number;
  updatedAt: string | null;
  /**
   * Id of the event store whose log the position is in (see `EventStore.storeId`); null for a row
   * written before read models recorded it, adopted by the next start that finds it consistent.
   */
  storeId: string | null;
}

export const CHECKPOINT_TABLE = 'projection_checkpoints';

type CheckpointRow = [
  name: string,
  kind: CheckpointKind,
  version: number,
  position: number,
  updatedAt: string | null,
  storeId: string | null,
];

const toCheckpoint = ([name, kind, version, position, updatedAt, storeId]: CheckpointRow): Checkpoint => ({
  name,
  kind,
  version,
  position,
  updatedAt,
  storeId,
});

/** True when the read-model database has a checkpoint table, i.e. read models were ever built in it. */
export function hasCheckpointTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(CHECKPOINT_TABLE) !== undefined;
}

/** Creates the checkpoint table if needed; safe to call on every start and from several processes. */
export function createCheckpointTable(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (
      name       TEXT    PRIMARY KEY,
      kind       TEXT    NOT NULL CHECK (kind IN ('projection', 'reactor')),
      version    INTEGER NOT NULL,
      position   INTEGER NOT NULL CHECK (position >= 0),
      updated_at TEXT,
      store_id   TEXT
    ) STRICT, WITHOUT ROWID;
  `);
  // A table from before checkpoints recorded their store gains the column, empty until adopted.
  const columns = db.prepare<[], string>(`SELECT name FROM pragma_table_info('${CHECKPOINT_TABLE}')`).pluck().all();
  if (!columns.includes('store_id')) db.exec(`ALTER TABLE ${CHECKPOINT_TABLE} ADD COLUMN store_id TEXT`);
}

/**
 * Prepared statements over the checkpoint table. Every write happens inside the caller's transaction
 * when there is one, which is what ties a projection's checkpoint to its rows.
 *
 * With a `storeId`, a checkpoint created or reset here records that store: its position counts from
 * zero of that store's log. Advancing keeps the store the row already names.
 */
export class CheckpointTable {
  private readonly selectAll: Database.Statement<[], CheckpointRow>;
  private readonly selectOne: Database.Statement<[string], CheckpointRow>;
  private readonly insertOne: Database.Statement<[string, CheckpointKind, number, number, string | null, string | null]>;
  private readonly resetOne: Database.Statement<[number, string | null, string | null, string]>;
  private readonly advanceOne: Database.Statement<[number, string, string]>;

  constructor(
    db: Database.Database,
    private readonly storeId: string | null = null,
  ) {
    createCheckpointTable(db);
    const columns = 'name, kind, version, position, updated_at, store_id';
    this.selectAll = db.prepare<[], CheckpointRow>(`SELECT ${columns} FROM ${CHECKPOINT_TABLE} ORDER BY name`).raw();
    this.selectOne = db.prepare<[string], CheckpointRow>(`SELECT ${columns} FROM ${CHECKPOINT_TABLE} WHERE name = ?`).raw();
    this.insertOne = db.prepare(`INSERT INTO ${CHECKPOINT_TABLE} (${columns}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.resetOne = db.prepare(
      `UPDATE ${CHECKPOINT_TABLE} SET version = ?, position = 0, updated_at = ?, store_id = coalesce(?, store_id) WHERE name = ?`,
    );
    this.advanceOne = db.prepare(`UPDATE ${CHECKPOINT_TABLE} SET position = ?, updated_at = ? WHERE name = ?`);
  }

  all(): Checkpoint[] {
    return this.selectAll.all().map(toCheckpoint);
  }

  get(name: string): Checkpoint | undefined {
    const row = this.selectOne.get(name);
    return row === undefined ? undefined : toCheckpoint(row);
  }

  /** A new checkpoint, of this table's store unless the row names one. */
  insert(checkpoint: Omit<Checkpoint, 'storeId'> & { storeId?: string | null }): void {
    const { name, kind, version, position, updatedAt } = checkpoint;
    this.insertOne.run(name, kind, version, position, updatedAt, checkpoint.storeId ?? this.storeId);
  }

  /** Back to position 0 under the given version, in this table's store. */
  reset(name: string, version: number, updatedAt: string | null): void {
    this.resetOne.run(version, updatedAt, this.storeId, name);
  }

  advance(name: string, position: number, updatedAt: string): void {
    this.advanceOne.run(position, updatedAt, name);
  }
}

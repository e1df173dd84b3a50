/**
 * A projection's tables and the version of the code that built them: set up on every start, dropped and
 * set up again when the stored version differs from the code's or when the projection is rebuilt.
 */

import type Database from 'better-sqlite3';
import type { Projection } from '../projection';
import type { CheckpointTable } from './checkpoints';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Refuses a version that cannot tell builds apart and a table name that `DROP TABLE` could not quote safely. */
export function assertProjectionDefinition(projection: Projection): void {
  if (!Number.isSafeInteger(projection.version) || projection.version < 1) {
    throw new RangeError(`Projection ${projection.name}: version must be an integer >= 1`);
  }
  for (const table of projection.tables) {
    if (!TABLE_NAME.test(table)) throw new RangeError(`Projection ${projection.name}: invalid table name ${table}`);
  }
}

/** Every write runs inside the caller's transaction, so that tables and checkpoints change together. */
export class ProjectionTables {
  constructor(
    private readonly db: Database.Database,
    private readonly checkpoints: CheckpointTable,
  ) {}

  /**
   * A first run sets a projection's tables up at position 0; a stored version that differs from the
   * code's empties them and puts the checkpoint back to 0, so that the catch-up builds them again.
   */
  bringToCodeVersions(projections: readonly Projection[], now: string): void {
    for (const projection of projections) {
      const stored = this.checkpoints.get(projection.name);
      if (stored === undefined) {
        projection.setup(this.db);
        this.checkpoints.insert({ name: projection.name, kind: 'projection', version: projection.version, position: 0, updatedAt: now });
      } else if (stored.kind !== 'projection') {
        throw new Error(`${projection.name} is stored as a ${stored.kind}, not a projection`);
      } else if (stored.version !== projection.version) {
        this.empty(projection, now);
      } else {
        projection.setup(this.db);
      }
    }
  }

  /** Drops the projection's tables, sets them up again and puts its checkpoint back to 0. */
  empty(projection: Projection, now: string): void {
    for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
    projection.setup(this.db);
    this.checkpoints.reset(projection.name, projection.version, now);
  }
}

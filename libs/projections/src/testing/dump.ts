import type Database from 'better-sqlite3';
import type { Projection } from '../projection';

/** Every row of every table of the projections, ordered by all columns, for comparing two databases. */
export function dumpTables(db: Database.Database, projections: readonly Projection[]): Record<string, unknown[]> {
  const dump: Record<string, unknown[]> = {};
  for (const table of projections.flatMap((projection) => projection.tables)) {
    const columns = (db.pragma(`table_info("${table}")`) as { name: string }[]).map((column) => `"${column.name}"`);
    dump[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY ${columns.join(', ')}`).all();
  }
  return dump;
}

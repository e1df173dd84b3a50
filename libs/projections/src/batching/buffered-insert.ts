import type Database from 'better-sqlite3';

/** Rows per INSERT statement: binding many rows at once saves most of a statement's fixed cost per row. */
export const ROWS_PER_INSERT = 64;

/**
 * Inserts rows into one table, many per statement. Rows wait in memory until a statement's worth has
 * gathered, and `flush` writes the rest; the caller flushes before the end of its batch (and before
 * anything reads the table), so the rows commit with the batch.
 */
export class BufferedInsert {
  private readonly values: unknown[] = [];
  private rows = 0;
  private readonly statements = new Map<number, Database.Statement>();

  /** `insertInto`: e.g. `INSERT INTO t (a, b, c)`; every row then has `columns` values. */
  constructor(
    private readonly db: Database.Database,
    private readonly insertInto: string,
    private readonly columns: number,
    private readonly rowsPerInsert = ROWS_PER_INSERT,
  ) {}

  add(row: readonly unknown[]): void {
    if (row.length !== this.columns) throw new RangeError(`${this.insertInto}: a row has ${this.columns} values, got ${row.length}`);
    for (const value of row) this.values.push(value);
    if (++this.rows === this.rowsPerInsert) this.flush();
  }

  flush(): void {
    if (this.rows === 0) return;
    this.statement(this.rows).run(this.values);
    this.values.length = 0;
    this.rows = 0;
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      const row = `(${Array.from({ length: this.columns }, () => '?').join(', ')})`;
      statement = this.db.prepare(`${this.insertInto} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

/**
 * The SQL side of row changes: each table's layout as SQLite reports it, and the statements that write
 * pending rows, prepared once per shape (which columns a row gives, which it sets or adds to on conflict)
 * and per number of rows they carry.
 */

import type Database from 'better-sqlite3';
import type { Row, SqlValue } from './row-changes';

/** Rows per INSERT statement: binding many rows at once saves most of a statement's fixed cost per row. */
export const ROWS_PER_INSERT = 64;

export interface TableLayout {
  readonly name: string;
  /** Every column, in the table's order. */
  readonly columns: readonly string[];
  readonly isColumn: ReadonlySet<string>;
  /** Each column's default when it is a plain number or NULL; absent when it is anything else. */
  readonly defaults: ReadonlyMap<string, number | null>;
  /** The columns changes address a row by; undefined for an append-only table (rows are only inserted). */
  readonly key: readonly string[] | undefined;
  /** The primary key's columns, with which the key begins: rows with different values there never conflict. */
  readonly identity: readonly string[];
  /** For `latest` reads of an append-only table: the columns it is asked by and the column that orders rows. */
  readonly latest: { readonly by: readonly string[]; readonly order: string } | undefined;
}

export function tableLayout(
  db: Database.Database,
  name: string,
  declared: { key?: readonly string[]; latest?: { by: readonly string[]; order: string } },
): TableLayout {
  const info = db.pragma(`table_info("${name}")`) as { name: string; dflt_value: string | null; pk: number }[];
  if (info.length === 0) throw new Error(`Table ${name} does not exist`);
  const columns = info.map((column) => column.name);
  const isColumn = new Set(columns);
  const defaults = new Map<string, number | null>();
  for (const column of info) {
    const text = column.dflt_value;
    if (text === null || /^null$/i.test(text)) defaults.set(column.name, null);
    else if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) defaults.set(column.name, Number(text));
  }
  for (const column of [...(declared.key ?? []), ...(declared.latest ? [...declared.latest.by, declared.latest.order] : [])]) {
    if (!isColumn.has(column)) throw new Error(`Table ${name} has no column ${column}`);
  }
  const identity = info
    .filter((column) => column.pk > 0)
    .sort((left, right) => left.pk - right.pk)
    .map((column) => column.name);
  const { key } = declared;
  if (key !== undefined && (identity.length === 0 || identity.some((column, index) => key[index] !== column))) {
    throw new Error(`The key of ${name} (${key.join(', ')}) must begin with its primary key (${identity.join(', ')})`);
  }
  return { name, columns, isColumn, defaults, key, identity, latest: declared.latest };
}

const quoted = (name: string) => `"${name}"`;
const placeholders = (count: number) => `(${Array.from({ length: count }, () => '?').join(', ')})`;

/** How pending rows of one shape are inserted: with `INSERT`, `INSERT OR IGNORE` or an upsert. */
export interface InsertShape {
  readonly mode: 'insert' | 'insertIfAbsent' | 'upsert';
  /** Columns the rows give, in the table's order. */
  readonly columns: readonly string[];
  /** On conflict: columns set to the row's value. */
  readonly set: readonly string[];
  /** On conflict: columns the row's value is added to. */
  readonly added: readonly string[];
}

export interface UpdateShape {
  readonly set: readonly string[];
  readonly added: readonly string[];
}

/** Prepared statements of one table, each made once. */
export class TableStatements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly layout: TableLayout,
  ) {}

  insertRows(shape: InsertShape, signature: number | string, rows: number): Database.Statement {
    return this.cached(`${signature}#${rows}`, () => {
      const table = quoted(this.layout.name);
      const values = Array.from({ length: rows }, () => placeholders(shape.columns.length)).join(', ');
      const into = `INTO ${table} (${shape.columns.map(quoted).join(', ')}) VALUES ${values}`;
      if (shape.mode === 'insert') return `INSERT ${into}`;
      const verb = shape.mode === 'insertIfAbsent' ? 'INSERT OR IGNORE' : 'INSERT';
      if (shape.set.length === 0 && shape.added.length === 0) return `${verb} ${into} ON CONFLICT DO NOTHING`;
      const assignments = [
        ...shape.set.map((column) => `${quoted(column)} = excluded.${quoted(column)}`),
        ...shape.added.map((column) => `${quoted(column)} = ${quoted(column)} + excluded.${quoted(column)}`),
      ];
      // The key may have columns besides the table's primary key: a conflicting row with other values
      // there is not the row the changes address, and is left alone, as an UPDATE by the key would.
      const guard = (this.layout.key ?? []).map((column) => `${table}.${quoted(column)} IS excluded.${quoted(column)}`).join(' AND ');
      return `${verb} ${into} ON CONFLICT DO UPDATE SET ${assignments.join(', ')} WHERE ${guard}`;
    });
  }

  appendRows(rows: number): Database.Statement {
    return this.cached(`append#${rows}`, () => {
      const { columns, name } = this.layout;
      const values = Array.from({ length: rows }, () => placeholders(columns.length)).join(', ');
      return `INSERT INTO ${quoted(name)} (${columns.map(quoted).join(', ')}) VALUES ${values}`;
    });
  }

  update(shape: UpdateShape, signature: string): Database.Statement {
    return this.cached(`update|${signature}`, () => {
      const assignments = [
        ...shape.set.map((column) => `${quoted(column)} = ?`),
        ...shape.added.map((column) => `${quoted(column)} = ${quoted(column)} + ?`),
      ];
      return `UPDATE ${quoted(this.layout.name)} SET ${assignments.join(', ')} WHERE ${this.where(this.layout.key!)}`;
    });
  }

  remove(columns: readonly string[]): Database.Statement {
    return this.cached(`remove|${columns.join(',')}`, () => `DELETE FROM ${quoted(this.layout.name)} WHERE ${this.where(columns)}`);
  }

  select(columns: readonly string[]): Database.Statement {
    return this.cached(`select|${columns.join(',')}`, () => `SELECT * FROM ${quoted(this.layout.name)} WHERE ${this.where(columns)}`);
  }

  /** The row last inserted with given values of `latest.by`; integers read exactly, as `bigint`. */
  selectLatest(): Database.Statement {
    return this.cached('latest', () => {
      const { by, order } = this.layout.latest!;
      return `SELECT * FROM ${quoted(this.layout.name)} WHERE ${this.where(by)} ORDER BY ${quoted(order)} DESC LIMIT 1`;
    }).safeIntegers(true);
  }

  private where(columns: readonly string[]): string {
    return columns.map((column) => `${quoted(column)} = ?`).join(' AND ');
  }

  private cached(signature: string, sql: () => string): Database.Statement {
    let statement = this.cache.get(signature);
    if (statement === undefined) {
      statement = this.db.prepare(sql());
      this.cache.set(signature, statement);
    }
    return statement;
  }
}

/** A value bound as SQLite expects it: a missing one is NULL. */
export const bindable = (value: SqlValue | undefined): SqlValue => (value === undefined ? null : value);

/** The values of `columns` in `row`, in order, for a WHERE clause. */
export const valuesOf = (row: Row, columns: readonly string[]): SqlValue[] => columns.map((column) => bindable(row[column]));

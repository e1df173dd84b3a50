/**
 * Row changes: what a declared projection's mapping answers for an event. They are plain data; the runtime
 * (`row-change-buffer.ts`) turns them into prepared statements, holds them back within a batch and writes
 * them with the batch's checkpoint. Each change has the meaning of the one SQL statement named beside it,
 * applied at once; the buffer keeps that meaning whatever it coalesces.
 */

/** A value SQLite stores as is. Money is an integer: a `number` that is a safe integer, or a `bigint`. */
export type SqlValue = string | number | bigint | null;

/** Columns and their values; a column left out keeps its value (or takes its default in a new row). */
export type Row = Readonly<Record<string, SqlValue>>;

/** Whole amounts to add to integer columns (counters, sums of yen). */
export type Amounts = Readonly<Record<string, number | bigint>>;

export type RowChange =
  /** `INSERT`: a row that must not exist yet. */
  | { readonly kind: 'insert'; readonly table: string; readonly row: Row }
  /** `INSERT OR IGNORE`: a row, unless one with its key exists (or a constraint refuses it). */
  | { readonly kind: 'insertIfAbsent'; readonly table: string; readonly row: Row }
  /** `UPDATE … SET column = value, amount = amount + delta WHERE key`: nothing when no row has the key. */
  | { readonly kind: 'update'; readonly table: string; readonly key: Row; readonly set: Row; readonly add: Amounts }
  /**
   * `INSERT … ON CONFLICT DO UPDATE`: the row with the key, created when missing (from the key, `createWith`,
   * `set`, and the amounts counted from zero), otherwise set and added to.
   */
  | {
      readonly kind: 'upsert';
      readonly table: string;
      readonly key: Row;
      readonly set: Row;
      readonly add: Amounts;
      readonly createWith: Row;
    }
  /** `DELETE … WHERE match`: `match` is the table's key or its first columns. */
  | { readonly kind: 'remove'; readonly table: string; readonly match: Row };

/** What a mapping answers for one event: nothing, one change, or changes applied in order. */
export type RowChanges = RowChange | readonly RowChange[] | undefined;

/** No columns: what a change that sets or adds nothing holds (the buffer skips it without looking). */
export const NOTHING: Row = Object.freeze({});

export const insert = (table: string, row: Row): RowChange => ({ kind: 'insert', table, row });

export const insertIfAbsent = (table: string, row: Row): RowChange => ({ kind: 'insertIfAbsent', table, row });

/** Sets columns of an existing row, and adds `amounts` to others. */
export const update = (table: string, key: Row, set: Row, amounts: Amounts = NOTHING as Amounts): RowChange => ({
  kind: 'update',
  table,
  key,
  set,
  add: amounts,
});

/** Adds to the columns of an existing row; see `upsert` to create the row when missing. */
export const add = (table: string, key: Row, amounts: Amounts): RowChange => ({ kind: 'update', table, key, set: NOTHING, add: amounts });

export const upsert = (table: string, key: Row, changes: { set?: Row; add?: Amounts; createWith?: Row }): RowChange => ({
  kind: 'upsert',
  table,
  key,
  set: changes.set ?? NOTHING,
  add: changes.add ?? (NOTHING as Amounts),
  createWith: changes.createWith ?? NOTHING,
});

export const remove = (table: string, match: Row): RowChange => ({ kind: 'remove', table, match });

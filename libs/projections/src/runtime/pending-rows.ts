/**
 * The rows a `RowChangeBuffer` holds back, per table: pending writes by primary key and removals for a
 * keyed table, rows gathered for a statement for an append-only one, and how each goes out in SQL.
 */

import type { Row, SqlValue } from './row-changes';
import { bindable, type InsertShape, type TableLayout, type TableStatements, valuesOf } from './row-statements';

/** Rows `latest` remembers per table; beyond it the memory starts over and reads the table on a miss. */
export const LATEST_ROWS_REMEMBERED = 100_000;

/**
 * Pending writes a keyed table holds before it writes the older half of them: memory stays flat over a
 * rebuild's one large transaction, and the rows still changing (the newest) keep being coalesced.
 */
export const PENDING_ROWS_PER_TABLE = 8_192;

export type PendingMode = 'insert' | 'insertIfAbsent' | 'upsert' | 'update';

/**
 * The pending write of one row. `set` and `add` never share a column; they are the change's own objects
 * until a later change is merged in (`owned`: copied then), so that a change that is never merged costs
 * nothing more than itself.
 */
export interface Pending {
  mode: PendingMode;
  key: Row;
  /** The values of a row the write creates, besides the key, `set` and `add` (insert modes). */
  create: Row;
  set: Record<string, SqlValue>;
  add: Record<string, number | bigint>;
  owned: boolean;
}

export const creates = (mode: PendingMode) => mode !== 'update';

export const keyPart = (value: SqlValue | undefined): string => (typeof value === 'string' ? value : `\u0002${String(value)}`);

/** The key of a row as one string; a key column the row does not give is refused. */
export function keyOf(row: Row, columns: readonly string[], table: string): string {
  let key = '';
  for (let index = 0; index < columns.length; index++) {
    const value = row[columns[index]];
    if (value === undefined) throw new RangeError(`${table}: the change gives no ${columns[index]}`);
    key = index === 0 ? keyPart(value) : `${key}\u0001${keyPart(value)}`;
  }
  return key;
}

export const isZero = (value: SqlValue | undefined) => value === 0 || value === 0n;

/** Where a column's value in a pending creation comes from. */
const NOT_GIVEN = 0;
const FROM_SET = 1;
const FROM_ADD = 2;
const FROM_CREATE = 3;
const FROM_KEY = 4;

const MODE_DIGITS: Readonly<Record<PendingMode, number>> = { insert: 0, insertIfAbsent: 1, upsert: 2, update: 3 };

export class KeyedTable {
  /**
   * Pending writes by primary key: the rows of two of them never meet in SQL, so they go out in any order.
   * One write per primary key: a change naming the same one with other values in the rest of the key
   * (another row as far as the change is concerned, the same row for SQLite) writes the earlier first.
   */
  readonly pending = new Map<string, Pending>();
  /**
   * With a primary key of several columns: the pending writes' primary keys by its first column, for removals
   * (a list: a contract's few milestones cost less so than in a set of their own).
   */
  readonly byFirstColumn: Map<string, string[]> | undefined;
  /** Removals not yet run, by their match. */
  readonly removals = new Map<string, Row>();

  /** Where each column's value comes from in the pending creation `write` is at (`FROM_SET` …). */
  private readonly origins: Uint8Array;

  /** Whether a shape's signature fits a number: one base-4 digit per column and one for the mode. */
  private readonly numericSignatures: boolean;

  constructor(readonly statements: TableStatements) {
    this.byFirstColumn = statements.layout.identity.length > 1 ? new Map() : undefined;
    this.origins = new Uint8Array(statements.layout.columns.length);
    this.numericSignatures = statements.layout.columns.length <= 25;
  }

  get layout(): TableLayout {
    return this.statements.layout;
  }

  /**
   * Writes the `count` oldest pending writes (the order they were first held in), after the removals held
   * back, which came before every pending write they cover.
   */
  writeOldest(count: number, rowsPerInsert: number): void {
    this.runRemovals();
    const oldest: Pending[] = [];
    for (const [whole, pending] of this.pending) {
      if (oldest.length === count) break;
      this.pending.delete(whole);
      this.forgetFirstColumn(whole, pending);
      oldest.push(pending);
    }
    this.write(oldest, rowsPerInsert);
  }

  /** Notes a pending write held for a primary key that had none in the index removals look it up by. */
  rememberFirstColumn(whole: string, pending: Pending): void {
    if (this.byFirstColumn === undefined) return;
    const first = keyPart(pending.key[this.layout.identity[0]]);
    const keys = this.byFirstColumn.get(first);
    if (keys === undefined) this.byFirstColumn.set(first, [whole]);
    else keys.push(whole);
  }

  /** Drops a pending write that goes out from the index removals look it up by. */
  forgetFirstColumn(whole: string, pending: Pending): void {
    if (this.byFirstColumn === undefined) return;
    const first = keyPart(pending.key[this.layout.identity[0]]);
    const keys = this.byFirstColumn.get(first);
    const index = keys === undefined ? -1 : keys.indexOf(whole);
    if (index < 0) return;
    if (keys!.length === 1) this.byFirstColumn.delete(first);
    else keys!.splice(index, 1);
  }

  /** Runs the removals held back. */
  runRemovals(): void {
    for (const match of this.removals.values()) {
      const columns = Object.keys(match);
      this.statements.remove(columns).run(valuesOf(match, columns));
    }
    this.removals.clear();
  }

  /** Writes pending rows: updates one by one, creations grouped by shape, many rows per statement. */
  write(pendings: readonly Pending[], rowsPerInsert: number): void {
    const { columns } = this.layout;
    const origins = this.origins;
    const groups = new Map<number | string, { shape: InsertShape; values: SqlValue[]; rows: number }>();
    for (const pending of pendings) {
      if (pending.mode === 'update') {
        this.update(pending);
        continue;
      }
      this.refuseUnknownColumns(pending);
      const { set, add, create, key } = pending;
      // The shape's signature: per column, where its value comes from, hence what the statement does with it
      // on conflict (a plain INSERT has no conflict to handle: only which columns it gives tells its statements
      // apart). One base-4 digit per column in a number, which stays exact up to 25 columns; a string beyond.
      const strict = pending.mode === 'insert';
      let signature: number | string = this.numericSignatures ? MODE_DIGITS[pending.mode] : pending.mode;
      for (let index = 0; index < columns.length; index++) {
        const column = columns[index];
        const origin = column in set ? FROM_SET : column in add ? FROM_ADD : column in create ? FROM_CREATE : column in key ? FROM_KEY : NOT_GIVEN;
        origins[index] = origin;
        const digit = origin === NOT_GIVEN ? 0 : strict || origin >= FROM_CREATE ? 1 : origin === FROM_SET ? 2 : 3;
        signature = typeof signature === 'number' ? signature * 4 + digit : `${signature}${digit}`;
      }
      let group = groups.get(signature);
      if (group === undefined) {
        group = { shape: this.shapeOf(pending.mode, strict), values: [], rows: 0 };
        groups.set(signature, group);
      }
      const { values } = group;
      for (let index = 0; index < columns.length; index++) {
        const column = columns[index];
        switch (origins[index]) {
          case FROM_SET:
            values.push(bindable(set[column]));
            break;
          case FROM_ADD:
            values.push(add[column]);
            break;
          case FROM_CREATE:
            values.push(bindable(create[column]));
            break;
          case FROM_KEY:
            values.push(bindable(key[column]));
            break;
        }
      }
      if (++group.rows === rowsPerInsert) {
        this.statements.insertRows(group.shape, signature, group.rows).run(values);
        group.values = [];
        group.rows = 0;
      }
    }
    for (const [signature, group] of groups) {
      if (group.rows > 0) this.statements.insertRows(group.shape, signature, group.rows).run(group.values);
    }
  }

  private update(pending: Pending): void {
    const setColumns = Object.keys(pending.set);
    const added = Object.keys(pending.add);
    const values: SqlValue[] = [];
    for (const column of setColumns) values.push(bindable(pending.set[column]));
    for (const column of added) values.push(pending.add[column]);
    for (const column of this.layout.key!) values.push(bindable(pending.key[column]));
    this.statements.update({ set: setColumns, added }, `${setColumns.join(',')}|${added.join(',')}`).run(values);
  }

  /** The shape of the pending creation whose columns' origins `write` just noted. */
  private shapeOf(mode: PendingMode, strict: boolean): InsertShape {
    const { columns } = this.layout;
    const origins = this.origins;
    const pick = (wanted: (origin: number) => boolean) => columns.filter((_, index) => wanted(origins[index]));
    return {
      mode: mode as InsertShape['mode'],
      columns: pick((origin) => origin !== NOT_GIVEN),
      set: strict ? [] : pick((origin) => origin === FROM_SET),
      added: strict ? [] : pick((origin) => origin === FROM_ADD),
    };
  }

  /** A column the table does not have would otherwise be left out of the INSERT without a word. */
  private refuseUnknownColumns(pending: Pending): void {
    const { isColumn, name } = this.layout;
    const check = (row: Row | Readonly<Record<string, number | bigint>>) => {
      for (const column in row) if (!isColumn.has(column)) throw new Error(`${name} has no column ${column}`);
    };
    check(pending.create);
    check(pending.set);
    check(pending.add);
    if (pending.key !== pending.create) check(pending.key);
  }
}

export class AppendOnlyTable {
  readonly values: SqlValue[] = [];
  rows = 0;
  /** Rows inserted last per value of `latest.by`, when declared. */
  readonly latest = new Map<string, Row>();
  /** True while `latest` holds every row there is to answer with (the table was empty when the buffer began). */
  latestKnowsAll: boolean;

  constructor(
    readonly statements: TableStatements,
    empty: boolean,
  ) {
    this.latestKnowsAll = empty;
  }

  get layout(): TableLayout {
    return this.statements.layout;
  }

  /** Writes the rows gathered so far. */
  writeAppended(): void {
    if (this.rows === 0) return;
    this.statements.appendRows(this.rows).run(this.values);
    this.values.length = 0;
    this.rows = 0;
  }
}

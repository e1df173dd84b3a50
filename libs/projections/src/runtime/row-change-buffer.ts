/**
 * Holds a batch's row changes back and writes them at its end, in as few statements as keep their meaning.
 *
 * The rule that keeps it exact: the rows after `flush` are those that applying each change alone, in order,
 * gives. So
 * - the changes of one row (a table and a key) are coalesced into one pending write: columns set take the
 *   last value set, amounts added are summed exactly (numbers while safe, `bigint` beyond), and changes
 *   after the row's creation in the batch become part of its INSERT; where coalescing could change the
 *   outcome (a row that may or may not exist, an amount added to a column whose starting value is unknown),
 *   the pending write goes out first and the change starts a new one;
 * - a removal drops the pending writes it covers and runs before the table's other pending writes (which
 *   all came after it);
 * - rows of an append-only table are written many per statement as soon as a statement's worth gathered;
 * - a keyed table holding more than `pendingRowsPerTable` pending writes writes the older half of them, so
 *   that a long batch (a rebuild's) holds a bounded set of rows;
 * - a read (`rows`) writes its table's pending changes first; `latest` answers from the rows the buffer
 *   inserted while it can (read-your-own-writes inside the batch without writing first).
 * Different rows are independent, so their writes may go out in any order.
 */

import type Database from 'better-sqlite3';
import { type Amounts, NOTHING, type Row, type RowChange, type SqlValue } from './row-changes';
import {
  AppendOnlyTable,
  isZero,
  KeyedTable,
  keyOf,
  keyPart,
  LATEST_ROWS_REMEMBERED,
  PENDING_ROWS_PER_TABLE,
  type Pending,
  type PendingMode,
  creates,
} from './pending-rows';
import { ROWS_PER_INSERT, TableStatements, tableLayout, valuesOf } from './row-statements';

/** What a declared projection's mapping may read of its own tables, with the batch's changes so far applied. */
export interface RowReader {
  /** Rows of `table` whose columns have the values of `match`. */
  rows(table: string, match: Row): Row[];
  /**
   * The row of an append-only table declaring `latest` that was inserted last with the values of `match` in
   * its `latest.by` columns; undefined when there is none. Integers come as `bigint`.
   */
  latest(table: string, match: Row): Row | undefined;
}

export interface TableDeclaration {
  /** Columns changes address a row by (the primary key, or more); without one the table is append-only. */
  readonly key?: readonly string[];
  /** Only for an append-only table: makes `RowReader.latest` available on it. */
  readonly latest?: { readonly by: readonly string[]; readonly order: string };
}

/**
 * The exact sum of two whole amounts: a `number` while it is a safe integer (no allocation for the usual
 * yen), a `bigint` beyond. A float sum past 2^53 is never a safe integer, so it is never taken for exact;
 * an amount that is not whole fails in `BigInt`, as it always did.
 */
function exactSum(left: number | bigint, right: number | bigint): number | bigint {
  if (typeof left === 'number' && typeof right === 'number') {
    const sum = left + right;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return BigInt(left) + BigInt(right);
}

export class RowChangeBuffer implements RowReader {
  private readonly tables = new Map<string, KeyedTable | AppendOnlyTable>();

  private readonly rowsPerInsert: number;

  private readonly pendingRowsPerTable: number;

  constructor(
    db: Database.Database,
    declarations: Readonly<Record<string, TableDeclaration>>,
    options: { rowsPerInsert?: number; pendingRowsPerTable?: number } = {},
  ) {
    this.rowsPerInsert = options.rowsPerInsert ?? ROWS_PER_INSERT;
    this.pendingRowsPerTable = options.pendingRowsPerTable ?? PENDING_ROWS_PER_TABLE;
    if (!Number.isSafeInteger(this.pendingRowsPerTable) || this.pendingRowsPerTable < 1) {
      throw new RangeError(`pendingRowsPerTable must be a positive whole number, got ${this.pendingRowsPerTable}`);
    }
    for (const [name, declaration] of Object.entries(declarations)) {
      const layout = tableLayout(db, name, declaration);
      const statements = new TableStatements(db, layout);
      if (layout.key !== undefined) {
        if (layout.key.length === 0) throw new Error(`The key of ${name} has no column`);
        if (layout.latest !== undefined) throw new Error(`latest is for append-only tables; ${name} has a key`);
        this.tables.set(name, new KeyedTable(statements));
      } else {
        const empty = db.prepare(`SELECT 1 FROM "${name}" LIMIT 1`).get() === undefined;
        this.tables.set(name, new AppendOnlyTable(statements, empty));
      }
    }
  }

  apply(change: RowChange): void {
    const table = this.table(change.table);
    if (table instanceof AppendOnlyTable) {
      if (change.kind !== 'insert') throw new Error(`${change.table} is append-only: ${change.kind} refused`);
      this.append(table, change.row);
      return;
    }
    switch (change.kind) {
      case 'insert':
      case 'insertIfAbsent':
        this.addPending(table, change.kind, change.row, change.row, NOTHING, NOTHING as Amounts);
        return;
      case 'update':
      case 'upsert': {
        const { add } = change;
        if (add !== NOTHING) {
          for (const column in add) {
            const value = add[column];
            if (typeof value !== 'bigint' && !Number.isSafeInteger(value))
              throw new RangeError(`${change.table}.${column} must be a whole number, got ${String(value)}`);
            if (column in change.set) throw new Error(`${change.table}.${column}: a change either sets a column or adds to it`);
            if (change.kind === 'upsert' && column in change.createWith && !isZero(change.createWith[column])) {
              throw new Error(`${change.table}.${column}: an upsert adds to it, so a row it creates counts it from zero`);
            }
          }
        }
        this.addPending(table, change.kind, change.key, change.kind === 'upsert' ? change.createWith : NOTHING, change.set, add);
        return;
      }
      case 'remove':
        this.removeRows(table, change.match);
        return;
    }
  }

  /** Writes every pending change. */
  flush(): void {
    for (const table of this.tables.values()) this.flushTable(table);
  }

  rows(name: string, match: Row): Row[] {
    const table = this.table(name);
    this.checkColumns(table, match);
    if (table instanceof KeyedTable) this.writePendingThatMayMatch(table, match);
    else table.writeAppended();
    const columns = Object.keys(match);
    return table.statements.select(columns).all(valuesOf(match, columns)) as Row[];
  }

  latest(name: string, match: Row): Row | undefined {
    const table = this.table(name);
    const declared = table.layout.latest;
    if (!(table instanceof AppendOnlyTable) || declared === undefined) throw new Error(`${name} declares no latest`);
    const remembered = table.latest.get(keyOf(match, declared.by, name));
    if (remembered !== undefined || table.latestKnowsAll) return remembered;
    this.flushTable(table);
    return table.statements.selectLatest().get(valuesOf(match, declared.by)) as Row | undefined;
  }

  private table(name: string): KeyedTable | AppendOnlyTable {
    const table = this.tables.get(name);
    if (table === undefined) throw new Error(`${name} is not a table of this projection`);
    return table;
  }

  private checkColumns(table: KeyedTable | AppendOnlyTable, ...rows: readonly (Row | Amounts)[]): void {
    for (const row of rows) {
      for (const column in row) if (!table.layout.isColumn.has(column)) throw new Error(`${table.layout.name} has no column ${column}`);
    }
  }

  private append(table: AppendOnlyTable, row: Row): void {
    const { columns, latest } = table.layout;
    const start = table.values.length;
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) {
        table.values.length = start;
        throw new RangeError(`${table.layout.name}: the row gives no ${column}`);
      }
      table.values.push(value);
    }
    if (++table.rows === this.rowsPerInsert) table.writeAppended();
    if (latest !== undefined) {
      if (table.latest.size >= LATEST_ROWS_REMEMBERED) {
        table.latest.clear();
        table.latestKnowsAll = false;
      }
      table.latest.set(keyOf(row, latest.by, table.layout.name), row);
    }
  }

  private addPending(table: KeyedTable, mode: PendingMode, key: Row, create: Row, set: Row, add: Amounts): void {
    const { identity, name } = table.layout;
    const whole = keyOf(key, identity, name);
    const earlier = table.pending.get(whole);
    if (earlier !== undefined && !this.sameRow(table, earlier.key, key)) {
      table.pending.delete(whole);
      table.runRemovals();
      table.write([earlier], this.rowsPerInsert);
    } else if (earlier !== undefined) {
      // After a write that creates the row, the row exists: an update, an upsert or an insert-if-absent acts on it.
      if (creates(earlier.mode) && mode !== 'insert') {
        if (mode === 'insertIfAbsent') return;
        if (this.merge(table, earlier, set, add)) return;
      } else if (earlier.mode === 'update' && mode === 'update' && this.merge(table, earlier, set, add)) return;
      // Whether the row exists is not known here, or the change cannot join the earlier write: write that first.
      table.pending.delete(whole);
      // Removals still held back came before the earlier write (it would have been dropped otherwise).
      table.runRemovals();
      table.write([earlier], this.rowsPerInsert);
    }
    const pending: Pending = {
      mode,
      key,
      create,
      set: set as Record<string, SqlValue>,
      add: add as Record<string, number | bigint>,
      owned: false,
    };
    table.pending.set(whole, pending);
    // An earlier write of the primary key went out above to make room for this one: the index has the key.
    if (earlier === undefined) table.rememberFirstColumn(whole, pending);
    if (table.pending.size > this.pendingRowsPerTable) table.writeOldest(Math.ceil(this.pendingRowsPerTable / 2), this.rowsPerInsert);
  }

  /** Whether two keys with the same primary key also agree on the key's other columns. */
  private sameRow(table: KeyedTable, left: Row, right: Row): boolean {
    const { key, identity, name } = table.layout;
    for (let index = identity.length; index < key!.length; index++) {
      const column = key![index];
      if (right[column] === undefined) throw new RangeError(`${name}: the change gives no ${column}`);
      if (keyPart(left[column]) !== keyPart(right[column])) return false;
    }
    return true;
  }

  /** Folds a later change of the same row into its pending write; false when that could change the outcome. */
  private merge(table: KeyedTable, pending: Pending, set: Row, add: Amounts): boolean {
    const adds = add !== NOTHING;
    if (adds) {
      for (const column in add) {
        if (column in pending.set) {
          const value = pending.set[column];
          if (value !== null && typeof value !== 'number' && typeof value !== 'bigint') return false;
        } else if (!(column in pending.add) && !this.canAddTo(table, pending, column)) return false;
      }
    }
    if (!pending.owned) {
      pending.set = { ...pending.set };
      pending.add = { ...pending.add };
      pending.owned = true;
    }
    for (const column in set) {
      pending.set[column] = set[column];
      if (column in pending.add) delete pending.add[column];
    }
    if (!adds) return true;
    for (const column in add) {
      const amount = add[column];
      if (column in pending.set) {
        const value = pending.set[column];
        pending.set[column] = value === null ? null : exactSum(value as number | bigint, amount);
      } else if (column in pending.add) pending.add[column] = exactSum(pending.add[column], amount);
      else if (pending.mode === 'insert') {
        // A strict insert's value is known: the sum becomes the value inserted.
        const start = this.startOf(table, pending, column);
        pending.set[column] = start === null || start === undefined ? null : exactSum(start as number | bigint, amount);
      } else pending.add[column] = amount;
    }
    return true;
  }

  /** What a row the pending write creates holds in `column` before anything is set or added: given, or the default. */
  private startOf(table: KeyedTable, pending: Pending, column: string): SqlValue | undefined {
    if (column in pending.create) return pending.create[column];
    if (column in pending.key) return pending.key[column];
    return table.layout.defaults.get(column);
  }

  /**
   * Whether an amount added to `column` can join the pending write: an update adds it in SQL; a strict insert
   * knows the value it starts from; a write that may find the row already there adds it on conflict, which
   * is exact only when a row it creates holds zero there.
   */
  private canAddTo(table: KeyedTable, pending: Pending, column: string): boolean {
    if (pending.mode === 'update') return true;
    const start = this.startOf(table, pending, column);
    if (pending.mode === 'insert') return start === null || typeof start === 'number' || typeof start === 'bigint';
    return isZero(start);
  }

  /**
   * Queues a removal. The pending writes it covers go out first rather than being dropped, so that one a
   * constraint refuses fails the batch as it would alone.
   */
  private removeRows(table: KeyedTable, match: Row): void {
    const { key, name } = table.layout;
    const columns = Object.keys(match);
    if (columns.length === 0 || columns.length > key!.length || columns.some((column, index) => column !== key![index])) {
      throw new Error(`${name}: a removal matches the key (${key!.join(', ')}) or its first columns`);
    }
    // The rows it may remove: by their primary key, whatever the rest of the key (SQLite knows one row there).
    const covered: Pending[] = [];
    const take = (whole: string, pending: Pending | undefined) => {
      if (pending === undefined) return;
      table.pending.delete(whole);
      table.forgetFirstColumn(whole, pending);
      covered.push(pending);
    };
    const { identity } = table.layout;
    if (columns.length >= identity.length) {
      const whole = keyOf(match, identity, name);
      take(whole, table.pending.get(whole));
    } else {
      // A copy: taking a pending write drops it from the list.
      for (const whole of table.byFirstColumn!.get(keyPart(match[identity[0]]))?.slice() ?? []) {
        const pending = table.pending.get(whole);
        if (pending !== undefined && columns.every((column) => keyPart(pending.key[column]) === keyPart(match[column])))
          take(whole, pending);
      }
    }
    if (covered.length > 0) {
      table.runRemovals();
      table.write(covered, this.rowsPerInsert);
    }
    table.removals.set(keyOf(match, columns, name), match);
  }

  /**
   * Before a read: writes the removals held back and the pending writes whose rows the read may find. A pending
   * write whose primary key differs from the match in a column the match gives writes a row the read cannot
   * find, before or after, so it stays pending and keeps being coalesced (a rebuild reads a row per event).
   */
  private writePendingThatMayMatch(table: KeyedTable, match: Row): void {
    table.runRemovals();
    if (table.pending.size === 0) return;
    const { identity, name } = table.layout;
    const taken: Pending[] = [];
    const take = (whole: string) => {
      const pending = table.pending.get(whole);
      if (pending === undefined) return;
      table.pending.delete(whole);
      table.forgetFirstColumn(whole, pending);
      taken.push(pending);
    };
    if (identity.every((column) => match[column] !== undefined)) {
      take(keyOf(match, identity, name));
    } else if (table.byFirstColumn !== undefined && match[identity[0]] !== undefined) {
      // A copy: taking a pending write drops it from the list.
      for (const whole of table.byFirstColumn.get(keyPart(match[identity[0]]))?.slice() ?? []) {
        const pending = table.pending.get(whole);
        if (pending !== undefined && identity.every((column) => match[column] === undefined || keyPart(pending.key[column]) === keyPart(match[column])))
          take(whole);
      }
    } else {
      this.flushTable(table);
      return;
    }
    if (taken.length > 0) table.write(taken, this.rowsPerInsert);
  }

  private flushTable(table: KeyedTable | AppendOnlyTable): void {
    if (table instanceof AppendOnlyTable) {
      table.writeAppended();
      return;
    }
    table.runRemovals();
    if (table.pending.size === 0) return;
    const all = [...table.pending.values()];
    table.pending.clear();
    table.byFirstColumn?.clear();
    table.write(all, this.rowsPerInsert);
  }
}

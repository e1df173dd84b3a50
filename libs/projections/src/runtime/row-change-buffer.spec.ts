import Database from 'better-sqlite3';
import fc from 'fast-check';
import { RowChangeBuffer, type TableDeclaration } from './row-change-buffer';
import { add, insert, insertIfAbsent, remove, type Row, type RowChange, update, upsert } from './row-changes';

const TABLES: Record<string, TableDeclaration> = {
  things: { key: ['a', 'b'] },
  // The key has a column besides the primary key: changes naming another owner leave the row alone.
  guarded: { key: ['id', 'owner'] },
  entries: { latest: { by: ['account'], order: 'seq' } },
};

function freshDatabase(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE things (a TEXT NOT NULL, b INTEGER NOT NULL, label TEXT, n INTEGER NOT NULL DEFAULT 0, m INTEGER DEFAULT 5,
                         PRIMARY KEY (a, b)) STRICT, WITHOUT ROWID;
    CREATE TABLE guarded (id TEXT PRIMARY KEY, owner TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, label TEXT) STRICT;
    CREATE TABLE entries (seq INTEGER PRIMARY KEY, account TEXT NOT NULL, total INTEGER NOT NULL) STRICT;
  `);
  return db;
}

const dump = (db: Database.Database) => ({
  things: db.prepare('SELECT * FROM things ORDER BY a, b').all(),
  guarded: db.prepare('SELECT * FROM guarded ORDER BY id').all(),
  entries: db.prepare('SELECT * FROM entries ORDER BY seq').all(),
});

/** A step of a generated history: a change, or a read the mapping of a projection could make. */
type Step = { change: (seq: number) => RowChange } | { read: 'latest'; match: Row } | { read: 'rows'; table: 'things' | 'guarded'; match: Row };

const label = fc.constantFrom('p', 'q', null);
const amount = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.bigInt({ min: -3n, max: 3n }));
const thingKey = fc.record({ a: fc.constantFrom('x', 'y'), b: fc.constantFrom(1, 2) });
const guardedKey = fc.record({ id: fc.constantFrom('w1', 'w2'), owner: fc.constantFrom('o1', 'o2') });

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(thingKey, label).map(([key, value]) => ({ change: () => insert('things', { ...key, label: value }) })),
  fc.tuple(thingKey, label).map(([key, value]) => ({ change: () => insertIfAbsent('things', { ...key, label: value, n: 0 }) })),
  fc.tuple(thingKey, label).map(([key, value]) => ({ change: () => insertIfAbsent('things', { ...key, label: value, m: 1 }) })),
  fc.tuple(thingKey, label).map(([key, value]) => ({ change: () => update('things', key, { label: value }) })),
  fc.tuple(thingKey, fc.integer({ min: -2, max: 2 })).map(([key, value]) => ({ change: () => update('things', key, { n: value }) })),
  fc.tuple(thingKey, amount, amount).map(([key, n, m]) => ({ change: () => add('things', key, { n, m }) })),
  fc.tuple(thingKey, label, amount).map(([key, value, n]) => ({ change: () => update('things', key, { label: value }, { n }) })),
  fc
    .tuple(thingKey, label, amount)
    .map(([key, value, n]) => ({ change: () => upsert('things', key, { set: { label: value }, add: { n } }) })),
  fc
    .tuple(thingKey, amount, label)
    .map(([key, m, value]) => ({ change: () => upsert('things', key, { add: { m }, createWith: { label: value } }) })),
  thingKey.map((key) => ({ change: () => remove('things', key) })),
  thingKey.map((key) => ({ change: () => remove('things', { a: key.a }) })),
  fc.tuple(guardedKey, label).map(([key, value]) => ({ change: () => insertIfAbsent('guarded', { ...key, label: value }) })),
  fc.tuple(guardedKey, amount).map(([key, n]) => ({ change: () => add('guarded', key, { n }) })),
  fc
    .tuple(guardedKey, label, amount)
    .map(([key, value, n]) => ({ change: () => upsert('guarded', key, { set: { label: value }, add: { n } }) })),
  guardedKey.map((key) => ({ change: () => remove('guarded', key) })),
  fc.tuple(fc.constantFrom('u', 'v'), amount).map(([account, total]) => ({
    change: (seq: number) => insert('entries', { seq, account, total }),
  })),
  fc.constantFrom('x', 'y').map((a): Step => ({ read: 'rows', table: 'things', match: { a } })),
  thingKey.map((key): Step => ({ read: 'rows', table: 'things', match: key })),
  fc.constantFrom(1, 2).map((b): Step => ({ read: 'rows', table: 'things', match: { b } })),
  fc.constantFrom('w1', 'w2').map((id): Step => ({ read: 'rows', table: 'guarded', match: { id } })),
  fc.constantFrom('o1', 'o2').map((owner): Step => ({ read: 'rows', table: 'guarded', match: { owner } })),
  fc.constantFrom('u', 'v').map((account): Step => ({ read: 'latest', match: { account } })),
);

/** Applies the steps through a buffer, flushing where `flushAfter` says; what each read answered, and how it ended. */
function run(steps: readonly Step[], flushAfter: (index: number) => boolean, emptyAtStart: boolean, pendingRowsPerTable?: number) {
  const db = freshDatabase();
  if (!emptyAtStart) db.exec(`INSERT INTO entries VALUES (-1, 'u', 40); INSERT INTO things (a, b, label) VALUES ('x', 1, 'old')`);
  const buffer = new RowChangeBuffer(db, TABLES, pendingRowsPerTable === undefined ? {} : { pendingRowsPerTable });
  const reads: unknown[] = [];
  try {
    steps.forEach((current, index) => {
      if ('change' in current) buffer.apply(current.change(index));
      else if (current.read === 'rows')
        reads.push(
          buffer
            .rows(current.table, current.match)
            .map((row) => ({ ...row }))
            .sort(byKey),
        );
      else reads.push(normalised(buffer.latest('entries', current.match)));
      if (flushAfter(index)) buffer.flush();
    });
    buffer.flush();
    return { failed: false, reads, rows: dump(db) };
  } catch {
    return { failed: true, reads: [], rows: {} };
  } finally {
    db.close();
  }
}

const byKey = (left: Row, right: Row) =>
  `${String(left.a ?? left.id)}${String(left.b)}`.localeCompare(`${String(right.a ?? right.id)}${String(right.b)}`);
const normalised = (row: Row | undefined) =>
  row && Object.fromEntries(Object.entries(row).map(([column, value]) => [column, typeof value === 'bigint' ? Number(value) : value]));

describe('RowChangeBuffer', () => {
  it('gives, for any sequence of changes and reads, the rows and answers of applying each change alone', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.boolean(),
        (steps, flushes, emptyAtStart) => {
          const oneByOne = run(steps, () => true, emptyAtStart);
          const buffered = run(steps, (index) => flushes[index] ?? false, emptyAtStart);
          expect(buffered).toEqual(oneByOne);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same rows and answers whatever number of pending rows a table holds before writing the oldest', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        (steps, flushes, emptyAtStart, pendingRowsPerTable) => {
          const oneByOne = run(steps, () => true, emptyAtStart);
          const bounded = run(steps, (index) => flushes[index] ?? false, emptyAtStart, pendingRowsPerTable);
          expect(bounded).toEqual(oneByOne);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes the older half of a table\'s pending rows once it holds more than its bound, and keeps coalescing the rest', () => {
    const db = freshDatabase();
    try {
      const buffer = new RowChangeBuffer(db, TABLES, { pendingRowsPerTable: 4 });
      const written = () => db.prepare('SELECT a, b, n FROM things ORDER BY a, b').raw().all();
      for (let b = 1; b <= 4; b++) buffer.apply(upsert('things', { a: 'x', b }, { add: { n: 1 } }));
      expect(written()).toEqual([]);
      buffer.apply(upsert('things', { a: 'x', b: 5 }, { add: { n: 1 } }));
      expect(written()).toEqual([
        ['x', 1, 1],
        ['x', 2, 1],
      ]);
      buffer.apply(upsert('things', { a: 'x', b: 5 }, { add: { n: 1 } }));
      buffer.apply(upsert('things', { a: 'x', b: 1 }, { add: { n: 1 } }));
      expect(written()).toHaveLength(2);
      buffer.flush();
      expect(written()).toEqual([
        ['x', 1, 2],
        ['x', 2, 1],
        ['x', 3, 1],
        ['x', 4, 1],
        ['x', 5, 2],
      ]);
      expect(() => new RowChangeBuffer(db, TABLES, { pendingRowsPerTable: 0 })).toThrow(RangeError);
    } finally {
      db.close();
    }
  });

  describe('append-only tables (what BufferedInsert did)', () => {
    let db: Database.Database;
    const rows = () => db.prepare('SELECT seq, account FROM entries ORDER BY seq').raw().all();

    beforeEach(() => {
      db = new Database(':memory:');
      db.exec('CREATE TABLE entries (seq INTEGER PRIMARY KEY, account TEXT NOT NULL, total INTEGER NOT NULL) STRICT');
    });

    afterEach(() => db.close());

    it('writes a statement of rows as soon as one has gathered, and the rest on flush', () => {
      const buffer = new RowChangeBuffer(db, { entries: {} }, { rowsPerInsert: 3 });
      for (let seq = 1; seq <= 7; seq++) buffer.apply(insert('entries', { seq, account: `account ${seq}`, total: 0 }));
      expect(rows()).toEqual([1, 2, 3, 4, 5, 6].map((seq) => [seq, `account ${seq}`]));

      buffer.flush();
      expect(rows()).toHaveLength(7);
      buffer.flush();
      expect(rows()).toHaveLength(7);
    });

    it('keeps the values of each row apart, whatever their types', () => {
      const buffer = new RowChangeBuffer(db, { entries: {} });
      buffer.apply(insert('entries', { seq: 9_007_199_254_740_993n, account: 'big', total: 1n }));
      buffer.apply(insert('entries', { seq: 2, account: "it's", total: 2 }));
      buffer.flush();
      expect(db.prepare('SELECT seq, account FROM entries ORDER BY seq').raw().safeIntegers(true).all()).toEqual([
        [2n, "it's"],
        [9_007_199_254_740_993n, 'big'],
      ]);
    });

    it('refuses a row without a value for every column, and a constraint failure surfaces at the write', () => {
      const buffer = new RowChangeBuffer(db, { entries: {} }, { rowsPerInsert: 2 });
      expect(() => buffer.apply(insert('entries', { seq: 1, account: 'one' }))).toThrow(RangeError);
      buffer.apply(insert('entries', { seq: 1, account: 'one', total: 0 }));
      expect(() => buffer.apply(insert('entries', { seq: 1, account: 'again', total: 0 }))).toThrow(/UNIQUE/);
    });

    it('refuses any change but an insert', () => {
      const buffer = new RowChangeBuffer(db, { entries: {} });
      expect(() => buffer.apply(update('entries', { seq: 1 }, { total: 2 }))).toThrow(/append-only/);
    });
  });

  it('sums amounts exactly past the safe integers, whether they come as numbers or as bigints', () => {
    const db = freshDatabase();
    try {
      const buffer = new RowChangeBuffer(db, TABLES);
      buffer.apply(upsert('things', { a: 'x', b: 1 }, { add: { n: Number.MAX_SAFE_INTEGER } }));
      buffer.apply(add('things', { a: 'x', b: 1 }, { n: 2 }));
      buffer.apply(insert('things', { a: 'y', b: 1 }));
      buffer.apply(add('things', { a: 'y', b: 1 }, { n: Number.MAX_SAFE_INTEGER }));
      buffer.apply(add('things', { a: 'y', b: 1 }, { n: 2n }));
      buffer.apply(add('things', { a: 'y', b: 1 }, { n: -1 }));
      buffer.flush();
      expect(db.prepare('SELECT a, n FROM things ORDER BY a').raw().safeIntegers(true).all()).toEqual([
        ['x', 9_007_199_254_740_993n],
        ['y', 9_007_199_254_740_992n],
      ]);
    } finally {
      db.close();
    }
  });

  it('tells the shapes of a table of many columns apart (a signature too long for a number)', () => {
    const db = new Database(':memory:');
    try {
      const counters = Array.from({ length: 30 }, (_, index) => `c${index}`);
      db.exec(`CREATE TABLE wide (id TEXT PRIMARY KEY, ${counters.map((column) => `${column} INTEGER NOT NULL DEFAULT 0`).join(', ')}) STRICT`);
      const buffer = new RowChangeBuffer(db, { wide: { key: ['id'] } });
      buffer.apply(upsert('wide', { id: 'a' }, { add: { c29: 1 } }));
      buffer.apply(upsert('wide', { id: 'b' }, { set: { c29: 7 } }));
      buffer.apply(upsert('wide', { id: 'c' }, { add: { c28: 2 } }));
      buffer.flush();
      buffer.apply(upsert('wide', { id: 'a' }, { add: { c29: 1 } }));
      buffer.apply(upsert('wide', { id: 'b' }, { set: { c29: 7 } }));
      buffer.apply(upsert('wide', { id: 'c' }, { add: { c28: 2 } }));
      buffer.flush();
      expect(db.prepare('SELECT id, c28, c29 FROM wide ORDER BY id').raw().all()).toEqual([
        ['a', 0, 2],
        ['b', 0, 7],
        ['c', 4, 0],
      ]);
    } finally {
      db.close();
    }
  });

  it('refuses columns and tables the projection does not have', () => {
    const db = freshDatabase();
    try {
      const buffer = new RowChangeBuffer(db, TABLES);
      expect(() => buffer.apply(insert('nowhere', { a: 'x' }))).toThrow(/not a table/);
      buffer.apply(insert('things', { a: 'x', b: 1, lable: 'typo' }));
      expect(() => buffer.flush()).toThrow(/no column lable/);
      expect(() => buffer.apply(update('things', { a: 'x' }, { label: 'p' }))).toThrow(/gives no b/);
      expect(() => buffer.apply(remove('things', { b: 1 }))).toThrow(/first columns/);
    } finally {
      db.close();
    }
  });
});

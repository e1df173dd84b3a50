import Database from 'better-sqlite3';
import { BufferedInsert } from './buffered-insert';

describe('BufferedInsert', () => {
  let db: Database.Database;
  const rows = () => db.prepare('SELECT id, name FROM things ORDER BY id').raw().all();

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT');
  });

  afterEach(() => db.close());

  it('writes a statement of rows as soon as one has gathered, and the rest on flush', () => {
    const things = new BufferedInsert(db, 'INSERT INTO things (id, name)', 2, 3);
    for (let id = 1; id <= 7; id++) things.add([id, `thing ${id}`]);
    expect(rows()).toEqual([1, 2, 3, 4, 5, 6].map((id) => [id, `thing ${id}`]));

    things.flush();
    expect(rows()).toHaveLength(7);
    things.flush();
    expect(rows()).toHaveLength(7);
  });

  it('keeps the values of each row apart, whatever their types', () => {
    const things = new BufferedInsert(db, 'INSERT INTO things (id, name)', 2);
    things.add([9_007_199_254_740_993n, 'big']);
    things.add([2, "it's"]);
    things.flush();
    expect(db.prepare('SELECT id, name FROM things ORDER BY id').raw().safeIntegers(true).all()).toEqual([
      [2n, "it's"],
      [9_007_199_254_740_993n, 'big'],
    ]);
  });

  it('refuses a row with the wrong number of values, and a constraint failure surfaces at the write', () => {
    const things = new BufferedInsert(db, 'INSERT INTO things (id, name)', 2, 2);
    expect(() => things.add([1])).toThrow(RangeError);
    things.add([1, 'one']);
    expect(() => things.add([1, 'again'])).toThrow(/UNIQUE/);
  });
});

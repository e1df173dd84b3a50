import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSqliteFile } from './integrity';

describe('checkSqliteFile', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-integrity-'));
    file = join(dir, 'data.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL); CREATE INDEX rows_by_text ON rows (text);');
    const insert = db.prepare('INSERT INTO rows (text) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
    })();
    db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['quick_check', 'integrity_check'] as const)('%s finds nothing wrong with a sound file', (check) => {
    expect(checkSqliteFile(file, check)).toEqual([]);
  });

  it.each(['quick_check', 'integrity_check'] as const)('%s reports a page overwritten with garbage', (check) => {
    const pages = statSync(file).size / 4096;
    const descriptor = openSync(file, 'r+');
    writeSync(descriptor, Buffer.alloc(4096, 0x3c), 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(descriptor);
    expect(checkSqliteFile(file, check).length).toBeGreaterThan(0);
  });

  it('reports a file that is not a database as damaged, and throws for a file that is not there', () => {
    writeFileSync(file, Buffer.alloc(8192, 0x41));
    expect(checkSqliteFile(file, 'quick_check')).toEqual([expect.stringMatching(/^SQLITE_NOTADB/)]);
    expect(() => checkSqliteFile(join(dir, 'absent.sqlite'), 'quick_check')).toThrow();
  });
});

import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_MMAP_BYTES, checkSqliteFile } from './integrity';

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

  describe('on a file larger than its memory map', () => {
    const MIB = 1024 * 1024;
    const residentKb = (field: 'VmRSS' | 'VmHWM'): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))![1]);

    it('adds no more than its memory map and a small page cache to the resident set, and still finds damage past the map', () => {
      const large = join(dir, 'large.sqlite');
      const db = new Database(large);
      db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO rows (text) VALUES (?)');
      const row = 'y'.repeat(1000);
      db.transaction(() => {
        for (let i = 0; i < 200_000; i++) insert.run(`${i} ${row}`);
      })();
      db.close();
      const size = statSync(large).size;
      expect(size).toBeGreaterThan(3 * CHECK_MMAP_BYTES);

      // The peak resident set (VmHWM) restarts from the current one (Linux `clear_refs` 5).
      writeFileSync('/proc/self/clear_refs', '5');
      const before = residentKb('VmRSS');
      expect(checkSqliteFile(large, 'quick_check')).toEqual([]);
      const addedMib = (residentKb('VmHWM') - before) / 1024;
      // Mapping the whole file added its whole size (about 3 × the window here, 196 MiB).
      expect(addedMib).toBeLessThan(CHECK_MMAP_BYTES / MIB + 40);

      const descriptor = openSync(large, 'r+');
      writeSync(descriptor, Buffer.alloc(4096, 0x3c), 0, 4096, Math.floor((size / 4096) * 0.9) * 4096);
      closeSync(descriptor);
      expect(checkSqliteFile(large, 'quick_check').length).toBeGreaterThan(0);
    });
  });
});

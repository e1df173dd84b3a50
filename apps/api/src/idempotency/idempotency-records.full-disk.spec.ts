import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLUSH_RETRY_MS, IdempotencyRecords } from './idempotency-records';

/** The records' own connection: a page cap on it is how a full disk looks to SQLite (SQLITE_FULL). */
const connectionOf = (records: IdempotencyRecords): Database.Database => (records as unknown as { db: Database.Database }).db;

describe('IdempotencyRecords on a full disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'idempotency-full-'));
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  const response = (i: number) => ({ requestHash: `hash-${i}`, status: 201, body: { i, padding: 'x'.repeat(2000) } });

  it('keeps failed records pending and answered, never throws, and writes them once the disk has room again', async () => {
    const file = join(dir, 'idempotency.sqlite');
    const records = IdempotencyRecords.open(file, { retentionHours: 24, clock: () => new Date('2026-11-25T01:00:00Z') });
    const db = connectionOf(records);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    for (let i = 0; i < 100; i++) records.remember(`k-${i}`, response(i), '2026-11-25T00:00:00Z');
    expect(() => records.flush()).not.toThrow();
    expect(records.writeFailingSince).toEqual(expect.any(String));
    expect(records.find('k-7')).toEqual(response(7));
    // Records arriving while the write fails wait for the retry with the others.
    records.remember('k-late', response(1000), '2026-11-25T00:00:01Z');
    await new Promise((resolve) => setImmediate(resolve));
    expect(records.writeFailingSince).toEqual(expect.any(String));

    db.pragma('max_page_count = 1073741823');
    jest.advanceTimersByTime(FLUSH_RETRY_MS);
    expect(records.writeFailingSince).toBeUndefined();
    records.close();

    const reopened = IdempotencyRecords.open(file, { retentionHours: 24, clock: () => new Date('2026-11-25T01:00:00Z') });
    expect(reopened.find('k-7')).toEqual(response(7));
    expect(reopened.find('k-99')).toEqual(response(99));
    expect(reopened.find('k-late')).toEqual(response(1000));
    reopened.close();
  });
});

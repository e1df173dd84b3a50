import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdempotencyRecords } from './idempotency-records';

describe('IdempotencyRecords', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'idempotency-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  let now = new Date('2026-11-25T01:00:00Z');
  const OPTIONS = { retentionHours: 24, clock: () => now };
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  const response = (status: number, body: unknown) => ({ requestHash: `hash-${status}`, status, body });
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('answers from memory at once and keeps the first response for a key', async () => {
    const records = IdempotencyRecords.open(join(dir, 'idempotency.sqlite'), OPTIONS);
    expect(records.remember('k', response(201, { id: 1 }), '2026-11-25T00:00:00Z')).toEqual(response(201, { id: 1 }));
    expect(records.remember('k', response(409, { id: 2 }), '2026-11-25T00:00:01Z')).toEqual(response(201, { id: 1 }));
    expect(records.find('k')).toMatchObject(response(201, { id: 1 }));
    await nextTurn();
    expect(records.find('k')).toEqual(response(201, { id: 1 }));
    records.close();
  });

  it('survives a restart, written in one batch per turn, and a stored key keeps its first response', async () => {
    const file = join(dir, 'idempotency.sqlite');
    const records = IdempotencyRecords.open(file, OPTIONS);
    for (let i = 0; i < 50; i++) records.remember(`k-${i}`, response(200, { i }), '2026-11-25T00:00:00Z');
    await nextTurn();
    records.remember('k-0', response(409, { late: true }), '2026-11-25T00:00:02Z');
    records.close();

    const reopened = IdempotencyRecords.open(file, OPTIONS);
    expect(reopened.find('k-0')).toEqual(response(200, { i: 0 }));
    expect(reopened.find('k-49')).toEqual(response(200, { i: 49 }));
    expect(reopened.find('unknown')).toBeUndefined();
    reopened.close();
  });

  it('writes what is pending when it closes', () => {
    const file = join(dir, 'idempotency.sqlite');
    const records = IdempotencyRecords.open(file, OPTIONS);
    records.remember('k', response(201, { id: 7 }), '2026-11-25T00:00:00Z');
    records.close();
    const reopened = IdempotencyRecords.open(file, OPTIONS);
    expect(reopened.find('k')).toEqual(response(201, { id: 7 }));
    reopened.close();
  });

  it('forgets a record once it is older than the retention, and prunes it from the file', async () => {
    const file = join(dir, 'idempotency.sqlite');
    const records = IdempotencyRecords.open(file, OPTIONS);
    records.remember('old', response(201, { id: 1 }), '2026-11-25T00:00:00Z');
    records.remember('new', response(201, { id: 2 }), '2026-11-26T00:00:00Z');
    await nextTurn();
    now = new Date('2026-11-26T00:00:01Z');
    expect(records.find('old')).toBeUndefined();
    expect(records.find('new')).toEqual(response(201, { id: 2 }));
    expect(records.prune()).toBe(1);
    now = new Date('2026-11-25T01:00:00Z');
    expect(records.find('old')).toBeUndefined();
    records.close();
  });

  it('refuses a retention shorter than 24 hours', () => {
    expect(() => IdempotencyRecords.open(join(dir, 'idempotency.sqlite'), { retentionHours: 23 })).toThrow(/at least 24/);
  });
});

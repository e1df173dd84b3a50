import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answeredFromEvents, noteCommandOutcome } from './answer-sources';
import { IdempotencyRecords, MAX_HELD_SUCCESS_BODIES } from './idempotency-records';
import { digest } from './record-table';
import type { CommandContext } from '../http/command-context';

describe('the shape of idempotency records', () => {
  let dir: string;
  let file: string;
  let now: Date;
  const OPTIONS = { retentionHours: 24, clock: () => now };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'idempotency-shape-'));
    file = join(dir, 'idempotency.sqlite');
    now = new Date('2026-11-25T01:00:00Z');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rowOf = (scope: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT request_hash, status, answer, recorded_at FROM idempotency_answers WHERE scope = ?').get(digest(scope));
    } finally {
      db.close();
    }
  };

  it('writes a success answered by its events with its hash and status only, and gives its body while it holds it', () => {
    const records = IdempotencyRecords.open(file, OPTIONS);
    const body = { contractId: 'c-1', revision: 0 };
    records.remember('k', { requestHash: 'h', status: 201, body }, '2026-11-25T00:30:00Z', { answeredFromEvents: true });
    expect(records.find('k')).toEqual({ requestHash: 'h', status: 201, body });
    records.flush();
    expect(records.find('k')).toEqual({ requestHash: 'h', status: 201, body });
    records.close();

    expect(rowOf('k')).toEqual({ request_hash: 'h', status: 201, answer: null, recorded_at: Date.parse('2026-11-25T00:30:00Z') });
    const reopened = IdempotencyRecords.open(file, OPTIONS);
    expect(reopened.find('k')).toEqual({ requestHash: 'h', status: 201, body: undefined, answeredFromEvents: true });
    reopened.close();
  });

  it('keeps the problem of a refusal and the body of a success its events cannot answer', () => {
    const records = IdempotencyRecords.open(file, OPTIONS);
    const refusal = { refusal: { kind: 'conflict', code: 'MILESTONE_NOT_FUNDED', message: 'Not funded' } };
    records.remember('refused', { requestHash: 'h1', status: 409, body: refusal }, '2026-11-25T00:30:00Z', { answeredFromEvents: true });
    records.remember('report', { requestHash: 'h2', status: 200, body: { recorded: 1 } }, '2026-11-25T00:30:00Z');
    records.close();
    expect(rowOf('refused')).toMatchObject({ status: 409, answer: JSON.stringify(refusal) });
    expect(rowOf('report')).toMatchObject({ status: 200, answer: '{"recorded":1}' });
    const reopened = IdempotencyRecords.open(file, OPTIONS);
    expect(reopened.find('refused')).toEqual({ requestHash: 'h1', status: 409, body: refusal });
    expect(reopened.find('report')).toEqual({ requestHash: 'h2', status: 200, body: { recorded: 1 } });
    reopened.close();
  });

  it(`holds the bodies of the latest ${MAX_HELD_SUCCESS_BODIES} successes answered by their events, and leaves older ones to the events`, () => {
    const records = IdempotencyRecords.open(file, OPTIONS);
    for (let i = 0; i <= MAX_HELD_SUCCESS_BODIES; i++) {
      records.remember(`k-${i}`, { requestHash: `h-${i}`, status: 200, body: { i } }, '2026-11-25T00:30:00Z', { answeredFromEvents: true });
    }
    expect(records.find('k-0')).toEqual({ requestHash: 'h-0', status: 200, body: undefined, answeredFromEvents: true });
    expect(records.find('k-1')).toEqual({ requestHash: 'h-1', status: 200, body: { i: 1 } });
    // The first answer stays the one kept, body or not.
    expect(records.remember('k-0', { requestHash: 'other', status: 409, body: {} }, '2026-11-25T00:31:00Z')).toMatchObject({ requestHash: 'h-0', status: 200 });
    records.close();
  });

  it('finds a record another process wrote to the same file from the next turn on, and one kept before this process opened it', async () => {
    const records = IdempotencyRecords.open(file, OPTIONS);
    expect(records.find('elsewhere')).toBeUndefined();
    const other = IdempotencyRecords.open(file, OPTIONS);
    other.remember('elsewhere', { requestHash: 'h', status: 409, body: { refusal: { code: 'X' } } }, '2026-11-25T00:30:00Z');
    other.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(records.find('elsewhere')).toEqual({ requestHash: 'h', status: 409, body: { refusal: { code: 'X' } } });
    expect(other.find('elsewhere')).toEqual({ requestHash: 'h', status: 409, body: { refusal: { code: 'X' } } });
    other.close();
    records.close();

    const reopened = IdempotencyRecords.open(file, OPTIONS);
    expect(reopened.find('elsewhere')).toMatchObject({ status: 409 });
    expect(reopened.find('unknown')).toBeUndefined();
    reopened.close();
  });

  it('replaces a record past the retention that was not pruned yet with the key’s new first answer', () => {
    const records = IdempotencyRecords.open(file, OPTIONS);
    records.remember('k', { requestHash: 'h', status: 409, body: { refusal: { code: 'OLD' } } }, '2026-11-24T00:00:00Z');
    records.flush();
    now = new Date('2026-11-25T12:00:00Z');
    expect(records.find('k')).toBeUndefined();
    expect(records.remember('k', { requestHash: 'h', status: 200, body: { fresh: true } }, '2026-11-25T12:00:00Z')).toMatchObject({ status: 200 });
    records.close();
    const reopened = IdempotencyRecords.open(file, OPTIONS);
    expect(reopened.find('k')).toEqual({ requestHash: 'h', status: 200, body: { fresh: true } });
    reopened.close();
  });

  it('carries the records of the earlier table over, each answering as before, and drops that table', () => {
    const old = new Database(file);
    old.exec(`CREATE TABLE idempotency_responses (
      scope BLOB PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, recorded_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    const insert = old.prepare('INSERT INTO idempotency_responses VALUES (?, ?, ?, ?, ?)');
    insert.run(digest('success'), 'h1', 201, JSON.stringify({ contractId: 'c-1' }), '2026-11-25T00:00:00.000Z');
    insert.run(digest('refused'), 'h2', 403, JSON.stringify({ refusal: { kind: 'forbidden', code: 'NOT_THE_WORKER', message: 'No' } }), '2026-11-24T12:00:00.000Z');
    insert.run(digest('expired'), 'h3', 200, JSON.stringify({}), '2026-11-23T00:00:00.000Z');
    old.close();

    const records = IdempotencyRecords.open(file, OPTIONS);
    expect(records.find('success')).toEqual({ requestHash: 'h1', status: 201, body: { contractId: 'c-1' } });
    expect(records.find('refused')).toEqual({ requestHash: 'h2', status: 403, body: { refusal: { kind: 'forbidden', code: 'NOT_THE_WORKER', message: 'No' } } });
    expect(records.find('expired')).toBeUndefined();
    // Within the retention of its own time, and no longer after it.
    now = new Date('2026-11-25T12:00:01Z');
    expect(records.find('refused')).toBeUndefined();
    records.close();

    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['idempotency_answers']);
    expect(db.prepare('SELECT COUNT(*) FROM idempotency_answers').pluck().get()).toBe(2);
    db.close();
  });
});

describe('which answers the events give', () => {
  const context = (idempotencyKey?: string) => ({ idempotencyKey }) as CommandContext;
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('counts a request whose every command appended or replayed events', async () => {
    const appended = context('k');
    noteCommandOutcome(appended, Promise.resolve({ kind: 'appended' }));
    noteCommandOutcome(appended, Promise.resolve({ kind: 'replayed' }));
    await settle();
    expect(answeredFromEvents(appended)).toBe(true);
  });

  it('leaves to the record a request with a command that appended nothing, or failed, or with no command at all', async () => {
    const unchanged = context('k');
    noteCommandOutcome(unchanged, Promise.resolve({ kind: 'appended' }));
    noteCommandOutcome(unchanged, Promise.resolve({ kind: 'unchanged' }));
    const failed = context('k');
    noteCommandOutcome(failed, Promise.reject(new Error('refused')));
    noteCommandOutcome(failed, Promise.resolve({ kind: 'appended' }));
    await settle();
    expect(answeredFromEvents(unchanged)).toBe(false);
    expect(answeredFromEvents(failed)).toBe(false);
    expect(answeredFromEvents(context('k'))).toBe(false);
  });

  it('notes nothing for a command without a key, which is never recorded', async () => {
    const unkeyed = context();
    noteCommandOutcome(unkeyed, Promise.resolve({ kind: 'appended' }));
    await settle();
    expect(answeredFromEvents(unkeyed)).toBe(false);
  });
});

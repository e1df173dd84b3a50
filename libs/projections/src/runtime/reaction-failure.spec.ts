import Database from 'better-sqlite3';
import { conflict } from '@escrow/domain/shared/domain-error';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@escrow/event-store/port';
import { classifyReactionFailure, describeReactionFailure, PassingReactionFailure } from './reaction-failure';

const sqliteError = (code: string) => new Database.SqliteError(`${code}: something`, code);

describe('classifyReactionFailure', () => {
  it.each([
    ['the store is unavailable', new EventStoreUnavailableError('down')],
    ['the reactor says it will pass', new PassingReactionFailure('later')],
    ['SQLite is busy', sqliteError('SQLITE_BUSY')],
    ['SQLite is busy in recovery', sqliteError('SQLITE_BUSY_RECOVERY')],
    ['the disk is full', sqliteError('SQLITE_FULL')],
    ['an I/O error', sqliteError('SQLITE_IOERR_WRITE')],
    ['a locked table', sqliteError('SQLITE_LOCKED')],
  ])('retries when %s', (_case, error) => {
    expect(classifyReactionFailure(error)).toBe('passing');
  });

  it.each([
    ['a domain refusal', conflict('CREDIT_SOURCE_CONFLICT', 'already credited')],
    ['a revision conflict the executor gave up on', new WrongExpectedRevisionError('wallet-1', 3, 4)],
    ['a constraint violation', sqliteError('SQLITE_CONSTRAINT_UNIQUE')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['something that is not an Error', 'boom'],
    ['a plain error claiming a SQLite code', Object.assign(new Error('SQLITE_BUSY'), { code: 'SQLITE_BUSY' })],
    ['a plain error named after the unavailable store', Object.assign(new Error('EventStoreUnavailableError: down'), { name: 'EventStoreUnavailableError' })],
    ['an error whose message asks for a retry', new Error('503 Service Unavailable, retry later')],
  ])('parks %s', (_case, error) => {
    expect(classifyReactionFailure(error)).toBe('permanent');
  });

  it("asks the host about its own classes, and only after its own rules", () => {
    class HostUnavailable extends Error {}
    const isPassing = (error: unknown) => error instanceof HostUnavailable;
    expect(classifyReactionFailure(new HostUnavailable('503'), isPassing)).toBe('passing');
    expect(classifyReactionFailure(new Error('503'), isPassing)).toBe('permanent');
    expect(classifyReactionFailure(new EventStoreUnavailableError('down'), () => false)).toBe('passing');
  });
});

describe('describeReactionFailure', () => {
  it('keeps the machine code when there is one, otherwise the class name', () => {
    expect(describeReactionFailure(conflict('CREDIT_SOURCE_CONFLICT', 'already credited'))).toEqual({ code: 'CREDIT_SOURCE_CONFLICT', message: 'already credited' });
    expect(describeReactionFailure(new TypeError('bad'))).toEqual({ code: 'TypeError', message: 'bad' });
    expect(describeReactionFailure(Object.assign(new Error('odd'), { code: 'not a code; DROP' }))).toEqual({ code: 'Error', message: 'odd' });
    expect(describeReactionFailure(42)).toEqual({ code: 'UNKNOWN', message: '42' });
  });

  it('cuts a very long message', () => {
    expect(describeReactionFailure(new Error('x'.repeat(5000))).message).toHaveLength(2000);
  });
});

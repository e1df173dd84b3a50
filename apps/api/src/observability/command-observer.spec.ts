import { DomainError } from '@escrow/domain/shared/domain-error';
import { EventStoreUnavailableError } from '@escrow/event-store/port';
import { ConcurrencyConflictError, StaleRevisionError } from '../commands/command-refusals';
import { ProblemError } from '../http/problem';
import { commandTypeOf, outcomeOfError } from './command-observer';

describe('command outcomes as metric labels', () => {
  it('counts the caller’s refusals as refused_4xx and everything else as failed_5xx', () => {
    expect(outcomeOfError(new DomainError('conflict', 'MILESTONE_NOT_FUNDED', 'not funded'))).toBe('refused_4xx');
    expect(outcomeOfError(new StaleRevisionError(1, 2))).toBe('refused_4xx');
    expect(outcomeOfError(new ConcurrencyConflictError('contract-1'))).toBe('refused_4xx');
    expect(outcomeOfError(Object.assign(new Error('reused'), { code: 'IDEMPOTENCY_KEY_REUSED' }))).toBe('refused_4xx');
    expect(outcomeOfError(new ProblemError(409, 'ACCOUNT_CLOSED', 'Conflict', 'closed'))).toBe('refused_4xx');
    expect(outcomeOfError(new ProblemError(503, 'STORE_UNAVAILABLE', 'Unavailable', 'later'))).toBe('failed_5xx');
    expect(outcomeOfError(new EventStoreUnavailableError('down'))).toBe('failed_5xx');
    expect(outcomeOfError(Object.assign(new Error('disk'), { code: 'SQLITE_FULL' }))).toBe('failed_5xx');
    expect(outcomeOfError('thrown text')).toBe('failed_5xx');
  });

  it('labels a command by its type, and anything that is not a type name as unknown', () => {
    expect(commandTypeOf({ type: 'FundMilestone' })).toBe('FundMilestone');
    expect(commandTypeOf({ type: 'x'.repeat(65) })).toBe('unknown');
    expect(commandTypeOf({ type: '/v1/contracts/123' })).toBe('unknown');
    expect(commandTypeOf(undefined)).toBe('unknown');
  });
});

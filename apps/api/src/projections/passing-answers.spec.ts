import { ConflictException, ServiceUnavailableException } from '@nestjs/common';
import { classifyReactionFailure } from '@escrow/projections/runtime/reaction-failure';
import { ConcurrencyConflictError, StaleRevisionError } from '../commands/command-refusals';
import { IdempotencyKeyReusedError } from '../idempotency';
import { ProblemError } from '../http/problem';
import { isPassingAnswer } from './projection-runtime';

const classify = (error: unknown) => classifyReactionFailure(error, isPassingAnswer);

describe("the service's answers inside a reaction", () => {
  it('retry a 5xx of its own: the store or the service will be back', () => {
    expect(classify(new ProblemError(503, 'STORE_UNAVAILABLE', 'Service unavailable'))).toBe('passing');
    expect(classify(new ProblemError(500, 'INTERNAL_ERROR', 'Internal error'))).toBe('passing');
    expect(classify(new ServiceUnavailableException())).toBe('passing');
  });

  it('park every 4xx: a reused idempotency key, contention the executor gave up on, a refused request', () => {
    expect(classify(new IdempotencyKeyReusedError())).toBe('permanent');
    expect(classify(new ConcurrencyConflictError('wallet-1'))).toBe('permanent');
    expect(classify(new StaleRevisionError(1, 2))).toBe('permanent');
    expect(classify(new ProblemError(400, 'VALIDATION_FAILED', 'Invalid request'))).toBe('permanent');
    expect(classify(new ConflictException())).toBe('permanent');
  });

  it('are told by their class and status, not by what they say', () => {
    expect(classify(Object.assign(new Error('503 STORE_UNAVAILABLE'), { status: 503, code: 'STORE_UNAVAILABLE' }))).toBe('permanent');
  });
});

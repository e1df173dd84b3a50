import { DomainError } from '@escrow/domain/shared/domain-error';
import { describeRevisionCondition, RevisionCondition } from './revision-condition';

/**
 * Refusals of the command pipeline itself, apart from any decider's: typed here and rendered as HTTP once,
 * at the edge (`http/problem-details.filter.ts`), so the pipeline knows nothing of HTTP. Each carries the stable
 * `code` callers and parked events know it by. A reused Idempotency-Key is the idempotency module's refusal
 * (`IdempotencyKeyReusedError`, `idempotency/keys.ts`), rendered at the same edge.
 */

/** If-Match does not hold: it named a revision the stream has moved past, only weak tags, or `*` for a stream with no event. */
export class StaleRevisionError extends Error {
  readonly code = 'STALE_REVISION';

  constructor(
    readonly expectedRevision: RevisionCondition,
    readonly currentRevision: number,
  ) {
    super(`${describeRevisionCondition(expectedRevision)} but the stream is ${currentRevision < 0 ? 'without events' : `at ${currentRevision}`}.`);
    this.name = 'StaleRevisionError';
  }
}

/** Concurrent changes won every attempt at the stream; the command may be retried as it is. */
export class ConcurrencyConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';

  constructor(readonly streamId: string) {
    super(`Too many concurrent changes to ${streamId}; retry the command.`);
    this.name = 'ConcurrencyConflictError';
  }
}

/**
 * A decision refused, or an append refused by its expected revision: nothing was appended. Only such a refusal lets a
 * command release what it claimed before its append (a gateway payment); after a store failure the append may have
 * happened.
 */
export const isRefusal = (error: unknown): error is DomainError | StaleRevisionError | ConcurrencyConflictError =>
  error instanceof DomainError || error instanceof StaleRevisionError || error instanceof ConcurrencyConflictError;

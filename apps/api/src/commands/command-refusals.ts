/**
 * Refusals of the command pipeline itself, apart from any decider's: typed here and rendered as HTTP once,
 * at the edge (`http/problem-details.filter.ts`), so the pipeline knows nothing of HTTP. Each carries the stable
 * `code` callers and parked events know it by.
 */

/** If-Match named a revision the stream has moved past. */
export class StaleRevisionError extends Error {
  readonly code = 'STALE_REVISION';

  constructor(
    readonly expectedRevision: number,
    readonly currentRevision: number,
  ) {
    super(`If-Match names revision ${expectedRevision} but the stream is at ${currentRevision}.`);
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

/** The Idempotency-Key came back, from the same caller, with another request. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor() {
    super('This Idempotency-Key was already used with a different request.');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/**
 * Idempotency, in one place: what an Idempotency-Key's scope is (its caller's), how a request is hashed, when a
 * key is a retry and when a refused reuse, what a key means for a stream whose events carry keys, and the
 * answers recorded for retries (kept for the retention, then pruned) with the interceptor that gives them again
 * (`IdempotencyModule`).
 */
export { IdempotencyKeyReusedError, idempotencyScope } from './keys';
export { hashReaction, hashRequest } from './request-hash';
export { eventsOfRetry, StreamKeys } from './stream-keys';
export type { KeyMeaning } from './stream-keys';
export { IdempotencyRecords } from './idempotency-records';
export { noteCommandOutcome } from './answer-sources';
export { IdempotencyModule } from './idempotency.module';

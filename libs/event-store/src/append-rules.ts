/**
 * Rules every adapter applies to an append before touching storage, so that a malformed append
 * fails the same way in tests (in-memory), on the embedded store and in production.
 */

import { DuplicateEventIdError } from './errors';
import { EventToAppend, ExpectedRevision, WrongExpectedRevisionError } from './port';

/** EventStoreDB requires UUID event ids; the lowercase canonical form keeps ids comparable as strings. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Revision of a stream that has no events. */
export const NO_STREAM_REVISION = -1;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function assertValidExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(
      `Expected revision must be 'any', 'no_stream', 'stream_exists' or a revision >= 0, got ${String(expected)}`,
    );
  }
}

/**
 * Throws TypeError/RangeError for a malformed append and DuplicateEventIdError when one append
 * carries the same event id twice.
 */
export function assertValidAppend(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new TypeError('A stream id must be a non-empty string');
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new TypeError(`Stream ${streamId}: an append needs at least one event`);
  }
  assertValidExpectedRevision(expected);
  const seenIds = new Set<string>();
  for (const event of events) {
    if (typeof event.id !== 'string' || !CANONICAL_UUID.test(event.id)) {
      throw new TypeError(`Stream ${streamId}: event id ${String(event.id)} is not a lowercase canonical UUID`);
    }
    if (seenIds.has(event.id)) throw new DuplicateEventIdError(event.id, streamId);
    seenIds.add(event.id);
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new TypeError(`Stream ${streamId}: event ${event.id} needs a non-empty type`);
    }
    if (!isPlainObject(event.data)) {
      throw new TypeError(`Stream ${streamId}: data of event ${event.id} must be a JSON object`);
    }
    if (!isPlainObject(event.metadata)) {
      throw new TypeError(`Stream ${streamId}: metadata of event ${event.id} must be an object`);
    }
  }
}

/** The error to raise when a stream at `actual` does not satisfy `expected`, or undefined when it does. */
export function expectedRevisionViolation(
  streamId: string,
  expected: ExpectedRevision,
  actual: number,
): WrongExpectedRevisionError | undefined {
  let satisfied: boolean;
  switch (expected) {
    case 'any':
      satisfied = true;
      break;
    case 'no_stream':
      satisfied = actual === NO_STREAM_REVISION;
      break;
    case 'stream_exists':
      satisfied = actual !== NO_STREAM_REVISION;
      break;
    default:
      satisfied = actual === expected;
  }
  return satisfied ? undefined : new WrongExpectedRevisionError(streamId, expected, actual);
}

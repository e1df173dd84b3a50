/**
 * Translation of EventStoreDB client errors into the port's errors.
 *
 * Errors are recognised by their `type` tag (and gRPC status code) rather than `instanceof`, so the
 * mapping holds whichever copy of the client library created them.
 */

import { ErrorType } from '@eventstore/db-client';
import { EventStoreUnavailableError, ExpectedRevision, WrongExpectedRevisionError } from '../port';
import { NO_STREAM_REVISION } from '../append-rules';
import { bigintToSafeInteger } from './positions';

/** gRPC status codes that mean "the call did not get through or did not finish": retry later. */
const TRANSIENT_GRPC_CODES = new Set([
  1, // CANCELLED (by the server or a proxy)
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  10, // ABORTED (the server's own request timeout)
  13, // INTERNAL (a reset HTTP/2 stream, e.g. when a node goes away mid-call)
  14, // UNAVAILABLE
]);

const TRANSIENT_ERROR_TYPES = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.NOT_LEADER,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
]);

const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface ErrorLike {
  type?: unknown;
  code?: unknown;
  message?: unknown;
}

const asErrorLike = (error: unknown): ErrorLike =>
  typeof error === 'object' && error !== null ? (error as ErrorLike) : {};

export function isWrongExpectedVersionError(error: unknown): boolean {
  return asErrorLike(error).type === ErrorType.WRONG_EXPECTED_VERSION;
}

export function isStreamNotFoundError(error: unknown): boolean {
  return asErrorLike(error).type === ErrorType.STREAM_NOT_FOUND;
}

/**
 * True when the store could not be reached or could not complete the call right now (no leader,
 * node down, deadline passed, connection reset, cluster discovery failed). Such a call is safe to
 * retry: appends carry deterministic event ids, so a retry of an append that did land is
 * recognised by EventStoreDB's idempotent-write check instead of writing twice.
 */
export function isTransientEsdbError(error: unknown): boolean {
  const { type, code, message } = asErrorLike(error);
  if (typeof type === 'string' && TRANSIENT_ERROR_TYPES.has(type)) return true;
  // The client tags gRPC failures it has no name for as `unknown`; a reset stream is one of them.
  if (typeof type === 'string' && type !== ErrorType.UNKNOWN) return false;
  if (typeof code === 'number') return TRANSIENT_GRPC_CODES.has(code);
  if (typeof code === 'string') return TRANSIENT_SOCKET_CODES.has(code);
  // Thrown by the client when gossip finds no usable node within its attempts.
  return typeof message === 'string' && message.startsWith('Failed to discover after');
}

/** The port error for a failed EventStoreDB call, or the error itself when the port has none. */
export function mapEsdbError(error: unknown, operation: string): unknown {
  if (error instanceof EventStoreUnavailableError) return error;
  if (isTransientEsdbError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new EventStoreUnavailableError(`EventStoreDB is unavailable (${operation}): ${reason}`, 1, error);
  }
  return error;
}

/** The port error for a failed append. */
export function mapAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (isWrongExpectedVersionError(error)) {
    const actualVersion = (error as { actualVersion?: unknown }).actualVersion;
    const actual =
      typeof actualVersion === 'bigint' ? bigintToSafeInteger(actualVersion, 'stream revision') : NO_STREAM_REVISION;
    return new WrongExpectedRevisionError(streamId, expected, actual);
  }
  return mapEsdbError(error, `append to ${streamId}`);
}

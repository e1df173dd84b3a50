/**
 * What a reactor does with a failed reaction depends on whether waiting can fix it. A passing failure
 * (the store cannot be reached or cannot write right now) is retried with back-off; anything else is a
 * permanent refusal, and retrying it would only hold back every event after it, so the event is parked.
 *
 * The decision is made from the error's class and, for SQLite, its result code, which the driver sets
 * from the engine's answer. It never reads a message text, which a caller could shape.
 */

import Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '@escrow/event-store/port';

export type ReactionFailureKind = 'passing' | 'permanent';

/** Thrown by a reactor to say "retry me later": the failure is passing whatever caused it. */
export class PassingReactionFailure extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'PassingReactionFailure';
  }
}

/** SQLite result codes (extended codes included) meaning "cannot do it right now", not "this is wrong". */
const PASSING_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOMEM|INTERRUPT)(_[A-Z]+)*$/;

/**
 * Passing when the error is an EventStoreUnavailableError, a PassingReactionFailure, a better-sqlite3
 * error with a passing result code, or when `isPassing` (the host's own classes, e.g. a 5xx answer)
 * says so. Everything else, unknown errors included, is permanent.
 */
export function classifyReactionFailure(error: unknown, isPassing?: (error: unknown) => boolean): ReactionFailureKind {
  if (error instanceof EventStoreUnavailableError || error instanceof PassingReactionFailure) return 'passing';
  if (error instanceof Database.SqliteError && PASSING_SQLITE_CODES.test(error.code)) return 'passing';
  if (isPassing !== undefined && isPassing(error)) return 'passing';
  return 'permanent';
}

/** Why a reaction failed, as kept with a parked event. */
export interface ReactionFailure {
  /** The error's machine code when it has one (DOMAIN_CODE, SQLITE_…), otherwise its class name. */
  code: string;
  message: string;
}

const MACHINE_CODE = /^[A-Z][A-Z0-9_]{0,99}$/;
const MAX_MESSAGE_LENGTH = 2000;

export function describeReactionFailure(error: unknown): ReactionFailure {
  if (!(error instanceof Error)) return { code: 'UNKNOWN', message: truncate(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    code: typeof code === 'string' && MACHINE_CODE.test(code) ? code : error.name || 'Error',
    message: truncate(error.message),
  };
}

const truncate = (text: string): string => (text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text);

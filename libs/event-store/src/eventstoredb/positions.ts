/**
 * EventStoreDB addresses a record of its transaction log by a pair of unsigned 64-bit byte offsets,
 * `{ commit, prepare }`; the port speaks of one safe-integer position. The encoding chosen:
 *
 *   port position = the record's commit position
 *   resume        = `{ commit: p, prepare: p }`
 *
 * Why this keeps order and resumes exactly: every event appended through the gRPC API is an
 * implicitly committed prepare whose commit and prepare positions are both its own log offset, so
 * the commit position is unique per event and grows strictly along `$all`. Reading `$all` forwards
 * from `{p, p}` starts at the event at `p` (inclusive) and a subscription from `{p, p}` starts after
 * it (exclusive); readers of this adapter skip every position <= the checkpoint, so both behaviours
 * give "strictly after p". Events written by a legacy explicit transaction (TCP clients only) share
 * one commit position between several events and have commit != prepare; they cannot be given
 * distinct positions in this encoding, so they are refused rather than silently merged.
 *
 * Values are converted with a range check: a bigint above Number.MAX_SAFE_INTEGER (2^53 - 1, about
 * 9 PB of transaction log) is refused, never rounded.
 */

import type { Position } from '@eventstore/db-client';

/** A 64-bit value of EventStoreDB does not fit the port's safe integers; nothing was rounded. */
export class PositionOutOfRangeError extends RangeError {
  constructor(
    readonly what: string,
    readonly value: bigint,
  ) {
    super(`EventStoreDB ${what} ${value} is outside the safe integer range (0..${Number.MAX_SAFE_INTEGER}); refusing to round it`);
    this.name = 'PositionOutOfRangeError';
  }
}

/** An event of `$all` whose commit and prepare positions differ (a legacy explicit transaction). */
export class UnsupportedTransactionPositionError extends Error {
  constructor(readonly position: Position) {
    super(
      `EventStoreDB event at commit ${position.commit} / prepare ${position.prepare} belongs to an explicit ` +
        'transaction; its position cannot be represented as a single global position',
    );
    this.name = 'UnsupportedTransactionPositionError';
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Exact conversion of a non-negative bigint to a number, or PositionOutOfRangeError. */
export function bigintToSafeInteger(value: bigint, what: string): number {
  if (value < 0n || value > MAX_SAFE) throw new PositionOutOfRangeError(what, value);
  return Number(value);
}

/** The port position of a recorded event of `$all` (see the module comment for the encoding). */
export function toPortPosition(position: Position): number {
  if (position.commit !== position.prepare) throw new UnsupportedTransactionPositionError(position);
  return bigintToSafeInteger(position.commit, 'position');
}

/** The EventStoreDB position to resume reading or subscribing at a port position. */
export function toEsdbPosition(position: number): Position {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`A position must be an integer >= 0, got ${String(position)}`);
  }
  const value = BigInt(position);
  return { commit: value, prepare: value };
}

/** Total order of EventStoreDB positions, for records of any kind (system records included). */
export function compareEsdbPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

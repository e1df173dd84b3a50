import type { ReadQuery } from '../projections/read-query';
import { type CursorKind, decodeCursor, encodeCursor } from './list-cursor';

/** The one envelope of every list: a page of items and the cursor of the next page (null on the last). */
export interface ListPage<Item> {
  data: Item[];
  nextCursor: string | null;
}

/** A list's page sizes: `limit` defaults to `default` and may not exceed `max`. */
export interface ListLimits {
  default: number;
  max: number;
}

/** What a caller asked for: at most `limit` items after the key `after` (from the start when undefined). */
export interface PageRequest<Key> {
  limit: number;
  after: Key | undefined;
}

/** The query parameters of paging, for a route's list of allowed parameters. */
export const PAGE_PARAMETERS = ['limit', 'cursor'] as const;

const WHOLE_NUMBER = /^\d{1,16}$/;

/** Reads `limit` and `cursor`, reporting each refusal on `read` (answered with its other problems by `read.done()`). */
export function readPage<Key>(
  query: Record<string, unknown>,
  read: ReadQuery,
  kind: CursorKind<Key>,
  limits: ListLimits,
): PageRequest<Key> {
  return { limit: readLimit(query.limit, read, limits), after: readCursor(query.cursor, read, kind) };
}

function readLimit(value: unknown, read: ReadQuery, limits: ListLimits): number {
  if (value === undefined) return limits.default;
  if (typeof value !== 'string') {
    read.fail('limit', 'single', 'limit must be given once');
    return limits.default;
  }
  if (!WHOLE_NUMBER.test(value)) {
    read.fail('limit', 'isInt', `limit must be a whole number from 1 to ${limits.max}`);
  } else if (Number(value) < 1) {
    read.fail('limit', 'min', 'limit must be at least 1');
  } else if (Number(value) > limits.max) {
    read.fail('limit', 'max', `limit must not be more than ${limits.max}`);
  } else {
    return Number(value);
  }
  return limits.default;
}

function readCursor<Key>(value: unknown, read: ReadQuery, kind: CursorKind<Key>): Key | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    read.fail('cursor', 'single', 'cursor must be given once');
    return undefined;
  }
  const key = decodeCursor(kind, value);
  if (key === undefined) read.fail('cursor', 'cursor', 'cursor must be the nextCursor of an earlier page of this list, unchanged');
  return key;
}

/**
 * The page of `rows`, read with one more than the limit: the extra row only tells that a next page exists, and the
 * cursor names the last item shown.
 */
export function pageOf<Item, Key>(rows: readonly Item[], limit: number, kind: CursorKind<Key>, keyOf: (item: Item) => Key): ListPage<Item> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(kind, keyOf(last)) : null };
}

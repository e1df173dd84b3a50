import { createHash } from 'node:crypto';

/**
 * The opaque `cursor` of a list page: base64url (no padding) of `<scope>:<key>~<check>`, where the key is the sort
 * key of the last item of the page before. Decoding is strict and yields only a typed, bounded key (a position or a
 * calendar period), used only as a bound in a parameterised query; anything else is refused. The scope ties a cursor
 * to the list it came from, so that a cursor of one list is refused by another rather than read as some other key;
 * the check (the start of the text's SHA-256) refuses a cursor altered or cut short. The check is no secret and
 * need not be: a cursor grants nothing, every route authorises the read itself.
 */

/** How one list's sort key is written into and read back from a cursor. */
export interface CursorKind<Key> {
  scope: string;
  format(key: Key): string;
  /** The key, or undefined when the text is not one this list could have written. */
  parse(text: string): Key | undefined;
}

/** Longer than any cursor this service writes; a longer one is refused before it is decoded. */
export const MAX_CURSOR_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const POSITION = /^(0|[1-9]\d{0,15})$/;

/** A global position, stream revision or row id: a whole number from 0 to 2^53 − 1. */
export const positionCursor = (scope: string): CursorKind<number> => ({
  scope,
  format: (key) => String(key),
  parse: (text) => (POSITION.test(text) && Number(text) <= Number.MAX_SAFE_INTEGER ? Number(text) : undefined),
});

/** A text key of a fixed form (a day `YYYY-MM-DD` or month `YYYY-MM`), checked by `valid` as well. */
export const patternCursor = (scope: string, pattern: RegExp, valid: (text: string) => boolean = () => true): CursorKind<string> => ({
  scope,
  format: (key) => key,
  parse: (text) => (pattern.test(text) && valid(text) ? text : undefined),
});

const CHECK_LENGTH = 8;
const checkOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, CHECK_LENGTH);

export function encodeCursor<Key>(kind: CursorKind<Key>, key: Key): string {
  const text = `${kind.scope}:${kind.format(key)}`;
  return Buffer.from(`${text}~${checkOf(text)}`, 'utf8').toString('base64url');
}

/** The key the cursor names, or undefined when it is not a cursor of this list (malformed, altered, or another list's). */
export function decodeCursor<Key>(kind: CursorKind<Key>, cursor: string): Key | undefined {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the one spelling this service writes: no padding, no trailing bits, valid UTF-8.
  if (bytes.toString('base64url') !== cursor) return undefined;
  const checked = bytes.toString('utf8');
  if (Buffer.from(checked, 'utf8').compare(bytes) !== 0) return undefined;
  const separator = checked.length - CHECK_LENGTH - 1;
  if (separator < 0 || checked[separator] !== '~') return undefined;
  const text = checked.slice(0, separator);
  if (checkOf(text) !== checked.slice(separator + 1)) return undefined;
  const prefix = `${kind.scope}:`;
  if (!text.startsWith(prefix)) return undefined;
  return kind.parse(text.slice(prefix.length));
}

/**
 * The bytes a recorded event contributes to the tree: its canonical JSON (RFC 8785, JCS) as UTF-8. JCS makes
 * the bytes a function of the JSON value alone, so an auditor re-serialising an exported event in any language
 * obtains the same bytes, whatever key order or spacing the export used.
 */

import type { RecordedEvent } from '@escrow/event-store/port';

/** A value that canonical JSON refuses: it has no JSON form, or more than one. */
export class NotCanonicalJsonError extends Error {}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** UTF-16 code-unit order, as RFC 8785 §3.2.3 sorts member names (what `<` on JS strings compares). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function serialise(value: unknown, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      // ECMAScript JSON.stringify is exactly RFC 8785 §3.2.2.2's string serialisation.
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalJsonError(`${where}: ${value} has no JSON form`);
      // Number-to-string of ECMAScript (RFC 8785 §3.2.2.3); -0 becomes 0.
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? serialiseArray(value, where) : serialiseObject(value, where);
    default:
      throw new NotCanonicalJsonError(`${where}: a ${typeof value} has no JSON form`);
  }
}

function serialiseArray(items: readonly unknown[], where: string): string {
  const parts = items.map((item, index) => {
    // JSON.stringify would write null for a hole or undefined: a silent change of the value, so refused.
    if (item === undefined) throw new NotCanonicalJsonError(`${where}[${index}]: undefined has no JSON form in an array`);
    return serialise(item, `${where}[${index}]`);
  });
  return `[${parts.join(',')}]`;
}

function serialiseObject(object: object, where: string): string {
  if (!isPlainObject(object)) throw new NotCanonicalJsonError(`${where}: only plain objects have a canonical JSON form`);
  const record = object as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(byCodeUnits)
    .map((key) => `${JSON.stringify(key)}:${serialise(record[key], `${where}.${key}`)}`);
  return `{${members.join(',')}}`;
}

/**
 * RFC 8785 canonical JSON of a JSON value: members sorted by the UTF-16 code units of their names, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them, `undefined` members omitted.
 * Throws NotCanonicalJsonError on non-finite numbers, bigints, functions, symbols, `undefined` in an array or at
 * the top, and objects that are not plain (Date, Map, class instances).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new NotCanonicalJsonError('$: undefined has no JSON form');
  return serialise(value, '$');
}

/** The eight members of an event that make up its leaf, in the order docs/audit.md lists them. */
export const LEAF_MEMBERS = ['position', 'streamId', 'revision', 'id', 'type', 'data', 'metadata', 'recordedAt'] as const;

/**
 * The leaf bytes of an event as stored (never upcast): UTF-8 of the canonical JSON of exactly its eight members
 * position, streamId, revision, id, type, data, metadata, recordedAt. Any other member is left out.
 */
export function leafBytes(event: RecordedEvent): Buffer {
  const { position, streamId, revision, id, type, data, metadata, recordedAt } = event;
  return Buffer.from(canonicalJson({ position, streamId, revision, id, type, data, metadata, recordedAt }), 'utf8');
}

/**
 * The leaves of an NDJSON export (docs/audit.md, "Exports"): one event per "\n"-terminated line, each an object
 * with the eight leaf members, positions 1, 2, 3 … in order. Anything else is named by its line.
 */

import { leafBytes, leafHash } from '@escrow/audit';
import type { RecordedEvent } from '@escrow/event-store/port';
import { ndjsonLines } from './ndjson-lines';

export interface ExportLeaf {
  /** Leaf index: the line number − 1. */
  index: number;
  position: number;
  hash: Buffer;
}

/** A line of the export that cannot be a leaf, or a line that should be there and is not. */
export class ExportLineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The event on a line, or why it is not one. */
export function parseExportLine(text: string, line: number): RecordedEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExportLineError(line, 'is not JSON');
  }
  if (!isObject(value)) throw new ExportLineError(line, 'is not a JSON object');
  const problems: string[] = [];
  if (!isCount(value.position) || value.position === 0) problems.push('position is not a positive integer');
  if (!isCount(value.revision)) problems.push('revision is not a non-negative integer');
  for (const member of ['streamId', 'id', 'type', 'recordedAt']) if (typeof value[member] !== 'string') problems.push(`${member} is not a string`);
  for (const member of ['data', 'metadata']) if (!isObject(value[member])) problems.push(`${member} is not an object`);
  if (problems.length > 0) throw new ExportLineError(line, problems.join('; '));
  return value as unknown as RecordedEvent;
}

/**
 * The first `count` leaves of the export, checked line by line: each line terminated, an event, and at the
 * position its line number says (position = line on the embedded store). Throws ExportLineError at the first line
 * that is malformed, out of order, a duplicate or a gap, and when the file ends before `count` lines.
 */
export async function* exportLeaves(file: string, count: number): AsyncGenerator<ExportLeaf> {
  let index = 0;
  if (count === 0) return;
  for await (const { number, text, terminated } of ndjsonLines(file)) {
    if (!terminated) throw new ExportLineError(number, 'has no closing newline: the file is truncated');
    const event = parseExportLine(text, number);
    if (event.position < number) throw new ExportLineError(number, `position ${event.position} again or out of order (expected ${number})`);
    if (event.position > number) throw new ExportLineError(number, `position ${event.position} where ${number} was expected: positions ${number}…${event.position - 1} are missing`);
    yield { index, position: event.position, hash: leafHash(leafBytes(event)) };
    index += 1;
    if (index === count) return;
  }
  throw new ExportLineError(index + 1, `the export ends after ${index} events, but the tree head covers ${count}`);
}

/**
 * The leaves of an NDJSON export (docs/audit.md, "Exports"): one event per "\n"-terminated line, each an object
 * with the eight leaf members, in the log's order: positions 1, 2, 3 … on the embedded store, strictly increasing
 * ones on EventStoreDB. Leaf index = line − 1 either way. Anything else is named by its line.
 */

import { leafBytes, leafHash } from '@escrow/audit';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { PositionRule } from './arguments';
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
 * The rule an export's positions follow when none is given: contiguous when its first line is position 1 (the
 * embedded store numbers its log 1, 2, 3 …), increasing otherwise (EventStoreDB's commit positions never start at
 * 1). A first line that is not an event is named by exportLeaves, whichever rule is taken.
 */
export async function detectPositionRule(file: string): Promise<PositionRule> {
  for await (const { text } of ndjsonLines(file)) {
    try {
      return (JSON.parse(text) as { position?: unknown }).position === 1 ? 'contiguous' : 'increasing';
    } catch {
      return 'contiguous';
    }
  }
  return 'contiguous';
}

/**
 * The first `count` leaves of the export, checked line by line: each line terminated, an event, and at a position
 * the rule allows: with `contiguous` the position its line number says, with `increasing` any position above the
 * line before's. Throws ExportLineError at the first line that is malformed, out of order, a duplicate or (when
 * contiguous) a gap, and when the file ends before `count` lines.
 */
export async function* exportLeaves(file: string, count: number, positions: PositionRule = 'contiguous'): AsyncGenerator<ExportLeaf> {
  let index = 0;
  let previous = 0;
  if (count === 0) return;
  for await (const { number, text, terminated } of ndjsonLines(file)) {
    if (!terminated) throw new ExportLineError(number, 'has no closing newline: the file is truncated');
    const event = parseExportLine(text, number);
    if (positions === 'contiguous') {
      if (event.position < number) throw new ExportLineError(number, `position ${event.position} again or out of order (expected ${number})`);
      if (event.position > number) throw new ExportLineError(number, `position ${event.position} where ${number} was expected: positions ${number}…${event.position - 1} are missing`);
    } else if (event.position <= previous) {
      throw new ExportLineError(number, `position ${event.position} again or out of order (after position ${previous})`);
    }
    previous = event.position;
    yield { index, position: event.position, hash: leafHash(leafBytes(event)) };
    index += 1;
    if (index === count) return;
  }
  throw new ExportLineError(index + 1, `the export ends after ${index} events, but the tree head covers ${count}`);
}

import { epochMillisOf } from '@escrow/domain/calendar';
import { instant } from '@escrow/domain/shared/field-rules';
import type { RecordedEvent } from '@escrow/event-store/port';
import { FeedFilter, matchesFilter, parseFeedRequest } from '../event-feed/feed-filter';
import { ReadQuery } from '../projections/read-query';

/** The query parameters of an NDJSON export of the global log. */
export const EXPORT_PARAMETERS = ['after', 'through', 'since', 'until', 'stream', 'category', 'type'] as const;
/** Those only an export takes: a JSON page that names one is refused, so that a filter is never silently ignored. */
export const EXPORT_ONLY_PARAMETERS = ['through', 'since', 'until', 'stream', 'category', 'type'] as const;

/** A stream id as the service names them (`contract-<id>`, `wallet-<id>`, `index-backfill`). */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/** Which events an export holds: positions in (after, through], recorded in [since, until), of the stream, categories and types asked. */
export interface EventExportRequest {
  after: number;
  /** Undefined: the head of the log when the export starts. */
  through?: number;
  /** Epoch milliseconds of `since` (inclusive) and `until` (exclusive) on recordedAt. */
  since?: number;
  until?: number;
  stream?: string;
  filter: FeedFilter;
}

/** Reads an export request, or throws the 400 naming every parameter refused and its rule. */
export function parseEventExportRequest(query: Record<string, unknown>): EventExportRequest {
  const read = new ReadQuery(query, EXPORT_PARAMETERS);
  const after = read.integer('after', { default: 0 });
  const through = query.through === undefined ? undefined : read.integer('through', { default: 0 });
  const since = instantParameter(read, 'since');
  const until = instantParameter(read, 'until');
  const stream = read.matching('stream', STREAM_ID_PATTERN, 'a stream id: up to 200 letters, digits, ".", "_", ":" or "-"');
  const { request, errors } = parseFeedRequest({ category: query.category, type: query.type });
  for (const error of errors) read.fail(error.field, error.rule, error.message);
  if (through !== undefined && through < after) read.fail('through', 'min', 'through must not be before after');
  if (since !== undefined && until !== undefined && until < since) read.fail('until', 'min', 'until must not be before since');
  read.done();
  return { after, through, since, until, stream, filter: request!.filter };
}

function instantParameter(read: ReadQuery, name: string): number | undefined {
  const text = read.matching(name, /^.{1,64}$/, 'at most 64 characters');
  if (text === undefined) return undefined;
  const breach = instant(text, name);
  if (breach) {
    read.fail(name, breach.rule, breach.message);
    return undefined;
  }
  return epochMillisOf(text);
}

/** Whether an event read from the export's position range belongs in it. */
export function belongsToExport(request: EventExportRequest, event: RecordedEvent): boolean {
  if (request.stream !== undefined && event.streamId !== request.stream) return false;
  if (request.since !== undefined || request.until !== undefined) {
    const recorded = Date.parse(event.recordedAt);
    if (request.since !== undefined && !(recorded >= request.since)) return false;
    if (request.until !== undefined && !(recorded < request.until)) return false;
  }
  return matchesFilter(request.filter, event);
}

import { EVENT_SCHEMA_VERSIONS, SCHEMA_VERSIONS_BY_STREAM_KIND } from '@escrow/domain/event-schemas';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { FieldError } from '../http/problem';

/**
 * Which events of the global log a feed reader asks for, and where it resumes. Every value a caller sends is
 * matched against fixed lists (the stream categories and event types the service records): nothing a caller
 * writes becomes a key, a pattern or a query, so it cannot select behaviour beyond those lists.
 */

/** The stream categories, by the prefix of a stream's name (`contract-<id>`, `wallet-<id>`, `index-backfill`). */
export const FEED_CATEGORIES: readonly string[] = Object.keys(SCHEMA_VERSIONS_BY_STREAM_KIND).sort();
/** Every event type the service records. */
export const FEED_EVENT_TYPES: readonly string[] = Object.keys(EVENT_SCHEMA_VERSIONS).sort();

const CATEGORY_SET: ReadonlySet<string> = new Set(FEED_CATEGORIES);
const TYPE_SET: ReadonlySet<string> = new Set(FEED_EVENT_TYPES);
// Longest first, so that a category whose name extends another's would win over it.
const CATEGORIES_BY_LENGTH = [...FEED_CATEGORIES].sort((a, b) => b.length - a.length);

/** Longest accepted text of one list parameter, and of the Last-Event-ID header. */
export const MAX_LIST_PARAMETER_LENGTH = 2048;
export const MAX_LISTED_TYPES = 64;
const POSITION_PATTERN = /^\d{1,15}$/;

/** The category of a stream by its name; undefined for a stream of a kind the service does not record. */
export function categoryOf(streamId: string): string | undefined {
  return CATEGORIES_BY_LENGTH.find((category) => streamId === category || streamId.startsWith(`${category}-`));
}

export interface FeedFilter {
  /** Undefined: every category (and streams of no known category). */
  categories?: ReadonlySet<string>;
  /** Undefined: every type. */
  types?: ReadonlySet<string>;
}

export const matchesFilter = (filter: FeedFilter, event: RecordedEvent): boolean => {
  if (filter.types && !filter.types.has(event.type)) return false;
  if (!filter.categories) return true;
  const category = categoryOf(event.streamId);
  return category !== undefined && filter.categories.has(category);
};

export interface FeedRequest {
  filter: FeedFilter;
  /** Deliver events strictly after this global position. */
  after: number;
  /** End the stream once the reader has passed this position; undefined: follow the log until closed. */
  until?: number;
}

export interface FeedRequestInput {
  after?: unknown;
  until?: unknown;
  category?: unknown;
  type?: unknown;
  /** The `Last-Event-ID` header, which an EventSource sends when it reconnects: it wins over `after`. */
  lastEventId?: unknown;
}

/** Checks a feed request; every problem is listed, by the parameter (or header) it is in and the rule it breaks. */
export function parseFeedRequest(
  input: FeedRequestInput,
): { request: FeedRequest; errors: [] } | { request?: undefined; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const after = position(input.after, 'after', errors) ?? 0;
  const lastEventId = position(input.lastEventId, 'Last-Event-ID', errors);
  const until = position(input.until, 'until', errors);
  const categories = list(input.category, 'category', CATEGORY_SET, FEED_CATEGORIES.length, errors);
  const types = list(input.type, 'type', TYPE_SET, MAX_LISTED_TYPES, errors);
  if (errors.length > 0) return { errors };
  return { request: { filter: { categories, types }, after: lastEventId ?? after, until }, errors: [] };
}

function position(value: unknown, field: string, errors: FieldError[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && POSITION_PATTERN.test(value)) return Number(value);
  errors.push({ field, rule: 'isInt', message: `${field} must be a global position: a non-negative integer of at most 15 digits` });
  return undefined;
}

/** A comma-separated list (or the parameter repeated); each entry must be one of `known`. */
function list(
  value: unknown,
  field: string,
  known: ReadonlySet<string>,
  maxEntries: number,
  errors: FieldError[],
): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part): part is string => typeof part === 'string')) {
    errors.push({ field, rule: 'isString', message: `${field} must be a comma-separated list` });
    return undefined;
  }
  const text = parts.join(',');
  if (text.length > MAX_LIST_PARAMETER_LENGTH) {
    errors.push({ field, rule: 'maxLength', message: `${field} must be at most ${MAX_LIST_PARAMETER_LENGTH} characters` });
    return undefined;
  }
  const entries = text.split(',');
  if (entries.length > maxEntries) {
    errors.push({ field, rule: 'arrayMaxSize', message: `${field} lists at most ${maxEntries} values` });
    return undefined;
  }
  const unknown = entries.filter((entry) => !known.has(entry));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 3).map((entry) => JSON.stringify(entry.slice(0, 64)));
    errors.push({
      field,
      rule: 'isIn',
      message: `${field} must list known values only; not known: ${shown.join(', ')}${unknown.length > 3 ? ', …' : ''}`,
    });
    return undefined;
  }
  return new Set(entries);
}

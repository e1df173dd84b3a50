import { daysFromCivil, epochMillisOf, MILLIS_PER_DAY, parseIsoDate } from '../calendar/civil-time';
import { DomainError } from './domain-error';
import { MAX_URI_LENGTH } from './limits';

/**
 * Rules on values that arrive from outside: free text, calendar dates, instants, deliverable URIs.
 * They are written once here and applied by the deciders and by the HTTP layer's request validation,
 * so a value is refused with the same rule and wording wherever it is caught.
 *
 * Each rule returns undefined when the value is acceptable, or the breach: the rule's stable name and a
 * message naming the field.
 */
export interface RuleBreach {
  rule: string;
  message: string;
}

export type FieldRule = (value: unknown, field: string) => RuleBreach | undefined;

// ── Free text ─────────────────────────────────────────────────────────────────────────────────

const TAB = 0x09;
const LINE_FEED = 0x0a;

/** C0 controls (U+0000–U+001F) except tab and line feed, DEL, and the C1 controls (U+0080–U+009F). */
const isRefusedControl = (unit: number) => (unit < 0x20 && unit !== TAB && unit !== LINE_FEED) || (unit >= 0x7f && unit <= 0x9f);
const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

const codePointName = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Titles, reasons, messages, names and references end up in the immutable log, in bank files and on
 * screens: a NUL or a control character can truncate or corrupt them there, and a lone surrogate is not
 * text at all (it cannot be encoded as UTF-8). Line feed and tab are the only controls kept, for
 * multi-line messages; line breaks are written as LF (a CR is refused like the other controls).
 */
export const freeText: FieldRule = (value, field) => {
  if (typeof value !== 'string') return { rule: 'freeText', message: `${field} must be text` };
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    if (isRefusedControl(unit)) {
      return {
        rule: 'freeText',
        message: `${field} must not contain control characters other than newline and tab (found ${codePointName(unit)} at index ${index})`,
      };
    }
    if (isHighSurrogate(unit) && index + 1 < value.length && isLowSurrogate(value.charCodeAt(index + 1))) {
      index++;
      continue;
    }
    if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
      return { rule: 'freeText', message: `${field} must not contain an unpaired UTF-16 surrogate (found ${codePointName(unit)} at index ${index})` };
    }
  }
  return undefined;
};

// ── Calendar dates and instants ───────────────────────────────────────────────────────────────

/**
 * Dates and instants a caller may name: far enough back for any record of the platform, far enough ahead
 * for any due date, and never a year such as 0000 that other systems (banks, spreadsheets) cannot hold.
 */
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2100-12-31';
/** Instants are bounded by the same dates, in UTC: from 2000-01-01T00:00:00Z up to, not including, 2101-01-01T00:00:00Z. */
export const EARLIEST_INSTANT_MILLIS = daysFromCivil(parseIsoDate(EARLIEST_DATE)) * MILLIS_PER_DAY;
export const END_OF_INSTANTS_MILLIS = (daysFromCivil(parseIsoDate(LATEST_DATE)) + 1) * MILLIS_PER_DAY;

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date `YYYY-MM-DD` (no 30 February) from 2000-01-01 to 2100-12-31. */
export const calendarDate: FieldRule = (value, field) => {
  const breach = { rule: 'calendarDate', message: `${field} must be a real calendar date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}` };
  if (typeof value !== 'string' || !DATE_SHAPE.test(value)) return breach;
  try {
    parseIsoDate(value);
  } catch {
    return breach;
  }
  return value < EARLIEST_DATE || value > LATEST_DATE ? breach : undefined;
};

/** A real ISO-8601 instant with its offset (`Z` or `±hh:mm`), within the same bounds as dates. */
export const instant: FieldRule = (value, field) => {
  const breach = { rule: 'instant', message: `${field} must be a real ISO-8601 instant with offset from ${EARLIEST_DATE}T00:00:00Z to ${LATEST_DATE}T23:59:59Z` };
  if (typeof value !== 'string') return breach;
  let millis: number;
  try {
    millis = epochMillisOf(value);
  } catch (error) {
    if (error instanceof DomainError) return breach;
    throw error;
  }
  return millis < EARLIEST_INSTANT_MILLIS || millis >= END_OF_INSTANTS_MILLIS ? breach : undefined;
};

// ── Deliverable URIs ──────────────────────────────────────────────────────────────────────────

const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const isLoopbackHost = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || LOOPBACK_IPV4.test(hostname);

/**
 * Deliverables are opened by the client and by support: only `https:` links are accepted, so that no
 * `javascript:`, `data:`, `file:` or plain-text `ftp:` link reaches their screens. `http:` is accepted on a
 * loopback host (127.0.0.0/8, localhost, [::1]) for development. Credentials in the URI are refused: the
 * log is permanent and would keep them.
 */
export const deliverableUri: FieldRule = (value, field) => {
  const breach = {
    rule: 'deliverableUri',
    message: `${field} must be an absolute https: URI (http: only on a loopback host) without credentials, at most ${MAX_URI_LENGTH} characters`,
  };
  if (typeof value !== 'string' || value.length > MAX_URI_LENGTH || /\s/.test(value)) return breach;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return breach;
  }
  const schemeAllowed = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  return !schemeAllowed || url.hostname === '' || url.username !== '' || url.password !== '' ? breach : undefined;
};

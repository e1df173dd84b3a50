import { invalid } from '../shared/domain-error';

/**
 * Calendar and instant arithmetic done by hand on integers, so results never depend on the
 * host's time zone, locale or clock. Dates are proleptic Gregorian; instants are UTC epoch
 * milliseconds.
 */

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string;

export const MILLIS_PER_DAY = 86_400_000;
const MILLIS_PER_HOUR = 3_600_000;
/** Japan Standard Time is UTC+9 all year: Japan has no daylight saving time. */
const TOKYO_OFFSET_MILLIS = 9 * MILLIS_PER_HOUR;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);

/** Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The civil date `days` days after 1970-01-01 (inverse of daysFromCivil). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = floorDiv(dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36_524) - floorDiv(dayOfEra, 146_096), 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const mp = floorDiv(5 * dayOfYear + 2, 153);
  const day = dayOfYear - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

export const formatIsoDate = ({ year, month, day }: CivilDate): IsoDate => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(date: IsoDate): CivilDate {
  const match = ISO_DATE.exec(date);
  if (!match) throw invalid('INVALID_DATE', `'${date}' is not a date in the form YYYY-MM-DD.`, { date });
  const civil = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (civil.month < 1 || civil.month > 12 || civil.day < 1 || civil.day > daysInMonth(civil.year, civil.month)) {
    throw invalid('INVALID_DATE', `'${date}' is not a calendar date.`, { date });
  }
  return civil;
}

export const dayNumberOf = (date: IsoDate) => daysFromCivil(parseIsoDate(date));
export const isoDateOfDayNumber = (days: number): IsoDate => formatIsoDate(civilFromDays(days));

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export const weekdayOf = (date: IsoDate) => (((dayNumberOf(date) + 4) % 7) + 7) % 7;

export const addDays = (date: IsoDate, days: number): IsoDate => isoDateOfDayNumber(dayNumberOf(date) + days);

export const lastDayOfMonth = (year: number, month: number): IsoDate => formatIsoDate({ year, month, day: daysInMonth(year, month) });

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds of an ISO-8601 instant. The instant must name its offset (`Z` or `±hh:mm`):
 * an instant without one would be read in the host's zone, which a pure domain cannot know.
 * Digits below the millisecond are truncated.
 */
export function epochMillisOf(instant: string): number {
  const match = ISO_INSTANT.exec(instant);
  if (!match) throw invalid('INVALID_INSTANT', `'${instant}' is not an ISO-8601 instant with an offset.`, { instant });
  const [, y, mo, d, h, mi, s = '0', fraction = '', offset] = match;
  const civil = parseIsoDate(`${y}-${mo}-${d}`);
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = Number(s);
  if (hours > 23 || minutes > 59 || seconds > 59) {
    throw invalid('INVALID_INSTANT', `'${instant}' has an impossible time of day.`, { instant });
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  let offsetMillis = 0;
  if (offset !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const offsetHours = Number(offset.slice(1, 3));
    const offsetMinutes = Number(offset.slice(4, 6));
    if (offsetHours > 23 || offsetMinutes > 59) {
      throw invalid('INVALID_INSTANT', `'${instant}' has an impossible offset.`, { instant });
    }
    offsetMillis = sign * (offsetHours * MILLIS_PER_HOUR + offsetMinutes * 60_000);
  }
  return daysFromCivil(civil) * MILLIS_PER_DAY + hours * MILLIS_PER_HOUR + minutes * 60_000 + seconds * 1000 + millis - offsetMillis;
}

/** The UTC ISO-8601 form (`YYYY-MM-DDTHH:mm:ss.sssZ`) of epoch milliseconds. */
export function isoInstantOf(epochMillis: number): string {
  if (!Number.isSafeInteger(epochMillis))
    throw invalid('INVALID_INSTANT', `${epochMillis} is not a whole number of milliseconds.`, { epochMillis });
  const days = floorDiv(epochMillis, MILLIS_PER_DAY);
  const withinDay = epochMillis - days * MILLIS_PER_DAY;
  const hours = floorDiv(withinDay, MILLIS_PER_HOUR);
  const minutes = floorDiv(withinDay - hours * MILLIS_PER_HOUR, 60_000);
  const seconds = floorDiv(withinDay - hours * MILLIS_PER_HOUR - minutes * 60_000, 1000);
  const millis = withinDay - hours * MILLIS_PER_HOUR - minutes * 60_000 - seconds * 1000;
  return `${isoDateOfDayNumber(days)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}

/** The instant `days` whole days (of 24 hours) after the given one, in UTC ISO form; `days` must be whole. */
export const addDaysToInstant = (instant: string, days: number) => isoInstantOf(epochMillisOf(instant) + days * MILLIS_PER_DAY);

/** The calendar date in Tokyo (JST, UTC+9) at the given instant. */
export const tokyoDateOf = (instant: string): IsoDate =>
  isoDateOfDayNumber(floorDiv(epochMillisOf(instant) + TOKYO_OFFSET_MILLIS, MILLIS_PER_DAY));

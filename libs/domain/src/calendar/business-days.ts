import holidayJp from '@holiday-jp/holiday_jp';
import { invalid } from '../shared/domain-error';
import {
  IsoDate,
  dayNumberOf,
  formatIsoDate,
  isoDateOfDayNumber,
  lastDayOfMonth,
  parseIsoDate,
  tokyoDateOf,
  weekdayOf,
} from './civil-time';

/**
 * Japanese bank business days (銀行営業日): not a Saturday or Sunday, not a national holiday
 * (国民の祝日, including substitute and citizen's holidays) and not a year-end bank holiday
 * (December 31 to January 3).
 */

const NATIONAL_HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));

const holidayYears = [...NATIONAL_HOLIDAYS].map((date) => Number(date.slice(0, 4)));
/** Years the holiday data covers; outside them a "business day" would be a guess, so it is refused. */
export const BUSINESS_CALENDAR_YEARS = { first: Math.min(...holidayYears), last: Math.max(...holidayYears) } as const;

function assertCovered(date: IsoDate): void {
  const { year } = parseIsoDate(date);
  if (year < BUSINESS_CALENDAR_YEARS.first || year > BUSINESS_CALENDAR_YEARS.last) {
    throw invalid(
      'DATE_OUTSIDE_BUSINESS_CALENDAR',
      `${date} is outside the Japanese holiday calendar (${BUSINESS_CALENDAR_YEARS.first}–${BUSINESS_CALENDAR_YEARS.last}).`,
      { date, ...BUSINESS_CALENDAR_YEARS },
    );
  }
}

export const isNationalHoliday = (date: IsoDate) => NATIONAL_HOLIDAYS.has(date);

/** Banks close from December 31 to January 3 (年末年始休業) whatever the weekday. */
export function isYearEndBankHoliday(date: IsoDate): boolean {
  const { month, day } = parseIsoDate(date);
  return (month === 12 && day === 31) || (month === 1 && day <= 3);
}

export function isBusinessDay(date: IsoDate): boolean {
  assertCovered(date);
  const weekday = weekdayOf(date);
  if (weekday === 0 || weekday === 6) return false;
  return !isNationalHoliday(date) && !isYearEndBankHoliday(date);
}

export function previousBusinessDayOnOrBefore(date: IsoDate): IsoDate {
  let day = dayNumberOf(date);
  while (!isBusinessDay(isoDateOfDayNumber(day))) day -= 1;
  return isoDateOfDayNumber(day);
}

export function nextBusinessDayOnOrAfter(date: IsoDate): IsoDate {
  let day = dayNumberOf(date);
  while (!isBusinessDay(isoDateOfDayNumber(day))) day += 1;
  return isoDateOfDayNumber(day);
}

/**
 * The date `n` business days after `date` (before it when `n` is negative); `date` itself is never
 * counted, so `addBusinessDays(friday, 1)` is the next Monday when that is a business day.
 * `n = 0` returns `date` unchanged.
 */
export function addBusinessDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n)) throw invalid('INVALID_BUSINESS_DAY_COUNT', `${n} is not a whole number of business days.`, { n });
  assertCovered(date);
  const step = n < 0 ? -1 : 1;
  let day = dayNumberOf(date);
  for (let remaining = Math.abs(n); remaining > 0;) {
    day += step;
    if (isBusinessDay(isoDateOfDayNumber(day))) remaining -= 1;
  }
  return isoDateOfDayNumber(day);
}

/**
 * Standard withdrawal payout date (通常出金): a balance finalised on or before the 15th (Tokyo
 * date) is paid at the end of that month; one finalised after the 15th is paid on the 15th of the
 * next month. A payout date that is not a business day moves to the previous business day.
 */
export function standardPayoutDate(requestedAt: string): IsoDate {
  const { year, month, day } = parseIsoDate(tokyoDateOf(requestedAt));
  if (day <= 15) return previousBusinessDayOnOrBefore(lastDayOfMonth(year, month));
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return previousBusinessDayOnOrBefore(formatIsoDate({ ...next, day: 15 }));
}

export const QUICK_PAYOUT_BUSINESS_DAYS = 3;

/** Quick withdrawal (クイック出金) is paid three business days after the Tokyo date of the request. */
export const quickPayoutDate = (requestedAt: string): IsoDate => addBusinessDays(tokyoDateOf(requestedAt), QUICK_PAYOUT_BUSINESS_DAYS);

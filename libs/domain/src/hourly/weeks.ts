import Decimal from 'decimal.js';
import { dayNumberOf, epochMillisOf, isoInstantOf, MILLIS_PER_DAY, tokyoDateOf, weekdayOf, addDays } from '../calendar/civil-time';
import { grossOf } from '../money/tax';
import { toYen } from '../money/yen';

/**
 * The calendar of an hourly contract. A work week runs Monday 00:00 to Sunday 24:00, Japan time. Its hours are
 * reported until the Monday after it ends; the client's review window opens on the Tuesday after the work week and
 * runs through the following Monday; when it closes, the undisputed hours are paid.
 */
const TOKYO_OFFSET_MILLIS = 9 * 60 * 60 * 1000;
const MONDAY = 1;

/** Days from a work week's Monday to the Tuesday its review window opens. */
export const REVIEW_WINDOW_OPENS_AFTER_DAYS = 8;
/** Days the review window lasts: Tuesday through the following Monday. */
export const REVIEW_WINDOW_DAYS = 7;
/** Hours are billed in quarter hours. */
export const BILLING_UNIT_MINUTES = 15;

/** The instant a Japan calendar date begins. */
const japanMidnight = (date: string): string => isoInstantOf(dayNumberOf(date) * MILLIS_PER_DAY - TOKYO_OFFSET_MILLIS);

export const isMonday = (date: string): boolean => weekdayOf(date) === MONDAY;

/** The Monday of the work week an instant falls in. */
export const weekStartOf = (instant: string): string => {
  const date = tokyoDateOf(instant);
  return addDays(date, -((weekdayOf(date) + 6) % 7));
};

export const weekBeginsAt = (weekStart: string): string => japanMidnight(weekStart);
/** The end of the work week (exclusive): the next Monday 00:00 Japan time. */
export const weekEndsAt = (weekStart: string): string => japanMidnight(addDays(weekStart, 7));
export const reviewWindowOpensAt = (weekStart: string): string => japanMidnight(addDays(weekStart, REVIEW_WINDOW_OPENS_AFTER_DAYS));
/** The end of the review window (exclusive), when the week's undisputed hours fall due. */
export const reviewWindowClosesAt = (weekStart: string): string => japanMidnight(addDays(weekStart, REVIEW_WINDOW_OPENS_AFTER_DAYS + REVIEW_WINDOW_DAYS));

export const isBefore = (instant: string, other: string): boolean => epochMillisOf(instant) < epochMillisOf(other);

/** Tax-exclusive yen of `minutes` at `hourlyRate`, rounded down to the yen (fractions favour the client). */
export const amountOfMinutes = (hourlyRate: number, minutes: number): number =>
  toYen(new Decimal(hourlyRate).times(minutes).dividedBy(60).floor(), 'amountExTax');

/** Gross (税込) of `minutes` of one week, computed as a fixed-price milestone's gross from its amount. */
export const grossOfMinutes = (hourlyRate: number, minutes: number, taxRate: string): number => grossOf(amountOfMinutes(hourlyRate, minutes), taxRate);

export type { IsoDate, CivilDate } from './civil-time';
export {
  MILLIS_PER_DAY,
  addDays,
  addDaysToInstant,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  epochMillisOf,
  formatIsoDate,
  isoInstantOf,
  lastDayOfMonth,
  parseIsoDate,
  tokyoDateOf,
  weekdayOf,
} from './civil-time';
export {
  BUSINESS_CALENDAR_YEARS,
  QUICK_PAYOUT_BUSINESS_DAYS,
  addBusinessDays,
  isBusinessDay,
  isNationalHoliday,
  isYearEndBankHoliday,
  nextBusinessDayOnOrAfter,
  previousBusinessDayOnOrBefore,
  quickPayoutDate,
  standardPayoutDate,
} from './business-days';
export type { WithdrawalCutoff } from './withdrawal-cutoffs';
export {
  isWithdrawalCutoffDate,
  withdrawalCutoffOf,
  withdrawalCutoffsBetween,
  withdrawalCutoffsOfMonth,
} from './withdrawal-cutoffs';

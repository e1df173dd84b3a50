import { invalid } from '../shared/domain-error';
import { standardPayoutDate } from './business-days';
import { IsoDate, addDays, epochMillisOf, formatIsoDate, isoInstantOf, lastDayOfMonth, parseIsoDate, tokyoDateOf } from './civil-time';

/**
 * The cut-offs of standard withdrawals (通常出金). A standard withdrawal requested on or before the 15th (Tokyo
 * date) is paid at month end, one requested after it on the 15th of the next month (see standardPayoutDate).
 * So each payout date has a cut-off: the end of the 15th for the month-end payout, the end of the month's last
 * day for the next 15th's. A cut-off never moves for holidays; only its payout date does (to the previous
 * business day), exactly as for a withdrawal requested by hand on the closing date.
 */
export interface WithdrawalCutoff {
  /** The last Tokyo date whose requests the cut-off closes: a 15th or a month's last day. */
  closingDate: IsoDate;
  /** When it falls: Tokyo midnight at the end of the closing date, as a UTC instant. */
  at: string;
  /** The payout date of a standard withdrawal requested on the closing date. */
  payoutDate: IsoDate;
}

export const isWithdrawalCutoffDate = (date: IsoDate): boolean => {
  const { year, month, day } = parseIsoDate(date);
  return day === 15 || date === lastDayOfMonth(year, month);
};

/** The cut-off closing on `closingDate`, which must be a 15th or a month's last day. */
export function withdrawalCutoffOf(closingDate: IsoDate): WithdrawalCutoff {
  if (!isWithdrawalCutoffDate(closingDate)) {
    throw invalid('NOT_A_WITHDRAWAL_CUTOFF', `${closingDate} is not a withdrawal cut-off (the 15th or the last day of a month).`, { closingDate });
  }
  return {
    closingDate,
    at: isoInstantOf(epochMillisOf(`${addDays(closingDate, 1)}T00:00:00+09:00`)),
    // Noon in Tokyo on the closing date: any time of that day gives the same payout date.
    payoutDate: standardPayoutDate(`${closingDate}T12:00:00+09:00`),
  };
}

/** The cut-offs of one month (Tokyo), in order. */
export function withdrawalCutoffsOfMonth(year: number, month: number): [WithdrawalCutoff, WithdrawalCutoff] {
  return [withdrawalCutoffOf(formatIsoDate({ year, month, day: 15 })), withdrawalCutoffOf(lastDayOfMonth(year, month))];
}

/** The cut-offs falling after `from` and at or before `to` (ISO-8601 instants), in order. */
export function withdrawalCutoffsBetween(from: string, to: string): WithdrawalCutoff[] {
  const fromMillis = epochMillisOf(from);
  const toMillis = epochMillisOf(to);
  const cutoffs: WithdrawalCutoff[] = [];
  let { year, month } = parseIsoDate(tokyoDateOf(from));
  for (;;) {
    for (const cutoff of withdrawalCutoffsOfMonth(year, month)) {
      const at = epochMillisOf(cutoff.at);
      if (at > toMillis) return cutoffs;
      if (at > fromMillis) cutoffs.push(cutoff);
    }
    ({ year, month } = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 });
  }
}

import { standardPayoutDate } from './business-days';
import { epochMillisOf, isoInstantOf } from './civil-time';
import { isWithdrawalCutoffDate, withdrawalCutoffOf, withdrawalCutoffsBetween } from './withdrawal-cutoffs';

describe('standard withdrawal cut-offs', () => {
  it('the 2026-12-31 cut-off falls at Tokyo midnight and pays on 2027-01-15 (after the year-end bank holidays)', () => {
    expect(withdrawalCutoffOf('2026-12-31')).toEqual({ closingDate: '2026-12-31', at: '2026-12-31T15:00:00.000Z', payoutDate: '2027-01-15' });
  });

  it('the 2027-01-15 cut-off pays on 2027-01-29, January 31 being a Sunday', () => {
    expect(withdrawalCutoffOf('2027-01-15')).toEqual({ closingDate: '2027-01-15', at: '2027-01-15T15:00:00.000Z', payoutDate: '2027-01-29' });
  });

  it('the 2026-12-15 cut-off pays on 2026-12-30, December 31 being a bank holiday', () => {
    expect(withdrawalCutoffOf('2026-12-15').payoutDate).toBe('2026-12-30');
  });

  it('a payout date on a weekend or a national holiday moves to the previous business day; the cut-off does not move', () => {
    // March 15 2026 is a Sunday; May 31 2026 is a Sunday.
    expect(withdrawalCutoffOf('2026-02-28')).toEqual({ closingDate: '2026-02-28', at: '2026-02-28T15:00:00.000Z', payoutDate: '2026-03-13' });
    expect(withdrawalCutoffOf('2026-05-15')).toEqual({ closingDate: '2026-05-15', at: '2026-05-15T15:00:00.000Z', payoutDate: '2026-05-29' });
    // The 15th of September 2026 closes on a business day; its month-end payout is Wednesday the 30th.
    expect(withdrawalCutoffOf('2026-09-15').payoutDate).toBe('2026-09-30');
  });

  it('only a 15th or a last day of a month is a cut-off', () => {
    expect(isWithdrawalCutoffDate('2026-02-28')).toBe(true);
    expect(isWithdrawalCutoffDate('2026-04-30')).toBe(true);
    expect(isWithdrawalCutoffDate('2026-04-29')).toBe(false);
    expect(isWithdrawalCutoffDate('2026-12-16')).toBe(false);
    expect(() => withdrawalCutoffOf('2026-12-30')).toThrow(expect.objectContaining({ code: 'NOT_A_WITHDRAWAL_CUTOFF' }));
  });

  it('a standard withdrawal requested just before a cut-off is paid on its payout date, one requested at it on the next', () => {
    const cutoffs = withdrawalCutoffsBetween('2026-01-01T00:00:00+09:00', '2027-12-31T23:59:59+09:00');
    for (const [index, cutoff] of cutoffs.entries()) {
      const justBefore = isoInstantOf(epochMillisOf(cutoff.at) - 1);
      expect(standardPayoutDate(justBefore)).toBe(cutoff.payoutDate);
      const next = cutoffs[index + 1];
      if (next) expect(standardPayoutDate(cutoff.at)).toBe(next.payoutDate);
    }
  });

  it('lists the cut-offs after one instant and at or before another, across the year end', () => {
    expect(withdrawalCutoffsBetween('2026-12-15T15:00:00Z', '2027-01-31T15:00:00Z')).toEqual([
      { closingDate: '2026-12-31', at: '2026-12-31T15:00:00.000Z', payoutDate: '2027-01-15' },
      { closingDate: '2027-01-15', at: '2027-01-15T15:00:00.000Z', payoutDate: '2027-01-29' },
      { closingDate: '2027-01-31', at: '2027-01-31T15:00:00.000Z', payoutDate: '2027-02-15' },
    ]);
    expect(withdrawalCutoffsBetween('2026-12-31T15:00:00Z', '2027-01-15T14:59:59.999Z')).toEqual([]);
    expect(withdrawalCutoffsBetween('2026-01-01T00:00:00+09:00', '2026-12-31T15:00:00Z')).toHaveLength(24);
  });
});

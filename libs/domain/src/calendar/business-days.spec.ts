import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import {
  addBusinessDays,
  isBusinessDay,
  nextBusinessDayOnOrAfter,
  previousBusinessDayOnOrBefore,
  quickPayoutDate,
  standardPayoutDate,
} from './business-days';
import { addDays, isoDateOfDayNumber, dayNumberOf, weekdayOf } from './civil-time';

describe('isBusinessDay', () => {
  it.each([
    ['2026-01-30', true, 'a Friday'],
    ['2026-01-31', false, 'a Saturday'],
    ['2026-02-01', false, 'a Sunday'],
    ['2026-02-11', false, 'National Foundation Day (Wednesday)'],
    ['2026-05-06', false, 'the substitute holiday after Children’s Day'],
    ['2026-09-22', false, 'the citizen’s holiday between two holidays'],
    ['2026-12-31', false, 'December 31 (Thursday), a bank holiday'],
    ['2027-01-04', true, 'the first business day of 2027 (Monday)'],
    ['2027-01-01', false, 'New Year’s Day'],
    ['2026-01-02', false, 'January 2 (Friday), a bank holiday'],
    ['2026-12-30', true, 'December 30 (Wednesday)'],
    ['2027-03-22', false, 'the substitute holiday for the Vernal Equinox (Monday)'],
  ])('%s is %s: %s', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it('refuses malformed and impossible dates', () => {
    expect(() => isBusinessDay('2026-02-30')).toThrow(DomainError);
    expect(() => isBusinessDay('2026/02/03')).toThrow(DomainError);
  });

  it('refuses dates outside the years the holiday data covers rather than guessing', () => {
    expect(() => isBusinessDay('2099-06-01')).toThrow(expect.objectContaining({ code: 'DATE_OUTSIDE_BUSINESS_CALENDAR' }));
  });
});

describe('previousBusinessDayOnOrBefore / nextBusinessDayOnOrAfter', () => {
  it('keeps a business day', () => {
    expect(previousBusinessDayOnOrBefore('2026-06-30')).toBe('2026-06-30');
  });

  it('steps back over a weekend', () => {
    expect(previousBusinessDayOnOrBefore('2026-01-31')).toBe('2026-01-30');
  });

  it('steps back over the whole of Golden Week 2026', () => {
    expect(previousBusinessDayOnOrBefore('2026-05-06')).toBe('2026-05-01');
  });

  it('steps back over the year-end bank holidays and a weekend', () => {
    expect(previousBusinessDayOnOrBefore('2028-01-03')).toBe('2027-12-30');
  });

  it('steps forward over the New Year', () => {
    expect(nextBusinessDayOnOrAfter('2026-12-31')).toBe('2027-01-04');
  });
});

describe('addBusinessDays', () => {
  it('skips the weekend', () => {
    expect(addBusinessDays('2026-06-05', 1)).toBe('2026-06-08');
  });

  it('skips Golden Week 2026 (May 2–6)', () => {
    expect(addBusinessDays('2026-05-01', 1)).toBe('2026-05-07');
    expect(addBusinessDays('2026-04-30', 3)).toBe('2026-05-08');
  });

  it('counts backwards for a negative count', () => {
    expect(addBusinessDays('2027-01-04', -1)).toBe('2026-12-30');
  });

  it('returns the date itself for zero', () => {
    expect(addBusinessDays('2026-01-31', 0)).toBe('2026-01-31');
  });

  it('refuses a fractional count', () => {
    expect(() => addBusinessDays('2026-06-01', 1.5)).toThrow(DomainError);
  });

  it('always lands on a business day strictly after the start, with exactly n business days in between', () => {
    const dateIn2026Or2027 = fc.integer({ min: dayNumberOf('2026-01-01'), max: dayNumberOf('2027-11-30') }).map(isoDateOfDayNumber);
    fc.assert(
      fc.property(dateIn2026Or2027, fc.integer({ min: 1, max: 15 }), (start, n) => {
        const end = addBusinessDays(start, n);
        expect(isBusinessDay(end)).toBe(true);
        let counted = 0;
        for (let day = addDays(start, 1); day <= end; day = addDays(day, 1)) if (isBusinessDay(day)) counted += 1;
        expect(counted).toBe(n);
      }),
    );
  });
});

describe('standardPayoutDate', () => {
  it('pays a balance finalised by the 15th at month end', () => {
    expect(standardPayoutDate('2026-06-10T03:00:00Z')).toBe('2026-06-30');
  });

  it('treats the 15th itself, up to midnight in Tokyo, as "by the 15th"', () => {
    expect(standardPayoutDate('2026-06-15T14:59:59Z')).toBe('2026-06-30');
  });

  it('pays a balance finalised after the 15th on the 15th of the next month', () => {
    expect(standardPayoutDate('2026-06-15T15:00:00Z')).toBe('2026-07-15');
  });

  it('moves a Saturday month end (2026-01-31) to Friday', () => {
    expect(standardPayoutDate('2026-01-05T00:00:00Z')).toBe('2026-01-30');
  });

  it('moves a Sunday 15th (2026-03-15) to Friday the 13th', () => {
    expect(standardPayoutDate('2026-02-20T00:00:00+09:00')).toBe('2026-03-13');
  });

  it('moves the December month end (a bank holiday) to December 30', () => {
    expect(standardPayoutDate('2026-12-01T00:00:00Z')).toBe('2026-12-30');
  });

  it('pays a late-December balance on January 15 of the next year', () => {
    expect(standardPayoutDate('2026-12-20T00:00:00Z')).toBe('2027-01-15');
  });

  it('moves a Saturday 15th (2027-05-15) back to Friday', () => {
    expect(standardPayoutDate('2027-04-20T00:00:00Z')).toBe('2027-05-14');
  });

  it('handles February in a common year (2027-02-28 is a Sunday)', () => {
    expect(standardPayoutDate('2027-02-01T00:00:00Z')).toBe('2027-02-26');
  });

  it('is always a business day after the request date', () => {
    const instants = fc
      .integer({ min: dayNumberOf('2026-01-01') * 86_400, max: dayNumberOf('2027-11-30') * 86_400 })
      .map(
        (seconds) =>
          `${isoDateOfDayNumber(Math.floor(seconds / 86_400))}T${String(Math.floor((seconds % 86_400) / 3600)).padStart(2, '0')}:00:00Z`,
      );
    fc.assert(
      fc.property(instants, (instant) => {
        const payout = standardPayoutDate(instant);
        expect(isBusinessDay(payout)).toBe(true);
        expect(payout > instant.slice(0, 10)).toBe(true);
        expect(weekdayOf(payout)).not.toBe(0);
      }),
    );
  });
});

describe('quickPayoutDate', () => {
  it('is three business days later', () => {
    expect(quickPayoutDate('2026-06-01T01:00:00Z')).toBe('2026-06-04');
  });

  it('skips Golden Week 2026', () => {
    expect(quickPayoutDate('2026-05-01T01:00:00Z')).toBe('2026-05-11');
  });

  it('uses the Tokyo date of the request', () => {
    // 2026-06-04T16:00Z is already Friday June 5 in Tokyo.
    expect(quickPayoutDate('2026-06-04T16:00:00Z')).toBe('2026-06-10');
    expect(quickPayoutDate('2026-06-04T14:00:00Z')).toBe('2026-06-09');
  });

  it('skips the year-end bank holidays', () => {
    expect(quickPayoutDate('2026-12-28T01:00:00Z')).toBe('2027-01-04');
    expect(quickPayoutDate('2026-12-29T01:00:00Z')).toBe('2027-01-05');
  });
});

import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import {
  addDaysToInstant,
  civilFromDays,
  daysFromCivil,
  epochMillisOf,
  formatIsoDate,
  isoInstantOf,
  parseIsoDate,
  tokyoDateOf,
  weekdayOf,
} from './civil-time';

describe('civil date arithmetic', () => {
  it('round-trips every day number through a civil date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
        expect(daysFromCivil(civilFromDays(days))).toBe(days);
      }),
    );
  });

  it('agrees with the platform’s UTC calendar (used here only as an oracle)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (days) => {
        const oracle = new Date(days * 86_400_000);
        expect(civilFromDays(days)).toEqual({
          year: oracle.getUTCFullYear(),
          month: oracle.getUTCMonth() + 1,
          day: oracle.getUTCDate(),
        });
        expect(weekdayOf(formatIsoDate(civilFromDays(days)))).toBe(oracle.getUTCDay());
      }),
    );
  });

  it('knows leap days', () => {
    expect(parseIsoDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(() => parseIsoDate('2027-02-29')).toThrow(DomainError);
    expect(() => parseIsoDate('2100-02-29')).toThrow(DomainError);
  });
});

describe('instants', () => {
  it('reads offsets', () => {
    expect(epochMillisOf('2026-01-01T09:00:00+09:00')).toBe(epochMillisOf('2026-01-01T00:00:00Z'));
    expect(epochMillisOf('2025-12-31T19:30:00-05:30')).toBe(epochMillisOf('2026-01-01T01:00:00.000Z'));
  });

  it('keeps milliseconds and truncates finer digits', () => {
    expect(epochMillisOf('2026-01-01T00:00:00.123456Z') - epochMillisOf('2026-01-01T00:00:00Z')).toBe(123);
  });

  it('refuses an instant without an offset, which would depend on the host’s zone', () => {
    expect(() => epochMillisOf('2026-01-01T00:00:00')).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
  });

  it('refuses impossible times', () => {
    expect(() => epochMillisOf('2026-01-01T24:00:00Z')).toThrow(DomainError);
    expect(() => epochMillisOf('2026-02-30T00:00:00Z')).toThrow(DomainError);
  });

  it('formats epoch milliseconds as UTC ISO and parses them back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (millis) => {
        const iso = isoInstantOf(millis);
        expect(iso).toBe(new Date(millis).toISOString());
        expect(epochMillisOf(iso)).toBe(millis);
      }),
    );
  });

  it('adds whole days of 24 hours', () => {
    expect(addDaysToInstant('2026-01-01T10:00:00+09:00', 180)).toBe('2026-06-30T01:00:00.000Z');
  });
});

describe('tokyoDateOf', () => {
  it('is the UTC date until 15:00 UTC and the next date from then', () => {
    expect(tokyoDateOf('2026-03-31T14:59:59.999Z')).toBe('2026-03-31');
    expect(tokyoDateOf('2026-03-31T15:00:00Z')).toBe('2026-04-01');
  });

  it('crosses the year in Tokyo before it does in UTC', () => {
    expect(tokyoDateOf('2026-12-31T15:00:00Z')).toBe('2027-01-01');
  });

  it('is the same whatever offset the instant is written in', () => {
    expect(tokyoDateOf('2026-07-01T08:30:00+09:00')).toBe('2026-07-01');
    expect(tokyoDateOf('2026-06-30T18:30:00-05:00')).toBe('2026-07-01');
  });
});

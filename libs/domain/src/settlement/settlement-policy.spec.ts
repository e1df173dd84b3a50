import { lastDailyBatch, nextDailyBatch, settlementDueBy, settlementInstant } from './settlement-policy';

const at = (iso: string) => new Date(iso);

describe('the settlement policy', () => {
  describe('daily at 17:00 in Japan (08:00 UTC)', () => {
    const daily = { kind: 'daily', at: '17:00' } as const;

    it('pays a milestone inspected in the morning at 17:00 the same day', () => {
      expect(settlementInstant(daily, at('2026-12-01T00:30:00Z'))).toEqual(at('2026-12-01T08:00:00Z'));
    });

    it('pays one inspected after 17:00 at 17:00 the next day, also across a month and a year', () => {
      expect(settlementInstant(daily, at('2026-12-01T08:00:01Z'))).toEqual(at('2026-12-02T08:00:00Z'));
      expect(settlementInstant(daily, at('2026-12-31T09:00:00Z'))).toEqual(at('2027-01-01T08:00:00Z'));
    });

    it('counts the Japanese day, not the UTC one: 23:30 UTC is already the next morning in Tokyo', () => {
      expect(nextDailyBatch(at('2026-12-01T23:30:00Z'), '17:00')).toEqual(at('2026-12-02T08:00:00Z'));
      expect(lastDailyBatch(at('2026-12-01T23:30:00Z'), '17:00')).toEqual(at('2026-12-01T08:00:00Z'));
    });

    it('pays one inspected exactly at the batch in that batch', () => {
      expect(settlementInstant(daily, at('2026-12-01T08:00:00Z'))).toEqual(at('2026-12-01T08:00:00Z'));
    });

    it('makes due by now what the last batch covers: nothing of the afternoon before 17:00', () => {
      expect(settlementDueBy(daily, at('2026-12-01T07:59:59Z'))).toEqual(at('2026-11-30T08:00:00Z'));
      expect(settlementDueBy(daily, at('2026-12-01T08:00:00Z'))).toEqual(at('2026-12-01T08:00:00Z'));
    });

    it('reads a batch time just after midnight in Japan, which is the evening before in UTC', () => {
      expect(nextDailyBatch(at('2026-12-01T14:00:00Z'), '00:30')).toEqual(at('2026-12-01T15:30:00Z'));
    });

    it('refuses a time of day that is not HH:MM', () => {
      expect(() => nextDailyBatch(at('2026-12-01T00:00:00Z'), '24:00')).toThrow(RangeError);
      expect(() => nextDailyBatch(at('2026-12-01T00:00:00Z'), '5pm')).toThrow(RangeError);
    });
  });

  it('pays at once under immediate, and never of itself under manual', () => {
    expect(settlementInstant({ kind: 'immediate' }, at('2026-12-01T00:30:00Z'))).toEqual(at('2026-12-01T00:30:00Z'));
    expect(settlementDueBy({ kind: 'immediate' }, at('2026-12-01T00:30:00Z'))).toEqual(at('2026-12-01T00:30:00Z'));
    expect(settlementInstant({ kind: 'manual' }, at('2026-12-01T00:30:00Z'))).toBeUndefined();
    expect(settlementDueBy({ kind: 'manual' }, at('2026-12-01T00:30:00Z'))).toBeUndefined();
  });
});

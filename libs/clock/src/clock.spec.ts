import fc from 'fast-check';
import { Clock, OffsetClock, systemClock } from './clock';
import { ControllableClock } from './controllable-clock';
import { parseIsoDuration } from './iso-duration';

describe('systemClock', () => {
  it('reads the host time', () => {
    const before = Date.parse(new Date().toISOString());
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.parse(new Date().toISOString()) + 1);
  });
});

describe('OffsetClock', () => {
  it('is its base clock plus the offset, for any base instant and offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.boolean(),
        fc.nat(9_999),
        fc.nat(23),
        (base, negative, days, hours) => {
          const text = `${negative ? '-' : ''}P${days}DT${hours}H`;
          const frozen: Clock = { now: () => new Date(base.getTime()) };
          const shifted = new OffsetClock(parseIsoDuration(text), frozen);
          // `+ 0` turns the −0 of a negative zero offset into the 0 a difference of equal instants is.
          const expected = (negative ? -1 : 1) * (days * 24 + hours) * 3_600_000 + 0;
          expect(shifted.now().getTime() - base.getTime()).toBe(expected);
        },
      ),
    );
  });

  it('shifts the system clock by default', () => {
    const before = systemClock.now().getTime();
    const shifted = new OffsetClock(parseIsoDuration('P8D')).now().getTime();
    const after = systemClock.now().getTime();
    expect(shifted).toBeGreaterThanOrEqual(before + 8 * 86_400_000);
    expect(shifted).toBeLessThanOrEqual(after + 8 * 86_400_000);
  });
});

describe('ControllableClock', () => {
  it('frozen, stands still until set or advanced', () => {
    const clock = ControllableClock.frozenAt('2026-12-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
    clock.advance('P8D');
    expect(clock.now().toISOString()).toBe('2026-12-09T00:00:00.000Z');
    clock.advance('PT36H');
    expect(clock.now().toISOString()).toBe('2026-12-10T12:00:00.000Z');
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe('2026-12-10T12:00:01.500Z');
    clock.advance('-P1D');
    expect(clock.now().toISOString()).toBe('2026-12-09T12:00:01.500Z');
    clock.set('2027-01-15T00:00:00+09:00');
    expect(clock.now().toISOString()).toBe('2027-01-14T15:00:00.000Z');
  });

  it('hands out a copy: changing a returned date does not move the clock', () => {
    const clock = ControllableClock.frozenAt(new Date('2026-12-01T00:00:00.000Z'));
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('running, goes on at its base clock pace from where it was set', () => {
    let base = Date.parse('2026-11-30T21:00:00.000Z');
    const host: Clock = { now: () => new Date(base) };
    const clock = ControllableClock.running('2026-12-31T14:00:00.000Z', host);
    base += 250;
    expect(clock.now().toISOString()).toBe('2026-12-31T14:00:00.250Z');
    clock.advance('P1D');
    expect(clock.now().toISOString()).toBe('2027-01-01T14:00:00.250Z');
    base += 1_000;
    expect(clock.now().toISOString()).toBe('2027-01-01T14:00:01.250Z');
    clock.set('2027-01-15T00:00:00.000Z');
    base += 5;
    expect(clock.now().toISOString()).toBe('2027-01-15T00:00:00.005Z');
  });

  it('running without a start, begins at the system time', () => {
    const before = systemClock.now().getTime();
    const at = ControllableClock.running().now().getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(systemClock.now().getTime());
  });

  it('refuses what is not an instant or a duration', () => {
    expect(() => ControllableClock.frozenAt('tomorrow')).toThrow(RangeError);
    const clock = ControllableClock.frozenAt('2026-12-01T00:00:00.000Z');
    expect(() => clock.set('not a date')).toThrow(RangeError);
    expect(() => clock.advance('P1M')).toThrow(/years and months/);
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

import fc from 'fast-check';
import { InvalidDurationError, durationMs, parseIsoDuration } from './iso-duration';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('parseIsoDuration', () => {
  it.each([
    ['P8D', 8 * DAY],
    ['PT36H', 36 * HOUR],
    ['-P1D', -DAY],
    ['+P1D', DAY],
    ['P2W', 14 * DAY],
    ['P1DT12H30M', DAY + 12 * HOUR + 30 * 60_000],
    ['PT90S', 90_000],
    ['PT0.5S', 500],
    ['PT1.25S', 1_250],
    ['P0D', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each([
    '',
    'P',
    'PT',
    '-P',
    'P1DT',
    '8D',
    'p8d',
    'P1Y',
    'P1M',
    'P1Y2M3D',
    'P1W2D',
    'P1.5D',
    'PT1.2345S',
    'P 8D',
    ' P8D',
    'P8D ',
    'P--1D',
    'PT-1H',
    'P1H',
    'P1DT2D',
  ])('refuses %j', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(InvalidDurationError);
  });

  it('names the rule in its message: fixed-length units only', () => {
    expect(() => parseIsoDuration('P1M')).toThrow(/years and months are refused/);
  });

  it('reads any sum of days, hours, minutes and seconds as that many milliseconds, signed', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(999), fc.nat(99), fc.nat(999), fc.nat(99_999), (negative, days, hours, minutes, seconds) => {
        const text = `${negative ? '-' : ''}P${days}DT${hours}H${minutes}M${seconds}S`;
        const expected = days * DAY + hours * HOUR + minutes * 60_000 + seconds * 1_000;
        expect(parseIsoDuration(text)).toBe(negative ? -expected : expected);
      }),
    );
  });
});

describe('durationMs', () => {
  it('takes milliseconds as they are and parses text', () => {
    expect(durationMs(1_500)).toBe(1_500);
    expect(durationMs('PT1.5S')).toBe(1_500);
  });

  it('refuses a number that is not finite', () => {
    expect(() => durationMs(Number.NaN)).toThrow(RangeError);
    expect(() => durationMs(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

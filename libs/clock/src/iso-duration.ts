/**
 * ISO-8601 durations of fixed length, with an optional sign: `P8D`, `PT36H`, `-P1D`, `P2W`, `P1DT12H30M`,
 * `PT0.5S`. Years and months are refused: their length depends on the date they start from, and a clock offset
 * is a fixed number of milliseconds.
 */
const DURATION = /^([+-])?P(?:(\d{1,6})W|(?:(\d{1,6})D)?(?:T(?:(\d{1,8})H)?(?:(\d{1,10})M)?(?:(\d{1,12})(?:\.(\d{1,3}))?S)?)?)$/;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export class InvalidDurationError extends Error {
  constructor(readonly text: string) {
    super(
      `"${text}" is not an ISO-8601 duration of days, hours, minutes and seconds (such as P8D, PT36H, -P1D or P1DT12H); ` +
        'years and months are refused, their length depends on the date',
    );
    this.name = 'InvalidDurationError';
  }
}

/** The duration's length in milliseconds (negative with a leading `-`); throws `InvalidDurationError`. */
export function parseIsoDuration(text: string): number {
  const match = DURATION.exec(text);
  // `P` alone and a `T` with nothing after it carry no amount: ISO 8601 requires at least one.
  if (!match || /^[+-]?PT?$/.test(text) || text.endsWith('T')) throw new InvalidDurationError(text);
  const [, sign, weeks, days, hours, minutes, seconds, fraction] = match;
  const ms =
    whole(weeks) * 7 * DAY +
    whole(days) * DAY +
    whole(hours) * HOUR +
    whole(minutes) * MINUTE +
    whole(seconds) * SECOND +
    (fraction === undefined ? 0 : Number(fraction.padEnd(3, '0')));
  if (!Number.isSafeInteger(ms)) throw new InvalidDurationError(text);
  return sign === '-' ? -ms : ms;
}

/** Milliseconds, or a duration such as `P8D` to be parsed. */
export function durationMs(duration: number | string): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration)) throw new RangeError(`A duration must be a finite number of milliseconds, got ${duration}`);
    return duration;
  }
  return parseIsoDuration(duration);
}

function whole(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits);
}

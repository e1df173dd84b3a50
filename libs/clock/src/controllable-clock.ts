import { Clock, systemClock } from './clock';
import { durationMs } from './iso-duration';

/**
 * A clock tests move by hand. Frozen (`frozenAt`), it stands still between `set` and `advance`, so every instant a
 * spec sees is one it chose. Running (`running`), it goes on with the system's time from where it was set, so a
 * service under test keeps distinct, increasing instants between two moves, as it does in production.
 */
export class ControllableClock implements Clock {
  private anchorMs: number;
  private anchoredAtMs: number;

  private constructor(
    start: Date,
    private readonly ticking: boolean,
    private readonly base: Clock,
  ) {
    this.anchorMs = start.getTime();
    this.anchoredAtMs = base.now().getTime();
  }

  static frozenAt(start: Date | string): ControllableClock {
    return new ControllableClock(instant(start), false, systemClock);
  }

  /** From `start` (the system's time by default), running at the system clock's pace. */
  static running(start?: Date | string, base: Clock = systemClock): ControllableClock {
    return new ControllableClock(start === undefined ? base.now() : instant(start), true, base);
  }

  now(): Date {
    const elapsed = this.ticking ? this.base.now().getTime() - this.anchoredAtMs : 0;
    return new Date(this.anchorMs + elapsed);
  }

  /** Moves the clock to `to`; backwards too, as a spec may need. */
  set(to: Date | string): void {
    this.anchorMs = instant(to).getTime();
    this.anchoredAtMs = this.base.now().getTime();
  }

  /** Moves the clock on by milliseconds or an ISO-8601 duration such as `P8D` or `PT36H`. */
  advance(by: number | string): void {
    this.set(new Date(this.now().getTime() + durationMs(by)));
  }
}

function instant(value: Date | string): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(value.getTime());
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${String(value)}`);
  return date;
}

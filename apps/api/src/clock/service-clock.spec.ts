import { OffsetClock, systemClock } from '@escrow/clock';
import { clockOffsetWarning, serviceClock } from './service-clock';

describe('the service clock', () => {
  it('is the system clock when no offset is set, and says nothing at start', () => {
    expect(serviceClock({ clockOffsetMs: 0 })).toBe(systemClock);
    expect(clockOffsetWarning({ clockOffsetMs: 0 }, systemClock, '')).toBeUndefined();
  });

  it('is the system clock shifted by CLOCK_OFFSET, announced with the shifted and the system time', () => {
    const clock = serviceClock({ clockOffsetMs: 8 * 86_400_000 });
    expect(clock).toBeInstanceOf(OffsetClock);
    const at = new Date('2026-12-09T03:00:00.000Z');
    const warning = clockOffsetWarning({ clockOffsetMs: 8 * 86_400_000 }, { now: () => at }, 'P8D');
    expect(warning).toContain('CLOCK_OFFSET=P8D:');
    expect(warning).toContain('reads 2026-12-09T03:00:00.000Z (system time 2026-12-01T03:00:00.000Z)');
    expect(warning).toContain('NODE_ENV=production refuses');
  });
});

import { Clock, OffsetClock, systemClock } from '@escrow/clock';
import type { AppConfig } from '../config/app-config';

/** The clock the configuration asks for: the system's, or the system's shifted by CLOCK_OFFSET. */
export function serviceClock(config: Pick<AppConfig, 'clockOffsetMs'>): Clock {
  return config.clockOffsetMs === 0 ? systemClock : new OffsetClock(config.clockOffsetMs);
}

/**
 * What the operator is told at start when CLOCK_OFFSET moves the clock: every command, expiry and due date
 * follows the shifted time, so it is said with that time in it.
 */
export function clockOffsetWarning(config: Pick<AppConfig, 'clockOffsetMs'>, clock: Clock, offsetText: string): string | undefined {
  if (config.clockOffsetMs === 0) return undefined;
  const shifted = clock.now();
  const system = new Date(shifted.getTime() - config.clockOffsetMs);
  return (
    `CLOCK_OFFSET=${offsetText}: the service's clock is shifted from the system's; it reads ${shifted.toISOString()} ` +
    `(system time ${system.toISOString()}). Every command time, recordedAt, expiry and due date follows the shifted clock. ` +
    'Demonstrations and tests only: NODE_ENV=production refuses to start like this.'
  );
}

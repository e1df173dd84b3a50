export { CLOCK, OffsetClock, systemClock } from './clock';
export type { Clock } from './clock';
export { ControllableClock } from './controllable-clock';
export { InvalidDurationError, durationMs, parseIsoDuration } from './iso-duration';

import { MILLIS_PER_DAY } from '../calendar/civil-time';

/**
 * When an inspected milestone is paid out without anyone asking:
 * - `immediate`: as soon as it is inspected (the marketplace confirms the reward at inspection);
 * - `daily`: in one batch a day, at a time of day in Japan (`at`, "HH:MM"), every milestone inspected since the last;
 * - `manual`: never; a settlement caller posts the payout itself.
 */
export type SettlementPolicy = { kind: 'immediate' } | { kind: 'daily'; at: string } | { kind: 'manual' };

export const SETTLEMENT_POLICY_KINDS = ['immediate', 'daily', 'manual'] as const;

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Japan has had no daylight saving time since 1951: its civil time is always UTC+9. */
const JAPAN_OFFSET_MS = 9 * 3_600_000;

export const isTimeOfDay = (text: string): boolean => TIME_OF_DAY.test(text);

function millisIntoDay(at: string): number {
  const match = TIME_OF_DAY.exec(at);
  if (!match) throw new RangeError(`a time of day is "HH:MM" from 00:00 to 23:59, got "${at}"`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/** The batch instant of the Japanese day holding `instant` (which may be before or after it). */
function batchOfTheDay(instant: Date, at: string): number {
  const japanMillis = instant.getTime() + JAPAN_OFFSET_MS;
  const japanMidnight = Math.floor(japanMillis / MILLIS_PER_DAY) * MILLIS_PER_DAY;
  return japanMidnight + millisIntoDay(at) - JAPAN_OFFSET_MS;
}

/** The first daily batch at or after `instant`. */
export function nextDailyBatch(instant: Date, at: string): Date {
  const sameDay = batchOfTheDay(instant, at);
  return new Date(sameDay >= instant.getTime() ? sameDay : sameDay + MILLIS_PER_DAY);
}

/** The last daily batch at or before `instant`. */
export function lastDailyBatch(instant: Date, at: string): Date {
  const sameDay = batchOfTheDay(instant, at);
  return new Date(sameDay <= instant.getTime() ? sameDay : sameDay - MILLIS_PER_DAY);
}

/**
 * The instant a payout that became due at `dueAt` is made under the policy; undefined under `manual`.
 */
export function settlementInstant(policy: SettlementPolicy, dueAt: Date): Date | undefined {
  if (policy.kind === 'manual') return undefined;
  if (policy.kind === 'immediate') return dueAt;
  return nextDailyBatch(dueAt, policy.at);
}

/**
 * At `now`, the payouts due at or before the returned instant are to be made: every one under `immediate`,
 * those due by the last batch under `daily`, none under `manual` (undefined).
 */
export function settlementDueBy(policy: SettlementPolicy, now: Date): Date | undefined {
  if (policy.kind === 'manual') return undefined;
  if (policy.kind === 'immediate') return now;
  return lastDailyBatch(now, policy.at);
}

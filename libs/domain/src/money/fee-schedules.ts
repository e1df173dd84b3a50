import { toJapanCalendarDate } from './japan-date';
import { assertRate } from './rate';
import { isYen, type Yen } from './yen';

export interface FeeTier {
  /** Upper bound of the tier on cumulative gross; null for the open-ended last tier. */
  upTo: Yen | null;
  /** Marginal fee rate, tax-exclusive, as a decimal string. */
  rate: string;
}

/**
 * A system fee schedule (システム利用料). Tiers are marginal ex-tax rates on the cumulative gross paid
 * within one contract; consumption tax is added on top of the fee. Schedules are immutable data: a
 * change of rates is a new schedule with a new id and effective date, never an edit.
 */
export interface FeeSchedule {
  id: string;
  /** First Japanese calendar date (YYYY-MM-DD) on which the schedule can be accepted. */
  effectiveFrom: string;
  tiers: FeeTier[];
  description: string;
}

export const DEFAULT_FEE_SCHEDULE_ID = 'crowdworks-2019-10';

const deepFreeze = (schedule: FeeSchedule): FeeSchedule => {
  schedule.tiers.forEach((tier) => Object.freeze(tier));
  Object.freeze(schedule.tiers);
  return Object.freeze(schedule);
};

export const FEE_SCHEDULES: readonly FeeSchedule[] = Object.freeze(
  [
    {
      id: 'crowdworks-2019-10',
      effectiveFrom: '2019-10-01',
      tiers: [
        { upTo: 100_000, rate: '0.20' },
        { upTo: 200_000, rate: '0.10' },
        { upTo: null, rate: '0.05' },
      ],
      description:
        'CrowdWorks: 20% of the cumulative contract gross up to ¥100,000, 10% above ¥100,000 up to ¥200,000, ' +
        '5% above ¥200,000; consumption tax added on top of the fee.',
    },
    {
      id: 'lancers-2022-10',
      effectiveFrom: '2022-10-01',
      tiers: [{ upTo: null, rate: '0.15' }],
      description: 'Lancers: flat 16.5% including tax, i.e. 15% of the gross plus consumption tax on the fee.',
    },
    {
      id: 'coconala-2021-04',
      effectiveFrom: '2021-04-01',
      tiers: [{ upTo: null, rate: '0.20' }],
      description: 'coconala: flat 22% including tax, i.e. 20% of the gross plus consumption tax on the fee.',
    },
  ].map(deepFreeze),
);

/** Versions of the default schedule, oldest first; the one in force at acceptance applies. */
export const DEFAULT_FEE_SCHEDULE_LINE: readonly string[] = Object.freeze([DEFAULT_FEE_SCHEDULE_ID]);

export const getFeeSchedule = (id: string): FeeSchedule | undefined => FEE_SCHEDULES.find((schedule) => schedule.id === id);

/** The version of the default schedule in force on a date (or at a timestamp, read in Japan time). */
export const defaultFeeScheduleAt = (isoDate: string): FeeSchedule => {
  const date = toJapanCalendarDate(isoDate);
  const inForce = DEFAULT_FEE_SCHEDULE_LINE.map((id) => getFeeSchedule(id) as FeeSchedule)
    .filter((schedule) => schedule.effectiveFrom <= date)
    .at(-1);
  if (!inForce) throw new Error(`no default fee schedule is in force on ${date}`);
  return inForce;
};

/** Checks a schedule's shape: ascending tier bounds, one open-ended last tier, valid rates. */
export function assertFeeSchedule(schedule: FeeSchedule): void {
  if (typeof schedule.id !== 'string' || schedule.id.length === 0) throw new Error('fee schedule id must be non-empty');
  toJapanCalendarDate(schedule.effectiveFrom);
  const { tiers } = schedule;
  if (tiers.length === 0) throw new Error(`fee schedule ${schedule.id} has no tiers`);
  let previousUpTo = 0;
  tiers.forEach((tier, index) => {
    assertRate(tier.rate, `fee schedule ${schedule.id} tier ${index} rate`);
    const isLast = index === tiers.length - 1;
    if (isLast) {
      if (tier.upTo !== null) throw new Error(`fee schedule ${schedule.id} must end with an open-ended tier`);
      return;
    }
    if (!isYen(tier.upTo) || tier.upTo <= previousUpTo) {
      throw new Error(`fee schedule ${schedule.id} tier ${index} bound must be a yen amount above ${previousUpTo}`);
    }
    previousUpTo = tier.upTo;
  });
}

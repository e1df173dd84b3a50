import fc from 'fast-check';
import { FEE_SCHEDULES, type FeeSchedule } from './fee-schedules';

/** Arbitraries shared by the money specs. */

const rateOfThousandths = (thousandths: number): string => `0.${String(thousandths).padStart(3, '0')}`;

export const taxRateArbitrary = fc.constantFrom('0', '0.03', '0.05', '0.08', '0.10');

export const shippedScheduleArbitrary = fc.constantFrom(...FEE_SCHEDULES);

/** Any well-formed schedule of up to four tiers with rates up to 30% and bounds up to ¥1,000,000. */
export const randomScheduleArbitrary: fc.Arbitrary<FeeSchedule> = fc
  .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 3 })
  .chain((bounds) => {
    const sortedBounds = [...bounds].sort((left, right) => left - right);
    return fc
      .array(fc.integer({ min: 0, max: 300 }).map(rateOfThousandths), {
        minLength: sortedBounds.length + 1,
        maxLength: sortedBounds.length + 1,
      })
      .map((rates) => ({
        id: 'generated',
        effectiveFrom: '2024-01-01',
        description: 'generated',
        tiers: rates.map((rate, index) => ({ upTo: sortedBounds[index] ?? null, rate })),
      }));
  });

export const anyScheduleArbitrary = fc.oneof(shippedScheduleArbitrary, randomScheduleArbitrary);

import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { feeForCumulativeGross, payoutFee, type PayoutFee } from './fee';
import { getFeeSchedule, type FeeSchedule } from './fee-schedules';
import { anyScheduleArbitrary, shippedScheduleArbitrary, taxRateArbitrary } from './test-arbitraries';

const crowdworks = getFeeSchedule('crowdworks-2019-10') as FeeSchedule;
const lancers = getFeeSchedule('lancers-2022-10') as FeeSchedule;
const coconala = getFeeSchedule('coconala-2021-04') as FeeSchedule;

/** Pays the parts out in order, as a contract's milestones would be released. */
const payOut = (schedule: FeeSchedule, taxRate: string, grossParts: number[]): PayoutFee[] => {
  let cumulative = 0;
  return grossParts.map((gross) => {
    const payout = payoutFee(schedule, taxRate, cumulative, gross);
    cumulative = payout.cumulativeGrossAfter;
    return payout;
  });
};
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('system fee, SPEC worked checks (crowdworks-2019-10, tax 10%)', () => {
  it('charges ¥2,200 + ¥220 on a gross of ¥11,000, leaving the worker ¥8,580', () => {
    expect(payoutFee(crowdworks, '0.10', 0, 11_000)).toMatchObject({
      gross: 11_000,
      feeExTax: 2_200,
      feeTax: 220,
      fee: 2_420,
      net: 8_580,
    });
  });

  it('charges milestones of ¥50,000 / ¥30,000 / ¥50,000 fees of ¥11,000 / ¥6,600 / ¥7,700', () => {
    const payouts = payOut(crowdworks, '0.10', [50_000, 30_000, 50_000]);
    expect(payouts.map((payout) => payout.fee)).toEqual([11_000, 6_600, 7_700]);
    expect(payouts.map((payout) => payout.cumulativeFeeAfter)).toEqual([11_000, 17_600, 25_300]);
    expect(payoutFee(crowdworks, '0.10', 0, 130_000).fee).toBe(25_300);
  });

  it('splits the third milestone across the 20% and 10% tiers', () => {
    const third = payOut(crowdworks, '0.10', [50_000, 30_000, 50_000])[2];
    expect(third).toMatchObject({ feeExTax: 7_000, feeTax: 700, cumulativeGrossBefore: 80_000, cumulativeGrossAfter: 130_000 });
    expect(third.tiers).toEqual([
      { rate: '0.20', from: 0, upTo: 100_000, grossInTier: 20_000 },
      { rate: '0.10', from: 100_000, upTo: 200_000, grossInTier: 30_000 },
      { rate: '0.05', from: 200_000, upTo: null, grossInTier: 0 },
    ]);
  });

  it('charges ¥49,500 on a gross of ¥500,000, leaving the worker ¥450,500', () => {
    expect(payoutFee(crowdworks, '0.10', 0, 500_000)).toMatchObject({ feeExTax: 45_000, feeTax: 4_500, fee: 49_500, net: 450_500 });
    expect(feeForCumulativeGross(crowdworks, 500_000, '0.10').tiers.map((tier) => tier.grossInTier)).toEqual([
      100_000, 100_000, 300_000,
    ]);
  });

  it('records the schedule and tax rate it used', () => {
    expect(payoutFee(crowdworks, '0.08', 0, 1_000)).toMatchObject({ scheduleId: 'crowdworks-2019-10', taxRate: '0.08' });
  });

  it('truncates the fee and its tax separately', () => {
    // 20% of ¥49 is ¥9.8 → ¥9, whose 10% tax ¥0.9 → ¥0.
    expect(feeForCumulativeGross(crowdworks, 49, '0.10')).toMatchObject({ feeExTax: 9, feeTax: 0, fee: 9 });
    expect(feeForCumulativeGross(crowdworks, 50, '0.10')).toMatchObject({ feeExTax: 10, feeTax: 1, fee: 11 });
  });
});

describe('system fee, presets', () => {
  it('lancers-2022-10 takes 16.5% including tax', () => {
    expect(payoutFee(lancers, '0.10', 0, 11_000)).toMatchObject({ feeExTax: 1_650, feeTax: 165, fee: 1_815, net: 9_185 });
    expect(payoutFee(lancers, '0.10', 0, 200_000)).toMatchObject({ fee: 33_000, net: 167_000 });
  });

  it('coconala-2021-04 takes 22% including tax', () => {
    expect(payoutFee(coconala, '0.10', 0, 11_000)).toMatchObject({ feeExTax: 2_200, feeTax: 220, fee: 2_420, net: 8_580 });
    expect(payoutFee(coconala, '0.10', 0, 500_000)).toMatchObject({ fee: 110_000, net: 390_000 });
  });
});

describe('payoutFee refusals', () => {
  it('refuses a payout whose fee would exceed it', () => {
    // fee(49) = ¥9 and fee(50) = ¥11: ¥1 of gross would cost ¥2.
    expect(() => payoutFee(crowdworks, '0.10', 49, 1)).toThrow(DomainError);
    expect(() => payoutFee(crowdworks, '0.10', 49, 1)).toThrow(expect.objectContaining({ code: 'PAYOUT_TOO_SMALL_FOR_FEE' }));
  });

  it('refuses amounts that are not yen and float tax rates', () => {
    expect(() => payoutFee(crowdworks, '0.10', -1, 100)).toThrow(/previousCumulativeGross/);
    expect(() => payoutFee(crowdworks, '0.10', 0, 10.5)).toThrow(/payoutGross/);
    expect(() => payoutFee(crowdworks, '0.10', Number.MAX_SAFE_INTEGER, 1)).toThrow(/cumulativeGrossAfter/);
    expect(() => payoutFee(crowdworks, 0.1 as unknown as string, 0, 100)).toThrow(/taxRate/);
  });
});

describe('system fee properties', () => {
  const grossPartsArbitrary = fc.array(fc.integer({ min: 2, max: 400_000 }), { minLength: 1, maxLength: 20 });

  it('charges a contract the same total fee, and the same parts, however its gross is split', () => {
    fc.assert(
      fc.property(anyScheduleArbitrary, taxRateArbitrary, grossPartsArbitrary, (schedule, taxRate, parts) => {
        const payouts = payOut(schedule, taxRate, parts);
        const single = payoutFee(schedule, taxRate, 0, sum(parts));
        expect(sum(payouts.map((payout) => payout.fee))).toBe(single.fee);
        expect(sum(payouts.map((payout) => payout.feeExTax))).toBe(single.feeExTax);
        expect(sum(payouts.map((payout) => payout.feeTax))).toBe(single.feeTax);
        expect(sum(payouts.map((payout) => payout.net))).toBe(single.net);
        expect(payouts.at(-1)?.cumulativeFeeAfter).toBe(single.fee);
        single.tiers.forEach((tier, index) =>
          expect(sum(payouts.map((payout) => payout.tiers[index].grossInTier))).toBe(tier.grossInTier),
        );
      }),
    );
  });

  it('never lowers the fee as the cumulative gross grows', () => {
    fc.assert(
      fc.property(
        anyScheduleArbitrary,
        taxRateArbitrary,
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        (schedule, taxRate, cumulative, increase) => {
          const before = feeForCumulativeGross(schedule, cumulative, taxRate);
          const after = feeForCumulativeGross(schedule, cumulative + increase, taxRate);
          expect(after.fee).toBeGreaterThanOrEqual(before.fee);
          expect(after.feeExTax).toBeGreaterThanOrEqual(before.feeExTax);
          expect(after.feeTax).toBeGreaterThanOrEqual(before.feeTax);
        },
      ),
    );
  });

  it('keeps every payout between no fee and its whole gross, with net = gross − fee', () => {
    fc.assert(
      fc.property(anyScheduleArbitrary, taxRateArbitrary, grossPartsArbitrary, (schedule, taxRate, parts) => {
        payOut(schedule, taxRate, parts).forEach((payout) => {
          expect(payout.fee).toBeGreaterThanOrEqual(0);
          expect(payout.fee).toBeLessThanOrEqual(payout.gross);
          expect(payout.fee).toBe(payout.feeExTax + payout.feeTax);
          expect(payout.net).toBe(payout.gross - payout.fee);
          expect(sum(payout.tiers.map((tier) => tier.grossInTier))).toBe(payout.gross);
        });
      }),
    );
  });

  it('never charges more than the gross of any payout of ¥2 or more under the shipped schedules', () => {
    [crowdworks, lancers, coconala].forEach((schedule) => {
      const fees = Array.from({ length: 20_001 }, (_, cumulative) => feeForCumulativeGross(schedule, cumulative, '0.10').fee);
      const overcharged: string[] = [];
      for (let gross = 2; gross <= 5; gross += 1) {
        for (let before = 0; before + gross < fees.length; before += 1) {
          if (fees[before + gross] - fees[before] > gross) overcharged.push(`${schedule.id}: ¥${gross} after ¥${before}`);
        }
      }
      expect(overcharged).toEqual([]);
    });
  });

  it('yields safe integers only, up to the largest safe cumulative gross', () => {
    fc.assert(
      fc.property(
        shippedScheduleArbitrary,
        taxRateArbitrary,
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 1 }),
        fc.integer({ min: 2, max: 1_000_000_000 }),
        (schedule, taxRate, before, gross) => {
          fc.pre(before + gross <= Number.MAX_SAFE_INTEGER);
          const payout = payoutFee(schedule, taxRate, before, gross);
          const amounts = [
            payout.gross, payout.feeExTax, payout.feeTax, payout.fee, payout.net,
            payout.cumulativeGrossBefore, payout.cumulativeGrossAfter, payout.cumulativeFeeAfter,
            ...payout.tiers.map((tier) => tier.grossInTier),
          ];
          amounts.forEach((amount) => {
            expect(Number.isSafeInteger(amount)).toBe(true);
            expect(amount).toBeGreaterThanOrEqual(0);
          });
        },
      ),
    );
  });
});

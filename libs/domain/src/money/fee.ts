import type Decimal from 'decimal.js';
import { invalid } from '../shared/domain-error';
import { ExactDecimal } from './exact-decimal';
import { assertFeeSchedule, type FeeSchedule } from './fee-schedules';
import { assertRate } from './rate';
import { assertYen, toYen, type Yen } from './yen';

export interface CumulativeTierPortion {
  rate: string;
  from: Yen;
  upTo: Yen | null;
  grossInTier: Yen;
}

/** The fee owed on everything paid so far within one contract. */
export interface CumulativeFee {
  feeExTax: Yen;
  feeTax: Yen;
  fee: Yen;
  tiers: CumulativeTierPortion[];
}

export interface PayoutTierPortion {
  rate: string;
  from: Yen;
  upTo: Yen | null;
  /** The part of this payout's gross that falls in the tier. */
  grossInTier: Yen;
}

/** One payout's share of a contract's fee: the difference of the cumulative fee before and after it. */
export interface PayoutFee {
  gross: Yen;
  feeExTax: Yen;
  feeTax: Yen;
  fee: Yen;
  net: Yen;
  tiers: PayoutTierPortion[];
  cumulativeGrossBefore: Yen;
  cumulativeGrossAfter: Yen;
  cumulativeFeeAfter: Yen;
  scheduleId: string;
  taxRate: string;
}

/** A payout's figures as its event records them: a copy, so that the event never shares the tiers' objects. */
export const payoutFigures = (fee: PayoutFee): PayoutFee => ({
  gross: fee.gross,
  feeExTax: fee.feeExTax,
  feeTax: fee.feeTax,
  fee: fee.fee,
  net: fee.net,
  tiers: fee.tiers.map((tier) => ({ ...tier })),
  cumulativeGrossBefore: fee.cumulativeGrossBefore,
  cumulativeGrossAfter: fee.cumulativeGrossAfter,
  cumulativeFeeAfter: fee.cumulativeFeeAfter,
  scheduleId: fee.scheduleId,
  taxRate: fee.taxRate,
});

interface ExactTierPortion {
  rate: string;
  from: Yen;
  upTo: Yen | null;
  grossInTier: Decimal;
}

/** Splits a (possibly fractional) cumulative gross over the schedule's tiers. */
export const tierPortions = (schedule: FeeSchedule, cumulativeGross: Decimal): ExactTierPortion[] => {
  let from = 0;
  return schedule.tiers.map((tier) => {
    const ceiling = tier.upTo === null ? cumulativeGross : ExactDecimal.min(cumulativeGross, tier.upTo);
    const portion = { rate: tier.rate, from, upTo: tier.upTo, grossInTier: ExactDecimal.max(ceiling.minus(from), 0) };
    from = tier.upTo ?? from;
    return portion;
  });
};

/** Σ tier portion × rate before truncation; exported for the take-home search, which needs it unrounded. */
export const exactFeeExTax = (schedule: FeeSchedule, cumulativeGross: Decimal): Decimal =>
  tierPortions(schedule, cumulativeGross).reduce(
    (sum, portion) => sum.plus(portion.grossInTier.times(portion.rate)),
    new ExactDecimal(0),
  );

/**
 * SPEC canonical computation for a cumulative gross C:
 * feeExTax(C) = floor(Σ tier portions × rate), feeTax(C) = floor(feeExTax(C) × taxRate).
 */
export const feeForCumulativeGross = (schedule: FeeSchedule, cumulativeGross: Yen, taxRate: string): CumulativeFee => {
  assertFeeSchedule(schedule);
  assertYen(cumulativeGross, 'cumulativeGross');
  assertRate(taxRate, 'taxRate');
  const gross = new ExactDecimal(cumulativeGross);
  const feeExTax = toYen(exactFeeExTax(schedule, gross), 'feeExTax');
  const feeTax = toYen(new ExactDecimal(feeExTax).times(taxRate), 'feeTax');
  return {
    feeExTax,
    feeTax,
    fee: feeExTax + feeTax,
    tiers: tierPortions(schedule, gross).map((portion) => ({
      ...portion,
      grossInTier: toYen(portion.grossInTier, 'grossInTier'),
    })),
  };
};

/**
 * The fee of a payout of `payoutGross` after `previousCumulativeGross` was already paid in the same
 * contract. Every part is a difference of cumulative values, so however a contract's gross is split,
 * its payouts' fees add up to the fee of a single payout of the total.
 *
 * Refuses (PAYOUT_TOO_SMALL_FOR_FEE) a payout whose fee would exceed it: truncation can make the
 * cumulative fee step up by ¥2 over ¥1 of gross, so with the shipped schedules only a ¥1 payout can.
 */
export const payoutFee = (
  schedule: FeeSchedule,
  taxRate: string,
  previousCumulativeGross: Yen,
  payoutGross: Yen,
): PayoutFee => {
  assertYen(previousCumulativeGross, 'previousCumulativeGross');
  assertYen(payoutGross, 'payoutGross');
  const cumulativeGrossAfter = previousCumulativeGross + payoutGross;
  assertYen(cumulativeGrossAfter, 'cumulativeGrossAfter');
  const before = feeForCumulativeGross(schedule, previousCumulativeGross, taxRate);
  const after = feeForCumulativeGross(schedule, cumulativeGrossAfter, taxRate);
  const fee = after.fee - before.fee;
  if (fee > payoutGross) {
    throw invalid(
      'PAYOUT_TOO_SMALL_FOR_FEE',
      `the fee ¥${fee} of a payout of ¥${payoutGross} after ¥${previousCumulativeGross} would exceed the payout`,
      { payoutGross, previousCumulativeGross, fee },
    );
  }
  return {
    gross: payoutGross,
    feeExTax: after.feeExTax - before.feeExTax,
    feeTax: after.feeTax - before.feeTax,
    fee,
    net: payoutGross - fee,
    tiers: after.tiers.map((portion, index) => ({
      rate: portion.rate,
      from: portion.from,
      upTo: portion.upTo,
      grossInTier: portion.grossInTier - before.tiers[index].grossInTier,
    })),
    cumulativeGrossBefore: previousCumulativeGross,
    cumulativeGrossAfter,
    cumulativeFeeAfter: after.fee,
    scheduleId: schedule.id,
    taxRate,
  };
};

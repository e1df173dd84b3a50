import { ExactDecimal } from './exact-decimal';
import { toJapanCalendarDate } from './japan-date';
import { assertRate } from './rate';
import { assertYen, toYen, type Yen } from './yen';

export interface ConsumptionTaxPeriod {
  /** First Japanese calendar date (YYYY-MM-DD) the rate applies to. */
  readonly effectiveFrom: string;
  readonly rate: string;
}

/** Japanese consumption tax (消費税) standard rates, oldest first; a new rate is a new row. */
export const CONSUMPTION_TAX_PERIODS: readonly ConsumptionTaxPeriod[] = Object.freeze([
  Object.freeze({ effectiveFrom: '1989-04-01', rate: '0.03' }),
  Object.freeze({ effectiveFrom: '1997-04-01', rate: '0.05' }),
  Object.freeze({ effectiveFrom: '2014-04-01', rate: '0.08' }),
  Object.freeze({ effectiveFrom: '2019-10-01', rate: '0.10' }),
]);

/** The standard rate in force on a date (or at a timestamp, read in Japan time). */
export const consumptionTaxRateAt = (isoDate: string): string => {
  const date = toJapanCalendarDate(isoDate);
  const inForce = [...CONSUMPTION_TAX_PERIODS].reverse().find((period) => period.effectiveFrom <= date);
  if (!inForce) throw new Error(`no consumption tax rate is configured for ${date}`);
  return inForce.rate;
};

/** Tax-inclusive (税込) amount: amount + floor(amount × taxRate). */
export const grossOf = (amountExTax: Yen, taxRate: string): Yen => {
  assertYen(amountExTax, 'amountExTax');
  assertRate(taxRate, 'taxRate');
  const amount = new ExactDecimal(amountExTax);
  return toYen(amount.plus(amount.times(taxRate).floor()), 'gross');
};

export { type Yen, isYen, assertYen, toYen } from './yen';
export { assertRate } from './rate';
export { toJapanCalendarDate } from './japan-date';
export { type ConsumptionTaxPeriod, CONSUMPTION_TAX_PERIODS, consumptionTaxRateAt, grossOf } from './tax';
export {
  type FeeSchedule,
  type FeeTier,
  FEE_SCHEDULES,
  DEFAULT_FEE_SCHEDULE_ID,
  DEFAULT_FEE_SCHEDULE_LINE,
  getFeeSchedule,
  defaultFeeScheduleAt,
  assertFeeSchedule,
} from './fee-schedules';
export {
  type CumulativeFee,
  type CumulativeTierPortion,
  type PayoutFee,
  type PayoutTierPortion,
  feeForCumulativeGross,
  payoutFee,
} from './fee';
export { type FeeQuote, MAX_QUOTE_AMOUNT, quoteFromAmount, quoteFromTakeHome } from './quote';

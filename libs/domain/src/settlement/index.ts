export { isTimeOfDay, lastDailyBatch, nextDailyBatch, SETTLEMENT_POLICY_KINDS, settlementDueBy, settlementInstant } from './settlement-policy';
export type { SettlementPolicy } from './settlement-policy';

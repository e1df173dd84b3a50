import { ESCROW_ID_PATTERN } from '@escrow/domain/escrow';
import type { FeeTierPortion } from '@escrow/domain/contract';
import type {
  ContractFees,
  FeeRevenue,
  FeeTotals,
  PayoutFeeBreakdown,
  RevenuePeriod,
  RevenueRow,
} from '@escrow/projections/fees/fees.queries';
import { ListPageSchema } from '../http/openapi/operation-responses';
import {
  CountField,
  DateField,
  EnumField,
  IdField,
  InstantField,
  NestedField,
  PatternField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';

const REVENUE_PERIODS: readonly RevenuePeriod[] = ['day', 'month'];

export class FeeTierPortionSchema implements FeeTierPortion {
  @TextField({ description: 'The tier rate as a decimal string, e.g. "0.2"' }) rate!: string;
  @YenField({ description: 'Cumulative gross where the tier starts' }) from!: number;
  @YenField({ nullable: true, description: 'Where it ends; null for the last tier' }) upTo!: number | null;
  @YenField({ description: "The part of this payout's gross in the tier" }) grossInTier!: number;
}

export class PayoutFeeBreakdownSchema implements PayoutFeeBreakdown {
  @PositionField({ minimum: 1, description: 'Global position of the payout event: the list order' }) position!: number;
  @TextField() eventId!: string;
  @IdField() milestoneId!: string;
  @YenField() gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField() fee!: number;
  @YenField() net!: number;
  @NestedField(() => FeeTierPortionSchema, { list: true }) tiers!: FeeTierPortion[];
  @YenField() cumulativeGrossBefore!: number;
  @YenField() cumulativeGrossAfter!: number;
  @YenField() cumulativeFeeAfter!: number;
  @TextField() scheduleId!: string;
  @TextField({ description: 'Consumption tax rate as a decimal string' }) taxRate!: string;
  @TextField({ description: 'The event that released the money' }) cause!: string;
  @InstantField() occurredAt!: string;
  @DateField({ description: 'Calendar date in Japan of occurredAt' }) tokyoDate!: string;
}

export class FeeTotalsSchema implements FeeTotals {
  @CountField() payouts!: number;
  @YenField() gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField() fee!: number;
  @YenField() net!: number;
}

/** A page of a contract's payouts, with the contract's fee facts and totals over every payout. */
export class ContractFeesPageSchema extends ListPageSchema(PayoutFeeBreakdownSchema) implements Omit<ContractFees, 'payouts'> {
  @PatternField(ESCROW_ID_PATTERN, { description: 'The contract id, or another format\'s escrow id (task~<id>)' }) contractId!: string;
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @TextField({ nullable: true, description: 'null while only offered with the default schedule; fixed at acceptance' }) feeScheduleId!:
    string | null;
  @TextField({ nullable: true }) taxRate!: string | null;
  @NestedField(() => FeeTotalsSchema) totals!: FeeTotals;
}

export class RevenueRowSchema implements RevenueRow {
  @TextField({ description: '`YYYY-MM-DD` (by=day) or `YYYY-MM` (by=month), in Japan: the list order' }) period!: string;
  @CountField() payouts!: number;
  @YenField() gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField() fee!: number;
}

export class RevenueTotalsSchema implements Omit<RevenueRow, 'period'> {
  @CountField() payouts!: number;
  @YenField() gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField() fee!: number;
}

/** A page of revenue periods, with the range asked for and its totals. */
export class FeeRevenuePageSchema extends ListPageSchema(RevenueRowSchema) implements Omit<FeeRevenue, 'rows'> {
  @EnumField(REVENUE_PERIODS) by!: RevenuePeriod;
  @TextField({ nullable: true }) from!: string | null;
  @TextField({ nullable: true }) to!: string | null;
  @NestedField(() => RevenueTotalsSchema, { description: 'Over the whole range, every page alike' }) totals!: Omit<RevenueRow, 'period'>;
}

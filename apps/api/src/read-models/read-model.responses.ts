import type { FeeTierPortion } from '@escrow/domain/contract';
import type { CompletionRate } from '@escrow/projections/completion-rates/completion-rate';
import type { ContractFees, FeeTotals, PayoutFeeBreakdown } from '@escrow/projections/fees/fees.queries';
import type { ClientCompletionRate, WorkerCompletionRate } from './party-read-models.controller';
import {
  BooleanField,
  CountField,
  DateField,
  IdField,
  InstantField,
  NestedField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';

/** A completion rate (プロジェクト完了率) of one party. */
export class CompletionRateSchema implements CompletionRate {
  @CountField({ description: 'Contracts completed' }) completed!: number;
  @CountField({ description: 'Contracts no longer in progress: completed + terminated' }) ended!: number;
  @TextField({ nullable: true, description: 'completed / ended, a decimal string of at most 4 decimals, truncated; null when nothing ended' })
  rate!: string | null;
  @BooleanField({ description: 'completed / ended ≥ 90 %, on the exact ratio' }) atLeast90!: boolean;
}

export class ClientCompletionRateSchema extends CompletionRateSchema implements ClientCompletionRate {
  @IdField() clientId!: string;
}

export class WorkerCompletionRateSchema extends CompletionRateSchema implements WorkerCompletionRate {
  @IdField() workerId!: string;
}

export class FeeTierPortionSchema implements FeeTierPortion {
  @TextField({ description: "The tier's rate, e.g. '0.20'" }) rate!: string;
  @YenField({ description: 'Cumulative gross where the tier starts' }) from!: number;
  @YenField({ nullable: true, description: 'Where it ends; null for the last tier' }) upTo!: number | null;
  @YenField({ description: 'Gross of this payout that falls in the tier' }) grossInTier!: number;
}

export class FeeTotalsSchema implements FeeTotals {
  @CountField() payouts!: number;
  @YenField() gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField() fee!: number;
  @YenField() net!: number;
}

export class PayoutFeeBreakdownSchema implements PayoutFeeBreakdown {
  @PositionField({ minimum: 1 }) position!: number;
  @TextField({ description: 'The MilestonePaidOut (or termination) event id' }) eventId!: string;
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
  @TextField() taxRate!: string;
  @TextField({ description: 'The event type that paid it out' }) cause!: string;
  @InstantField() occurredAt!: string;
  @DateField({ description: 'Calendar date in Japan of occurredAt' }) tokyoDate!: string;
}

/** GET /v1/contracts/{id}/fees: the system fees of one contract, per payout and in total. */
export class ContractFeesSchema implements ContractFees {
  @IdField() contractId!: string;
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @TextField({ nullable: true, description: 'null while only offered with the default schedule; fixed at acceptance' }) feeScheduleId!: string | null;
  @TextField({ nullable: true }) taxRate!: string | null;
  @NestedField(() => FeeTotalsSchema) totals!: FeeTotals;
  @NestedField(() => PayoutFeeBreakdownSchema, { list: true }) payouts!: PayoutFeeBreakdown[];
}

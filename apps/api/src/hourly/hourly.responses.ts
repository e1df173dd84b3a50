import type { HourlyContractView, HourlyWeekView } from '@escrow/domain/hourly';
import type { PayoutFigures } from '@escrow/domain/escrow';
import { CountField, DateField, EnumField, IdField, InstantField, NestedField, PositionField, TextField, YenField } from '../http/openapi/response-fields';
import { FeeTierPortionSchema } from '../read-models/fee-report.responses';
import type { HourlyContractResponse } from './hourly-commands';

const STATUSES = ['offered', 'active', 'ended'] as const;
const WEEK_STATUSES = ['recording', 'held', 'settled'] as const;
const REQUESTERS = ['client', 'worker', 'support'] as const;

export class HourlyPayoutSchema implements PayoutFigures {
  @YenField({ description: 'Released to the worker before the fee' }) gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField({ description: 'feeExTax + feeTax' }) fee!: number;
  @YenField({ description: 'gross − fee: what the worker receives' }) net!: number;
  @NestedField(() => FeeTierPortionSchema, { list: true }) tiers!: FeeTierPortionSchema[];
  @YenField({ description: "What the week was paid before this payout: each week's tiers start at 0" }) cumulativeGrossBefore!: number;
  @YenField() cumulativeGrossAfter!: number;
  @YenField() cumulativeFeeAfter!: number;
  @TextField() scheduleId!: string;
  @TextField({ description: 'Consumption tax rate as a decimal string' }) taxRate!: string;
}

export class HourlyWeekSchema implements HourlyWeekView {
  @DateField({ description: 'The Monday (Japan time) the work week starts on' }) weekStart!: string;
  @CountField() recordedMinutes!: number;
  @CountField({ description: 'Reports recorded' }) reports!: number;
  @CountField() disputedMinutes!: number;
  @CountField({ nullable: true, description: "Support's award of the disputed minutes; null while none" }) awardedMinutes!: number | null;
  @CountField({ description: 'Undisputed minutes plus awarded ones' }) payableMinutes!: number;
  @CountField() paidMinutes!: number;
  @YenField() paidGross!: number;
  @InstantField({ description: 'Tuesday after the work week, 00:00 Japan time' }) reviewOpensAt!: string;
  @InstantField({ description: 'When the undisputed hours are paid: Tuesday a week later, 00:00 Japan time' }) reviewClosesAt!: string;
  @EnumField(WEEK_STATUSES, { description: 'recording: window not closed; held: closed with a dispute open; settled' }) status!: HourlyWeekView['status'];
  @NestedField(() => HourlyPayoutSchema, { list: true }) payouts!: HourlyPayoutSchema[];
}

export class HourlyTotalsSchema {
  @YenField() funded!: number;
  @YenField() paidOut!: number;
  @YenField() fees!: number;
  @YenField() net!: number;
  @YenField() refunded!: number;
  @YenField({ description: 'funded − paidOut − refunded' }) escrow!: number;
  @YenField({ description: 'Escrow promised to weeks not yet paid (recorded hours, open disputes)' }) committed!: number;
}

export class HourlyEndingSchema {
  @EnumField(REQUESTERS) requestedBy!: 'client' | 'worker' | 'support';
  @DateField({ description: 'The last work week: the contract ends once it is settled' }) endsAfterWeek!: string;
  @InstantField() requestedAt!: string;
}

export class HourlyContractResponseSchema implements HourlyContractResponse {
  @IdField() contractId!: string;
  @EnumField(STATUSES) status!: HourlyContractView['status'];
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @TextField() title!: string;
  @YenField({ description: 'Tax-exclusive yen per hour' }) hourlyRate!: number;
  @CountField() weeklyLimitHours!: number;
  @TextField({ nullable: true }) feeScheduleId!: string | null;
  @TextField({ nullable: true }) taxRate!: string | null;
  @YenField({ description: 'Gross of a week at the limit; 0 before acceptance' }) estimatedWeekGross!: number;
  @InstantField({ nullable: true }) acceptedAt!: string | null;
  @NestedField(() => HourlyTotalsSchema) totals!: HourlyTotalsSchema;
  @NestedField(() => HourlyWeekSchema, { list: true }) weeks!: HourlyWeekSchema[];
  @NestedField(() => HourlyEndingSchema, { nullable: true }) ending!: HourlyEndingSchema | null;
  @InstantField({ nullable: true }) endedAt!: string | null;
  @PositionField({ description: 'Stream revision after this state' }) revision!: number;
  @PositionField({ description: 'Global position of the last event: pass as minPosition to read models' }) position!: number;
}

import { type ContractStatus, CONTRACT_STATUSES } from '@escrow/domain/contract';
import type { ContractSummary, ContractSummaryTotals } from '@escrow/projections/contract-summaries/contract-summaries.queries';
import { ListPageSchema } from '../http/openapi/operation-responses';
import {
  CountField,
  EnumField,
  IdField,
  InstantField,
  NestedField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';

export class ContractSummaryTotalsSchema implements ContractSummaryTotals {
  @YenField({ description: 'Tax-exclusive amount of the milestones not cancelled' }) amount!: number;
  @YenField({ nullable: true, description: 'Gross of the milestones not cancelled; null until the contract is accepted' }) gross!:
    number | null;
  @YenField() funded!: number;
  @YenField() paidOut!: number;
  @YenField() fees!: number;
  @YenField() net!: number;
  @YenField() refunded!: number;
  @YenField({ description: 'funded − paidOut − refunded' }) escrow!: number;
}

export class ContractSummarySchema implements ContractSummary {
  @IdField() contractId!: string;
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @TextField() title!: string;
  @EnumField(CONTRACT_STATUSES) status!: ContractStatus;
  @TextField({ nullable: true, description: 'Fixed at acceptance' }) feeScheduleId!: string | null;
  @CountField() milestones!: number;
  @NestedField(() => ContractSummaryTotalsSchema) totals!: ContractSummaryTotals;
  @InstantField() offeredAt!: string;
  @InstantField({ nullable: true }) acceptedAt!: string | null;
  @InstantField({ nullable: true }) completedAt!: string | null;
  @InstantField({ nullable: true }) terminatedAt!: string | null;
  @PositionField({ minimum: 1, description: "Global position of the contract's first event: the list order" }) createdPosition!: number;
  @PositionField({ minimum: 1, description: "Global position of the contract's last event" }) updatedPosition!: number;
  @InstantField() updatedAt!: string;
}

export class ClientContractsPageSchema extends ListPageSchema(ContractSummarySchema) {
  @IdField() clientId!: string;
}

export class WorkerContractsPageSchema extends ListPageSchema(ContractSummarySchema) {
  @IdField() workerId!: string;
}

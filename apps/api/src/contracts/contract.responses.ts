import {
  type ContactReminderView,
  type ContractParty,
  type ContractStatus,
  type ContractTotalsView,
  type MilestonePayoutView,
  type MilestoneStatus,
  type MilestoneView,
  type PartyRef,
  type PendingTermsChangeView,
  type PendingTerminationView,
  CONTRACT_STATUSES,
  MILESTONE_STATUSES,
} from '@escrow/domain/contract';
import {
  CountField,
  DateField,
  EnumField,
  everyValueOf,
  IdField,
  InstantField,
  NestedField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';
import type { ContractView } from '@escrow/domain/contract';
import type { ContractResponse } from './contract-commands';

const CONTRACT_PARTIES = everyValueOf<ContractParty>()(['client', 'worker']);
const REMINDER_STATUSES = everyValueOf<ContactReminderView['status']>()(['pending', 'approved', 'denied']);

export class PartyRefSchema implements PartyRef {
  @IdField() id!: string;
  @EnumField(CONTRACT_PARTIES) party!: ContractParty;
}

export class MilestonePayoutSchema implements MilestonePayoutView {
  @YenField({ description: 'Released to the worker before fees' }) gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField({ description: 'feeExTax + feeTax' }) fee!: number;
  @YenField({ description: 'gross − fee: what the worker receives' }) net!: number;
}

export class MilestoneSchema implements MilestoneView {
  @IdField() milestoneId!: string;
  @TextField() title!: string;
  @YenField({ description: 'Tax-exclusive amount' }) amount!: number;
  @YenField({ nullable: true, description: 'Gross (税込) fixed at acceptance or by an accepted change of terms; null while only offered' })
  gross!: number | null;
  @DateField() dueDate!: string;
  @EnumField(MILESTONE_STATUSES) status!: MilestoneStatus;
  @YenField({ description: 'Everything the client has prepaid into this milestone' }) fundedGross!: number;
  @YenField({ description: 'fundedGross − paid out − refunded' }) escrowBalance!: number;
  @YenField({ description: 'Gross still to prepay before delivery' }) fundingDue!: number;
  @YenField() refundedTotal!: number;
  @CountField({ description: 'Deliveries made, re-deliveries included' }) deliveries!: number;
  @NestedField(() => MilestonePayoutSchema, { optional: true }) payout?: MilestonePayoutView;
}

export class ContractTotalsSchema implements ContractTotalsView {
  @YenField({ description: 'Sum of the grosses of milestones not cancelled' }) gross!: number;
  @YenField() funded!: number;
  @YenField({ description: 'Gross released to the worker, before fees' }) paidOut!: number;
  @YenField() fees!: number;
  @YenField() net!: number;
  @YenField() refunded!: number;
  @YenField() escrow!: number;
}

export class TermsChangeItemSchema {
  @IdField() milestoneId!: string;
  @YenField({ optional: true }) amount?: number;
  @DateField({ optional: true }) dueDate?: string;
}

export class NewMilestoneSchema {
  @IdField() milestoneId!: string;
  @TextField() title!: string;
  @YenField() amount!: number;
  @DateField() dueDate!: string;
}

export class PendingTermsChangeSchema implements PendingTermsChangeView {
  @IdField() changeId!: string;
  @NestedField(() => PartyRefSchema) proposedBy!: PartyRef;
  @InstantField() proposedAt!: string;
  @NestedField(() => TermsChangeItemSchema, { list: true }) changes!: TermsChangeItemSchema[];
  @NestedField(() => NewMilestoneSchema, { list: true }) newMilestones!: NewMilestoneSchema[];
  @TextField({ optional: true }) reason?: string;
}

export class PendingTerminationSchema implements PendingTerminationView {
  @NestedField(() => PartyRefSchema) requestedBy!: PartyRef;
  @InstantField() requestedAt!: string;
  @TextField() reason!: string;
}

export class ContactReminderSchema implements ContactReminderView {
  @IdField() reminderId!: string;
  @NestedField(() => PartyRefSchema) requestedBy!: PartyRef;
  @InstantField() requestedAt!: string;
  @TextField({ optional: true }) message?: string;
  @EnumField(REMINDER_STATUSES) status!: ContactReminderView['status'];
  @IdField({ optional: true }) decidedBy?: string;
  @InstantField({ optional: true }) decidedAt?: string;
  @TextField({ optional: true }) reason?: string;
}

/** A contract's state: what the history shows after its events. */
export class ContractStateSchema implements ContractView {
  @IdField() contractId!: string;
  @EnumField(CONTRACT_STATUSES) status!: ContractStatus;
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @TextField() title!: string;
  @TextField({ nullable: true, description: 'Fixed at acceptance; before that the schedule the offer named, or null for the default' })
  feeScheduleId!: string | null;
  @TextField({ nullable: true, description: "Consumption tax rate fixed at acceptance, e.g. '0.10'; null while only offered" })
  taxRate!: string | null;
  @NestedField(() => MilestoneSchema, { list: true }) milestones!: MilestoneView[];
  @NestedField(() => ContractTotalsSchema) totals!: ContractTotalsView;
  @NestedField(() => PendingTermsChangeSchema, { optional: true }) pendingTermsChange?: PendingTermsChangeView;
  @NestedField(() => PendingTerminationSchema, { optional: true }) pendingTermination?: PendingTerminationView;
  @NestedField(() => ContactReminderSchema, { list: true }) contactReminders!: ContactReminderView[];
}

/** A contract as every contract command and GET /v1/contracts/{id} answer it. */
export class ContractResponseSchema extends ContractStateSchema implements ContractResponse {
  @PositionField({ minimum: 0, description: 'Revision of the contract stream after this answer; the ETag' }) revision!: number;
  @PositionField({ description: 'Global position of the last event; pass as minPosition to read your writes' }) position!: number;
}

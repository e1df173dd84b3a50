import {
  type AmountChange,
  type ContractDiff,
  type ContractMoney,
  type ContractStatus,
  type ContractView,
  type MilestoneDiff,
  type MilestoneChangeKind,
  type MilestoneMoney,
  type MilestoneStatus,
  type MoneyFigure,
  type MoneyFigures,
  type StatusChange,
  type TextChange,
  CONTRACT_STATUSES,
  MILESTONE_STATUSES,
  MONEY_FIGURES,
} from '@escrow/domain/contract';
import { ACTOR_ROLES, type Actor, type ActorRole } from '@escrow/domain/shared/actor';
import type { Posting } from '@escrow/projections/ledger/postings';
import { CountField, EnumField, everyValueOf, FreeFormField, IdField, InstantField, NestedField, PositionField, TextField, YenField } from '../http/openapi/response-fields';
import { ContractStateSchema } from './contract.responses';
import type { ContractHistory, ContractHistoryDiff, ContractHistoryEntry, HistoryEventSummary } from './contract-history';

const CHANGE_KINDS = everyValueOf<MilestoneChangeKind>()(['added', 'removed', 'changed']);

export class MoneyFiguresSchema implements MoneyFigures {
  @YenField({ description: 'Tax-exclusive amount agreed' }) amount!: number;
  @YenField({ description: 'Gross (税込) agreed; 0 while only offered' }) gross!: number;
  @YenField({ description: 'Prepaid by the client' }) funded!: number;
  @YenField({ description: 'funded − paidOut − refunded: held in escrow now' }) inEscrow!: number;
  @YenField({ description: 'Gross released to the worker, before the fee' }) paidOut!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField({ description: 'feeExTax + feeTax, kept by the platform' }) fee!: number;
  @YenField({ description: 'paidOut − fee: what the worker received' }) net!: number;
  @YenField({ description: 'Escrow returned to the client' }) refunded!: number;
  @YenField({ description: 'Gross of a cancelled milestone that was never funded' }) cancelled!: number;
}

export class MilestoneMoneySchema extends MoneyFiguresSchema implements MilestoneMoney {
  @IdField() milestoneId!: string;
  @TextField() title!: string;
  @EnumField(MILESTONE_STATUSES) status!: MilestoneStatus;
}

export class ContractMoneySchema implements ContractMoney {
  @NestedField(() => MilestoneMoneySchema, { list: true }) milestones!: MilestoneMoneySchema[];
  @NestedField(() => MoneyFiguresSchema, { description: 'Each figure summed over the milestones' }) totals!: MoneyFiguresSchema;
}

export class PostingSchema implements Posting {
  @TextField({ description: 'Ledger account, e.g. escrow:<contractId>, fee-revenue (docs/projections.md)' }) account!: string;
  @YenField() debit!: number;
  @YenField() credit!: number;
}

export class AmountChangeSchema implements AmountChange {
  @EnumField(MONEY_FIGURES) field!: MoneyFigure;
  @YenField() before!: number;
  @YenField() after!: number;
  @YenField({ signed: true, description: 'after − before' }) delta!: number;
}

export class TextChangeSchema implements TextChange {
  @TextField({ description: 'title, dueDate, feeScheduleId, taxRate, pendingTermsChange, pendingTermination or contactReminder:<id>' })
  field!: string;
  @TextField({ nullable: true }) before!: string | null;
  @TextField({ nullable: true }) after!: string | null;
}

export class ContractStatusChangeSchema implements StatusChange<ContractStatus> {
  @EnumField(CONTRACT_STATUSES, { nullable: true, description: 'null before the offer' }) before!: ContractStatus | null;
  @EnumField(CONTRACT_STATUSES, { nullable: true }) after!: ContractStatus | null;
}

export class MilestoneStatusChangeSchema implements StatusChange<MilestoneStatus> {
  @EnumField(MILESTONE_STATUSES, { nullable: true, description: 'null for a milestone added' }) before!: MilestoneStatus | null;
  @EnumField(MILESTONE_STATUSES, { nullable: true, description: 'null for a milestone removed' }) after!: MilestoneStatus | null;
}

export class MilestoneDiffSchema implements MilestoneDiff {
  @IdField() milestoneId!: string;
  @TextField() title!: string;
  @EnumField(CHANGE_KINDS) change!: MilestoneChangeKind;
  @NestedField(() => MilestoneStatusChangeSchema, { nullable: true, description: 'null when the status stayed the same' })
  status!: MilestoneStatusChangeSchema | null;
  @NestedField(() => AmountChangeSchema, { list: true }) money!: AmountChangeSchema[];
  @NestedField(() => TextChangeSchema, { list: true, description: 'Title and due date' }) terms!: TextChangeSchema[];
}

/** What changed: only what did is named. */
export class ContractDiffSchema implements ContractDiff {
  @NestedField(() => ContractStatusChangeSchema, { nullable: true, description: 'null when the status stayed the same' })
  status!: ContractStatusChangeSchema | null;
  @NestedField(() => AmountChangeSchema, { list: true, description: "The contract's money totals that moved" }) money!: AmountChangeSchema[];
  @NestedField(() => MilestoneDiffSchema, { list: true, description: 'Milestones added, removed or changed' }) milestones!: MilestoneDiffSchema[];
  @NestedField(() => TextChangeSchema, { list: true, description: 'Title, fee schedule, tax rate, pending change of terms or termination, contact reminders' })
  terms!: TextChangeSchema[];
}

export class ActorSchema implements Actor {
  @IdField() id!: string;
  @EnumField(ACTOR_ROLES) role!: ActorRole;
}

export class HistoryEventSummarySchema implements HistoryEventSummary {
  @PositionField() revision!: number;
  @PositionField({ minimum: 1 }) position!: number;
  @TextField({ description: 'The event id (a UUID)' }) eventId!: string;
  @TextField({ description: 'A past-tense fact, e.g. EscrowFunded' }) type!: string;
  @CountField({ description: 'Version of the data shape as recorded; data is shown upcast to the current one' }) schemaVersion!: number;
  @InstantField() occurredAt!: string;
  @InstantField() recordedAt!: string;
  @NestedField(() => ActorSchema) actor!: ActorSchema;
  @TextField({ nullable: true, description: 'The calling service the command came through; null on events recorded before it was kept' })
  callingService!: string | null;
  @TextField() correlationId!: string;
  @TextField() causationId!: string;
  @TextField({ optional: true }) idempotencyKey?: string;
}

export class ContractHistoryEntrySchema extends HistoryEventSummarySchema implements ContractHistoryEntry {
  @FreeFormField({ description: "The event's data; see docs/events.md for each type" }) data!: Record<string, unknown>;
  @NestedField(() => ContractStateSchema, { description: 'The whole contract right after this event' }) after!: ContractView;
  @NestedField(() => ContractMoneySchema, { description: 'Money per milestone and in total right after this event' }) money!: ContractMoney;
  @NestedField(() => PostingSchema, { list: true, description: 'The ledger postings this event caused; empty when it moved no money' })
  postings!: PostingSchema[];
  @NestedField(() => ContractDiffSchema, { description: 'What this event changed' }) changes!: ContractDiff;
}

/** GET /v1/contracts/{id}/history: every event up to asOf, and the state they lead to. */
export class ContractHistorySchema implements ContractHistory {
  @IdField() contractId!: string;
  @TextField({ nullable: true, description: 'The asOf asked for, or null' }) asOf!: string | null;
  @PositionField({ minimum: -1, description: 'Revision of the last event included; -1 when asOf is before the offer' }) revision!: number;
  @NestedField(() => ContractStateSchema, { nullable: true, description: 'null when asOf is before the offer' })
  state!: ContractView | null;
  @NestedField(() => ContractMoneySchema, { nullable: true, description: 'The money sheet of that state; null when asOf is before the offer' })
  money!: ContractMoney | null;
  @NestedField(() => ContractHistoryEntrySchema, { list: true }) events!: ContractHistoryEntrySchema[];
}

/** GET /v1/contracts/{id}/history/diff: what changed from one revision to another. */
export class ContractHistoryDiffSchema extends ContractDiffSchema implements ContractHistoryDiff {
  @IdField() contractId!: string;
  @PositionField({ description: 'The revision compared from' }) from!: number;
  @PositionField({ description: 'The revision compared to: the one asked for, or the last' }) to!: number;
  @NestedField(() => HistoryEventSummarySchema, { list: true, description: 'The events after from, up to and including to' })
  events!: HistoryEventSummarySchema[];
}

import { ApiProperty } from '@nestjs/swagger';
import { type EscrowLineMoney, type EscrowMoney, type EscrowMoneyFigures, type OtherWorkFormat, WORK_FORMATS } from '@escrow/domain/escrow';
import type { ValueChange } from '@escrow/domain/shared/value-changes';
import { EnumField, FreeFormField, IdField, NestedField, PositionField, TextField, YenField } from '../http/openapi/response-fields';
import { HistoryEventSummarySchema, PostingSchema } from '../contracts/contract-history.responses';
import type { FormatHistory, FormatHistoryEntry } from '@escrow/projections/format-history/format-history';

const OTHER_FORMATS = WORK_FORMATS.filter((format): format is OtherWorkFormat => format !== 'fixed_price');

export class EscrowMoneyFiguresSchema implements EscrowMoneyFigures {
  @YenField({ description: 'Prepaid by the client' }) funded!: number;
  @YenField({ description: 'funded − paidOut − refunded: held in escrow now' }) inEscrow!: number;
  @YenField({ description: 'Gross released to workers, before the fee' }) paidOut!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField({ description: 'feeExTax + feeTax, kept by the platform' }) fee!: number;
  @YenField({ description: 'paidOut − fee: what workers received' }) net!: number;
  @YenField({ description: 'Escrow returned to the client' }) refunded!: number;
}

export class EscrowLineMoneySchema implements EscrowLineMoney {
  @YenField({ description: 'Prepaid by the client for this line' }) funded!: number;
  @YenField({ description: 'Gross released to the worker, before the fee' }) paidOut!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField({ description: 'feeExTax + feeTax, kept by the platform' }) fee!: number;
  @YenField({ description: 'paidOut − fee: what the worker received' }) net!: number;
  @YenField({ description: 'Escrow returned to the client' }) refunded!: number;
  @IdField({ description: 'A week, a slot submission or an adoption, as the format names its lines' }) lineId!: string;
}

export class EscrowMoneySchema implements EscrowMoney {
  @NestedField(() => EscrowLineMoneySchema, { list: true, description: 'In the order each line first moved money' }) lines!: EscrowLineMoneySchema[];
  @NestedField(() => EscrowMoneyFiguresSchema, { description: 'Each figure summed over the lines, and what the escrow holds' }) totals!: EscrowMoneyFiguresSchema;
}

/** A value of the state, whatever its JSON type: a status, an amount, a whole week when one first appears. */
const AnyValueField = (description: string) =>
  ApiProperty({
    required: true,
    description,
    // null rides on the object branch: OpenAPI 3.0 has no null type, and `nullable` needs a `type` beside it.
    anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object', additionalProperties: true, nullable: true }],
  });

export class ValueChangeSchema implements ValueChange {
  @TextField({ description: 'Path of the value in the state, e.g. weeks.2.status; empty for the whole state when it first appears' }) path!: string;
  @AnyValueField('The value before; null when there was none') before!: unknown;
  @AnyValueField('The value after; null when there is none') after!: unknown;
}

export class FormatHistoryEntrySchema extends HistoryEventSummarySchema implements FormatHistoryEntry<object> {
  @FreeFormField({ description: "The event's data; see docs/events.md and docs/formats.md" }) data!: Record<string, unknown>;
  @FreeFormField({ description: 'The whole state right after this event, as the format reads it (docs/formats.md)' }) after!: object;
  @NestedField(() => EscrowMoneySchema, { description: 'Money per line and in total right after this event' }) money!: EscrowMoney;
  @NestedField(() => PostingSchema, { list: true, description: 'The ledger postings this event caused; empty when it moved no money' })
  postings!: PostingSchema[];
  @NestedField(() => ValueChangeSchema, { list: true, description: 'Each value of the state this event changed' }) changes!: ValueChangeSchema[];
}

/** GET /v1/{hourly-contracts|tasks|competitions}/{id}/history: every event up to asOf, and the state and money they lead to. */
export class FormatHistorySchema implements FormatHistory<object> {
  @EnumField(OTHER_FORMATS) format!: OtherWorkFormat;
  @IdField() id!: string;
  @TextField({ nullable: true, description: 'The asOf asked for, or null' }) asOf!: string | null;
  @PositionField({ minimum: -1, description: 'Revision of the last event included; -1 when asOf is before the first event' }) revision!: number;
  @FreeFormField({ nullable: true, description: 'null when asOf is before the first event' }) state!: object | null;
  @NestedField(() => EscrowMoneySchema, { nullable: true, description: 'null when asOf is before the first event' }) money!: EscrowMoney | null;
  @NestedField(() => FormatHistoryEntrySchema, { list: true }) events!: FormatHistoryEntrySchema[];
}

import { WITHDRAWAL_MODES } from '@escrow/domain/wallet';
import { MAX_GATEWAY_REFERENCE_LENGTH, MAX_REASON_LENGTH } from '@escrow/domain/shared/limits';
import { PAYOUT_ITEM_STATES, PAYOUT_RUN_STATES } from '@escrow/projections/payout-runs';
import type { PayoutItemState, PayoutRun, PayoutRunItem, PayoutRunState, PayoutStateTotal } from '@escrow/projections/payout-runs';
import { ListPageSchema } from '../http/openapi/operation-responses';
import {
  CountField,
  DateField,
  EnumField,
  IdField,
  InstantField,
  NestedField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';
import { PAYOUT_REPORT_OUTCOMES, PAYOUT_REPORT_RESULTS, type PayoutReportAnswer, type PayoutReportItemResult, type PayoutReportOutcome, type PayoutReportResult } from './payout-run-reports';

export class PayoutStateTotalSchema implements PayoutStateTotal {
  @CountField() count!: number;
  @YenField({ description: 'Sum of the net amounts: what the bank accounts receive' }) netAmount!: number;
}

export class PayoutRunSchema implements PayoutRun {
  @DateField({ description: 'The payout date (Tokyo calendar date) every item of the run is due on' }) payoutDate!: string;
  @EnumField(PAYOUT_RUN_STATES, { description: '`open` while any item is to be sent; `closed` once every item is paid or failed' }) state!: PayoutRunState;
  @CountField() items!: number;
  @YenField({ description: 'Taken from the balances' }) amount!: number;
  @YenField() bankFees!: number;
  @YenField() quickFees!: number;
  @YenField({ description: 'What the bank accounts receive: amount − fees' }) netAmount!: number;
  @NestedField(() => PayoutStateTotalSchema) toSend!: PayoutStateTotal;
  @NestedField(() => PayoutStateTotalSchema) paid!: PayoutStateTotal;
  @NestedField(() => PayoutStateTotalSchema) failed!: PayoutStateTotal;
}

export class PayoutRunItemSchema implements PayoutRunItem {
  @TextField() withdrawalId!: string;
  @IdField() accountId!: string;
  @DateField() payoutDate!: string;
  @EnumField(WITHDRAWAL_MODES) mode!: string;
  @YenField({ description: 'Taken from the balance' }) amount!: number;
  @YenField() bankFee!: number;
  @YenField() quickFee!: number;
  @YenField({ description: 'What to send: amount − bankFee − quickFee' }) netAmount!: number;
  @TextField() bankAccountId!: string;
  @TextField({ description: 'Zengin bank code of the receiving bank' }) bankCode!: string;
  @EnumField(PAYOUT_ITEM_STATES) state!: PayoutItemState;
  @TextField({ nullable: true, maxLength: MAX_GATEWAY_REFERENCE_LENGTH }) transferReference!: string | null;
  @TextField({ nullable: true, maxLength: MAX_REASON_LENGTH }) failureReason!: string | null;
  @InstantField({ nullable: true, description: 'When the transfer was reported paid or failed' }) reportedAt!: string | null;
  @InstantField() requestedAt!: string;
  @PositionField({ minimum: 1, description: 'Global position of the event that put it in the run: the run order' }) queuedPosition!: number;
}

export class PayoutRunItemsPageSchema extends ListPageSchema(PayoutRunItemSchema) {
  @NestedField(() => PayoutRunSchema, { description: 'The run: its state and totals' }) run!: PayoutRun;
}

export class PayoutReportItemResultSchema implements PayoutReportItemResult {
  @TextField() withdrawalId!: string;
  @EnumField(PAYOUT_REPORT_OUTCOMES) outcome!: PayoutReportOutcome;
  @EnumField(PAYOUT_REPORT_RESULTS, {
    description: '`recorded`: the report was recorded now; `already_recorded`: this same report was recorded before (nothing was appended); `refused`: see code',
  })
  result!: PayoutReportResult;
  @CountField({ optional: true, description: 'Refused: the HTTP status the refusal has on its own' }) status?: number;
  @TextField({ optional: true, description: 'Refused: the problem code (docs/api.md)' }) code?: string;
  @TextField({ optional: true, description: 'Refused: why' }) detail?: string;
  @PositionField({ optional: true, description: 'Recorded or already recorded: global position of the event' }) position?: number;
}

export class PayoutReportAnswerSchema implements PayoutReportAnswer {
  @DateField() payoutDate!: string;
  @CountField() recorded!: number;
  @CountField() alreadyRecorded!: number;
  @CountField() refused!: number;
  @NestedField(() => PayoutReportItemResultSchema, { list: true, description: 'One result per reported item, in the order sent' })
  results!: PayoutReportItemResult[];
}

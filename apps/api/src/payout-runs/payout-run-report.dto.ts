import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MAX_GATEWAY_REFERENCE_LENGTH, MAX_REASON_LENGTH } from '@escrow/domain/shared/limits';
import { Id, ListOf, OptionalFreeText } from '../http/dto-fields';
import { PAYOUT_REPORT_OUTCOMES, type PayoutReportOutcome } from './payout-run-reports';

/** The most items one report carries: a run larger than this is reported in several batches. */
export const MAX_REPORT_ITEMS = 1000;

export class PayoutReportItemDto {
  @Id({ description: 'A withdrawal of the run' })
  withdrawalId!: string;

  @ApiProperty({ enum: PAYOUT_REPORT_OUTCOMES, description: '`paid`: the transfer was made; `failed`: it was not, the amount returns to the balance' })
  @IsIn([...PAYOUT_REPORT_OUTCOMES])
  outcome!: PayoutReportOutcome;

  @OptionalFreeText(MAX_GATEWAY_REFERENCE_LENGTH, { description: 'Paid only: the gateway\'s reference of the bank transfer' })
  transferReference?: string;

  @OptionalFreeText(MAX_REASON_LENGTH, { description: 'Failed only, and required then: why the transfer failed' })
  reason?: string;
}

export class PayoutReportDto {
  @ListOf(PayoutReportItemDto, { minItems: 1, maxItems: MAX_REPORT_ITEMS }, { description: `The transfers reported, 1 to ${MAX_REPORT_ITEMS}, each withdrawal at most once` })
  items!: PayoutReportItemDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  MAX_DELIVERABLES,
  MAX_FEE_SCHEDULE_ID_LENGTH,
  MAX_GATEWAY_REFERENCE_LENGTH,
  MAX_GROSS_AMOUNT,
  MAX_MESSAGE_LENGTH,
  MAX_MILESTONE_AMOUNT,
  MAX_MILESTONES,
  MAX_REASON_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URI_LENGTH,
  MIN_MILESTONES,
  SHA256_PATTERN,
} from '@escrow/domain/shared/limits';
import { FreeText, Id, ListOf, OptionalFreeText, OptionalListOf, OptionalYen, Yen } from '../http/dto-fields';
import { IsCalendarDate, IsDeliverableUri } from '../http/field-rules';

/** Shapes of the contract commands; every bound comes from the domain's limits, so the OpenAPI document states them. */

export class MilestoneTermsDto {
  @FreeText(MAX_TITLE_LENGTH, { example: 'Design mock-ups' })
  title!: string;

  @Yen({ minimum: 1, maximum: MAX_MILESTONE_AMOUNT }, { description: 'Tax-exclusive amount in whole yen', example: 10000 })
  amount!: number;

  @ApiProperty({ description: 'Due date (YYYY-MM-DD)', example: '2026-12-31', format: 'date' })
  @IsCalendarDate()
  dueDate!: string;
}

export class OfferContractDto {
  @Id({ example: 'client-1' })
  clientId!: string;

  @Id({ example: 'worker-1' })
  workerId!: string;

  @FreeText(MAX_TITLE_LENGTH, { example: 'Corporate website redesign' })
  title!: string;

  @ListOf(MilestoneTermsDto, { minItems: MIN_MILESTONES, maxItems: MAX_MILESTONES })
  milestones!: MilestoneTermsDto[];

  @ApiPropertyOptional({ description: 'Fee schedule id; the default in force at acceptance when omitted', example: 'crowdworks-2019-10', maxLength: MAX_FEE_SCHEDULE_ID_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEE_SCHEDULE_ID_LENGTH)
  feeSchedule?: string;
}

export class AmendOfferDto {
  @OptionalFreeText(MAX_TITLE_LENGTH)
  title?: string;

  @OptionalListOf(MilestoneTermsDto, { minItems: MIN_MILESTONES, maxItems: MAX_MILESTONES }, { description: 'Replaces every milestone of the offer' })
  milestones?: MilestoneTermsDto[];

  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'A schedule id, or null to return to the default', maxLength: MAX_FEE_SCHEDULE_ID_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEE_SCHEDULE_ID_LENGTH)
  feeSchedule?: string | null;
}

export class OptionalReasonDto {
  @OptionalFreeText(MAX_REASON_LENGTH)
  reason?: string;
}

export class ReasonDto {
  @FreeText(MAX_REASON_LENGTH)
  reason!: string;
}

export class EmptyDto {}

export class PrepayDto {
  @FreeText(MAX_GATEWAY_REFERENCE_LENGTH, { description: 'Reference of the payment at the payments gateway', example: 'pay_123' })
  paymentReference!: string;

  @ApiProperty({ enum: ['card', 'bank_transfer', 'invoice'] })
  @IsIn(['card', 'bank_transfer', 'invoice'])
  method!: 'card' | 'bank_transfer' | 'invoice';

  @OptionalYen({ minimum: 1, maximum: MAX_GROSS_AMOUNT }, { description: 'Gross paid; when given it must equal the amount due exactly' })
  amount?: number;
}

export class DeliverableDto {
  @ApiProperty({ example: 'https://files.example.com/deliverables/42.zip', maxLength: MAX_URI_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_URI_LENGTH)
  @IsDeliverableUri()
  uri!: string;

  @ApiPropertyOptional({ description: 'Hex SHA-256 of the file, either case; recorded in lower case', pattern: SHA256_PATTERN.source })
  @IsOptional()
  @Matches(SHA256_PATTERN, { message: 'sha256 must be 64 hexadecimal digits' })
  sha256?: string;
}

export class DeliverDto {
  @ListOf(DeliverableDto, { maxItems: MAX_DELIVERABLES }, { description: 'Empty when the work was handed over outside the platform' })
  deliverables!: DeliverableDto[];

  @OptionalFreeText(MAX_MESSAGE_LENGTH, { mayBeEmpty: true })
  message?: string;
}

export class RefundDto {
  @OptionalYen({ minimum: 1, maximum: MAX_GROSS_AMOUNT }, { description: 'Gross to refund; the whole escrow balance when omitted' })
  amount?: number;

  @FreeText(MAX_REASON_LENGTH)
  reason!: string;
}

export class MilestoneChangeDto {
  @Id()
  milestoneId!: string;

  @OptionalYen({ minimum: 1, maximum: MAX_MILESTONE_AMOUNT }, { description: 'New tax-exclusive amount' })
  amount?: number;

  @ApiPropertyOptional({ example: '2027-01-31', format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;
}

export class ProposeTermsChangeDto {
  @ListOf(MilestoneChangeDto, { maxItems: MAX_MILESTONES })
  changes!: MilestoneChangeDto[];

  @OptionalListOf(MilestoneTermsDto, { maxItems: MAX_MILESTONES - MIN_MILESTONES })
  newMilestones?: MilestoneTermsDto[];

  @OptionalFreeText(MAX_REASON_LENGTH, { mayBeEmpty: true })
  reason?: string;
}

export class TerminationSplitDto {
  @Id()
  milestoneId!: string;

  @Yen({ minimum: 0, maximum: MAX_GROSS_AMOUNT }, { description: 'Gross of the escrow paid out to the worker (fee deducted); the rest is refunded' })
  payOutGross!: number;
}

export class TerminationDto {
  @FreeText(MAX_REASON_LENGTH)
  reason!: string;

  @OptionalListOf(TerminationSplitDto, { maxItems: MAX_MILESTONES }, { description: 'Support only: escrow paid out to the worker' })
  splits?: TerminationSplitDto[];
}

export class ContactReminderDto {
  @OptionalFreeText(MAX_MESSAGE_LENGTH, { mayBeEmpty: true })
  message?: string;
}

export class InspectDto {
  @OptionalFreeText(MAX_REASON_LENGTH, { description: 'Required when support inspects on the client\'s behalf' })
  reason?: string;
}

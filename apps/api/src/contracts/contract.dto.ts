import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ID_PATTERN,
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
import { idMessage, IsCalendarDate, IsDeliverableUri, IsFreeText } from '../http/field-rules';

/** Shapes of the contract commands; every bound comes from the domain's limits, so the OpenAPI document states them. */

export class MilestoneTermsDto {
  @ApiProperty({ example: 'Design mock-ups', maxLength: MAX_TITLE_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE_LENGTH)
  @IsFreeText()
  title!: string;

  @ApiProperty({ description: 'Tax-exclusive amount in whole yen', example: 10000, minimum: 1, maximum: MAX_MILESTONE_AMOUNT })
  @IsInt()
  @Min(1)
  @Max(MAX_MILESTONE_AMOUNT)
  amount!: number;

  @ApiProperty({ description: 'Due date (YYYY-MM-DD)', example: '2026-12-31' })
  @IsCalendarDate()
  dueDate!: string;
}

export class OfferContractDto {
  @ApiProperty({ example: 'client-1', pattern: ID_PATTERN.source })
  @Matches(ID_PATTERN, { message: idMessage('clientId') })
  clientId!: string;

  @ApiProperty({ example: 'worker-1', pattern: ID_PATTERN.source })
  @Matches(ID_PATTERN, { message: idMessage('workerId') })
  workerId!: string;

  @ApiProperty({ example: 'Corporate website redesign', maxLength: MAX_TITLE_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE_LENGTH)
  @IsFreeText()
  title!: string;

  @ApiProperty({ type: [MilestoneTermsDto], minItems: MIN_MILESTONES, maxItems: MAX_MILESTONES })
  @IsArray()
  @ArrayMinSize(MIN_MILESTONES)
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneTermsDto)
  milestones!: MilestoneTermsDto[];

  @ApiPropertyOptional({ description: 'Fee schedule id; the default in force at acceptance when omitted', example: 'crowdworks-2019-10', maxLength: MAX_FEE_SCHEDULE_ID_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEE_SCHEDULE_ID_LENGTH)
  feeSchedule?: string;
}

export class AmendOfferDto {
  @ApiPropertyOptional({ maxLength: MAX_TITLE_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE_LENGTH)
  @IsFreeText()
  title?: string;

  @ApiPropertyOptional({ type: [MilestoneTermsDto], description: 'Replaces every milestone of the offer', maxItems: MAX_MILESTONES, minItems: MIN_MILESTONES })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(MIN_MILESTONES)
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneTermsDto)
  milestones?: MilestoneTermsDto[];

  @ApiPropertyOptional({ nullable: true, description: 'A schedule id, or null to return to the default', maxLength: MAX_FEE_SCHEDULE_ID_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEE_SCHEDULE_ID_LENGTH)
  feeSchedule?: string | null;
}

export class OptionalReasonDto {
  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: MAX_REASON_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason!: string;
}

export class EmptyDto {}

export class PrepayDto {
  @ApiProperty({ description: 'Reference of the payment at the payments gateway', example: 'pay_123', maxLength: MAX_GATEWAY_REFERENCE_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_GATEWAY_REFERENCE_LENGTH)
  @IsFreeText()
  paymentReference!: string;

  @ApiProperty({ enum: ['card', 'bank_transfer', 'invoice'] })
  @IsIn(['card', 'bank_transfer', 'invoice'])
  method!: 'card' | 'bank_transfer' | 'invoice';

  @ApiPropertyOptional({ description: 'Gross paid; when given it must equal the amount due exactly', maximum: MAX_GROSS_AMOUNT, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_GROSS_AMOUNT)
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
  @ApiProperty({ type: [DeliverableDto], description: 'Empty when the work was handed over outside the platform', maxItems: MAX_DELIVERABLES })
  @IsArray()
  @ArrayMaxSize(MAX_DELIVERABLES)
  @ValidateNested({ each: true })
  @Type(() => DeliverableDto)
  deliverables!: DeliverableDto[];

  @ApiPropertyOptional({ maxLength: MAX_MESSAGE_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MESSAGE_LENGTH)
  @IsFreeText()
  message?: string;
}

export class RefundDto {
  @ApiPropertyOptional({ description: 'Gross to refund; the whole escrow balance when omitted', maximum: MAX_GROSS_AMOUNT, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_GROSS_AMOUNT)
  amount?: number;

  @ApiProperty({ maxLength: MAX_REASON_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason!: string;
}

export class MilestoneChangeDto {
  @ApiProperty({ pattern: ID_PATTERN.source })
  @Matches(ID_PATTERN, { message: idMessage('milestoneId') })
  milestoneId!: string;

  @ApiPropertyOptional({ description: 'New tax-exclusive amount', maximum: MAX_MILESTONE_AMOUNT, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MILESTONE_AMOUNT)
  amount?: number;

  @ApiPropertyOptional({ example: '2027-01-31' })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;
}

export class ProposeTermsChangeDto {
  @ApiProperty({ type: [MilestoneChangeDto], maxItems: MAX_MILESTONES })
  @IsArray()
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneChangeDto)
  changes!: MilestoneChangeDto[];

  @ApiPropertyOptional({ type: [MilestoneTermsDto], maxItems: MAX_MILESTONES - MIN_MILESTONES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MILESTONES - MIN_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneTermsDto)
  newMilestones?: MilestoneTermsDto[];

  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason?: string;
}

export class TerminationSplitDto {
  @ApiProperty({ pattern: ID_PATTERN.source })
  @Matches(ID_PATTERN, { message: idMessage('milestoneId') })
  milestoneId!: string;

  @ApiProperty({ description: 'Gross of the escrow paid out to the worker (fee deducted); the rest is refunded', maximum: MAX_GROSS_AMOUNT, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(MAX_GROSS_AMOUNT)
  payOutGross!: number;
}

export class TerminationDto {
  @ApiProperty({ maxLength: MAX_REASON_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason!: string;

  @ApiPropertyOptional({ type: [TerminationSplitDto], description: 'Support only: escrow paid out to the worker', maxItems: MAX_MILESTONES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => TerminationSplitDto)
  splits?: TerminationSplitDto[];
}

export class ContactReminderDto {
  @ApiPropertyOptional({ maxLength: MAX_MESSAGE_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MESSAGE_LENGTH)
  @IsFreeText()
  message?: string;
}

export class InspectDto {
  @ApiPropertyOptional({ description: 'Required when support inspects on the client\'s behalf', maxLength: MAX_REASON_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason?: string;
}

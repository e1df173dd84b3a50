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
import { IsCalendarDate, IsDeliverableUri, IsFreeText } from '../http/field-rules';

/** The largest amount one milestone may carry: far above any real project, far below float trouble. */
export const MAX_MILESTONE_AMOUNT = 10_000_000_000;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export class MilestoneTermsDto {
  @ApiProperty({ example: 'Design mock-ups' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
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
  @ApiProperty({ example: 'client-1' })
  @Matches(ID, { message: 'clientId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  clientId!: string;

  @ApiProperty({ example: 'worker-1' })
  @Matches(ID, { message: 'workerId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  workerId!: string;

  @ApiProperty({ example: 'Corporate website redesign' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsFreeText()
  title!: string;

  @ApiProperty({ type: [MilestoneTermsDto], minItems: 1, maxItems: 20 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MilestoneTermsDto)
  milestones!: MilestoneTermsDto[];

  @ApiPropertyOptional({ description: 'Fee schedule id; the default in force at acceptance when omitted', example: 'crowdworks-2019-10' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  feeSchedule?: string;
}

export class AmendOfferDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsFreeText()
  title?: string;

  @ApiPropertyOptional({ type: [MilestoneTermsDto], description: 'Replaces every milestone of the offer' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MilestoneTermsDto)
  milestones?: MilestoneTermsDto[];

  @ApiPropertyOptional({ nullable: true, description: 'A schedule id, or null to return to the default' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  feeSchedule?: string | null;
}

export class OptionalReasonDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason!: string;
}

export class EmptyDto {}

export class PrepayDto {
  @ApiProperty({ description: 'Reference of the payment at the payments gateway', example: 'pay_123' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @IsFreeText()
  paymentReference!: string;

  @ApiProperty({ enum: ['card', 'bank_transfer', 'invoice'] })
  @IsIn(['card', 'bank_transfer', 'invoice'])
  method!: 'card' | 'bank_transfer' | 'invoice';

  @ApiPropertyOptional({ description: 'Gross paid; when given it must equal the amount due exactly' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MILESTONE_AMOUNT * 2)
  amount?: number;
}

export class DeliverableDto {
  @ApiProperty({ example: 'https://files.example.com/deliverables/42.zip' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  @IsDeliverableUri()
  uri!: string;

  @ApiPropertyOptional({ description: 'Lower-case hex SHA-256 of the file' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256?: string;
}

export class DeliverDto {
  @ApiProperty({ type: [DeliverableDto], description: 'Empty when the work was handed over outside the platform' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeliverableDto)
  deliverables!: DeliverableDto[];

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  @IsFreeText()
  message?: string;
}

export class RefundDto {
  @ApiPropertyOptional({ description: 'Gross to refund; the whole escrow balance when omitted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MILESTONE_AMOUNT * 2)
  amount?: number;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason!: string;
}

export class MilestoneChangeDto {
  @ApiProperty()
  @Matches(ID, { message: 'milestoneId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  milestoneId!: string;

  @ApiPropertyOptional({ description: 'New tax-exclusive amount' })
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
  @ApiProperty({ type: [MilestoneChangeDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MilestoneChangeDto)
  changes!: MilestoneChangeDto[];

  @ApiPropertyOptional({ type: [MilestoneTermsDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(19)
  @ValidateNested({ each: true })
  @Type(() => MilestoneTermsDto)
  newMilestones?: MilestoneTermsDto[];

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsFreeText()
  reason?: string;
}

export class TerminationSplitDto {
  @ApiProperty()
  @Matches(ID, { message: 'milestoneId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  milestoneId!: string;

  @ApiProperty({ description: 'Gross of the escrow paid out to the worker (fee deducted); the rest is refunded' })
  @IsInt()
  @Min(0)
  @Max(MAX_MILESTONE_AMOUNT * 2)
  payOutGross!: number;
}

export class TerminationDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason!: string;

  @ApiPropertyOptional({ type: [TerminationSplitDto], description: 'Support only: escrow paid out to the worker' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TerminationSplitDto)
  splits?: TerminationSplitDto[];
}

export class ContactReminderDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsFreeText()
  message?: string;
}

export class InspectDto {
  @ApiPropertyOptional({ description: 'Required when support inspects on the client\'s behalf', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason?: string;
}

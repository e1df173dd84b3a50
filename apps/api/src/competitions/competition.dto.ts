import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { MAX_BRIEF_LENGTH, MAX_PROPOSAL_DESCRIPTION_LENGTH } from '@escrow/domain/competition';
import { MAX_DELIVERABLES, MAX_FEE_SCHEDULE_ID_LENGTH, MAX_INSTANT_LENGTH, MAX_MILESTONE_AMOUNT, MAX_REASON_LENGTH, MAX_TITLE_LENGTH } from '@escrow/domain/shared/limits';
import { FreeText, ListOf, OptionalFreeText, Yen } from '../http/dto-fields';
import { IsInstant } from '../http/field-rules';
import { DeliverableDto, PrepayDto } from '../contracts/contract.dto';

/** Shapes of the competition commands; every bound comes from the domain's limits, so the OpenAPI document states them. */

export class DraftCompetitionDto {
  @FreeText(MAX_TITLE_LENGTH, { example: 'A logo for our bakery' })
  title!: string;

  @FreeText(MAX_BRIEF_LENGTH, { description: 'What the client asks for: every proposal answers it', example: 'A round logo in two colours' })
  brief!: string;

  @Yen({ minimum: 1, maximum: MAX_MILESTONE_AMOUNT }, { description: 'Tax-exclusive prize of one adoption in whole yen; its gross is fixed when drafted', example: 45455 })
  prize!: number;

  @ApiProperty({ description: 'ISO-8601 instant after which no proposal is taken', format: 'date-time', example: '2026-12-31T15:00:00Z', maxLength: MAX_INSTANT_LENGTH })
  @IsString()
  @MaxLength(MAX_INSTANT_LENGTH)
  @IsInstant()
  deadline!: string;

  @ApiPropertyOptional({ description: 'Fee schedule id; the default in force when drafted when omitted', example: 'crowdworks-2019-10', maxLength: MAX_FEE_SCHEDULE_ID_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEE_SCHEDULE_ID_LENGTH)
  feeSchedule?: string;
}

export class SubmitProposalDto {
  @FreeText(MAX_TITLE_LENGTH, { example: 'Round logo, wheat in two colours' })
  title!: string;

  @OptionalFreeText(MAX_PROPOSAL_DESCRIPTION_LENGTH)
  description?: string;

  @ListOf(DeliverableDto, { minItems: 1, maxItems: MAX_DELIVERABLES }, { description: 'The work proposed (作品): a competition takes the work with the proposal' })
  deliverables!: DeliverableDto[];
}

export class AdoptProposalDto {
  @ApiPropertyOptional({ type: PrepayDto, description: 'Required for every adoption after the first: the prepayment of its prize, recorded before it' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PrepayDto)
  prepayment?: PrepayDto;
}

export class CloseCompetitionDto {
  @OptionalFreeText(MAX_REASON_LENGTH, { description: 'Support only, and then required: why no proposal met the brief' })
  reason?: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_DELIVERABLES, MAX_GATEWAY_REFERENCE_LENGTH, MAX_INSTANT_LENGTH, MAX_TITLE_LENGTH } from '@escrow/domain/shared/limits';
import { MAX_TASK_CONTENT_LENGTH, MAX_TASK_SLOTS, MAX_TASK_UNIT_PRICE, MIN_TASK_SLOTS, MIN_TASK_UNIT_PRICE } from '@escrow/domain/task';
import { FreeText, OptionalListOf, Yen } from '../http/dto-fields';
import { IsInstant } from '../http/field-rules';
import { DeliverableDto } from '../contracts/contract.dto';

/** Shapes of the task commands; every bound comes from the domain's task policy and limits. */

export class PostTaskDto {
  @FreeText(MAX_TITLE_LENGTH, { example: 'Label 10 photos' })
  title!: string;

  @Yen(
    { minimum: MIN_TASK_UNIT_PRICE, maximum: MAX_TASK_UNIT_PRICE },
    { description: 'Tax-inclusive (税込) yen paid per approved submission; the flat fee is taken from it', example: 1000 },
  )
  unitPrice!: number;

  @ApiProperty({ description: 'Number of slots (募集件数); the client prepays unitPrice × slots', minimum: MIN_TASK_SLOTS, maximum: MAX_TASK_SLOTS, example: 10 })
  @IsInt()
  @Min(MIN_TASK_SLOTS)
  @Max(MAX_TASK_SLOTS)
  slots!: number;

  @ApiProperty({
    description: 'ISO-8601 instant after which no submission is taken: after now and at most 90 days ahead',
    format: 'date-time',
    example: '2027-04-15T00:00:00Z',
    maxLength: MAX_INSTANT_LENGTH,
  })
  @IsString()
  @MaxLength(MAX_INSTANT_LENGTH)
  @IsInstant()
  applicationDeadline!: string;

  @FreeText(MAX_GATEWAY_REFERENCE_LENGTH, { description: 'Reference of the prepayment at the payments gateway', example: 'pay_123' })
  paymentReference!: string;

  @ApiProperty({ enum: ['card', 'bank_transfer', 'invoice'] })
  @IsIn(['card', 'bank_transfer', 'invoice'])
  method!: 'card' | 'bank_transfer' | 'invoice';
}

export class SubmitTaskWorkDto {
  @FreeText(MAX_TASK_CONTENT_LENGTH, { description: 'The work: answers, text or a note on the files' })
  content!: string;

  @OptionalListOf(DeliverableDto, { maxItems: MAX_DELIVERABLES })
  deliverables?: DeliverableDto[];
}

import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { WITHDRAWAL_MODES, WithdrawalMode } from '@escrow/domain/wallet';
import { MAX_GATEWAY_REFERENCE_LENGTH, MAX_REASON_LENGTH, MAX_WITHDRAWAL_AMOUNT } from '@escrow/domain/shared/limits';
import { FreeText, Id, OptionalFreeText, Yen } from '../http/dto-fields';

export class RequestWithdrawalDto {
  @Yen({ maximum: MAX_WITHDRAWAL_AMOUNT }, { description: 'Whole yen taken from the available balance; the fees are deducted from it. Minimum ¥1,000.', example: 10000 })
  amount!: number;

  @ApiProperty({ enum: WITHDRAWAL_MODES, description: '`quick` (クイック出金) is paid within 3 business days for 5% (at least ¥530) more' })
  @IsString()
  mode!: WithdrawalMode;

  @Id({ description: 'A bank account registered to this account' })
  bankAccountId!: string;
}

export class ReviewReasonDto {
  @FreeText(MAX_REASON_LENGTH, { description: 'Why the reviewer decided so; recorded with the reviewer' })
  reason!: string;
}

export class InfoAnswerDto {
  @FreeText(MAX_REASON_LENGTH, { description: 'The owner\'s answer to support\'s latest request for information; support reads it in the review queue' })
  answer!: string;
}

export class TransferPaidDto {
  @OptionalFreeText(MAX_GATEWAY_REFERENCE_LENGTH, { description: 'The payments gateway\'s reference of the bank transfer' })
  transferReference?: string;
}

export class TransferFailedDto {
  @FreeText(MAX_REASON_LENGTH, { description: 'Why the transfer failed; the owner is told, the amount returns to the balance' })
  reason!: string;
}

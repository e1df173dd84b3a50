import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength } from 'class-validator';
import { WITHDRAWAL_MODES, WithdrawalMode } from '@escrow/domain/wallet';
import { ID_PATTERN, MAX_GATEWAY_REFERENCE_LENGTH, MAX_REASON_LENGTH, MAX_WITHDRAWAL_AMOUNT } from '@escrow/domain/shared/limits';
import { idMessage, IsFreeText } from '../http/field-rules';

export class RequestWithdrawalDto {
  @ApiProperty({ description: 'Whole yen taken from the available balance; the fees are deducted from it. Minimum ¥1,000.', example: 10000, maximum: MAX_WITHDRAWAL_AMOUNT })
  @IsInt()
  @Max(MAX_WITHDRAWAL_AMOUNT)
  amount!: number;

  @ApiProperty({ enum: WITHDRAWAL_MODES, description: '`quick` (クイック出金) is paid within 3 business days for 5% (at least ¥530) more' })
  @IsString()
  mode!: WithdrawalMode;

  @ApiProperty({ description: 'A bank account registered to this account', pattern: ID_PATTERN.source })
  @Matches(ID_PATTERN, { message: idMessage('bankAccountId') })
  bankAccountId!: string;
}

export class ReviewReasonDto {
  @ApiProperty({ maxLength: MAX_REASON_LENGTH, description: 'Why the reviewer decided so; recorded with the reviewer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason!: string;
}

export class TransferPaidDto {
  @ApiPropertyOptional({ maxLength: MAX_GATEWAY_REFERENCE_LENGTH, description: 'The payments gateway\'s reference of the bank transfer' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_GATEWAY_REFERENCE_LENGTH)
  @IsFreeText()
  transferReference?: string;
}

export class TransferFailedDto {
  @ApiProperty({ maxLength: MAX_REASON_LENGTH, description: 'Why the transfer failed; the owner is told, the amount returns to the balance' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength } from 'class-validator';
import { WITHDRAWAL_MODES, WithdrawalMode } from '@escrow/domain/wallet';
import { IsFreeText } from '../http/field-rules';

/** Far above any wallet balance, far below float trouble. */
const MAX_WITHDRAWAL_AMOUNT = 10_000_000_000;

export class RequestWithdrawalDto {
  @ApiProperty({ description: 'Whole yen taken from the available balance; the fees are deducted from it. Minimum ¥1,000.', example: 10000 })
  @IsInt()
  @Max(MAX_WITHDRAWAL_AMOUNT)
  amount!: number;

  @ApiProperty({ enum: WITHDRAWAL_MODES, description: '`quick` (クイック出金) is paid within 3 business days for 5% (at least ¥530) more' })
  @IsString()
  mode!: WithdrawalMode;

  @ApiProperty({ description: 'A bank account registered to this account' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { message: 'bankAccountId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  bankAccountId!: string;
}

export class ReviewReasonDto {
  @ApiProperty({ maxLength: 2000, description: 'Why the reviewer decided so; recorded with the reviewer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason!: string;
}

export class TransferPaidDto {
  @ApiPropertyOptional({ maxLength: 128, description: 'The payments gateway\'s reference of the bank transfer' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @IsFreeText()
  transferReference?: string;
}

export class TransferFailedDto {
  @ApiProperty({ maxLength: 2000, description: 'Why the transfer failed; the owner is told, the amount returns to the balance' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason!: string;
}

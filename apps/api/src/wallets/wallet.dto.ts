import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUTOMATIC_WITHDRAWAL_MODES, type AutomaticWithdrawalMode } from '@escrow/domain/wallet';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_INSTANT_LENGTH, MAX_REASON_LENGTH } from '@escrow/domain/shared/limits';
import { FreeText } from '../http/dto-fields';
import { IsCalendarDate, IsInstant } from '../http/field-rules';

export class ExpireBalancesDto {
  @ApiPropertyOptional({
    description: 'ISO-8601 instant to judge expiry at, not after now; now when omitted',
    format: 'date-time',
    example: '2026-10-01T00:00:00Z',
    maxLength: MAX_INSTANT_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_INSTANT_LENGTH)
  @IsInstant()
  asOf?: string;
}

export class ForfeitBalanceDto {
  @FreeText(MAX_REASON_LENGTH, { description: 'Why the balance is given up; recorded with whoever forfeits it' })
  reason!: string;
}

export class ChooseWithdrawalModeDto {
  @ApiProperty({
    enum: AUTOMATIC_WITHDRAWAL_MODES,
    description:
      'How the balance leaves at each standard withdrawal cut-off: `on_cutoff` (随時出金, all of it from ¥1,000, the default), ' +
      '`over_50000` (50,000円以上出金, all of it from ¥50,000) or `carry_over` (キャリーオーバー, never automatically)',
  })
  @IsString()
  mode!: AutomaticWithdrawalMode;
}

export class RequestAutomaticWithdrawalDto {
  @ApiProperty({ description: "The cut-off's closing date in Tokyo (YYYY-MM-DD): a 15th or a month's last day", example: '2026-12-31', format: 'date' })
  @IsCalendarDate()
  cutoff!: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_INSTANT_LENGTH, MAX_REASON_LENGTH } from '@escrow/domain/shared/limits';
import { FreeText } from '../http/dto-fields';
import { IsInstant } from '../http/field-rules';

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

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_INSTANT_LENGTH, MAX_REASON_LENGTH } from '@escrow/domain/shared/limits';
import { IsFreeText, IsInstant } from '../http/field-rules';

export class ExpireBalancesDto {
  @ApiPropertyOptional({
    description: 'ISO-8601 instant to judge expiry at, not after now; now when omitted',
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
  @ApiProperty({ maxLength: MAX_REASON_LENGTH, description: 'Why the balance is given up; recorded with whoever forfeits it' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  @IsFreeText()
  reason!: string;
}

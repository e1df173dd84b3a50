import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsFreeText, IsInstant } from '../http/field-rules';

export class ExpireBalancesDto {
  @ApiPropertyOptional({
    description: 'ISO-8601 instant to judge expiry at, not after now; now when omitted',
    example: '2026-10-01T00:00:00Z',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsInstant()
  asOf?: string;
}

export class ForfeitBalanceDto {
  @ApiProperty({ maxLength: 2000, description: 'Why the balance is given up; recorded with whoever forfeits it' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason!: string;
}

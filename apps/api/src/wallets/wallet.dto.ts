import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant } from '../http/field-rules';

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

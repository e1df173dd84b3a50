import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REPORTED_IDENTITY_STATUSES, ReportedIdentityStatus } from '@escrow/domain/account';
import { IsFreeText } from '../http/field-rules';

export class RegisterBankAccountDto {
  @ApiProperty({ description: '金融機関コード, 4 digits', example: '0036' })
  @Matches(/^[0-9]{4}$/, { message: 'bankCode must be exactly 4 digits' })
  bankCode!: string;

  @ApiProperty({ description: '支店コード, 3 digits', example: '251' })
  @Matches(/^[0-9]{3}$/, { message: 'branchCode must be exactly 3 digits' })
  branchCode!: string;

  @ApiProperty({ description: '口座番号, 7 digits; stored only masked to its last four digits', example: '1234567' })
  @Matches(/^[0-9]{7}$/, { message: 'accountNumber must be exactly 7 digits' })
  accountNumber!: string;

  @ApiProperty({ description: '口座名義', example: 'ヤマダ タロウ' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsFreeText()
  holderName!: string;
}

export class IdentityVerificationDto {
  @ApiProperty({ enum: REPORTED_IDENTITY_STATUSES, description: '`submitted` means under review' })
  @IsIn(REPORTED_IDENTITY_STATUSES as ReportedIdentityStatus[])
  status!: ReportedIdentityStatus;
}

export class CloseAccountDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Required when support closes the account' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsFreeText()
  reason?: string;
}

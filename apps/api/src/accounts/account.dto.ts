import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { REPORTED_IDENTITY_STATUSES, ReportedIdentityStatus } from '@escrow/domain/account';
import {
  ACCOUNT_NUMBER_PATTERN,
  BANK_CODE_PATTERN,
  BRANCH_CODE_PATTERN,
  MAX_HOLDER_NAME_LENGTH,
  MAX_REASON_LENGTH,
} from '@escrow/domain/shared/limits';
import { FreeText, OptionalFreeText } from '../http/dto-fields';

export class RegisterBankAccountDto {
  @ApiProperty({ description: '金融機関コード, 4 digits', example: '0036', pattern: BANK_CODE_PATTERN.source })
  @Matches(BANK_CODE_PATTERN, { message: 'bankCode must be exactly 4 digits' })
  bankCode!: string;

  @ApiProperty({ description: '支店コード, 3 digits', example: '251', pattern: BRANCH_CODE_PATTERN.source })
  @Matches(BRANCH_CODE_PATTERN, { message: 'branchCode must be exactly 3 digits' })
  branchCode!: string;

  @ApiProperty({ description: '口座番号, 7 digits; stored only masked to its last four digits', example: '1234567', pattern: ACCOUNT_NUMBER_PATTERN.source })
  @Matches(ACCOUNT_NUMBER_PATTERN, { message: 'accountNumber must be exactly 7 digits' })
  accountNumber!: string;

  @FreeText(MAX_HOLDER_NAME_LENGTH, { description: '口座名義', example: 'ヤマダ タロウ' })
  holderName!: string;
}

export class IdentityVerificationDto {
  @ApiProperty({ enum: REPORTED_IDENTITY_STATUSES, description: '`submitted` means under review' })
  @IsIn(REPORTED_IDENTITY_STATUSES as ReportedIdentityStatus[])
  status!: ReportedIdentityStatus;
}

export class CloseAccountDto {
  @OptionalFreeText(MAX_REASON_LENGTH, { description: 'Required when support closes the account' })
  reason?: string;
}

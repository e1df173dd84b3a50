import { Body, Controller, Get, Param } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CommandContext } from '../http/command-context';
import { BusController } from '../http/bus-controller';
import { CommandRoute } from '../http/decorators';
import { QueryResponses } from '../http/openapi/operation-responses';
import { AccountResponseSchema, BankAccountResponseSchema } from '../wallets/wallet.responses';
import { ClosureEligibilitySchema } from './account.responses';
import { CloseAccountDto, IdentityVerificationDto, RegisterBankAccountDto } from './account.dto';
import {
  type AccountResponse,
  type BankAccountResponse,
  type ClosureEligibilityResponse,
  CloseAccountCommand,
  GetAccountQuery,
  GetClosureEligibilityQuery,
  RegisterBankAccountCommand,
  ReportIdentityVerificationCommand,
} from './account-handlers';

@ApiTags('accounts')
@Controller('v1/accounts/:accountId')
export class AccountsController extends BusController {
  @Get()
  @Access.account('accountId')
  @ApiOperation({ summary: 'Identity verification status, registered bank accounts (masked) and whether the account is closed' })
  @QueryResponses(AccountResponseSchema)
  account(@Param('accountId') accountId: string): Promise<AccountResponse> {
    return this.queries.execute(new GetAccountQuery(accountId));
  }

  @CommandRoute('bank-accounts', 201, BankAccountResponseSchema, {
    summary: 'Register a bank account for withdrawals',
    description: 'Actor: the account owner. The account number is kept only masked (***4567) and as a keyed fingerprint.',
  })
  registerBankAccount(@Param('accountId') accountId: string, @Body() body: RegisterBankAccountDto, @Command() context: CommandContext): Promise<BankAccountResponse> {
    const { bankCode, branchCode, accountNumber, holderName } = body;
    return this.commands.execute(new RegisterBankAccountCommand(accountId, { bankCode, branchCode, accountNumber, holderName }, context));
  }

  @CommandRoute('identity-verification', 200, AccountResponseSchema, { summary: 'Report the identity verification (本人確認) status', description: 'Actor role: system (the verification service).' })
  reportIdentityVerification(@Param('accountId') accountId: string, @Body() body: IdentityVerificationDto, @Command() context: CommandContext): Promise<AccountResponse> {
    return this.commands.execute(new ReportIdentityVerificationCommand(accountId, body.status, context));
  }

  @Get('closure-eligibility')
  @Access.account('accountId')
  @ApiOperation({ summary: 'Whether the account can be closed (退会), with every reason it cannot' })
  @QueryResponses(ClosureEligibilitySchema)
  closureEligibility(@Param('accountId') accountId: string): Promise<ClosureEligibilityResponse> {
    return this.queries.execute(new GetClosureEligibilityQuery(accountId));
  }

  @CommandRoute('close', 200, AccountResponseSchema, {
    summary: 'Close the account (退会)',
    description: 'Actor: the owner, or support with a reason. Refused with 409 ACCOUNT_CLOSURE_BLOCKED listing every reason while any applies.',
  })
  close(@Param('accountId') accountId: string, @Body() body: CloseAccountDto, @Command() context: CommandContext): Promise<AccountResponse> {
    return this.commands.execute(new CloseAccountCommand(accountId, body.reason, context));
  }
}

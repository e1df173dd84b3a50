import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  AccountCommand,
  AccountState,
  ClosureEligibility,
  ReportedIdentityStatus,
  accountStreamId,
  closureBlockers,
  closureEligibility,
  initialAccountState,
  requireAccountCloser,
} from '@escrow/domain/account';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { walletStreamId } from '@escrow/domain/wallet';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import { walletAggregate } from '../wallets/wallet-aggregate';
import { APP_CONFIG, AppConfig, DEVELOPMENT_BANK_FINGERPRINT_KEY } from '../config/app-config';
import { newIdFor } from '../commands/envelope';
import type { CommandContext } from '../http/command-context';
import { accountAggregate } from './account-aggregate';
import { AccountIndexes } from './account-indexes';
import { bankAccountFingerprint } from './bank-account-fingerprint';
import { ClosureFactsService } from './closure-facts';

/** What callers see of an account: bank accounts masked, never their number nor their fingerprint. */
export interface AccountResponse {
  accountId: string;
  identityStatus: AccountState['identityStatus'];
  closed: boolean;
  bankAccounts: { bankAccountId: string; bankCode: string; branchCode: string; accountNumberMasked: string; holderName: string }[];
  revision: number;
  position: number;
}

/** An account stream folded up to its last event. */
type FoldedAccount = Pick<CommandOutcome<AccountState>, 'state' | 'revision' | 'position'>;

/** An account with no event yet is an account with nothing registered. */
const NO_ACCOUNT_EVENTS_YET: FoldedAccount = { state: initialAccountState(), revision: -1, position: 0 };

function accountResponse(accountId: string, { state, revision, position }: FoldedAccount): AccountResponse {
  return {
    accountId,
    identityStatus: state.identityStatus,
    closed: state.closed,
    bankAccounts: Object.values(state.bankAccounts).map(({ bankAccountId, bankCode, branchCode, accountNumberMasked, holderName }) => ({
      bankAccountId,
      bankCode,
      branchCode,
      accountNumberMasked,
      holderName,
    })),
    revision,
    position,
  };
}

export interface RegisterBankAccountInput {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  holderName: string;
}

export class RegisterBankAccountCommand {
  constructor(
    readonly accountId: string,
    readonly input: RegisterBankAccountInput,
    readonly context: CommandContext,
  ) {}
}

export type BankAccountResponse = AccountResponse['bankAccounts'][number] & { accountId: string; revision: number; position: number };

/**
 * Computes the fingerprint with the deployment's key (the domain never sees it) and registers the bank account.
 * The account is recorded as a holder on the fingerprint's own stream before its stream records the
 * registration, so a withdrawal's screening finds every account a bank account is registered to without a read
 * model.
 */
@CommandHandler(RegisterBankAccountCommand)
export class RegisterBankAccountCommandHandler implements ICommandHandler<RegisterBankAccountCommand, BankAccountResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
  ) {
    if (config.bankFingerprintKey === DEVELOPMENT_BANK_FINGERPRINT_KEY) {
      new Logger('BankAccounts').warn(
        'BANK_FINGERPRINT_KEY is not set: bank account fingerprints use the development key. Set a secret of at least 32 characters in production.',
      );
    }
  }

  async execute({ accountId, input, context }: RegisterBankAccountCommand): Promise<BankAccountResponse> {
    const bankAccountId = newIdFor(context, 'bank-account');
    const outcome = await this.executor.execute(
      accountAggregate,
      accountStreamId(accountId),
      {
        type: 'RegisterBankAccount',
        accountId,
        actor: context.actor,
        at: context.at,
        bankAccountId,
        ...input,
        fingerprint: bankAccountFingerprint(this.config.bankFingerprintKey, input),
      },
      context,
      {
        beforeAppend: async (events) => {
          for (const event of events) {
            if (event.type !== 'BankAccountRegistered') continue;
            const { fingerprint, bankAccountId: registeredId } = event.data;
            await this.indexes.recordBankAccountHolder({ fingerprint, accountId, bankAccountId: registeredId }, context);
          }
        },
      },
    );
    const registered = accountResponse(accountId, outcome).bankAccounts.find(
      (bankAccount) => bankAccount.bankAccountId === bankAccountId,
    )!;
    return { ...registered, accountId, revision: outcome.revision, position: outcome.position };
  }
}

export class ReportIdentityVerificationCommand {
  constructor(
    readonly accountId: string,
    readonly status: ReportedIdentityStatus,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ReportIdentityVerificationCommand)
export class ReportIdentityVerificationCommandHandler implements ICommandHandler<ReportIdentityVerificationCommand, AccountResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ accountId, status, context }: ReportIdentityVerificationCommand): Promise<AccountResponse> {
    const command: AccountCommand = { type: 'ReportIdentityVerification', accountId, actor: context.actor, at: context.at, status };
    const outcome = await this.executor.execute(accountAggregate, accountStreamId(accountId), command, context);
    return accountResponse(accountId, outcome);
  }
}

export class CloseAccountCommand {
  constructor(
    readonly accountId: string,
    readonly reason: string | undefined,
    readonly context: CommandContext,
  ) {}
}

/**
 * Gathers the closure facts and lets the account stream decide; refused with 409
 * ACCOUNT_CLOSURE_BLOCKED and every reason while any applies.
 */
@CommandHandler(CloseAccountCommand)
export class CloseAccountCommandHandler implements ICommandHandler<CloseAccountCommand, AccountResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(ClosureFactsService) private readonly closureFacts: ClosureFactsService,
  ) {}

  async execute({ accountId, reason, context }: CloseAccountCommand): Promise<AccountResponse> {
    // Gathering the facts reads every contract the account was party to: work only its owner and support may cause.
    requireAccountCloser(context.actor, accountId);
    const { facts } = await this.closureFacts.gather(accountId);
    let outcome;
    try {
      outcome = await this.executor.execute(
        accountAggregate,
        accountStreamId(accountId),
        {
          type: 'CloseAccount',
          accountId,
          actor: context.actor,
          at: context.at,
          blockers: closureBlockers(facts),
          ...(reason !== undefined ? { reason } : {}),
        },
        context,
      );
    } catch (error) {
      // A closure recorded by an earlier request that stopped before closing the wallet is completed now.
      if (error instanceof DomainError && error.code === 'ACCOUNT_CLOSED') await this.closeWallet(accountId, context);
      throw error;
    }
    await this.closeWallet(accountId, context);
    return accountResponse(accountId, outcome);
  }

  /**
   * Records the closure on the wallet stream too, so that the wallet refuses every later credit. The account
   * stream decided the closure; the wallet appends nothing when it is closed already (a retry).
   */
  private async closeWallet(accountId: string, context: CommandContext): Promise<void> {
    const account = await this.executor.read(accountAggregate, accountStreamId(accountId));
    if (!account?.state.closed) return;
    const closedBy = account.state.closedBy ?? context.actor;
    await this.executor.execute(
      walletAggregate,
      walletStreamId(accountId),
      { type: 'CloseWallet', accountId, actor: closedBy, at: context.at },
      { ...context, actor: closedBy, ifMatch: undefined },
    );
  }
}

export type ClosureEligibilityResponse = ClosureEligibility & { accountId: string; closed: boolean };

export class GetClosureEligibilityQuery {
  constructor(readonly accountId: string) {}
}

@QueryHandler(GetClosureEligibilityQuery)
export class GetClosureEligibilityQueryHandler implements IQueryHandler<GetClosureEligibilityQuery, ClosureEligibilityResponse> {
  constructor(@Inject(ClosureFactsService) private readonly closureFacts: ClosureFactsService) {}

  async execute({ accountId }: GetClosureEligibilityQuery): Promise<ClosureEligibilityResponse> {
    const { facts, account } = await this.closureFacts.gather(accountId);
    return { accountId, closed: account.state.closed, ...closureEligibility(facts) };
  }
}

export class GetAccountQuery {
  constructor(readonly accountId: string) {}
}

@QueryHandler(GetAccountQuery)
export class GetAccountQueryHandler implements IQueryHandler<GetAccountQuery, AccountResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ accountId }: GetAccountQuery): Promise<AccountResponse> {
    const account = await this.executor.read(accountAggregate, accountStreamId(accountId));
    return accountResponse(accountId, account ?? NO_ACCOUNT_EVENTS_YET);
  }
}

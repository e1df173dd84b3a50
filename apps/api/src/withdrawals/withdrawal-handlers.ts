import { Inject } from '@nestjs/common';
import Decimal from 'decimal.js';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccountState, RegisteredBankAccount, accountStreamId } from '@escrow/domain/account';
import { mayReadAccount } from '@escrow/domain/shared/access';
import type { Actor } from '@escrow/domain/shared/actor';
import { DomainError } from '@escrow/domain/shared/domain-error';
import type {
  ReviewStep,
  WalletCommand,
  WalletState,
  WithdrawalBankAccount,
  WithdrawalMode,
  WithdrawalReviewReason,
  WithdrawalScreening,
  WithdrawalStatus,
} from '@escrow/domain/wallet';
import { walletStreamId } from '@escrow/domain/wallet';
import { type ReviewQueueLine, reviewQueueAfter } from '@escrow/projections/wallet-review-queue/review-queue.queries';
import { accountAggregate } from '../accounts/account-aggregate';
import { AccountIndexes } from '../accounts/account-indexes';
import { LegacyIndexBackfill } from '../accounts/legacy-index-backfill';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { newIdFor } from '../commands/envelope';
import type { CommandContext } from '../http/command-context';
import { ProblemError } from '../http/problem';
import { walletAggregate } from '../wallets/wallet-aggregate';
import { WalletReadModels } from '../wallets/wallet-read-models';

export interface WithdrawalResponse {
  withdrawalId: string;
  accountId: string;
  status: WithdrawalStatus;
  mode: WithdrawalMode;
  /** Taken from the balance. */
  amount: number;
  /** bankFee + quickFee, deducted from the amount. */
  fee: number;
  bankFee: number;
  quickFee: number;
  /** What the bank account receives. */
  netAmount: number;
  bankAccountId: string;
  payoutDate: string;
  /** Every review reason that applied when it was requested; empty when it went straight to scheduled. */
  reasons: WithdrawalReviewReason[];
  reviewSteps: ReviewStep[];
  requestedAt: string;
  failureReason?: string;
  transferReference?: string;
  /** Available balance of the wallet after the command (of a read: now). */
  available: number;
  /** Wallet stream revision and global position of the command's last event (of a read: of the wallet's last event). */
  revision: number;
  position: number;
}

export function withdrawalResponse(accountId: string, withdrawalId: string, outcome: Pick<CommandOutcome<WalletState>, 'state' | 'revision' | 'position'>): WithdrawalResponse {
  const record = outcome.state.withdrawals[withdrawalId];
  return {
    withdrawalId,
    accountId,
    status: record.status,
    mode: record.mode,
    amount: record.amount,
    fee: new Decimal(record.bankFee).plus(record.quickFee).toNumber(),
    bankFee: record.bankFee,
    quickFee: record.quickFee,
    netAmount: record.netAmount,
    bankAccountId: record.bankAccountId,
    payoutDate: record.payoutDate,
    reasons: [...record.reviewReasons],
    reviewSteps: record.reviewSteps.map((step) => ({ ...step })),
    requestedAt: record.requestedAt,
    ...(record.failureReason !== undefined ? { failureReason: record.failureReason } : {}),
    ...(record.transferReference !== undefined ? { transferReference: record.transferReference } : {}),
    available: outcome.state.available,
    revision: outcome.revision,
    position: outcome.position,
  };
}

export interface WithdrawalRequestInput {
  amount: number;
  mode: WithdrawalMode;
  bankAccountId: string;
}

export class RequestWithdrawalCommand {
  constructor(
    readonly accountId: string,
    readonly input: WithdrawalRequestInput,
    readonly context: CommandContext,
  ) {}
}

/**
 * Gathers the screening facts from streams and lets the wallet decide: the bank account and identity status
 * from the account stream, the other accounts the bank account is registered to from its fingerprint's
 * holders index (each confirmed on that account's own stream). The withdrawal's address (its account) is
 * recorded before the wallet's append, so the review steps find it. The wallet stream's expected revision
 * serialises concurrent requests, so together they can never take more than the available balance.
 */
@CommandHandler(RequestWithdrawalCommand)
export class RequestWithdrawalCommandHandler implements ICommandHandler<RequestWithdrawalCommand, WithdrawalResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
    @Inject(LegacyIndexBackfill) private readonly backfill: LegacyIndexBackfill,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ accountId, input, context }: RequestWithdrawalCommand): Promise<WithdrawalResponse> {
    const account = await this.executor.read(accountAggregate, accountStreamId(accountId));
    // A closed account may still withdraw what its wallet holds (to a bank account it registered before): a
    // balance must never be stranded. What it may not do is take part in anything new.
    const bankAccount = account ? registeredBankAccount(account.state, input.bankAccountId) : undefined;
    if (!account || !bankAccount) {
      throw new DomainError('not_found', 'BANK_ACCOUNT_NOT_FOUND', `No bank account ${input.bankAccountId} is registered to account ${accountId}.`, {
        bankAccountId: input.bankAccountId,
      });
    }
    await this.backfill.ready();
    const withdrawalId = newIdFor(context, 'withdrawal');
    const command: WalletCommand = {
      type: 'RequestWithdrawal',
      accountId,
      actor: context.actor,
      at: context.at,
      withdrawalId,
      amount: input.amount,
      mode: input.mode,
      ...(await screenedWithdrawalTo(this.executor, this.indexes, accountId, account.state, bankAccount)),
      partnerBankCode: this.config.partnerBankCode,
    };
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(accountId), command, context, addressingWithdrawals(this.indexes, accountId, context));
    return withdrawalResponse(accountId, withdrawalId, outcome);
  }
}

/**
 * The bank account a withdrawal goes to, as the wallet sees it, and the screening facts the wallet judges: the
 * account's identity status and whether another account holds the same bank account. Gathered the same way for a
 * withdrawal the owner asks for and one a cut-off makes.
 */
export async function screenedWithdrawalTo(
  executor: CommandExecutor,
  indexes: AccountIndexes,
  accountId: string,
  account: AccountState | undefined,
  bankAccount: RegisteredBankAccount,
): Promise<{ bankAccount: WithdrawalBankAccount; screening: WithdrawalScreening }> {
  return {
    bankAccount: { bankAccountId: bankAccount.bankAccountId, bankCode: bankAccount.bankCode, fingerprint: bankAccount.fingerprint },
    screening: {
      bankAccountSharedWithOtherAccount: await bankAccountRegisteredToAnotherAccount(executor, indexes, bankAccount.fingerprint, accountId),
      identityStatus: account?.identityStatus ?? 'none',
    },
  };
}

/** Records each withdrawal's address (its account) before the wallet's append, so that its later steps find it. */
export const addressingWithdrawals = (indexes: AccountIndexes, accountId: string, context: CommandContext) => ({
  beforeAppend: async (events: readonly { type: string; data: unknown }[]) => {
    for (const event of events) {
      if (event.type === 'WithdrawalRequested') await indexes.addressWithdrawal((event.data as { withdrawalId: string }).withdrawalId, accountId, context);
    }
  },
});

/**
 * Whether another account holds the bank account. The holders index records an account before its stream
 * records the registration, so each holder is confirmed on its own stream: a registration its account then
 * refused flags nobody.
 */
export async function bankAccountRegisteredToAnotherAccount(
  executor: CommandExecutor,
  indexes: AccountIndexes,
  fingerprint: string,
  accountId: string,
): Promise<boolean> {
  for (const holder of await indexes.otherHoldersOf(fingerprint, accountId)) {
    const other = await executor.read(accountAggregate, accountStreamId(holder));
    if (other && Object.values(other.state.bankAccounts).some((registered) => registered.fingerprint === fingerprint)) return true;
  }
  return false;
}

const registeredBankAccount = (state: AccountState, bankAccountId: string): RegisteredBankAccount | undefined =>
  Object.prototype.hasOwnProperty.call(state.bankAccounts, bankAccountId) ? state.bankAccounts[bankAccountId] : undefined;

export type WithdrawalAction =
  | { type: 'ApproveWithdrawal' | 'RejectWithdrawal' | 'RequestWithdrawalInfo'; reason: string }
  | { type: 'AnswerWithdrawalInfoRequest'; answer: string }
  | { type: 'MarkWithdrawalPaid'; transferReference?: string }
  | { type: 'MarkWithdrawalFailed'; reason: string };

export class ActOnWithdrawalCommand {
  constructor(
    readonly withdrawalId: string,
    readonly action: WithdrawalAction,
    readonly context: CommandContext,
  ) {}
}

/**
 * Review steps and bank transfer reports name only the withdrawal: its address stream says whose wallet it is
 * in, and the wallet decides.
 */
@CommandHandler(ActOnWithdrawalCommand)
export class ActOnWithdrawalCommandHandler implements ICommandHandler<ActOnWithdrawalCommand, WithdrawalResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
    @Inject(LegacyIndexBackfill) private readonly backfill: LegacyIndexBackfill,
  ) {}

  async execute({ withdrawalId, action, context }: ActOnWithdrawalCommand): Promise<WithdrawalResponse> {
    await this.backfill.ready();
    const accountId = await this.indexes.accountOfWithdrawal(withdrawalId);
    if (accountId === undefined) throw new DomainError('not_found', 'WITHDRAWAL_NOT_FOUND', `No withdrawal ${withdrawalId}.`, { withdrawalId });
    const command = { ...action, accountId, actor: context.actor, at: context.at, withdrawalId } as WalletCommand;
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(accountId), command, context);
    return withdrawalResponse(accountId, withdrawalId, outcome);
  }
}

export class GetWithdrawalQuery {
  constructor(
    readonly withdrawalId: string,
    readonly reader: Actor,
  ) {}
}

/**
 * A withdrawal as its wallet stream holds it now, found through its address stream. Whose it is shows only once
 * it is found, so its owner (or staff) is checked here: anyone else is refused as the access guard refuses a
 * stranger's read of an account.
 */
@QueryHandler(GetWithdrawalQuery)
export class GetWithdrawalQueryHandler implements IQueryHandler<GetWithdrawalQuery, WithdrawalResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
    @Inject(LegacyIndexBackfill) private readonly backfill: LegacyIndexBackfill,
  ) {}

  async execute({ withdrawalId, reader }: GetWithdrawalQuery): Promise<WithdrawalResponse> {
    await this.backfill.ready();
    const accountId = await this.indexes.accountOfWithdrawal(withdrawalId);
    const wallet = accountId === undefined ? undefined : await this.executor.read(walletAggregate, walletStreamId(accountId));
    // An address whose withdrawal the wallet then refused names nothing.
    if (accountId === undefined || !wallet || !Object.prototype.hasOwnProperty.call(wallet.state.withdrawals, withdrawalId)) {
      throw new DomainError('not_found', 'WITHDRAWAL_NOT_FOUND', `No withdrawal ${withdrawalId}.`, { withdrawalId });
    }
    if (!mayReadAccount(reader, accountId)) {
      throw new ProblemError(403, 'NOT_A_PARTY', 'Forbidden', `The actor is not party to withdrawal ${withdrawalId}; only its account's owner and staff may read it.`);
    }
    return withdrawalResponse(accountId, withdrawalId, wallet);
  }
}

/** An entry of the review queue, with its age. */
export type ReviewQueueItem = ReviewQueueLine & {
  /** Seconds since the request, at the time of the answer. */
  ageSeconds: number;
};

export class GetReviewQueueQuery {
  constructor(
    /** Only withdrawals requested after this global position. */
    readonly after: number,
    readonly limit: number,
    /** The instant ages are measured at. */
    readonly now: string,
  ) {}
}

@QueryHandler(GetReviewQueueQuery)
export class GetReviewQueueQueryHandler implements IQueryHandler<GetReviewQueueQuery, ReviewQueueItem[]> {
  constructor(@Inject(WalletReadModels) private readonly readModels: WalletReadModels) {}

  async execute({ after, limit, now }: GetReviewQueueQuery): Promise<ReviewQueueItem[]> {
    const nowMs = Date.parse(now);
    return reviewQueueAfter(this.readModels.db, { after, limit }).map((entry) => ({
      ...entry,
      ageSeconds: Math.max(0, Math.floor((nowMs - Date.parse(entry.requestedAt)) / 1000)),
    }));
  }
}

import { Inject } from '@nestjs/common';
import Decimal from 'decimal.js';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { accountStreamId } from '@escrow/domain/account';
import { DomainError } from '@escrow/domain/shared/domain-error';
import type { ReviewStep, WalletCommand, WalletState, WithdrawalMode, WithdrawalReviewReason, WithdrawalStatus } from '@escrow/domain/wallet';
import { walletStreamId } from '@escrow/domain/wallet';
import { BANK_ACCOUNTS_PROJECTION, isBankAccountShared } from '@escrow/projections/bank-accounts';
import { reviewQueue } from '@escrow/projections/wallet-review-queue';
import { WITHDRAWALS_PROJECTION, findWithdrawal } from '@escrow/projections/withdrawals';
import { accountAggregate } from '../accounts/account-aggregate';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CommandContext, newIdFor } from '../http/command-context';
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
  /** Available balance of the wallet after the command. */
  available: number;
  /** Wallet stream revision and global position of the command's last event. */
  revision: number;
  position: number;
}

function withdrawalResponse(accountId: string, withdrawalId: string, outcome: CommandOutcome<WalletState>): WithdrawalResponse {
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
 * Gathers the screening facts (the bank account and identity status from the account stream, whether the
 * bank account is registered to another account from the bank-accounts read model, caught up with the
 * log) and lets the wallet decide. The wallet stream's expected revision serialises concurrent requests,
 * so together they can never take more than the available balance.
 */
@CommandHandler(RequestWithdrawalCommand)
export class RequestWithdrawalCommandHandler implements ICommandHandler<RequestWithdrawalCommand, WithdrawalResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(WalletReadModels) private readonly readModels: WalletReadModels,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ accountId, input, context }: RequestWithdrawalCommand): Promise<WithdrawalResponse> {
    const account = await this.executor.load(accountAggregate, accountStreamId(accountId));
    // A closed account may still withdraw what its wallet holds (to a bank account it registered before): a
    // balance must never be stranded. What it may not do is take part in anything new.
    const bankAccounts = account?.state.bankAccounts ?? {};
    const bankAccount = Object.prototype.hasOwnProperty.call(bankAccounts, input.bankAccountId) ? bankAccounts[input.bankAccountId] : undefined;
    if (!account || !bankAccount) {
      throw new DomainError('not_found', 'BANK_ACCOUNT_NOT_FOUND', `No bank account ${input.bankAccountId} is registered to account ${accountId}.`, {
        bankAccountId: input.bankAccountId,
      });
    }
    await this.readModels.caughtUpWithHead([BANK_ACCOUNTS_PROJECTION]);
    const withdrawalId = newIdFor(context, 'withdrawal');
    const command: WalletCommand = {
      type: 'RequestWithdrawal',
      accountId,
      actor: context.actor,
      at: context.at,
      withdrawalId,
      amount: input.amount,
      mode: input.mode,
      bankAccount: { bankAccountId: bankAccount.bankAccountId, bankCode: bankAccount.bankCode, fingerprint: bankAccount.fingerprint },
      screening: {
        bankAccountSharedWithOtherAccount: isBankAccountShared(this.readModels.db, bankAccount.fingerprint, accountId),
        identityStatus: account.state.identityStatus,
      },
      partnerBankCode: this.config.partnerBankCode,
    };
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(accountId), command, context);
    return withdrawalResponse(accountId, withdrawalId, outcome);
  }
}

export type WithdrawalAction =
  | { type: 'ApproveWithdrawal' | 'RejectWithdrawal' | 'RequestWithdrawalInfo'; reason: string }
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
 * Review steps and bank transfer reports name only the withdrawal: the withdrawals read model says whose
 * wallet it is in (after catching up with the log when it does not know the id yet), and the wallet decides.
 */
@CommandHandler(ActOnWithdrawalCommand)
export class ActOnWithdrawalCommandHandler implements ICommandHandler<ActOnWithdrawalCommand, WithdrawalResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(WalletReadModels) private readonly readModels: WalletReadModels,
  ) {}

  async execute({ withdrawalId, action, context }: ActOnWithdrawalCommand): Promise<WithdrawalResponse> {
    const accountId = await this.accountOf(withdrawalId);
    const command = { ...action, accountId, actor: context.actor, at: context.at, withdrawalId } as WalletCommand;
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(accountId), command, context);
    return withdrawalResponse(accountId, withdrawalId, outcome);
  }

  private async accountOf(withdrawalId: string): Promise<string> {
    let row = findWithdrawal(this.readModels.db, withdrawalId);
    if (!row) {
      await this.readModels.caughtUpWithHead([WITHDRAWALS_PROJECTION]);
      row = findWithdrawal(this.readModels.db, withdrawalId);
    }
    if (!row) throw new DomainError('not_found', 'WITHDRAWAL_NOT_FOUND', `No withdrawal ${withdrawalId}.`, { withdrawalId });
    return row.accountId;
  }
}

export interface ReviewQueueItem {
  withdrawalId: string;
  accountId: string;
  amount: number;
  netAmount: number;
  mode: string;
  reasons: WithdrawalReviewReason[];
  requestedAt: string;
  /** Seconds since the request, at the time of the answer. */
  ageSeconds: number;
  infoRequests: number;
  lastInfoRequestedAt: string | null;
}

export class GetReviewQueueQuery {
  constructor(
    readonly limit: number,
    /** The instant ages are measured at. */
    readonly now: string,
  ) {}
}

@QueryHandler(GetReviewQueueQuery)
export class GetReviewQueueQueryHandler implements IQueryHandler<GetReviewQueueQuery, { items: ReviewQueueItem[] }> {
  constructor(@Inject(WalletReadModels) private readonly readModels: WalletReadModels) {}

  async execute({ limit, now }: GetReviewQueueQuery): Promise<{ items: ReviewQueueItem[] }> {
    const nowMs = Date.parse(now);
    const items = reviewQueue(this.readModels.db, { limit }).map((entry) => ({
      ...entry,
      ageSeconds: Math.max(0, Math.floor((nowMs - Date.parse(entry.requestedAt)) / 1000)),
    }));
    return { items };
  }
}

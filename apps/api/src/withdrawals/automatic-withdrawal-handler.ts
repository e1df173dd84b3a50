import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { accountStreamId } from '@escrow/domain/account';
import { withdrawalCutoffOf } from '@escrow/domain/calendar';
import { requireRole } from '@escrow/domain/shared/account-actor-guards';
import {
  type AutomaticWithdrawalMode,
  type AutomaticWithdrawalOutcome,
  type RequestAutomaticWithdrawal,
  automaticWithdrawalPlan,
  walletStreamId,
} from '@escrow/domain/wallet';
import { accountAggregate } from '../accounts/account-aggregate';
import { AccountIndexes } from '../accounts/account-indexes';
import { LegacyIndexBackfill } from '../accounts/legacy-index-backfill';
import { CommandExecutor } from '../commands/command-executor';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { CommandContext } from '../http/command-context';
import { walletAggregate } from '../wallets/wallet-aggregate';
import { addressingWithdrawals, screenedWithdrawalTo, WithdrawalResponse, withdrawalResponse } from './withdrawal-handlers';

/** What a cut-off did to one wallet; `no_bank_account` when the mode's threshold was met but nowhere to send it. */
export type AutomaticWithdrawalAnswer = AutomaticWithdrawalOutcome | 'no_bank_account';

export interface AutomaticWithdrawalResponse {
  accountId: string;
  /** The cut-off's closing date (Tokyo). */
  cutoff: string;
  cutoffAt: string;
  /** The payout date of a standard withdrawal made at this cut-off. */
  cutoffPayoutDate: string;
  /** The mode in force at the cut-off. */
  withdrawalMode: AutomaticWithdrawalMode;
  threshold: number | null;
  /** What remains of the credits that landed before the cut-off. */
  balanceAtCutoff: number;
  outcome: AutomaticWithdrawalAnswer;
  /** The withdrawal of this cut-off, requested now or by an earlier run; null when there is none. */
  withdrawal: WithdrawalResponse | null;
  revision: number;
  position: number;
}

export class RequestAutomaticWithdrawalCommand {
  constructor(
    readonly accountId: string,
    readonly cutoff: string,
    readonly context: CommandContext,
  ) {}
}

/**
 * The platform applies an account's withdrawal mode at a cut-off. The bank account is the one the account
 * registered last; the screening facts are gathered as for a withdrawal the owner asks for, and the wallet
 * decides with the same rules. The withdrawal id comes from the account and the cut-off, so a repeated run
 * (or a second scheduler) finds it and appends nothing.
 */
@CommandHandler(RequestAutomaticWithdrawalCommand)
export class RequestAutomaticWithdrawalCommandHandler implements ICommandHandler<RequestAutomaticWithdrawalCommand, AutomaticWithdrawalResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
    @Inject(LegacyIndexBackfill) private readonly backfill: LegacyIndexBackfill,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ accountId, cutoff, context }: RequestAutomaticWithdrawalCommand): Promise<AutomaticWithdrawalResponse> {
    // Refused as the decider would, before the account and the other accounts' bank fingerprints are read for anyone else.
    requireRole(context.actor, 'system', 'request automatic withdrawals');
    const account = await this.executor.read(accountAggregate, accountStreamId(accountId));
    const bankAccount = account ? Object.values(account.state.bankAccounts).at(-1) : undefined;
    await this.backfill.ready();
    const command: RequestAutomaticWithdrawal = {
      type: 'RequestAutomaticWithdrawal',
      accountId,
      actor: context.actor,
      at: context.at,
      cutoff,
      ...(bankAccount
        ? await screenedWithdrawalTo(this.executor, this.indexes, accountId, account?.state, bankAccount)
        : { bankAccount: null, screening: { bankAccountSharedWithOtherAccount: false, identityStatus: account?.state.identityStatus ?? 'none' } }),
      partnerBankCode: this.config.partnerBankCode,
    };
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(accountId), command, context, addressingWithdrawals(this.indexes, accountId, context));
    // The decision is made; the plan, read from the state it leads to, says why it appended what it did.
    const closing = withdrawalCutoffOf(cutoff);
    const plan = automaticWithdrawalPlan(outcome.state, accountId, closing);
    const requestedNow = outcome.appended.some((event) => event.type === 'WithdrawalRequested');
    const exists = Object.prototype.hasOwnProperty.call(outcome.state.withdrawals, plan.withdrawalId);
    const answer: AutomaticWithdrawalAnswer = requestedNow ? 'requested' : plan.outcome === 'requested' ? 'no_bank_account' : plan.outcome;
    return {
      accountId,
      cutoff: closing.closingDate,
      cutoffAt: closing.at,
      cutoffPayoutDate: closing.payoutDate,
      withdrawalMode: plan.mode,
      threshold: plan.threshold,
      balanceAtCutoff: requestedNow ? outcome.state.withdrawals[plan.withdrawalId].amount : plan.balance,
      outcome: answer,
      withdrawal: exists ? withdrawalResponse(accountId, plan.withdrawalId, outcome) : null,
      revision: outcome.revision,
      position: outcome.position,
    };
  }
}

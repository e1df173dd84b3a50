import { DynamicModule, Module } from '@nestjs/common';
import { AccountsController } from '../accounts/accounts.controller';
import {
  CloseAccountCommandHandler,
  GetAccountQueryHandler,
  GetClosureEligibilityQueryHandler,
  RegisterBankAccountCommandHandler,
  ReportIdentityVerificationCommandHandler,
} from '../accounts/account-handlers';
import { ClosureFactsService } from '../accounts/closure-facts';
import {
  ActOnWithdrawalCommandHandler,
  GetReviewQueueQueryHandler,
  GetWithdrawalQueryHandler,
  RequestWithdrawalCommandHandler,
} from '../withdrawals/withdrawal-handlers';
import { WithdrawalsController } from '../withdrawals/withdrawals.controller';
import { ReportPayoutRunCommandHandler } from '../payout-runs/payout-run-reports';
import { PayoutRunsController } from '../payout-runs/payout-runs.controller';
import { ContractWalletReactions } from './contract-wallet-reactions';
import { FastCompletionReactor } from './fast-completion.reactor';
import { WalletCreditReactor } from './wallet-credit.reactor';
import { RequestAutomaticWithdrawalCommandHandler } from '../withdrawals/automatic-withdrawal-handler';
import { ChooseWithdrawalModeCommandHandler, GetWalletQueryHandler, TakeFromBalanceCommandHandler } from './wallet-handlers';
import { WalletReadModels } from './wallet-read-models';
import { WalletsController } from './wallets.controller';

/**
 * Wallets, withdrawals (and their payout runs) and accounts: their routes, their command and query handlers, and the credit
 * processes that turn payouts and refunds into wallet credits and contract ends into cleared
 * fast-completion flags (registered with the projection runtime).
 */
@Module({})
export class WalletsModule {
  static forRoot(): DynamicModule {
    return {
      module: WalletsModule,
      controllers: [WalletsController, WithdrawalsController, PayoutRunsController, AccountsController],
      providers: [
        WalletReadModels,
        ContractWalletReactions,
        WalletCreditReactor,
        FastCompletionReactor,
        ClosureFactsService,
        GetWalletQueryHandler,
        TakeFromBalanceCommandHandler,
        ChooseWithdrawalModeCommandHandler,
        RequestAutomaticWithdrawalCommandHandler,
        RequestWithdrawalCommandHandler,
        ActOnWithdrawalCommandHandler,
        ReportPayoutRunCommandHandler,
        GetReviewQueueQueryHandler,
        GetWithdrawalQueryHandler,
        RegisterBankAccountCommandHandler,
        ReportIdentityVerificationCommandHandler,
        CloseAccountCommandHandler,
        GetClosureEligibilityQueryHandler,
        GetAccountQueryHandler,
      ],
    };
  }
}

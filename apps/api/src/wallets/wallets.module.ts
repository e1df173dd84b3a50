import { DynamicModule, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AccountsController } from '../accounts/accounts.controller';
import {
  CloseAccountCommandHandler,
  GetAccountQueryHandler,
  GetClosureEligibilityQueryHandler,
  RegisterBankAccountCommandHandler,
  ReportIdentityVerificationCommandHandler,
} from '../accounts/account-handlers';
import { ClosureFactsService } from '../accounts/closure-facts';
import { CommandExecutor } from '../commands/command-executor';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import {
  ActOnWithdrawalCommandHandler,
  GetReviewQueueQueryHandler,
  RequestWithdrawalCommandHandler,
} from '../withdrawals/withdrawal-handlers';
import { WithdrawalsController } from '../withdrawals/withdrawals.controller';
import { RootEventStore } from './root-event-store';
import { WalletCreditReactor } from './wallet-credit.reactor';
import { ExpireBalancesCommandHandler, GetWalletQueryHandler } from './wallet-handlers';
import { WALLET_EVENT_STORE, WalletReadModels } from './wallet-read-models';
import { WalletsController } from './wallets.controller';

/**
 * Wallets, withdrawals and accounts: their routes, their command and query handlers, and the credit
 * process that turns payouts and refunds into wallet credits (registered with the projection runtime).
 */
@Module({})
export class WalletsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WalletsModule,
      controllers: [WalletsController, WithdrawalsController, AccountsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: WALLET_EVENT_STORE, inject: [ModuleRef], useFactory: (moduleRef: ModuleRef) => new RootEventStore(moduleRef) },
        { provide: CommandExecutor, inject: [WALLET_EVENT_STORE], useFactory: (store: RootEventStore) => new CommandExecutor(store) },
        WalletReadModels,
        WalletCreditReactor,
        ClosureFactsService,
        GetWalletQueryHandler,
        ExpireBalancesCommandHandler,
        RequestWithdrawalCommandHandler,
        ActOnWithdrawalCommandHandler,
        GetReviewQueueQueryHandler,
        RegisterBankAccountCommandHandler,
        ReportIdentityVerificationCommandHandler,
        CloseAccountCommandHandler,
        GetClosureEligibilityQueryHandler,
        GetAccountQueryHandler,
      ],
    };
  }
}

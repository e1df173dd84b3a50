import { Inject, Injectable } from '@nestjs/common';
import { AccountState, ClosureFacts, accountStreamId, initialAccountState } from '@escrow/domain/account';
import { initialWalletState, walletStreamId, withdrawalsInProgress } from '@escrow/domain/wallet';
import { ACCOUNT_ACTIVITY_PROJECTION, accountActivity } from '@escrow/projections/account-activity';
import { CommandExecutor } from '../commands/command-executor';
import { walletAggregate } from '../wallets/wallet-aggregate';
import { WalletReadModels } from '../wallets/wallet-read-models';
import { accountAggregate } from './account-aggregate';

export interface GatheredClosureFacts {
  facts: ClosureFacts;
  account: { state: AccountState; revision: number };
}

/**
 * Gathers what closureBlockers judges, for the eligibility query and the closure command alike, so the
 * two always agree. Contracts and escrow come from the account-activity read model, once it and the
 * credit process have caught up with the log (a payout whose credit is still on its way must not let
 * an account close with money about to land); the wallet and the identity status come from their
 * streams.
 */
@Injectable()
export class ClosureFactsService {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(WalletReadModels) private readonly readModels: WalletReadModels,
  ) {}

  async gather(accountId: string): Promise<GatheredClosureFacts> {
    await this.readModels.caughtUpWithHead([ACCOUNT_ACTIVITY_PROJECTION], { credits: true });
    const [wallet, account] = await Promise.all([
      this.executor.load(walletAggregate, walletStreamId(accountId)),
      this.executor.load(accountAggregate, accountStreamId(accountId)),
    ]);
    const walletState = wallet?.state ?? initialWalletState();
    const accountState = account?.state ?? initialAccountState();
    const activity = accountActivity(this.readModels.db, accountId);
    return {
      facts: {
        ...activity,
        walletAvailable: walletState.available,
        withdrawalsInProgress: withdrawalsInProgress(walletState).length,
        identityStatus: accountState.identityStatus,
      },
      account: { state: accountState, revision: account?.revision ?? -1 },
    };
  }
}

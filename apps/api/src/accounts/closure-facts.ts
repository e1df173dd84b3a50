import { Inject, Injectable } from '@nestjs/common';
import { AccountState, ClosureFacts, ContractOnRecord, accountStreamId, contractClosureFacts, initialAccountState } from '@escrow/domain/account';
import { contractStreamId } from '@escrow/domain/contract';
import { type WorkOnRecord, workClosureFacts, workOfEscrowId } from '@escrow/domain/escrow';
import { initialWalletState, walletStreamId, withdrawalsInProgress } from '@escrow/domain/wallet';
import { addYen } from '@escrow/domain/wallet/yen-arithmetic';
import { CommandExecutor } from '../commands/command-executor';
import { contractAggregate } from '../contracts/contract-commands';
import { walletAggregate } from '../wallets/wallet-aggregate';
import { WORK_CLOSURE, type WorkClosure } from '../formats/work-closure';
import { accountAggregate } from './account-aggregate';
import { AccountIndexes } from './account-indexes';
import { LegacyIndexBackfill } from './legacy-index-backfill';

export interface GatheredClosureFacts {
  facts: ClosureFacts;
  account: { state: AccountState; revision: number };
}

/**
 * Gathers what closureBlockers judges, for the eligibility query and the closure command alike, so the
 * two always agree, from streams only: the account's contracts come from its party-contracts index and
 * each contract's own stream (open offers and contracts, unsettled escrow), the balance and withdrawals
 * from the wallet stream, the identity status from the account stream. A payout or refund whose wallet
 * credit is not recorded yet counts as balance, so an account never closes with money about to land,
 * however far behind the credit process is. The index also names the hourly contracts, tasks and competitions the
 * account is party to (by escrow id); each counts as its format's rules say (`WORK_CLOSURE`).
 */
@Injectable()
export class ClosureFactsService {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
    @Inject(LegacyIndexBackfill) private readonly backfill: LegacyIndexBackfill,
  ) {}

  async gather(accountId: string): Promise<GatheredClosureFacts> {
    await this.backfill.ready();
    const [wallet, account, contractIds] = await Promise.all([
      this.executor.read(walletAggregate, walletStreamId(accountId)),
      this.executor.read(accountAggregate, accountStreamId(accountId)),
      this.indexes.contractsOf(accountId),
    ]);
    const contracts: ContractOnRecord[] = [];
    const works: WorkOnRecord[] = [];
    for (const indexed of contractIds) {
      const work = workOfEscrowId(indexed);
      if (work?.format === 'fixed_price') {
        const streamId = contractStreamId(work.id);
        const contract = await this.executor.read(contractAggregate, streamId);
        // Read after the state, so the history holds at least the events the state was folded from: keep exactly those.
        if (contract) contracts.push({ state: contract.state, events: await this.executor.history(streamId, { throughRevision: contract.revision }) });
      } else if (work !== undefined) {
        const onRecord = await this.workOnRecord(WORK_CLOSURE[work.format], work.id, accountId);
        if (onRecord) works.push(onRecord);
      }
    }
    const walletState = wallet?.state ?? initialWalletState();
    const accountState = account?.state ?? initialAccountState();
    const { creditsOnTheirWay, ...activity } = contractClosureFacts(accountId, contracts, walletState.creditedSources);
    const other = workClosureFacts(accountId, works, walletState.creditedSources);
    return {
      facts: {
        openContractsAsClient: activity.openContractsAsClient + other.openAsClient,
        openContractsAsWorker: activity.openContractsAsWorker + other.openAsWorker,
        unsettledEscrow: addYen(activity.unsettledEscrow, other.unsettledEscrow),
        walletAvailable: addYen(walletState.available, creditsOnTheirWay, other.creditsOnTheirWay),
        withdrawalsInProgress: withdrawalsInProgress(walletState).length,
        identityStatus: accountState.identityStatus,
      },
      account: { state: accountState, revision: account?.revision ?? -1 },
    };
  }

  /** An hourly contract, a task or a competition the account is party to; a format closure cannot read holds nothing. */
  private async workOnRecord(closure: WorkClosure | undefined, id: string, accountId: string): Promise<WorkOnRecord | undefined> {
    if (closure === undefined) return undefined;
    const streamId = closure.streamId(id);
    const work = await this.executor.read(closure.aggregate, streamId);
    if (!work) return undefined;
    const events = await this.executor.history(streamId, { throughRevision: work.revision });
    return { standing: closure.standing(work.state, accountId), clientId: closure.clientOf(work.state), events };
  }
}

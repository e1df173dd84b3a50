import { Inject, Injectable } from '@nestjs/common';
import type { ContractFact } from '@escrow/domain/contract';
import type { Actor } from '@escrow/domain/shared/actor';
import { type CreditWallet, type RuleOutFastCompletion, walletStreamId } from '@escrow/domain/wallet';
import type { RecordedEvent } from '@escrow/event-store/port';
import { CommandExecutor } from '../commands/command-executor';
import { DerivedIds, reactionContext } from '../commands/envelope';
import { contractAggregate } from '../contracts/contract-commands';
import { walletAggregate } from './wallet-aggregate';

/** A stored contract event in its current shape, as the domain's rules for wallets read it. */
export const contractFactOf = (event: RecordedEvent): ContractFact => ({
  id: event.id,
  type: event.type,
  data: contractAggregate.upcast(event).data,
  occurredAt: event.metadata.occurredAt,
});

/** A wallet command a contract event calls for, without what the reaction fills in (its actor and time). */
export type WalletReaction = Omit<CreditWallet, 'actor' | 'at'> | Omit<RuleOutFastCompletion, 'actor' | 'at'>;

/**
 * What the processes that turn contract events into wallet commands share: the contract as the domain's rules read
 * it, up to the event (never past it, so a redelivery decides the same), and the wallet command issued in the
 * event's name — keyed by it, timed by it, caused by it — so that a redelivery appends nothing.
 */
@Injectable()
export class ContractWalletReactions {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(DerivedIds) private readonly derivedIds: DerivedIds,
  ) {}

  /** The event and its contract's stream up to and including it. */
  async factsThrough(event: RecordedEvent): Promise<{ fact: ContractFact; history: ContractFact[] }> {
    const history = (await this.executor.history(event.streamId, { throughRevision: event.revision })).map(contractFactOf);
    return { fact: contractFactOf(event), history };
  }

  async issue(cause: RecordedEvent, by: { actor: Actor; idempotencyKey: string }, reaction: WalletReaction): Promise<void> {
    const context = reactionContext(this.derivedIds, { ...by, cause });
    await this.executor.execute(
      walletAggregate,
      walletStreamId(reaction.accountId),
      { ...reaction, actor: by.actor, at: context.at },
      context,
    );
  }
}

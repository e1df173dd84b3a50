import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Actor } from '@escrow/domain/shared/actor';
import { walletCreditFor } from '@escrow/domain/contract';
import { formatEscrowEventTypes, formatEscrowMovementOf, walletCreditForMovement } from '@escrow/domain/escrow';
import { currentShapeOf } from '@escrow/domain/event-schemas';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Reactor } from '@escrow/projections/runtime/reactor';
import { walletCreditKey } from '../commands/envelope';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { ContractWalletReactions } from './contract-wallet-reactions';

export const WALLET_CREDIT_REACTOR = 'wallet-credits';

/** The platform's settlement principal, as it appears on every WalletCredited event. */
export const WALLET_CREDIT_ACTOR: Actor = { id: 'wallet-credit', role: 'system' };

/**
 * The credit process (a process manager fed by the store's subscription): every MilestonePaidOut
 * credits the worker's wallet with its net and every EscrowRefunded the client's wallet with its
 * amount; so does every payout and refund of an hourly contract, a task or a competition. Delivery is at least once, so the credit is made exactly once per source by two guards
 * that survive a crash anywhere: the command carries an idempotency key derived from the source
 * event id (a retry finds its own events and appends nothing), and the wallet ignores a source it
 * has already credited. The credit's time is the source event's, so a late or repeated delivery
 * records the same facts.
 *
 * A refusal (the wallet decider's, a reused key, contention the executor gave up on) is thrown: the
 * runtime parks that one event for support, with its reason, and goes on with the next credit; only
 * an unavailable store is retried.
 */
@Injectable()
export class WalletCreditReactor implements Reactor, OnModuleInit {
  readonly name = WALLET_CREDIT_REACTOR;
  readonly eventTypes = ['MilestonePaidOut', 'EscrowRefunded', ...formatEscrowEventTypes('paidOut', 'refunded')];

  constructor(
    @Inject(ContractWalletReactions) private readonly reactions: ContractWalletReactions,
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
  ) {}

  /** Runs as a processor of the store's log, after its own checkpoint, wherever the processors run (ROLE all or processors). */
  onModuleInit(): void {
    this.runtime.addReactor(this);
  }

  async handle(event: RecordedEvent): Promise<void> {
    const movement = formatEscrowMovementOf({ type: event.type, data: currentShapeOf({ type: event.type, data: event.data, schemaVersion: event.metadata.schemaVersion }).data });
    const credit = movement ? walletCreditForMovement(event.id, movement) : await this.contractCredit(event);
    if (credit)
      await this.reactions.issue(
        event,
        { actor: WALLET_CREDIT_ACTOR, idempotencyKey: walletCreditKey(event.id) },
        { type: 'CreditWallet', ...credit },
      );
  }

  private async contractCredit(event: RecordedEvent) {
    const { fact, history } = await this.reactions.factsThrough(event);
    return walletCreditFor(fact, history);
  }
}

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Actor } from '@escrow/domain/shared/actor';
import { fastCompletionRuledOutBy } from '@escrow/domain/contract';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Reactor } from '@escrow/projections/runtime/reactor';
import { fastCompletionRuleOutKey } from '../commands/envelope';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { ContractWalletReactions } from './contract-wallet-reactions';

export const FAST_COMPLETION_REACTOR = 'fast-completion-rule-outs';

/** The platform principal that records a ruled-out fast completion on a wallet. */
export const FAST_COMPLETION_ACTOR: Actor = { id: 'fast-completion-review', role: 'system' };

/**
 * When a contract whose money was flagged `fastCompletion` (paid within an hour of acceptance, while a
 * completion within the hour was still possible) ends otherwise — completed later, or terminated — this
 * process tells the worker's wallet, which clears the flag (RuleOutFastCompletion). It has its own
 * checkpoint, apart from the credit process: the wallet records the rule-out even before the credit
 * lands, so neither needs to wait for the other, and on a store that predates it the process works
 * through every earlier contract end from the start of the log. Keyed by the contract end's event id,
 * and once per contract in the wallet, so redelivery appends nothing.
 */
@Injectable()
export class FastCompletionReactor implements Reactor, OnModuleInit {
  readonly name = FAST_COMPLETION_REACTOR;
  readonly eventTypes = ['ContractCompleted', 'ContractTerminated'] as const;

  constructor(
    @Inject(ContractWalletReactions) private readonly reactions: ContractWalletReactions,
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
  ) {}

  onModuleInit(): void {
    this.runtime.addReactor(this);
  }

  async handle(event: RecordedEvent): Promise<void> {
    const { fact, history } = await this.reactions.factsThrough(event);
    const ruleOut = fastCompletionRuledOutBy(fact, history);
    if (ruleOut) {
      await this.reactions.issue(
        event,
        { actor: FAST_COMPLETION_ACTOR, idempotencyKey: fastCompletionRuleOutKey(event.id) },
        { type: 'RuleOutFastCompletion', ...ruleOut },
      );
    }
  }
}

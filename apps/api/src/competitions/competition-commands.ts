import { closedAccountsAmong } from '../accounts/closed-accounts';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  COMPETITION_EVENT_SCHEMA_VERSIONS,
  CompetitionCommand,
  CompetitionEvent,
  CompetitionState,
  CompetitionView,
  competitionDecider,
  competitionStreamId,
  competitionViewFor,
  nextPrizeId,
} from '@escrow/domain/competition';
import { escrowIdOf } from '@escrow/domain/escrow';
import type { Actor } from '@escrow/domain/shared/actor';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { AccountIndexes } from '../accounts/account-indexes';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';
import { PaymentClaim, PaymentReferences } from '../payments/payment-references';

export const competitionAggregate: AggregateDefinition<CompetitionCommand, CompetitionState, CompetitionEvent> = {
  name: 'competition',
  decider: competitionDecider,
  schemaVersions: COMPETITION_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

export type CompetitionResponse = CompetitionView & { revision: number; position: number };

const competitionResponse = (outcome: Pick<CommandOutcome<CompetitionState>, 'state' | 'revision' | 'position'>, reader: Actor): CompetitionResponse => ({
  ...(competitionViewFor(outcome.state, reader) as CompetitionView),
  revision: outcome.revision,
  position: outcome.position,
});

export class ExecuteCompetitionCommand {
  constructor(
    readonly command: CompetitionCommand,
    readonly context: CommandContext,
  ) {}
}

/** The accounts a command involves: drafting, prepaying and adopting involve the client; proposing and adopting a worker. */
function accountsInvolved(command: CompetitionCommand, state: CompetitionState | undefined): unknown[] {
  switch (command.type) {
    case 'DraftCompetition':
    case 'SubmitProposal':
      return [command.actor.id];
    case 'PrepayPrize':
      return state ? [state.clientId] : [];
    case 'AdoptProposal':
      return state ? [state.clientId, state.proposals.find((proposal) => proposal.proposalId === command.proposalId)?.workerId] : [];
    default:
      return [];
  }
}

/**
 * Runs a competition command. Commands that start something with an account (a draft, a prepayment, a proposal, an
 * adoption) first read the accounts' streams, so the decider refuses a closed one; a draft and a proposal record the
 * account in its party-contracts index before the append, where closure finds the competition. A prize's prepayment claims its
 * gateway payment on the reference's stream once the competition has decided to accept it, before the competition's
 * append, and releases the claim when the competition refuses after all: as a milestone's prepayment does.
 */
@CommandHandler(ExecuteCompetitionCommand)
export class ExecuteCompetitionCommandHandler implements ICommandHandler<ExecuteCompetitionCommand, CompetitionResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PaymentReferences) private readonly payments: PaymentReferences,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
  ) {}

  async execute({ command, context }: ExecuteCompetitionCommand): Promise<CompetitionResponse> {
    const streamId = competitionStreamId(command.competitionId);
    const current = async () => (await this.executor.read(competitionAggregate, streamId))?.state;
    const decided = await this.withAccountStanding(command, await current());
    let claimed: PaymentClaim | undefined;
    try {
      const outcome = await this.executor.execute(competitionAggregate, streamId, decided, context, {
        beforeAppend: async (events) => {
          for (const event of events) {
            // Closure finds the competitions an account takes part in through its index, recorded before the append.
            const escrowId = escrowIdOf('competition', command.competitionId);
            if (event.type === 'CompetitionDrafted') await this.indexes.recordWorkParty({ escrowId, accountId: event.data.clientId, side: 'client' }, context);
            if (event.type === 'CompetitionProposalSubmitted') await this.indexes.recordWorkParty({ escrowId, accountId: event.data.workerId, side: 'worker' }, context);
            if (event.type !== 'CompetitionPrizePrepaid') continue;
            const claim = { paymentReference: event.data.paymentReference, contractId: escrowIdOf('competition', event.data.competitionId), milestoneId: event.data.prizeId };
            await this.payments.claim(claim, context);
            claimed = claim;
          }
        },
      });
      return competitionResponse(outcome, context.actor);
    } catch (error) {
      // Only a definite refusal releases: after a store failure the append may have happened.
      const holder = claimed ?? (await this.earlierClaim(decided, current));
      await this.payments.releaseIfRefused(error, holder, async (reference) => (await current())?.paymentReferences.includes(reference) ?? false, context);
      throw error;
    }
  }

  /** What an earlier attempt of a refused prepayment (same Idempotency-Key) may have claimed, for the next prize. */
  private async earlierClaim(command: CompetitionCommand, current: () => Promise<CompetitionState | undefined>): Promise<PaymentClaim | undefined> {
    const prepayment = command.type === 'PrepayPrize' ? command : command.type === 'AdoptProposal' ? command.prepayment : undefined;
    const state = await current();
    if (!prepayment || typeof prepayment.paymentReference !== 'string' || !state) return undefined;
    return { paymentReference: prepayment.paymentReference, contractId: escrowIdOf('competition', command.competitionId), milestoneId: nextPrizeId(state) };
  }

  private async withAccountStanding(command: CompetitionCommand, state: CompetitionState | undefined): Promise<CompetitionCommand> {
    const accounts = accountsInvolved(command, state);
    if (accounts.length === 0) return command;
    return { ...command, closedAccounts: await closedAccountsAmong(this.executor, accounts) } as CompetitionCommand;
  }
}

export class GetCompetitionQuery {
  constructor(
    readonly competitionId: string,
    readonly reader: Actor,
  ) {}
}

/** The competition as its reader may see it: whole for its client and staff, a worker's own proposals for a worker. */
@QueryHandler(GetCompetitionQuery)
export class GetCompetitionQueryHandler implements IQueryHandler<GetCompetitionQuery, CompetitionResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ competitionId, reader }: GetCompetitionQuery): Promise<CompetitionResponse> {
    const current = await this.executor.read(competitionAggregate, competitionStreamId(competitionId));
    if (!current) throw competitionNotFound(competitionId);
    return competitionResponse(current, reader);
  }
}

export const competitionNotFound = (competitionId: string) => new DomainError('not_found', 'COMPETITION_NOT_FOUND', `Competition ${competitionId} does not exist.`);

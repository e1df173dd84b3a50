import { closedAccountsAmong } from '../accounts/closed-accounts';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { escrowIdOf } from '@escrow/domain/escrow';
import {
  HOURLY_EVENT_SCHEMA_VERSIONS,
  HOURLY_PREPAID_LINE,
  type HourlyCommand,
  type HourlyContractView,
  type HourlyEvent,
  type HourlyState,
  hourlyContractView,
  hourlyDecider,
  hourlyStreamId,
} from '@escrow/domain/hourly';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { AccountIndexes } from '../accounts/account-indexes';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';
import { PaymentClaim, PaymentReferences } from '../payments/payment-references';

export const hourlyAggregate: AggregateDefinition<HourlyCommand, HourlyState, HourlyEvent> = {
  name: 'hourly',
  decider: hourlyDecider,
  schemaVersions: HOURLY_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

export type HourlyContractResponse = HourlyContractView & { revision: number; position: number };

export const hourlyContractNotFound = (contractId: string) =>
  new DomainError('not_found', 'HOURLY_CONTRACT_NOT_FOUND', `Hourly contract ${contractId} does not exist.`);

const hourlyResponse = ({ state, revision, position }: Pick<CommandOutcome<HourlyState>, 'state' | 'revision' | 'position'>): HourlyContractResponse => {
  const view = hourlyContractView(state);
  if (view === null) throw hourlyContractNotFound(state.contractId);
  return { ...view, revision, position };
};

export class ExecuteHourlyCommand {
  constructor(
    readonly command: HourlyCommand,
    readonly context: CommandContext,
  ) {}
}

/** The commands a closed account may not take part in: an offer, its acceptance and a prepayment. */
const PARTY_COMMANDS: readonly HourlyCommand['type'][] = ['OfferHourlyContract', 'AcceptHourlyContract', 'PrepayHourlyEscrow'];

/**
 * Runs an hourly contract command. Offers, acceptances and prepayments first read the parties' account streams (a
 * closed account takes part in nothing new). A prepayment claims its gateway payment on the reference's own stream
 * before the contract's append, as a milestone prepayment does, and releases the claim when the contract refuses it,
 * so one gateway payment funds one thing once. An offer records both parties in their party-contracts index, where
 * closure finds the contract.
 */
@CommandHandler(ExecuteHourlyCommand)
export class ExecuteHourlyCommandHandler implements ICommandHandler<ExecuteHourlyCommand, HourlyContractResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PaymentReferences) private readonly payments: PaymentReferences,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
  ) {}

  async execute({ command, context }: ExecuteHourlyCommand): Promise<HourlyContractResponse> {
    const streamId = hourlyStreamId(command.contractId);
    const current = async () => (await this.executor.read(hourlyAggregate, streamId))?.state;
    const decided = await this.withPartyStanding(command, current);
    const holderOf = (paymentReference: string): PaymentClaim => ({ paymentReference, contractId: escrowIdOf('hourly', command.contractId), milestoneId: HOURLY_PREPAID_LINE });
    let claimed: PaymentClaim | undefined;
    try {
      const outcome = await this.executor.execute(hourlyAggregate, streamId, decided, context, {
        beforeAppend: async (events) => {
          for (const event of events) {
            if (event.type === 'HourlyContractOffered') {
              // Closure finds the contract in each party's index, recorded before the contract's stream names them.
              const escrowId = escrowIdOf('hourly', event.data.contractId);
              await this.indexes.recordWorkParty({ escrowId, accountId: event.data.clientId, side: 'client' }, context);
              await this.indexes.recordWorkParty({ escrowId, accountId: event.data.workerId, side: 'worker' }, context);
            }
            if (event.type !== 'HourlyEscrowFunded') continue;
            const claim = holderOf(event.data.paymentReference);
            await this.payments.claim(claim, context);
            claimed = claim;
          }
        },
      });
      return hourlyResponse(outcome);
    } catch (error) {
      // Only a definite refusal releases: after a store failure the append may have happened.
      const holder = claimed ?? (decided.type === 'PrepayHourlyEscrow' && typeof decided.paymentReference === 'string' ? holderOf(decided.paymentReference) : undefined);
      await this.payments.releaseIfRefused(error, holder, async (reference) => (await current())?.paymentReferences.includes(reference) ?? false, context);
      throw error;
    }
  }

  /** Names the closed parties in the command, read from their account streams (never from a read model). */
  private async withPartyStanding(command: HourlyCommand, current: () => Promise<HourlyState | undefined>): Promise<HourlyCommand> {
    if (!PARTY_COMMANDS.includes(command.type)) return command;
    let parties: unknown[];
    if (command.type === 'OfferHourlyContract') {
      parties = [command.clientId, command.workerId];
    } else {
      const state = await current();
      if (!state || state.status === 'none') return command;
      parties = [state.clientId, state.workerId];
    }
    return { ...command, closedAccounts: await closedAccountsAmong(this.executor, parties) } as HourlyCommand;
  }
}

export class GetHourlyContractQuery {
  constructor(readonly contractId: string) {}
}

@QueryHandler(GetHourlyContractQuery)
export class GetHourlyContractQueryHandler implements IQueryHandler<GetHourlyContractQuery, HourlyContractResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ contractId }: GetHourlyContractQuery): Promise<HourlyContractResponse> {
    const current = await this.executor.read(hourlyAggregate, hourlyStreamId(contractId));
    if (!current || current.state.status === 'none') throw hourlyContractNotFound(contractId);
    return hourlyResponse(current);
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  CONTRACT_EVENT_SCHEMA_VERSIONS,
  ContractCommand,
  ContractEvent,
  ContractState,
  ContractView,
  contractDecider,
  contractStreamId,
  contractView,
} from '@escrow/domain/contract';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';
import { AccountIndexes } from '../accounts/account-indexes';
import { PaymentClaim, PaymentReferences } from '../payments/payment-references';
import { withPartyStanding } from './party-standing';

export const contractAggregate: AggregateDefinition<ContractCommand, ContractState, ContractEvent> = {
  name: 'contract',
  decider: contractDecider,
  schemaVersions: CONTRACT_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

export type ContractResponse = ContractView & { revision: number; position: number };

const contractResponse = ({ state, revision, position }: Pick<CommandOutcome<ContractState>, 'state' | 'revision' | 'position'>): ContractResponse => ({
  ...contractView(state),
  revision,
  position,
});

export class ExecuteContractCommand {
  constructor(
    readonly command: ContractCommand,
    readonly context: CommandContext,
  ) {}
}

/**
 * Runs a contract command. Offers, acceptances and prepayments first read the parties' account streams (a
 * closed account takes part in no new contract). A prepayment claims its gateway payment on the reference's
 * own stream once the contract has decided to accept it, before the contract's append; when the contract
 * refuses it after all (a racing prepayment funded the milestone first, say), the claim is released, so a
 * refused prepayment never uses a payment up and appends nothing to the contract. An offer records the contract
 * in both parties' party-contracts index before its append, where closure finds it.
 */
@CommandHandler(ExecuteContractCommand)
export class ExecuteContractCommandHandler implements ICommandHandler<ExecuteContractCommand, ContractResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PaymentReferences) private readonly payments: PaymentReferences,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
  ) {}

  async execute({ command, context }: ExecuteContractCommand): Promise<ContractResponse> {
    const streamId = contractStreamId(command.contractId);
    const contractState = async () => (await this.executor.read(contractAggregate, streamId))?.state;
    const decided = await withPartyStanding(this.executor, command, contractState);
    let claimed: PaymentClaim | undefined;
    try {
      const outcome = await this.executor.execute(contractAggregate, streamId, decided, context, {
        beforeAppend: async (events) => {
          for (const event of events) {
            if (event.type === 'ContractOffered') await this.indexes.recordContractParties(event.data, context);
            if (event.type !== 'EscrowFunded') continue;
            const { paymentReference, contractId, milestoneId } = event.data;
            await this.payments.claim({ paymentReference, contractId, milestoneId }, context);
            claimed = { paymentReference, contractId, milestoneId };
          }
        },
      });
      return contractResponse(outcome);
    } catch (error) {
      // Only a definite refusal releases: after a store failure the append may have happened. A prepayment refused
      // before it claimed anything still releases what an earlier attempt of it (same Idempotency-Key) claimed.
      const holder = claimed ?? (decided.type === 'FundMilestone' ? { paymentReference: decided.paymentReference, contractId: decided.contractId, milestoneId: decided.milestoneId } : undefined);
      await this.payments.releaseIfRefused(error, holder, async (reference) => (await contractState())?.paymentReferences.includes(reference) ?? false, context);
      throw error;
    }
  }
}

export class GetContractQuery {
  constructor(readonly contractId: string) {}
}

@QueryHandler(GetContractQuery)
export class GetContractQueryHandler implements IQueryHandler<GetContractQuery, ContractResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ contractId }: GetContractQuery): Promise<ContractResponse> {
    const current = await this.executor.read(contractAggregate, contractStreamId(contractId));
    if (!current) throw contractNotFound(contractId);
    return contractResponse(current);
  }
}

export const contractNotFound = (contractId: string) => new DomainError('not_found', 'CONTRACT_NOT_FOUND', `Contract ${contractId} does not exist.`);

/** Commands are built by the controller; this is the common part of each. */
export const commandBase = (contractId: string, context: CommandContext) => ({ contractId, actor: context.actor, at: context.at });

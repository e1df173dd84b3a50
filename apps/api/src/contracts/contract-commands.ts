import type { Actor } from '@escrow/domain/shared/actor';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  CONTRACT_EVENT_SCHEMA_VERSIONS,
  ContractCommand,
  ContractEvent,
  ContractState,
  ContractStatus,
  ContractView,
  contractDecider,
  contractStreamId,
  contractView,
  MilestoneStatus,
} from '@escrow/domain/contract';
import { epochMillisOf } from '@escrow/domain/calendar';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { calendarDate, instant } from '@escrow/domain/shared/field-rules';
import type { RecordedEvent } from '@escrow/event-store/port';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import { ConcurrencyConflictError, StaleRevisionError } from '../commands/command-refusals';
import type { CommandContext } from '../http/command-context';
import { badRequest } from '../http/problem';
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
      if (holder && isRefusal(error)) {
        const fundedByHolder = (await contractState())?.paymentReferences.includes(holder.paymentReference) ?? false;
        await this.payments.release(holder, fundedByHolder, error.code, context);
      }
      throw error;
    }
  }
}

/** A decision refused, or an append refused by its expected revision: nothing was appended to the contract. */
const isRefusal = (error: unknown): error is DomainError | StaleRevisionError | ConcurrencyConflictError =>
  error instanceof DomainError || error instanceof StaleRevisionError || error instanceof ConcurrencyConflictError;

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

export interface ContractHistoryEntry {
  revision: number;
  position: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  data: Record<string, unknown>;
  /** Contract and milestone statuses right after this event. */
  after: { status: ContractStatus; milestones: { milestoneId: string; status: MilestoneStatus }[] };
}

export interface ContractHistory {
  contractId: string;
  /** The asOf the caller asked for, if any. */
  asOf: string | null;
  /** Revision of the last event included (-1 when asOf is before the offer). */
  revision: number;
  state: ContractView | null;
  events: ContractHistoryEntry[];
}

export class GetContractHistoryQuery {
  constructor(
    readonly contractId: string,
    readonly asOf?: string,
  ) {}
}

@QueryHandler(GetContractHistoryQuery)
export class GetContractHistoryQueryHandler implements IQueryHandler<GetContractHistoryQuery, ContractHistory> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ contractId, asOf }: GetContractHistoryQuery): Promise<ContractHistory> {
    const recorded = await this.executor.history(contractStreamId(contractId));
    if (recorded.length === 0) throw contractNotFound(contractId);
    const included = recorded.filter(asOfFilter(asOf));
    let state = contractDecider.initialState();
    const events: ContractHistoryEntry[] = included.map((event) => {
      state = contractDecider.evolve(state, contractAggregate.upcast(event));
      const view = contractView(state);
      return {
        revision: event.revision,
        position: event.position,
        eventId: event.id,
        type: event.type,
        schemaVersion: event.metadata.schemaVersion,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.recordedAt,
        actor: event.metadata.actor,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        ...(event.metadata.idempotencyKey ? { idempotencyKey: event.metadata.idempotencyKey } : {}),
        data: event.data,
        after: { status: view.status, milestones: view.milestones.map((m) => ({ milestoneId: m.milestoneId, status: m.status })) },
      };
    });
    // Before the offer there was no contract yet: an empty history, not an error.
    return { contractId, asOf: asOf ?? null, revision: included.length - 1, state: included.length > 0 ? contractView(state) : null, events };
  }
}

/**
 * asOf is a stream revision (an integer), an ISO-8601 instant compared with each event's time, or a date
 * (its first instant, UTC). Dates and instants follow the domain's calendar rules and bounds.
 */
function asOfFilter(asOf: string | undefined): (event: RecordedEvent) => boolean {
  if (asOf === undefined) return () => true;
  if (/^\d{1,15}$/.test(asOf)) {
    const revision = Number(asOf);
    return (event) => event.revision <= revision;
  }
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const breach = isDate ? calendarDate(asOf, 'asOf') : instant(asOf, 'asOf');
  if (breach) throw badRequest([{ field: 'asOf', rule: 'revisionOrInstant', message: `${breach.message}, or a stream revision` }]);
  const until = epochMillisOf(isDate ? `${asOf}T00:00:00Z` : asOf);
  return (event) => Date.parse(event.metadata.occurredAt) <= until;
}

const contractNotFound = (contractId: string) => new DomainError('not_found', 'CONTRACT_NOT_FOUND', `Contract ${contractId} does not exist.`);

/** Commands are built by the controller; this is the common part of each. */
export const commandBase = (contractId: string, context: CommandContext) => ({ contractId, actor: context.actor, at: context.at });

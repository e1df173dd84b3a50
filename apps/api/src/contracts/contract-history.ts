import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type ContractDiff, contractStreamId, diffContractViews } from '@escrow/domain/contract';
import {
  asOfBreach,
  type ContractHistory,
  contractHistoryOf,
  type HistoryEventSummary,
  summaryOf,
} from '@escrow/projections/contract-history/contract-history';
import { contractTimeline } from '@escrow/projections/contract-history/contract-timeline';
import { CommandExecutor } from '../commands/command-executor';
import { badRequest } from '../http/problem';
import { contractNotFound } from './contract-commands';

export type { ContractHistory, ContractHistoryEntry, HistoryEventSummary } from '@escrow/projections/contract-history/contract-history';

/** What changed in a contract from one revision to another, and the events between. */
export interface ContractHistoryDiff extends ContractDiff {
  contractId: string;
  from: number;
  to: number;
  /** The events after `from` up to and including `to`. */
  events: HistoryEventSummary[];
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
    const breach = asOf === undefined ? undefined : asOfBreach(asOf);
    if (breach) throw badRequest([{ field: 'asOf', ...breach }]);
    return contractHistoryOf(contractId, recorded, asOf);
  }
}

export class GetContractDiffQuery {
  constructor(
    readonly contractId: string,
    readonly from: number,
    readonly to: number | undefined,
  ) {}
}

@QueryHandler(GetContractDiffQuery)
export class GetContractDiffQueryHandler implements IQueryHandler<GetContractDiffQuery, ContractHistoryDiff> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ contractId, from, to }: GetContractDiffQuery): Promise<ContractHistoryDiff> {
    const recorded = await this.executor.history(contractStreamId(contractId));
    if (recorded.length === 0) throw contractNotFound(contractId);
    const last = recorded.length - 1;
    const through = to ?? last;
    const errors = [];
    if (from > last) errors.push({ field: 'from', rule: 'max', message: `from must not be after the contract's last revision, ${last}` });
    if (through > last) errors.push({ field: 'to', rule: 'max', message: `to must not be after the contract's last revision, ${last}` });
    if (from > through) errors.push({ field: 'to', rule: 'notBeforeFrom', message: 'to must not be before from' });
    if (errors.length > 0) throw badRequest(errors);
    const steps = contractTimeline(recorded.slice(0, through + 1));
    return {
      contractId,
      from,
      to: through,
      ...diffContractViews(steps[from].state, steps[through].state),
      events: recorded.slice(from + 1, through + 1).map(summaryOf),
    };
  }
}

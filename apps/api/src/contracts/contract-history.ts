import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type ContractDiff, type ContractMoney, type ContractView, contractStreamId, diffContractViews } from '@escrow/domain/contract';
import { epochMillisOf } from '@escrow/domain/calendar';
import type { Actor } from '@escrow/domain/shared/actor';
import { calendarDate, instant } from '@escrow/domain/shared/field-rules';
import type { RecordedEvent } from '@escrow/event-store/port';
import { contractTimeline, type TimelineStep } from '@escrow/projections/contract-history/contract-timeline';
import type { Posting } from '@escrow/projections/ledger/postings';
import { CommandExecutor } from '../commands/command-executor';
import { badRequest } from '../http/problem';
import { contractNotFound } from './contract-commands';

/** Who did what, when, through which service, and under which correlation: what every timeline line names. */
export interface HistoryEventSummary {
  revision: number;
  position: number;
  eventId: string;
  type: string;
  /** Version of the data shape as recorded; the data is shown upcast to the current one. */
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  /** The calling service the command came through; null on events recorded before it was kept. */
  callingService: string | null;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
}

export interface ContractHistoryEntry extends HistoryEventSummary {
  data: Record<string, unknown>;
  /** The whole contract right after this event. */
  after: ContractView;
  /** Money per milestone and in total right after this event. */
  money: ContractMoney;
  /** The ledger postings this event caused (the ledger projection's own rule); empty when it moved no money. */
  postings: Posting[];
  /** What this event changed. */
  changes: ContractDiff;
}

export interface ContractHistory {
  contractId: string;
  /** The asOf the caller asked for, if any. */
  asOf: string | null;
  /** Revision of the last event included (-1 when asOf is before the offer). */
  revision: number;
  state: ContractView | null;
  money: ContractMoney | null;
  events: ContractHistoryEntry[];
}

/** What changed in a contract from one revision to another, and the events between. */
export interface ContractHistoryDiff extends ContractDiff {
  contractId: string;
  from: number;
  to: number;
  /** The events after `from` up to and including `to`. */
  events: HistoryEventSummary[];
}

const summaryOf = (recorded: RecordedEvent): HistoryEventSummary => ({
  revision: recorded.revision,
  position: recorded.position,
  eventId: recorded.id,
  type: recorded.type,
  schemaVersion: recorded.metadata.schemaVersion,
  occurredAt: recorded.metadata.occurredAt,
  recordedAt: recorded.recordedAt,
  actor: recorded.metadata.actor,
  callingService: recorded.metadata.callingService ?? null,
  correlationId: recorded.metadata.correlationId,
  causationId: recorded.metadata.causationId,
  ...(recorded.metadata.idempotencyKey ? { idempotencyKey: recorded.metadata.idempotencyKey } : {}),
});

const entryOf = (recorded: RecordedEvent, step: TimelineStep): ContractHistoryEntry => ({
  ...summaryOf(recorded),
  data: step.event.data,
  after: step.state,
  money: step.money,
  postings: step.postings,
  changes: step.changes,
});

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
    // A prefix of the stream: the fold of the events up to asOf, never of some events after others left out.
    const includes = asOfFilter(asOf);
    const firstAfter = recorded.findIndex((event) => !includes(event));
    const included = firstAfter === -1 ? recorded : recorded.slice(0, firstAfter);
    const steps = contractTimeline(included);
    const events = steps.map((step, index) => entryOf(included[index], step));
    const last = steps.at(-1);
    // Before the offer there was no contract yet: an empty history, not an error.
    return { contractId, asOf: asOf ?? null, revision: included.length - 1, state: last?.state ?? null, money: last?.money ?? null, events };
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

import type { ContractDiff, ContractMoney, ContractView } from '@escrow/domain/contract';
import { epochMillisOf } from '@escrow/domain/calendar';
import type { Actor } from '@escrow/domain/shared/actor';
import { calendarDate, instant, type RuleBreach } from '@escrow/domain/shared/field-rules';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Posting } from '../ledger/postings';
import { contractTimeline, type TimelineStep } from './contract-timeline';

/**
 * The contract history as the history route answers it and the replay command prints it: the timeline's steps
 * with who acted, when and through which service. Built here once, so both show the same figures from the same
 * events and cut `asOf` the same way.
 */

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

export const summaryOf = (recorded: RecordedEvent): HistoryEventSummary => ({
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

const REVISION = /^\d{1,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Why an `asOf` cannot cut a history, or undefined when it can. asOf is a stream revision (a whole number), an
 * ISO-8601 instant compared with each event's time, or a date (its first instant, UTC); dates and instants follow
 * the domain's calendar rules and bounds.
 */
export function asOfBreach(asOf: string): RuleBreach | undefined {
  if (REVISION.test(asOf)) return undefined;
  const breach = DATE.test(asOf) ? calendarDate(asOf, 'asOf') : instant(asOf, 'asOf');
  return breach && { rule: 'revisionOrInstant', message: `${breach.message}, or a stream revision` };
}

export function asOfFilter(asOf: string | undefined): (event: RecordedEvent) => boolean {
  if (asOf === undefined) return () => true;
  const breach = asOfBreach(asOf);
  if (breach) throw new RangeError(breach.message);
  if (REVISION.test(asOf)) {
    const revision = Number(asOf);
    return (event) => event.revision <= revision;
  }
  const until = epochMillisOf(DATE.test(asOf) ? `${asOf}T00:00:00Z` : asOf);
  return (event) => Date.parse(event.metadata.occurredAt) <= until;
}

/**
 * The history of a contract's stream up to `asOf` (every event without it). The cut is always a prefix of the
 * stream: the fold of the events up to asOf, never of some events after others left out. Before the offer there
 * was no contract yet: an empty history. Check `asOf` with `asOfBreach` first; one it refuses is a RangeError here.
 */
export function contractHistoryOf(contractId: string, recorded: readonly RecordedEvent[], asOf?: string): ContractHistory {
  const includes = asOfFilter(asOf);
  const firstAfter = recorded.findIndex((event) => !includes(event));
  const included = firstAfter === -1 ? recorded : recorded.slice(0, firstAfter);
  const steps = contractTimeline(included);
  const events = steps.map((step, index) => entryOf(included[index], step));
  const last = steps.at(-1);
  return { contractId, asOf: asOf ?? null, revision: included.length - 1, state: last?.state ?? null, money: last?.money ?? null, events };
}
